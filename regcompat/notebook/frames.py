"""pandas adapters: exchanges and the compatibility matrix as DataFrames.

Only this module (and the widgets built on it) imports pandas; the core never
does. Frames are plain data: one row per exchange, or one row per matrix cell,
with the columns named after what the wire view and
:func:`regcompat.compatibility_matrix` report.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from ..mediatypes import short_name
from .wire import short_digest, wire_rows

__all__ = ["exchanges_frame", "matrix_frame", "matrix_pivot", "style_matrix", "fit_frame", "cell_state", "STATES",
           "STATE_STYLE", "frame_html", "fit_dataframes"]

_WIRE_COLUMNS = ["method", "path", "accept", "status", "content_type", "dcd", "computed", "over", "match"]


def exchanges_frame(exchanges, *, manifests_only: bool = False, full_digests: bool = False) -> pd.DataFrame:
    """One row per exchange: the wire view as a table."""
    shorten = (lambda d: d or "-") if full_digests else short_digest
    records = []
    for row in wire_rows(exchanges):
        if manifests_only and "/manifests/" not in row.path:
            continue
        records.append({
            "method": row.method,
            "path": row.path,
            "accept": ", ".join(short_name(a) for a in row.accept) or "(none)",
            "status": row.status,
            "content_type": short_name(row.content_type) if row.content_type else "-",
            "dcd": shorten(row.dcd),
            "computed": shorten(row.computed),
            "over": row.over or "-",
            "match": row.mark or "-",
        })
    return pd.DataFrame.from_records(records, columns=_WIRE_COLUMNS)


def matrix_frame(rows) -> pd.DataFrame:
    """The rows of :func:`regcompat.compatibility_matrix` as a DataFrame."""
    return pd.DataFrame.from_records(list(rows))


# The three states of a matrix cell, worst first: a failed push leaves nothing to pull.
STATES = ("push failed", "pull failed", "ok")
# One palette for tables and heatmaps, safe for the common colour-vision deficiencies (Okabe and Ito's
# bluish green, vermillion and grey); the glyphs (✔ ✘ ⊘) carry the meaning without colour too.
STATE_STYLE = {
    "ok": {"glyph": "\u2714", "label": "pulled", "fill": "#009E73", "ink": "#00664a", "tint": "#ccefe3"},
    "pull failed": {"glyph": "\u2718", "label": "pull failed", "fill": "#D55E00", "ink": "#a33f00", "tint": "#fbdcc8"},
    "push failed": {"glyph": "\u2298", "label": "push failed (nothing to pull)", "fill": "#BBBBBB", "ink": "#3d3d3d",
                    "tint": "#ececec"},
}


def _worst(states) -> str:
    return min(states, key=STATES.index)


def matrix_pivot(frame: pd.DataFrame, *, index, columns, values: str = "ok") -> pd.DataFrame:
    """Cells of ``values`` laid out as index x columns.

    ``index`` and ``columns`` are column names (or lists of them).
    ``values="ok"`` gives True/False cells; when several rows fall in one cell
    the cell is True only if all of them are. ``values="outcome"`` gives the
    three states of :data:`STATES` ("push failed", "pull failed", "ok"), the
    worst of the rows in a cell.
    """
    if values == "outcome":
        table = frame.pivot_table(index=index, columns=columns, values=values, aggfunc=_worst, sort=False)
        return table.astype(object)
    table = frame.pivot_table(index=index, columns=columns, values=values, aggfunc="all", sort=False)
    return table.astype(bool)


def cell_state(value) -> str:
    """The state of a pivot cell: a bool (``ok``) or one of :data:`STATES`."""
    if isinstance(value, str):
        if value not in STATE_STYLE:
            raise ValueError(f"unknown matrix state {value!r}: expected one of {', '.join(STATES)}")
        return value
    return "ok" if bool(value) else "pull failed"


def _cell_style(value) -> str:
    style = STATE_STYLE[cell_state(value)]
    return f"background-color:{style['tint']};color:{style['ink']};text-align:center"


def _table_id(pivot: pd.DataFrame) -> str:
    """An id for the table's CSS, unique to its content and stable across runs.

    pandas scopes every cell's colour by the table id; two tables with one id on
    a page (the static table and a MatrixView in lesson 06) recoloured each
    other. Tables with equal content share an id, which is harmless: their CSS
    is the same.
    """
    key = repr((pivot.index.names, pivot.columns.names, pivot.index.tolist(), pivot.columns.tolist(),
                pivot.to_numpy().tolist()))
    return "rc-matrix-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def style_matrix(pivot: pd.DataFrame):
    """A pandas Styler: ✔ for a pull that worked, ✘ for a failed pull, ⊘ for a failed push."""
    styler = pivot.style.format(lambda v: STATE_STYLE[cell_state(v)]["glyph"]).map(_cell_style)
    return styler.set_uuid(_table_id(pivot))  # not pandas' random id: nbval compares the HTML


def _mark_style(value) -> str:
    """A ✔ or ✘ cell (the wire view's match column) in the colour of its meaning."""
    if value == "\u2714":
        return "color:#1a7f37;font-weight:bold"
    if value == "\u2718":
        return "color:#cf222e;font-weight:bold"
    return ""


def fit_frame(frame: pd.DataFrame, *, short_types: bool = True):
    """A pandas Styler that shows ``frame`` whole and within the output area.

    pandas' own HTML cuts long cells at 50 characters (a media type lost the
    part where schema1 and schema2 differ) and lets the table run off the side
    of the output area, hiding its last columns. This one keeps every
    character, wraps cells (fixed layout, 100 % width), colours ✔ and ✘ cells
    green and red, shows media types by
    their short names when ``short_types`` (the whole type in a hover title is
    left to the wire view), and gets an id derived from its content.
    """
    shown = frame.map(lambda v: short_name(v) if short_types and isinstance(v, str) and "/" in v
                      and v.startswith("application/") else v)
    styler = shown.style.map(_mark_style).set_table_styles([
        {"selector": "", "props": "table-layout:fixed;width:100%;border-collapse:collapse;font-size:12px"},
        {"selector": "td, th", "props": "overflow-wrap:anywhere;white-space:normal;text-align:left;vertical-align:top"},
    ])
    key = repr((list(shown.columns), shown.astype(str).to_numpy().tolist()))
    return styler.set_uuid("rc-frame-" + hashlib.sha256(key.encode()).hexdigest()[:12])


def frame_html(frame: pd.DataFrame) -> str:
    """A DataFrame as notebooks should show it: :func:`fit_frame`, whole values, at most
    ``display.max_rows`` rows (the first and last halves of ``display.min_rows`` beyond that)."""
    most = pd.get_option("display.max_rows") or len(frame)
    if len(frame) <= most:
        return fit_frame(frame, short_types=False).to_html()
    half = max((pd.get_option("display.min_rows") or 10) // 2, 1)
    shown = pd.concat([frame.head(half), frame.tail(half)])
    return (fit_frame(shown, short_types=False).to_html()
            + f"<p>{len(frame)} rows \u00d7 {len(frame.columns)} columns; rows {half + 1} to "
            f"{len(frame) - half} not shown</p>")


def fit_dataframes(shell=None) -> bool:
    """Make IPython show every DataFrame with :func:`frame_html`; True when a shell was found.

    Called when this module is imported in a notebook (the lessons import it), so
    that tables a lesson builds itself (lesson 08's comparison with a real
    registry) fit the output area too: pandas' default cuts values at 50
    characters and lets wide tables run off the side.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    formatter = getattr(getattr(shell, "display_formatter", None), "formatters", {}).get("text/html")
    if formatter is None:
        return False
    formatter.for_type(pd.DataFrame, frame_html)
    return True


fit_dataframes()
