"""matplotlib pictures, each drawn on an ``Axes`` the caller provides.

* :func:`plot_sequence`: a sequence diagram of an engine-registry
  conversation, one request arrow and one response arrow per exchange.
* :func:`plot_fingerprint` / :func:`plot_fingerprints`: digests as colour
  grids (see :mod:`regcompat.notebook.fingerprint`).
* :func:`plot_matrix`: a heatmap of a pivoted compatibility matrix (pulled / pull
  failed / push failed), with a legend.

None of these create figures or call ``plt.show()``: the notebook owns the
figure, so tests can render to PNG and lessons can lay out subplots.
"""

from __future__ import annotations

import re
import textwrap

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch, Rectangle

from ..mediatypes import short_name
from .fingerprint import PALETTE, fingerprint_cells
from .wire import short_digest, wire_rows

__all__ = ["plot_sequence", "plot_fingerprint", "plot_fingerprints", "plot_matrix"]

_OK, _BAD, _INK = "#1a7f37", "#cf222e", "#24292f"


_DIGEST_IN_PATH = re.compile(r"(sha\d+:[a-f0-9]{12})[a-f0-9]+")


def _request_label(row) -> str:
    label = f"{row.method} {_DIGEST_IN_PATH.sub(lambda m: m.group(1) + '...', row.path)}"
    if row.method in ("GET", "HEAD") and "/manifests/" in row.path:
        accept = ", ".join(short_name(a) for a in row.accept) or "no Accept"
        label += f"\nAccept: {accept}"
    elif row.method == "PUT" and "/manifests/" in row.path:
        label += f"\nContent-Type: {short_name(row.sent_type) if row.sent_type else 'none'}"
    return label


def _response_label(row) -> str:
    parts = [str(row.status)]
    if row.errors:
        parts.append(row.error)
    elif row.content_type:
        parts.append(short_name(row.content_type))
    if row.dcd:
        parts.append("DCD " + short_digest(row.dcd, 8) + (f" {row.mark}" if row.mark else ""))
    return "  ".join(parts)


def _fit(ax, label: str, fontsize: float, span: float) -> str:
    """Wrap ``label`` so that no line is wider than ``span`` (in data units) of ``ax`` in monospace."""
    width_px = ax.get_window_extent().width * span / (ax.get_xlim()[1] - ax.get_xlim()[0])
    char_px = fontsize * 0.62 * ax.figure.dpi / 72
    limit = max(12, int(width_px * 0.94 / char_px))
    lines = []
    for line in label.split("\n"):
        lines += textwrap.wrap(line, limit, break_long_words=True, break_on_hyphens=False,
                               subsequent_indent="  ") or [""]
    return "\n".join(lines)


def _verdict(outcome) -> tuple[str, bool] | None:
    """The client's verdict: a result with ``.ok``/``.error`` (a push or pull), a bool, or None."""
    if outcome is None:
        return None
    if isinstance(outcome, bool):
        return ("\u2714 the client accepted it" if outcome else "\u2718 the client refused it"), outcome
    ok = bool(getattr(outcome, "ok", False))
    if ok:
        return "\u2714 the client accepted it", True
    error = str(getattr(outcome, "error", "") or "failed")
    return f"\u2718 the client failed: {error}", False


