"""The digest inspector: stored schema2 bytes next to the schema1 an old client gets.

*Fetch* pushes the sample image with Docker 1.10 (``rc.Engine("1.10", reg)``)
into a fresh ``rc.Registry`` of the chosen version, then asks the registry two
questions through ``reg.handle``:

1. ``GET /v2/<name>/manifests/<pushed digest>`` with a schema2 ``Accept``:
   the bytes as stored;
2. ``GET /v2/<name>/manifests/<tag>`` with no ``Accept`` at all, which is what
   Docker 1.9 sends: on 2.3-2.8 the registry converts to signed schema1 on the
   fly (registry-behavior section 2-3).

It then shows both documents side by side with the changed lines
highlighted, which bytes each digest covers (schema1: the payload only, the
signatures stay outside), and four fingerprints: the stored digest S, the
digest of what the old client got (C for a conversion), the sha256 of the raw
schema1 body (never a digest anyone uses), and the ``Docker-Content-Digest``
header the registry sent (S on 2.3.0: distribution/distribution#1444).
"""

from __future__ import annotations

import html

import ipywidgets as W

from ..digest import from_bytes
from ..mediatypes import MediaType, short_name
from .bytesview import coverage, coverage_html, side_by_side_html
from .fingerprint import fingerprint_html

__all__ = ["DigestInspector"]

_ALL_TYPES = (MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.SCHEMA1_SIGNED, MediaType.OCI_MANIFEST,
              MediaType.OCI_INDEX)


class DigestInspector(W.VBox):
    """Side-by-side bytes and digests of a stored manifest and what an old client is served."""

    def __init__(self, *, registry: str = "2.3.1", tag: str = "latest", repository: str = "demo/app", image=None):
        import regcompat as rc

        self._rc, self._image, self.repository = rc, image, repository
        self.registry = W.Dropdown(options=list(rc.REGISTRY_VERSIONS), value=registry, description="registry")
        self.tag = W.Text(value=tag, description="tag")
        self.fetch_button = W.Button(description="Fetch", button_style="success", icon="download")
        self.summary = W.HTML()
        self.fingerprints = W.HTML()
        self.documents = W.HTML()
        self.coverage = W.HTML()
        self.stored = self.served = None   # (bytes, Content-Type) once fetched
        self.digests: dict[str, str] = {}
        self.fetch_button.on_click(lambda _b: self.fetch())
        super().__init__([
            W.HBox([self.registry, self.tag, self.fetch_button]),
            self.summary, self.fingerprints, self.documents, self.coverage,
        ])
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
        self.fingerprints.value = self.documents.value = self.coverage.value = ""

    def _render(self, pushed, served, left, right) -> None:
        s_type, c_type = short_name(left.media_type), short_name(right.media_type)
        converted = left.digest != right.digest
        header_ok = self.digests["DCD header"] == self.digests["served to 1.9"]
        verdict = (f"converted: {s_type} \u2192 {c_type}, a new digest" if converted
                   else f"not converted: the old client gets the stored {s_type} bytes")
        header = "matches" if header_ok else '<b style="color:#cf222e">does not match</b>'
        self.summary.value = (
            f"<b>registry {html.escape(self.registry.value)}</b>: {verdict}. "
            f"The Docker-Content-Digest header {header} the digest of what was served."
        )
        self.fingerprints.value = "".join(
            fingerprint_html(d, label=f"{k}: {d.partition(':')[2][:12]}") for k, d in self.digests.items() if d
        )
        self.documents.value = side_by_side_html(
            self.stored[0], self.served[0],
            left_title=f"stored ({s_type}), {len(self.stored[0])} bytes",
            right_title=f"served to an old client ({c_type}), {len(self.served[0])} bytes",
        )
        self.coverage.value = (
            '<div style="display:flex;gap:12px"><div style="flex:1">'
            + coverage_html(left, title="what S covers") + '</div><div style="flex:1">'
            + coverage_html(right, title="what the served digest covers") + "</div></div>"
        )

    def __repr__(self) -> str:
        return f"DigestInspector(registry={self.registry.value!r}, tag={self.tag.value!r})"
