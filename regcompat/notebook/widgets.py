"""ipywidgets views over the public API: wire view, playground, matrix view.

* :class:`WireView`: the wire view (:mod:`regcompat.notebook.wire`) of a list
  of exchanges, with a "manifest requests only" switch.
* :class:`Playground`: choose the pushing engine, the registry version, the
  pulling engine, tag or digest, and a single image or a manifest list; *Run*
  calls :func:`regcompat.scenario` (a fresh registry, a push, a pull) and
  shows the outcome, the lines each client printed and every exchange.
* :class:`MatrixView`: :func:`regcompat.compatibility_matrix` as a styled
  pass/fail table, filtered with drop-downs.
* :class:`~regcompat.notebook.inspector.DigestInspector` lives in its own
  module and is re-exported here.

Callbacks only change widget state (``HTML.value``, ``.result``), so pytest
drives them by setting ``.value`` and calling ``.click()``. Each view has a
short, stable ``repr`` for nbval.
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..mediatypes import short_name
from ..scenarios import LIST_PUSHER
from .inspector import DigestInspector
from .wire import wire_html

__all__ = ["WireView", "Playground", "MatrixView", "DigestInspector"]

_PRE = "margin:0;font:12px/1.4 monospace;white-space:pre-wrap;overflow-wrap:anywhere"
_ROW = W.Layout(flex_flow="row wrap", align_items="center", max_width="100%")


def _control(toggle: bool = False) -> dict:
    """One look for every labelled control: the label beside it, in a column of the same width."""
    style = {"description_width": "5.5em"}
    if toggle:
        style["button_width"] = "6em"
        return {"style": style, "layout": W.Layout(width="auto")}
    return {"style": style, "layout": W.Layout(width="16em")}


def _lines_html(title: str, lines) -> str:
    body = html.escape("\n".join(lines)) if lines else "(nothing printed)"
    return f'<b>{html.escape(title)}</b><pre style="{_PRE}">{body}</pre>'


class WireView(W.VBox):
    """Exchanges as a table: method, path, Accept, status, Content-Type, DCD, recomputed digest."""

    def __init__(self, exchanges=(), *, manifests_only: bool = True):
        self.manifests_only = W.Checkbox(value=manifests_only, description="manifest requests only", indent=False)
        self.table = W.HTML()
        self._exchanges = list(exchanges)
        self.manifests_only.observe(lambda _c: self._render(), names="value")
        super().__init__([self.manifests_only, self.table])
        self.add_class("rc-wireview")
        self._render()

    @property
    def exchanges(self) -> list:
        return list(self._exchanges)

    @exchanges.setter
    def exchanges(self, value) -> None:
        self._exchanges = list(value)
        self._render()

    def _render(self) -> None:
        if not self._exchanges:
            self.table.value = "<i>no exchanges yet</i>"
            return
        self.table.value = wire_html(self._exchanges, manifests_only=self.manifests_only.value)

    def __repr__(self) -> str:
        return f"WireView({len(self._exchanges)} exchanges)"


class Playground(W.VBox):
    """Push as one engine, pull as another, from a registry version of your choice."""

    def __init__(self, *, push_engine: str = "1.10", registry: str = "2.3.0", pull_engine: str = "1.9",
                 by: str = "tag", kind: str = "image", image=None, reference: str = "demo/app:latest"):
        import regcompat as rc

        self._rc, self._image, self.reference = rc, image, reference
        self.push_engine = W.Dropdown(options=list(rc.ENGINE_VERSIONS), value=push_engine, description="push with",
                                      **_control())
        self.registry = W.Dropdown(options=list(rc.REGISTRY_VERSIONS), value=registry, description="registry",
                                   **_control())
        self.pull_engine = W.Dropdown(options=list(rc.ENGINE_VERSIONS), value=pull_engine, description="pull with",
                                      **_control())
        self.by = W.ToggleButtons(options=["tag", "digest"], value=by, description="pull by", **_control(toggle=True))
        self.kind = W.ToggleButtons(options=["image", "list"], value=kind, description="push a",
                                    tooltips=["one image (amd64/linux)", "a manifest list (amd64 + arm64)"],
                                    **_control(toggle=True))
        for toggle in (self.by, self.kind):
            # ipywidgets lays a ToggleButtons label out above its buttons, a Dropdown's beside it: same row here
            toggle.add_class("widget-inline-hbox")
        self.kind_note = W.HTML()
        self.run_button = W.Button(description="Run", button_style="success", icon="play")
        self.outcome = W.HTML()
        self.outcome.add_class("rc-outcome")
        self.printed = W.HTML()
        self.wire = WireView()
        self.result = self.push_result = self.pull_result = None
        self.run_button.on_click(lambda _b: self.run())
        self.kind.observe(lambda _c: self._on_kind(), names="value")
        super().__init__([
            W.HBox([self.kind, self.push_engine], layout=_ROW), self.kind_note, W.HBox([self.registry], layout=_ROW),
            W.HBox([self.pull_engine, self.by], layout=_ROW),
            self.run_button, self.outcome, self.printed, self.wire,
        ], layout=W.Layout(max_width="100%"))
        self._on_kind()
        self.add_class("rc-playground")

    def _on_kind(self) -> None:
        """A list is pushed by a list tool, not by a Docker engine: say so and grey the engine out."""
        listing = self.kind.value == "list"
        self.push_engine.disabled = listing
        self.kind_note.value = (
            f'<small style="color:#57606a">A manifest list is pushed by {html.escape(LIST_PUSHER)} '
            "(Docker 1.x could not push lists), so the push engine does not apply.</small>" if listing else "")

    def run(self):
        """Run ``rc.scenario`` with the chosen controls; returns the ScenarioResult."""
        name, _, tag = self.reference.rpartition(":")
        kind = self.kind.value
        result = self._rc.scenario(self.push_engine.value, self.registry.value, self.pull_engine.value,
                                   self.by.value, self._image if kind == "image" else None,
                                   kind=kind, name=name, tag=tag)
        self.result, self.push_result, self.pull_result = result, result.push, result.pull
        pusher = f"docker {result.push_engine}" if kind == "image" else result.push_engine
        printed = _lines_html(f"{pusher} push {self.reference}", result.push.output)
        exchanges = list(result.push.exchanges)
        if result.pull is not None:
            printed += _lines_html(f"docker {result.pull_engine} pull {result.reference}", result.pull.output)
            exchanges += list(result.pull.exchanges)
        if result.ok:
            pull = result.pull
            converted = " (converted by the registry)" if result.converted else ""
            self.outcome.value = (f'<b style="color:#1a7f37">\u2714 pull worked</b>: got a '
                                  f"{html.escape(short_name((pull.media_type or '').split(';')[0]))} manifest{converted}, "
                                  f"digest <code>{pull.digest}</code>")
        else:
            self.outcome.value = (f'<b style="color:#cf222e">\u2718 {html.escape(result.outcome)}:</b> '
                                  f"{html.escape(str(result.error))}")
        self.outcome.value = f'<div style="line-height:1.45">{self.outcome.value}</div>'
        self.printed.value = printed
        self.wire.exchanges = exchanges
        return result

    def __repr__(self) -> str:
        return (f"Playground(push_engine={self.push_engine.value!r}, registry={self.registry.value!r}, "
                f"pull_engine={self.pull_engine.value!r}, by={self.by.value!r}, kind={self.kind.value!r})")


def _ordered(column) -> list[str]:
    """The distinct values of a column as text, in order of first appearance (versions stay sorted)."""
    return list(dict.fromkeys(map(str, column)))


class MatrixView(W.VBox):
    """The compatibility matrix as a pass/fail table; drop-downs filter the rows."""

    def __init__(self, rows=None, *, index=("registry",), columns=("pusher", "puller", "by"),
                 filters=("kind", "pusher", "puller"), values: str = "ok", selected: dict | None = None):
        from .frames import matrix_frame, matrix_pivot, style_matrix

        if rows is None:
            import regcompat as rc
            rows = rc.compatibility_matrix()
        self.frame = matrix_frame(rows)
        self._pivot, self._style = matrix_pivot, style_matrix
        self.index, self.columns, self.values = list(index), list(columns), values
        selected = {k: str(v) for k, v in (selected or {}).items()}
        self.filters = {}
        for name in filters:
            options = ["(all)", *_ordered(self.frame[name])]
            self.filters[name] = W.Dropdown(options=options, value=selected.get(name, "(all)"), description=name,
                                            **_control())
        self.table = W.HTML()
        for dropdown in self.filters.values():
            dropdown.observe(lambda _c: self._render(), names="value")
        super().__init__([W.HBox(list(self.filters.values()), layout=_ROW), self.table],
                         layout=W.Layout(max_width="100%"))
        self.add_class("rc-matrixview")
        self._render()

    def selected(self):
        """The rows the current filters keep, as a DataFrame."""
        frame = self.frame
        for name, dropdown in self.filters.items():
            if dropdown.value != "(all)":
                frame = frame[frame[name].astype(str) == dropdown.value]
        return frame

    def pivot(self):
        return self._pivot(self.selected(), index=self.index, columns=self.columns, values=self.values)

    def _render(self) -> None:
        frame = self.selected()
        if frame.empty:
            self.table.value = self._why_empty()
            return
        self.table.value = f'<div style="max-width:100%;overflow-x:auto">{self._style(self.pivot()).to_html()}</div>'

    def _why_empty(self) -> str:
        """Which filter excludes everything, and the values it could take with the others kept."""
        active = {n: d.value for n, d in self.filters.items() if d.value != "(all)"}
        if not active:
            return '<div style="color:#57606a">No rows to show: the matrix given to this view is empty.</div>'
        hints = []
        for name, value in active.items():
            others = self.frame
            for other, chosen in active.items():
                if other != name:
                    others = others[others[other].astype(str) == chosen]
            possible = _ordered(others[name])
            if possible:
                hints.append(f"{html.escape(name)} can be {', '.join(html.escape(v) for v in possible)}")
        chosen = " and ".join(f"{html.escape(n)} = {html.escape(v)}" for n, v in active.items())
        why = f" With the other filters kept, {'; '.join(hints)}." if hints else ""
        return (f'<div style="color:#57606a">No rows have {chosen} together.{why} '
                "Set a filter back to (all) to see more.</div>")

    def __repr__(self) -> str:
        return f"MatrixView({len(self.frame)} rows)"
