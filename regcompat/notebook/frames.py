"""pandas adapters: exchanges and the compatibility matrix as DataFrames.

Only this module (and the widgets built on it) imports pandas; the core never
does. Frames are plain data: one row per exchange, or one row per matrix cell,
with the columns named after what the wire view and
:func:`regcompat.compatibility_matrix` report.
"""

from __future__ import annotations

import pandas as pd

from ..mediatypes import short_name
from .wire import short_digest, wire_rows

__all__ = ["exchanges_frame", "matrix_frame", "matrix_pivot", "style_matrix"]

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


def matrix_pivot(frame: pd.DataFrame, *, index, columns, values: str = "ok") -> pd.DataFrame:
    """Cells of ``values`` (True/False) laid out as index x columns.

    ``index`` and ``columns`` are column names (or lists of them). When several
    rows fall in one cell the cell is True only if all of them are.
    """
    table = frame.pivot_table(index=index, columns=columns, values=values, aggfunc="all", sort=False)
    return table.astype(bool)


def _cell_style(value) -> str:
    return "background-color:#dafbe1;color:#1a7f37" if bool(value) else "background-color:#ffebe9;color:#cf222e"


def style_matrix(pivot: pd.DataFrame):
    """A pandas Styler: green check for a working cell, red cross for a failing one."""
    styler = pivot.style.format(lambda v: "\u2714" if v else "\u2718").map(_cell_style)
    return styler.set_uuid("rc-matrix")  # a fixed id: pandas would pick a random one (nbval compares HTML)
