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

__all__ = ["exchanges_frame", "matrix_frame", "matrix_pivot", "style_matrix", "cell_state", "STATES", "STATE_STYLE"]

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
