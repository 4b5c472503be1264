"""The wire view: what each HTTP exchange carried, and whether its digest holds.

For every recorded :class:`~regcompat.messages.Exchange` the wire view shows
the method, path, ``Accept`` values, status, ``Content-Type``,
``Docker-Content-Digest`` (DCD) and a digest **recomputed** from the bytes,
with a mark saying whether it matches the header:

* a manifest is hashed the way registries and ``skopeo manifest-digest`` do
  (schema1: the JWS payload, signatures left out; everything else: the exact
  bytes), through :func:`regcompat.manifest.manifest_digest`;
* a blob is hashed as raw bytes;
* a manifest ``PUT`` is checked against the bytes the client *sent* (the
  response has no body);
* ``HEAD`` responses and error bodies carry nothing to hash: no mark.

This is the "HTTP tab" of a registry explorer made interactive; the marks make
distribution/distribution#1444 (2.3.0 sent the stored schema2 digest over a
converted schema1 body) visible at a glance.

Pure Python: no pandas, no widgets. :mod:`regcompat.notebook.frames` turns
rows into a DataFrame, :mod:`regcompat.notebook.widgets` shows the HTML.
Left out: blob upload plumbing details (``Range``, upload UUIDs) beyond the
path, and response bodies other than digests (the inspector shows bytes).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..digest import from_bytes
from ..errors import from_envelope
from ..messages import Exchange
from ..mediatypes import short_name

__all__ = ["WireRow", "wire_row", "wire_rows", "wire_text", "wire_html", "short_digest", "MATCH", "MISMATCH"]

MATCH = "\u2714"      # heavy check mark
MISMATCH = "\u2718"   # heavy ballot x

_MANIFEST_PATH = re.compile(r"^/v2/(.+)/manifests/([^/]+)$")
_BLOB_PATH = re.compile(r"^/v2/(.+)/blobs/(sha\d+:[a-f0-9]+)$")


def short_digest(value: str | None, width: int = 12) -> str:
    """``sha256:`` plus the first ``width`` hex digits, or ``-`` when absent."""
    if not value:
        return "-"
    algorithm, _, encoded = value.partition(":")
    return f"{algorithm}:{encoded[:width]}" if encoded else value


@dataclass(frozen=True)
class WireRow:
    """One exchange as the wire view shows it."""

    method: str
    path: str
    accept: tuple[str, ...]
    sent_type: str  # the request's Content-Type (what a PUT declares), "" if none
    status: int
    content_type: str
    dcd: str
    computed: str   # the recomputed digest, "" when there was nothing to hash
    over: str       # what was hashed: "response body", "request body", "schema1 payload", ""
    match: bool | None  # None when there is no DCD or nothing to hash
    errors: tuple[str, ...] = ()  # wire codes of an error body, first one first

    @property
    def error(self) -> str:
        """The first error code of the body, e.g. "MANIFEST_UNKNOWN", or ""."""
        return self.errors[0] if self.errors else ""

    @property
    def mark(self) -> str:
        return {True: MATCH, False: MISMATCH, None: ""}[self.match]


def _manifest_digest(body: bytes) -> tuple[str, str]:
    from ..manifest import manifest_digest  # the formats layer; imported lazily

    try:
        digest = manifest_digest(body)
    except ValueError:
        return str(from_bytes(body)), "raw bytes (not a manifest)"
    if digest != from_bytes(body):
        return str(digest), "schema1 payload"
    return str(digest), "exact bytes"


def _computed(exchange: Exchange) -> tuple[str, str]:
    request, response = exchange.request, exchange.response
    path = request.path
    if request.method == "PUT" and _MANIFEST_PATH.match(path) and request.body:
        digest, over = _manifest_digest(request.body)
        return digest, over + " sent"
    if request.method != "GET" or not response.ok or not response.body:
        return "", ""
    if _MANIFEST_PATH.match(path):
        return _manifest_digest(response.body)
    if _BLOB_PATH.match(path):
        return str(from_bytes(response.body)), "exact bytes"
    return "", ""


def wire_row(exchange: Exchange) -> WireRow:
    """The wire-view row of one exchange."""
    request, response = exchange.request, exchange.response
    dcd = response.headers.get("Docker-Content-Digest") or ""
    computed, over = _computed(exchange)
    match = (computed == dcd) if (dcd and computed) else None
    return WireRow(
        method=request.method,
        path=request.target,
        accept=tuple(request.headers.get_all("Accept")),
        sent_type=request.headers.get("Content-Type") or "",
        status=response.status,
        content_type=response.headers.get("Content-Type") or "",
        dcd=dcd,
        computed=computed,
        over=over,
        match=match,
        errors=tuple(e.code.wire for e in from_envelope(response.body)) if response.status >= 400 else (),
    )


def wire_rows(exchanges) -> list[WireRow]:
    """Rows for a sequence of exchanges, in order."""
    return [wire_row(e) for e in exchanges]


def _accept_text(accept: tuple[str, ...]) -> str:
    if not accept:
        return "(no Accept)"
    return ", ".join(short_name(a) if short_name(a) != a else a for a in accept)


def is_plumbing(row: WireRow) -> bool:
    """Blob uploads and existence checks: needed on the wire, rarely the story."""
    return "/blobs/" in row.path and not (row.method == "GET" and row.status == 200)


def wire_text(exchanges, *, manifests_only: bool = False) -> str:
    """A plain-text wire view, one block per exchange (stable for nbval)."""
    lines = []
    for row in wire_rows(exchanges):
        if manifests_only and "/manifests/" not in row.path:
            continue
        lines.append(f"{row.method} {row.path}")
        if row.method in ("GET", "HEAD") and "/manifests/" in row.path:
            lines.append(f"    Accept: {_accept_text(row.accept)}")
        if row.method == "PUT" and "/manifests/" in row.path:
            lines.append(f"    Content-Type: {short_name(row.sent_type) if row.sent_type else '(none)'}")
        answer = f"  -> {row.status}"
        if row.errors:
            answer += "  " + ", ".join(row.errors)
        elif row.content_type:
            answer += f"  Content-Type: {short_name(row.content_type)}"
        lines.append(answer)
        if row.dcd or row.computed:
            tail = f"  {row.mark} recomputed {short_digest(row.computed)} over {row.over}" if row.computed else ""
            lines.append(f"     Docker-Content-Digest: {short_digest(row.dcd)}{tail}")
    return "\n".join(lines)


_DIGEST_IN_PATH = re.compile(r"(sha\d+:)([a-f0-9]{12})[a-f0-9]+")


def _path_html(path: str) -> str:
    """The path with digests cut to 12 hex digits (the whole path in the title, for a hover)."""
    short = _DIGEST_IN_PATH.sub(lambda m: m.group(1) + m.group(2) + "\u2026", path)
    return f'<span title="{html.escape(path)}">{html.escape(short)}</span>'


def _type_html(value: str) -> str:
    return f'<span title="{html.escape(value)}">{html.escape(short_name(value))}</span>' if value else "-"


def _request_cell(row: WireRow) -> str:
    first = f"<b>{html.escape(row.method)}</b> {_path_html(row.path)}"
    if row.method == "PUT" and "/manifests/" in row.path:
        detail = "sent: " + (_type_html(row.sent_type) if row.sent_type else "<i>no Content-Type</i>")
    elif row.method in ("GET", "HEAD") and "/manifests/" in row.path:
        accept = ", ".join(_type_html(a) for a in row.accept) or "<i>none</i>"
        detail = f"Accept: {accept}"
    else:
        return first
    return f"{first}<br><small>{detail}</small>"


def _answer_cell(row: WireRow) -> str:
    if row.errors:
        return f"{row.status}<br><small>{html.escape(', '.join(row.errors))}</small>"
    if row.content_type:
        return f"{row.status}<br><small>{_type_html(row.content_type)}</small>"
    return str(row.status)


def _digest_html(value: str) -> str:
    return f'<span title="{html.escape(value)}">{html.escape(short_digest(value))}</span>' if value else "-"


# The table fits its output area: fixed layout at 100 % width, long values wrap, digests are cut to
# 12 hex digits (whole in a hover title), media types shown by their short names.
_STYLE = (
    "<style>.rc-wire{border-collapse:collapse;font:12px/1.35 monospace;width:100%;table-layout:fixed}"
    ".rc-wire td,.rc-wire th{border:1px solid #ccc;padding:2px 5px;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;word-break:normal}"
    ".rc-wire small{font-size:11px;color:#57606a}"
    ".rc-ok{color:#1a7f37;font-weight:bold}.rc-bad{color:#cf222e;font-weight:bold}"
    ".rc-err td{background:#fff5f5}</style>"
)
_COLUMNS = (("Request", "40%"), ("Status", "17%"), ("Docker-Content-Digest", "17%"), ("Recomputed", "19%"),
            ("", "7%"))


def wire_html(exchanges, *, manifests_only: bool = False) -> str:
    """The wire view as an HTML table that fits a notebook's output area (used by the widgets)."""
    out = [_STYLE, '<table class="rc-wire"><colgroup>',
           *(f'<col style="width:{width}">' for _, width in _COLUMNS), "</colgroup><tr>",
           *(f"<th>{name}</th>" for name, _ in _COLUMNS), "</tr>"]
    for row in wire_rows(exchanges):
        if manifests_only and "/manifests/" not in row.path:
            continue
        cls = ' class="rc-err"' if row.status >= 400 else ""
        mark_cls = "rc-ok" if row.match else "rc-bad"
        computed = _digest_html(row.computed) + (f"<br><small>{html.escape(row.over)}</small>" if row.over else "")
        cells = (
            _request_cell(row),
            _answer_cell(row),
            _digest_html(row.dcd),
            computed if row.computed else "-",
            f'<span class="{mark_cls}">{row.mark}</span>' if row.mark else "",
        )
        out.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "".join(out)
