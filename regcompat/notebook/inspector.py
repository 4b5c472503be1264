"""The digest inspector: how the stored schema2 document became the schema1 an old client gets.

*Fetch* pushes the sample image with Docker 1.10 (``rc.Engine("1.10", reg)``)
into a fresh ``rc.Registry`` of the chosen version, then asks the registry two
questions through ``reg.handle``:

1. ``GET /v2/<name>/manifests/<pushed digest>`` with a schema2 ``Accept``:
   the bytes as stored;
2. ``GET /v2/<name>/manifests/<tag>`` with no ``Accept`` at all, which is what
   Docker 1.9 sends: on 2.3-2.8 the registry converts to signed schema1 on the
   fly (registry-behavior section 2-3).

On one screen it shows the structure, not a line diff (nearly every line
differs): which field of the schema2 document became which field of the
schema1 document (:func:`regcompat.notebook.fieldmap.field_map`), which
bytes each digest covers (schema1: the payload only, the signatures stay
outside), and four fingerprints: the stored digest S, the digest of what the
old client got (C for a conversion), the sha256 of the raw schema1 body (never
a digest anyone uses), and the ``Docker-Content-Digest`` header the registry
sent (S on 2.3.0: distribution/distribution#1444). The two documents
themselves, each once and with the hashed bytes marked, are folded away below.
"""

from __future__ import annotations

import html
import json

import ipywidgets as W

from ..digest import from_bytes
from ..mediatypes import MediaType, short_name
from .bytesview import coverage, coverage_html
from .fieldmap import field_map
from .fingerprint import fingerprint_html

__all__ = ["DigestInspector"]

_ALL_TYPES = (MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.SCHEMA1_SIGNED, MediaType.OCI_MANIFEST,
              MediaType.OCI_INDEX)


class DigestInspector(W.VBox):
    """Side-by-side bytes and digests of a stored manifest and what an old client is served."""

    def __init__(self, *, registry: str = "2.3.1", tag: str = "latest", repository: str = "demo/app", image=None):
        import regcompat as rc

        self._rc, self._image, self.repository = rc, image, repository
        label = {"style": {"description_width": "5.5em"}}
        self.registry = W.Dropdown(options=list(rc.REGISTRY_VERSIONS), value=registry, description="registry",
                                   layout=W.Layout(width="16em"), **label)
        self.tag = W.Text(value=tag, description="tag", layout=W.Layout(width="16em"), **label)
        self.fetch_button = W.Button(description="Fetch", button_style="success", icon="download")
        self.summary = W.HTML()
        self.summary.add_class("rc-outcome")
        self.fingerprints = W.HTML()
        self.structure = W.HTML()
        self.coverage = W.HTML()
        self.documents = W.HTML()
        self._config = None
        self.stored = self.served = None   # (bytes, Content-Type) once fetched
        self.digests: dict[str, str] = {}
        self.fetch_button.on_click(lambda _b: self.fetch())
        super().__init__([
            W.HBox([self.registry, self.tag, self.fetch_button]),
            self.summary, self.fingerprints, self.structure, self.coverage, self.documents,
        ], layout=W.Layout(max_width="100%"))
        self.add_class("rc-inspector")

    def fetch(self) -> dict[str, str]:
        """Push, fetch both documents, refresh every pane; returns the digests shown."""
        rc = self._rc
        tag = self.tag.value.strip() or "latest"
        reg = rc.Registry(self.registry.value)
        image = self._image if self._image is not None else rc.sample_image()
        push = rc.Engine("1.10", reg).push(image, f"{self.repository}:{tag}")
        if not push.ok:
            self._clear(f"\u2718 the push failed: {html.escape(str(push.error))}")
            return {}
        base = f"/v2/{self.repository}/manifests/"
        stored = reg.handle(rc.Request("GET", base + push.digest, [("Accept", t) for t in _ALL_TYPES]))
        served = reg.handle(rc.Request("GET", base + tag))
        if not served.ok:
            self._clear(f"\u2718 the old-client GET got {served.status}: {html.escape(served.body.decode(errors='replace'))}")
            return {}
        config_digest = json.loads(stored.body).get("config", {}).get("digest")
        blob = reg.handle(rc.Request("GET", f"/v2/{self.repository}/blobs/{config_digest}")) if config_digest else None
        self._config = blob.body if blob is not None and blob.ok else None
        self.stored = (stored.body, stored.headers.get("Content-Type"))
        self.served = (served.body, served.headers.get("Content-Type"))
        left, right = coverage(*self.stored), coverage(*self.served)
        self.digests = {
            "stored (S)": str(left.digest),
            "served to 1.9": str(right.digest),
            "sha256(raw body)": str(from_bytes(served.body)),
            "DCD header": served.headers.get("Docker-Content-Digest") or "",
        }
        self._render(push.digest, served, left, right)
        return dict(self.digests)

    def _clear(self, message: str) -> None:
        self.stored = self.served = None
        self.digests = {}
        self.summary.value = f'<b style="color:#cf222e">{message}</b>'
        self.fingerprints.value = self.structure.value = self.documents.value = self.coverage.value = ""

    def _render(self, pushed, served, left, right) -> None:
        s_type, c_type = short_name(left.media_type), short_name(right.media_type)
        converted = left.digest != right.digest
        header_ok = self.digests["DCD header"] == self.digests["served to 1.9"]
        verdict = (f"converted: {s_type} \u2192 {c_type}, a new digest" if converted
                   else f"not converted: the old client gets the stored {s_type} bytes")
        header = "matches" if header_ok else '<b style="color:#cf222e">does not match</b>'
        self.summary.value = (
            f'<div style="line-height:1.45"><b>registry {html.escape(self.registry.value)}</b>: {verdict}. '
            f"The Docker-Content-Digest header {header} the digest of what was served.</div>"
        )
        self.fingerprints.value = '<div style="display:flex;flex-wrap:wrap;gap:4px">' + "".join(
            fingerprint_html(d, cell_px=9, label=f"{k}: {d.partition(':')[2][:12]}")
            for k, d in self.digests.items() if d) + "</div>"
        self.structure.value = _structure_html(self.stored[0], self.served[0], self._config)
        self.coverage.value = _coverage_bars(left, right, served, self.digests)
        self.documents.value = (
            f"<details><summary>the two documents: stored ({html.escape(s_type)}, {len(self.stored[0])} bytes) "
            f"and served ({html.escape(c_type)}, {len(self.served[0])} bytes)</summary>"
            '<div style="display:flex;gap:12px;max-width:100%"><div style="flex:1;min-width:0">'
            + coverage_html(left, title="stored: what S covers") + '</div><div style="flex:1;min-width:0">'
            + coverage_html(right, title="served: what its digest covers") + "</div></div></details>"
        )

    def __repr__(self) -> str:
        return f"DigestInspector(registry={self.registry.value!r}, tag={self.tag.value!r})"


