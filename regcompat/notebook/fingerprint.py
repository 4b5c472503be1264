"""Digest fingerprints: a digest drawn as a small grid of colours.

Each square is one hexadecimal digit of the digest, read left to right, top
to bottom, coloured from a fixed 16-colour palette (one colour per hex
digit). Two digests that differ anywhere in their first ``cells`` digits look
different at a glance, and a learner can read the digits back from the
legend. The default 4x4 grid shows the first 16 digits: the 12 that
``docker images`` prints and four more.

Pure Python; :func:`regcompat.notebook.plots.plot_fingerprint` draws the same
grid with matplotlib.
"""

from __future__ import annotations

import html

__all__ = ["PALETTE", "fingerprint_cells", "fingerprint_html"]

#: One colour per hex digit 0-f (a colour-blind-aware qualitative palette).
PALETTE: tuple[str, ...] = (
    "#000000", "#004949", "#009292", "#ff6db6", "#ffb6db", "#490092", "#006ddb", "#b66dff",
    "#6db6ff", "#b6dbff", "#920000", "#924900", "#db6d00", "#24ff24", "#ffff6d", "#808080",
)


def fingerprint_cells(digest: str, side: int = 4) -> list[list[tuple[str, str]]]:
    """``side`` x ``side`` rows of ``(hex digit, colour)`` for ``digest``."""
    encoded = str(digest).partition(":")[2] or str(digest)
    if side < 1 or side * side > len(encoded):
        raise ValueError(f"a {side}x{side} grid needs {side * side} hex digits, the digest has {len(encoded)}")
    digits = encoded[: side * side].lower()
    try:
        colours = [PALETTE[int(ch, 16)] for ch in digits]
    except ValueError:
        raise ValueError(f"not a hexadecimal digest: {digest!r}") from None
    return [list(zip(digits[r * side:(r + 1) * side], colours[r * side:(r + 1) * side])) for r in range(side)]


def fingerprint_html(digest: str, side: int = 4, *, cell_px: int = 12, label: str | None = None) -> str:
    """The fingerprint as an inline HTML table, with an optional caption."""
    rows = []
    for row in fingerprint_cells(digest, side):
        tds = "".join(
            f'<td title="{d}" style="width:{cell_px}px;height:{cell_px}px;background:{c};padding:0"></td>'
            for d, c in row
        )
        rows.append(f"<tr>{tds}</tr>")
    caption = f"<caption style='caption-side:bottom;font:11px monospace'>{html.escape(label)}</caption>" if label else ""
    return (
        '<table style="border-collapse:collapse;display:inline-table;margin:2px 6px" '
        f'title="{html.escape(str(digest))}">{caption}{"".join(rows)}</table>'
    )
