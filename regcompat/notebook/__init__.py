"""Notebook adapters: wire views, fingerprints, frames, plots, widgets, quizzes.

This package sits outside the core: it may import ipywidgets, pandas and
matplotlib, and it uses only the public API of :mod:`regcompat`. Submodules:

* :mod:`.wire` - the wire view of recorded exchanges (pure Python);
* :mod:`.console` - a push or pull as the terminal showed it;
* :mod:`.fingerprint` - digests as colour grids (pure Python);
* :mod:`.bytesview` - which bytes a digest covers, side-by-side diffs;
* :mod:`.frames` - pandas DataFrames of exchanges and of the matrix;
* :mod:`.plots` - ``plot_*(ax, ...)`` drawings on a given matplotlib Axes;
* :mod:`.quiz` - predict-first questions and self-checks; :mod:`.text` - lesson text
  (Markdown or HTML) as widget HTML;
* :mod:`.fieldmap` - which schema2 field became which schema1 field;
* :mod:`.workspace` - learner copies of the lessons (``regcompat workspace``);
* :mod:`.widgets` / :mod:`.inspector` - Playground, WireView, MatrixView, DigestInspector;
* :mod:`.lab` - ``regcompat lab``.

Heavy imports happen only when a submodule is used.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "wire_text": "wire", "wire_html": "wire", "wire_rows": "wire", "short_digest": "wire",
    "fingerprint_html": "fingerprint", "fingerprint_cells": "fingerprint",
    "coverage": "bytesview", "coverage_html": "bytesview", "side_by_side_html": "bytesview",
    "exchanges_frame": "frames", "matrix_frame": "frames", "matrix_pivot": "frames", "style_matrix": "frames",
    "fit_frame": "frames", "rich": "text", "field_map": "fieldmap",
    "plot_sequence": "plots", "plot_fingerprint": "plots", "plot_fingerprints": "plots", "plot_matrix": "plots",
    "transcript": "console",
    "Predict": "quiz", "SelfCheck": "quiz",
    "WireView": "widgets", "Playground": "widgets", "MatrixView": "widgets", "DigestInspector": "inspector",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'regcompat.notebook' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