def plot_sequence(ax, exchanges, *, client: str = "engine", server: str = "registry",
                  manifests_only: bool = False, title: str | None = None, outcome=None):
    """Draw the conversation as a sequence diagram on ``ax``; returns ``ax``.

    Responses are drawn dark for a 2xx and red for an error status or a
    ``Docker-Content-Digest`` that does not match the body: that is what the
    *registry* said. ``outcome`` (the push or pull result, or a bool) adds
    what the *client* concluded, below the last arrow, in green or red: a pull
    by digest can get a correct ``200`` and still fail (Docker 1.9 and schema2).
    Labels are wrapped to stay between the two lifelines, and digests in paths
    are cut to 12 hex digits.
    """
    rows = [r for r in wire_rows(exchanges) if not manifests_only or "/manifests/" in r.path]
    verdict = _verdict(outcome)
    n = max(len(rows), 1)
    left, right = 0.0, 1.0
    bottom = -(2 * n) - (1.4 if verdict else 0.6)
    ax.set_xlim(-0.25, 1.25)
    ax.set_ylim(bottom, 0.9)
    ax.axis("off")
    for x, name in ((left, client), (right, server)):
        ax.text(x, 0.5, name, ha="center", va="center", fontsize=10, weight="bold",
                bbox={"boxstyle": "round", "fc": "#f6f8fa", "ec": _INK})
        ax.plot([x, x], [0.2, bottom + 0.2], color="#8c959f", lw=1, ls="--", zorder=0)
    for i, row in enumerate(rows):
        y_req, y_resp = -(2 * i) - 0.5, -(2 * i) - 1.5
        colour = _BAD if row.status >= 400 or row.match is False else _INK
        ax.annotate("", xy=(right, y_req), xytext=(left, y_req),
                    arrowprops={"arrowstyle": "->", "color": _INK, "lw": 1.2})
        ax.text(0.5, y_req + 0.08, _fit(ax, _request_label(row), 7, right - left), ha="center", va="bottom",
                fontsize=7, family="monospace")
        ax.annotate("", xy=(left, y_resp), xytext=(right, y_resp),
                    arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.2, "ls": "--"})
        ax.text(0.5, y_resp + 0.08, _fit(ax, _response_label(row), 7, right - left), ha="center", va="bottom",
                fontsize=7, family="monospace", color=colour)
    if verdict:
        text, ok = verdict
        ax.text(left - 0.22, -(2 * n) - 0.45, _fit(ax, text, 8, 1.4), ha="left", va="top", fontsize=8,
                color=_OK if ok else _BAD, weight="bold",
                bbox={"boxstyle": "round", "fc": "#ffffff", "ec": _OK if ok else _BAD})
    if not rows:
        ax.text(0.5, -1, "(no exchanges)", ha="center", va="center", fontsize=9, color="#57606a")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_fingerprint(ax, digest: str, *, side: int = 4, label: str | None = None, x0: float = 0.0, y0: float = 0.0):
    """Draw one digest as a ``side`` x ``side`` colour grid at (x0, y0); returns ``ax``."""
    for r, row in enumerate(fingerprint_cells(digest, side)):
        for c, (_digit, colour) in enumerate(row):
            ax.add_patch(Rectangle((x0 + c, y0 + side - 1 - r), 1, 1, facecolor=colour, edgecolor="white", lw=1))
    caption = label if label is not None else short_digest(digest)
    ax.text(x0 + side / 2, y0 - 0.4, caption, ha="center", va="top", fontsize=8, family="monospace")
    ax.set_aspect("equal")
    ax.axis("off")
    ax.autoscale_view()
    return ax


def plot_fingerprints(ax, digests: dict, *, side: int = 4, title: str | None = None):
    """Draw several labelled fingerprints in a row: ``{label: digest}``; returns ``ax``."""
    for i, (label, digest) in enumerate(digests.items()):
        plot_fingerprint(ax, digest, side=side, label=f"{label}\n{short_digest(digest)}", x0=i * (side + 2))
    ax.set_xlim(-0.5, len(digests) * (side + 2) - 1.5)
    ax.set_ylim(-2.2, side + 0.3)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def plot_matrix(ax, pivot, *, title: str | None = None, legend: bool = True):
    """A heatmap of a pivoted compatibility matrix (rows x columns); returns ``ax``.

    Cells are True/False (``matrix_pivot(..., values="ok")``: pulled or not)
    or one of three states (``values="outcome"``): *pulled*, *pull failed*, or
    *push failed*, where nothing was pushed so no pull was tried (Docker 1.9
    against registry 2.7 and later). Each state has a colour from a
    colour-blind-safe palette and a glyph (✔ ✘ ⊘), and a legend names them.
    """
    from .frames import STATE_STYLE, STATES, cell_state

    states = [[cell_state(v) for v in row] for row in pivot.to_numpy().tolist()]
    data = np.array([[STATES.index(v) for v in row] for row in states], dtype=float).reshape(pivot.shape)
    ax.imshow(data, cmap=ListedColormap([STATE_STYLE[s]["fill"] for s in STATES]), vmin=0, vmax=len(STATES) - 1,
              aspect="auto", interpolation="nearest")
    def names(labels):
        return [" / ".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in labels]
    ax.set_xticks(range(data.shape[1]), names(pivot.columns), rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(data.shape[0]), names(pivot.index), fontsize=7)
    for (r, c), v in np.ndenumerate(data):
        state = STATES[int(v)]
        ax.text(c, r, STATE_STYLE[state]["glyph"], ha="center", va="center", fontsize=8,
                color="black" if state == "push failed" else "white")
    if getattr(pivot.columns, "nlevels", 1) > 1:  # white lines between groups of the first column level
        first = list(pivot.columns.get_level_values(0))
        for c in range(1, len(first)):
            if first[c] != first[c - 1]:
                ax.axvline(c - 0.5, color="white", lw=3)
    ax.set_xlabel(" / ".join(map(str, pivot.columns.names)), fontsize=8)
    ax.set_ylabel(" / ".join(map(str, pivot.index.names)), fontsize=8)
    if legend:
        shown = [s for s in reversed(STATES) if s != "push failed" or pivot.dtypes.eq(object).any()]
        handles = [Patch(facecolor=STATE_STYLE[s]["fill"], edgecolor="none",
                         label=f"{STATE_STYLE[s]['glyph']} {STATE_STYLE[s]['label']}") for s in shown]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                  borderaxespad=0)
    if title:
        ax.set_title(title, fontsize=10)
    return ax
