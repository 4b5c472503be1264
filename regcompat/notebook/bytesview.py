"""Manifest bytes on screen: which bytes a digest covers, and what changed.

* :func:`coverage` says which bytes of a manifest document its digest is
  taken over. For schema2, lists and OCI: every byte. For signed schema1: the
  JWS payload, i.e. the first ``formatLength`` bytes of the document followed
  by the ``formatTail`` from the protected header; the ``signatures`` block is
  outside (registry-behavior section 5; distribution/distribution#3718). The
  canonical bytes come from the formats layer (``parse_manifest(...).canonical``);
  this module only lines them up with the document.
* :func:`coverage_html` shows a document with the covered bytes highlighted.
* :func:`side_by_side_html` puts two documents next to each other, line by
  line, with the lines that differ highlighted (a difflib line diff).

Left out: character-level diffs inside a line, and documents that are not
UTF-8 (shown with replacement characters).
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

from ..digest import Digest, from_bytes

__all__ = ["Coverage", "coverage", "coverage_html", "side_by_side_html"]


@dataclass(frozen=True)
class Coverage:
    """How a digest relates to the bytes of one document."""

    document: bytes
    canonical: bytes   # the bytes that are hashed
    prefix: int        # document[:prefix] is hashed as-is
    tail: bytes        # ... followed by these bytes (schema1 formatTail), else b""
    digest: Digest
    media_type: str = ""  # the document's media type as the formats layer reads it

    @property
    def whole(self) -> bool:
        """True when the digest covers the document byte for byte."""
        return self.canonical == self.document

    @property
    def outside(self) -> bytes:
        """The bytes of the document that the digest does not cover."""
        return self.document[self.prefix:] if not self.whole else b""


def coverage(document: bytes, content_type: str | None = None) -> Coverage:
    """Line up ``document`` with the bytes its digest is computed over."""
    from ..manifest import parse_manifest  # formats layer, imported lazily

    manifest = parse_manifest(content_type, document)
    canonical = manifest.canonical
    prefix = 0
    limit = min(len(document), len(canonical))
    while prefix < limit and document[prefix] == canonical[prefix]:
        prefix += 1
    return Coverage(document, canonical, prefix, canonical[prefix:], from_bytes(canonical), manifest.media_type)


def _text(data: bytes) -> str:
    return html.escape(data.decode("utf-8", errors="replace"))


_PRE = "margin:0;font:11px/1.35 monospace;white-space:pre-wrap;word-break:break-all"


def coverage_html(cov: Coverage, *, title: str = "") -> str:
    """The document with the hashed bytes on green and the rest struck through."""
    head = f"<b>{html.escape(title)}</b><br>" if title else ""
    body = f'<span style="background:#dafbe1">{_text(cov.document[:cov.prefix])}</span>'
    if not cov.whole:
        body += f'<span style="background:#eeeeee;color:#888;text-decoration:line-through">{_text(cov.outside)}</span>'
        note = (
            f"<br><small>green: hashed as-is ({cov.prefix} bytes); grey: not covered "
            f"({len(cov.outside)} bytes); the digest appends {cov.tail!r} (formatTail)</small>"
        )
    else:
        note = f"<br><small>every one of the {len(cov.document)} bytes is hashed</small>"
    return f'{head}<pre style="{_PRE}">{body}</pre>{note}<br><code style="overflow-wrap:anywhere">{cov.digest}</code>'


def side_by_side_html(left: bytes, right: bytes, *, left_title: str = "", right_title: str = "") -> str:
    """Two documents in two columns; changed lines on red (left) and green (right)."""
    a = left.decode("utf-8", errors="replace").splitlines()
    b = right.decode("utf-8", errors="replace").splitlines()
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        n = max(i2 - i1, j2 - j1)
        for k in range(n):
            la = a[i1 + k] if i1 + k < i2 else ""
            lb = b[j1 + k] if j1 + k < j2 else ""
            ca = "" if tag == "equal" or i1 + k >= i2 else "background:#ffebe9"
            cb = "" if tag == "equal" or j1 + k >= j2 else "background:#dafbe1"
            rows.append(
                f'<tr><td style="{ca}"><pre style="{_PRE}">{html.escape(la)}</pre></td>'
                f'<td style="{cb}"><pre style="{_PRE}">{html.escape(lb)}</pre></td></tr>'
            )
    return (
        '<table style="border-collapse:collapse;table-layout:fixed;width:100%">'
        f'<tr><th style="text-align:left">{html.escape(left_title)}</th>'
        f'<th style="text-align:left">{html.escape(right_title)}</th></tr>'
        + "".join(rows) + "</table>"
    )