_CHANGE_INK = {"kept": "#57606a", "changed": "#8a4600", "moved": "#0b5cad", "added": "#00664a", "dropped": "#a33f00"}
_STYLE = ("<style>.rc-map{border-collapse:collapse;width:100%;table-layout:fixed;font:12px/1.35 monospace}"
          ".rc-map td,.rc-map th{border:1px solid #d0d7de;padding:2px 5px;vertical-align:top;text-align:left;"
          "overflow-wrap:anywhere}.rc-map .why{font-family:var(--jp-ui-font-family,sans-serif)}</style>")
_TABLE = 'class="rc-map"'


def _structure_html(stored: bytes, served: bytes, config: bytes | None) -> str:
    """The field map as a table: stored field, what happened, served field, why."""
    try:
        links = field_map(stored, served, config)
    except ValueError as err:
        return f"<i>{html.escape(str(err))}</i>"
    rows = "".join(
        f"<tr><td>{html.escape(link.stored) or '&#8212;'}</td>"
        f'<td><b style="color:{_CHANGE_INK[link.change]}">{link.change}</b></td>'
        f"<td>{html.escape(link.served) or '&#8212;'}</td>"
        f'<td class="why">{html.escape(link.note)}</td></tr>'
        for link in links)
    return (f"{_STYLE}<b>What the conversion did</b><table {_TABLE}><colgroup><col style='width:27%'><col style='width:9%'>"
            f"<col style='width:27%'><col style='width:37%'></colgroup>"
            f"<tr><th>stored (schema2)</th><th></th><th>served (schema1)</th><th>why</th></tr>"
            f"{rows}</table>")


def _bar(parts) -> str:
    """A thin bar of (bytes, colour) parts, as wide as the output area."""
    return ('<div style="display:flex;height:9px;width:100%;border:1px solid #d0d7de">'
            + "".join(f'<div style="flex:{max(n, 1)};background:{c}"></div>' for n, c in parts) + "</div>")


def _coverage_bars(left, right, served, digests) -> str:
    """Which bytes each digest covers, one line each."""
    hashed, outside, other = "#009E73", "#BBBBBB", "#E69F00"
    rows = [("S, the stored digest", _bar([(len(left.document), hashed)]),
             f"all {len(left.document)} bytes of the stored document")]
    if right.whole:
        rows.append(("the served digest", _bar([(len(right.document), hashed)]),
                     f"all {len(right.document)} bytes: the old client got the stored document"))
        body_note = "the same bytes, so the same digest"
    else:
        rows.append(("C, the served digest", _bar([(right.prefix, hashed), (len(right.outside), outside)]),
                     f"the payload: the first {right.prefix} bytes (formatLength) plus the formatTail "
                     f"{html.escape(repr(right.tail))}; the {len(right.outside)} bytes of signatures stay outside"))
        body_note = "every byte, signatures included: no tool uses this digest (the signatures change on re-signing)"
    rows.append(("sha256 of the body", _bar([(len(right.document), other)]), body_note))
    dcd = digests.get("DCD header", "")
    if dcd == digests.get("served to 1.9"):
        header = "names the digest of what was served \u2714"
    elif dcd == digests.get("stored (S)"):
        header = ("names S, the stored digest, over a converted body \u2718 "
                  "(distribution/distribution#1444: Docker 1.6/1.7 fail to verify it)")
    else:
        header = "names neither"
    rows.append(("Docker-Content-Digest", "", header))
    body = "".join(f'<tr><td>{html.escape(name)}</td><td>{bar}</td><td class="why">{note}</td></tr>'
                   for name, bar, note in rows)
    return (f"{_STYLE}<b>Which bytes each digest covers</b><table {_TABLE}><colgroup><col style='width:22%'>"
            f"<col style='width:28%'><col style='width:50%'></colgroup>{body}</table>")
