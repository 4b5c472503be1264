"""The engine side of the wire: a recording session, error texts, blob transfer.

A :class:`Session` sends :class:`~regcompat.messages.Request` values through a
transport (anything with ``.handle(Request) -> Response``: a ``Registry`` or an
``HTTPTransport``) and records every :class:`~regcompat.messages.Exchange`.
It carries the engine's ``error_style`` (``EngineProfile.client_errors``).

:func:`client_error` renders a failed response the way the registry client
vendored in Docker does (``registry/client/errors.go`` and
``registry/api/errcode/errors.go`` under moby's vendor tree). A 4xx body is
parsed as ``{"errors":[...]}``; an error with no ``detail`` whose message is
empty or the code's default becomes the bare code (``Errors.UnmarshalJSON``,
``M@v1.9.1:vendor/src/github.com/docker/distribution/registry/api/errcode/errors.go:240-255``,
unchanged up to 28), printed as the code's description (``tag invalid``;
1.9 prints the code's value, ``TAG_INVALID``: its ``ErrorCode.Error`` returns
``Descriptor().Value``, ``errors.go:26-29``); any other error prints
``<description>: <message>``; several print ``errors:\n<e1>\n<e2>\n``. The
generations (``error_style``):

* ``"1.9"``, ``"1.10"`` - a body that does not parse gives ``Error parsing
  HTTP response: <err>: "<body>"``, a JSON body with no errors ``<nil>``,
  another status ``Received unexpected HTTP status: <status>``
  (``M@v1.10.0:vendor/src/github.com/docker/distribution/registry/client/errors.go:19-80``).
* ``"1.11"`` (1.11-24) - ``error parsing HTTP <code> response body: <err>:
  "<body>"``, no errors: ``... response body: no error details found in HTTP
  response body: "<body>"``, ``{"details": "..."}`` becomes ``unknown:
  <details>`` (401 ``unauthorized``, 429 ``toomanyrequests``), ``received
  unexpected HTTP status: <status>`` (``M@v1.12.0:vendor/src/github.com/docker/
  distribution/registry/client/errors.go:24-100``, the same in
  ``M@v20.10.24:vendor/github.com/docker/distribution/registry/client/errors.go:25-135``).
* ``"25"`` (25+) - as 1.11, but a 4xx whose ``Content-Type`` is missing or
  not ``application/json`` is not parsed: its body becomes the message of
  ``unknown`` (401 ``unauthorized``, 403 ``denied``, 429 ``toomanyrequests``)
  (``M@v27.5.1:vendor/github.com/docker/distribution/registry/client/errors.go:41-106``).

Every generation turns an unparsable 401 into ``unauthorized: authentication
required``. Left out: ``WWW-Authenticate`` bearer errors, an unparsable
``Content-Type`` (``failed parsing content-type: ...``). 1.6/1.7 talk through
their own session client; their blob error texts are UNCONFIRMED and rendered
as 1.10's.

Blob pushes as a real Docker 20.10 made them (and as the distribution client
vendored since 1.9 writes them, ``M@v1.9.1:vendor/src/github.com/docker/
distribution/registry/client/blob_writer.go:35-150``): ``POST
.../blobs/uploads/``, one ``PATCH`` with the bytes to the returned
``Location``, an empty ``PUT`` to the PATCH's ``Location`` with ``digest=``
added by Go's ``url.Values.Encode`` (keys sorted, values escaped:
``sha256%3A...``), then a ``HEAD`` (``Commit`` ends with a ``Stat``; a 404
there fails ``unknown blob``). A layer is HEADed first only when the daemon
already knows its digest (``Session.known``: the blobs this ``Engine`` pushed
or pulled, its v2 metadata; ``M@v1.9.1:graph/push_v2.go:150-170``,
``M@v20.10.24:distribution/push_v2.go:315-325``); the image config and
schema1's empty layer are always HEADed first (the manifest builders'
``Stat``). 1.6/1.7, and sessions with no memory (the ``docker manifest push``
model), HEAD every blob and upload it with ``POST`` then ``PUT
<Location>&digest=<d>`` carrying the body (``M@v1.6.2:registry/session_v2.go:215-290``).
With ``tolerant=True`` (1.13+, the layer existence check
``M@v17.06.0-ce:distribution/push_v2.go:532-555``, ``M@v20.10.24:distribution/
push_v2.go:568-590``) a HEAD answered with anything but 200 or 404 is logged
(``Failed to check for presence of layer ...``, debug level) and the upload
goes on; before 1.13, and for the image config in every version (the schema2
builder's ``Stat``), it ends the push with the HEAD's error. Pulled blobs are
hashed and a mismatch fails ``filesystem layer verification failed for
digest <d>`` (``M@v1.9.1:graph/pull_v2.go:218``,
``M@v1.10.0:distribution/pull_v2.go:184``).

Left out: the ``PATCH`` body goes with ``Transfer-Encoding: chunked`` from a
real daemon (the model sends a ``Content-Length``), the PATCH's ``Range``
check, several PATCHes per blob, cross-repository mounts (1.10+ try them for
layers known from another repository of the same registry), resumable downloads, redirects to a storage
backend, authentication challenges.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from ..digest import from_bytes
from ..errors import ErrorCode, from_envelope
from ..messages import Exchange, Request, Response

__all__ = ["Session", "EngineFailure", "client_error", "first_error_text", "translatable", "upload_blob",
           "download_blob"]


class EngineFailure(Exception):
    """Ends a flow; ``str(err)`` is the daemon's error text."""


class Session:
    """Sends requests for one engine command and records the exchanges."""

    __slots__ = ("transport", "host", "exchanges", "user_agent", "error_style", "known")

    def __init__(self, transport, host: str = "localhost:5000", user_agent: str = "",
                 error_style: str = "1.11", known: set[str] | None = None):
        self.transport = transport
        self.host = host
        self.user_agent = user_agent
        self.error_style = error_style
        #: the blob digests this daemon has pushed or pulled (its v2 metadata); None: a client with no memory
        self.known = known
        self.exchanges: list[Exchange] = []

    def error(self, response: Response) -> str:
        """The text this engine's registry client makes of a failed ``response``."""
        return client_error(response, self.error_style)

    def ping(self) -> Response:
        """``GET /v2/``: the version check every engine makes before a command."""
        return self.send("GET", "/v2/")

    def send(self, method: str, target: str, headers: list[tuple[str, str]] | None = None,
             body: bytes = b"") -> Response:
        items = [("Host", self.host)]
        if self.user_agent:
            items.append(("User-Agent", self.user_agent))
        items.extend(headers or [])
        if body or method in ("PUT", "POST", "PATCH"):
            items.append(("Content-Length", str(len(body))))
        request = Request(method, target, items, body)
        response = self.transport.handle(request)
        self.exchanges.append(Exchange(request, response))
        return response


_GO_KINDS = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}
_MAKE_ERROR = {401: ErrorCode.UNAUTHORIZED, 429: ErrorCode.TOOMANYREQUESTS}
_MAKE_ERROR_25 = {**_MAKE_ERROR, 403: ErrorCode.DENIED}


def _go_json_error(body: bytes) -> str:
    """The encoding/json error for a body that is not an error envelope (the common cases)."""
    if not body.strip():
        return "unexpected end of JSON input"
    try:
        doc = json.loads(body)
    except ValueError:
        text = body.decode("utf-8", "replace").lstrip()
        return "invalid character %r looking for beginning of value" % (text[:1] or " ")
    kind = _GO_KINDS.get(type(doc), "value")
    return f"json: cannot unmarshal {kind} into Go value of type struct {{ Errors []errcode.Error }}"


def _error_text(error, style: str) -> str:
    """One errcode error: the bare code when it has no detail and the default (or no) message."""
    if not error.has_detail and error.message in (None, "", error.code.message):
        return error.code.wire if style == "1.9" else error.code.engine_text
    return error.code.engine_text + ": " + error.text


def _details(body: bytes) -> str:
    try:
        doc = json.loads(body)
    except ValueError:
        return ""
    details = doc.get("details") if isinstance(doc, dict) else None
    return details if isinstance(details, str) else ""


def client_error(response: Response, style: str = "1.11") -> str:
    """The error text Docker's registry client (generation ``style``) makes of a failed response."""
    status = response.status
    modern = style not in ("1.9", "1.10")
    if not 400 <= status < 500:
        return ("received" if modern else "Received") + " unexpected HTTP status: %d %s" % (status, response.reason)
    if style == "25" and not _is_json(response):
        code = _MAKE_ERROR_25.get(status, ErrorCode.UNKNOWN)
        return code.engine_text + ": " + response.body.decode("utf-8", "replace")
    if modern and (details := _details(response.body)):
        table = _MAKE_ERROR_25 if style == "25" else _MAKE_ERROR
        return table.get(status, ErrorCode.UNKNOWN).engine_text + ": " + details
    errors = from_envelope(response.body)
    if errors:
        texts = [_error_text(e, style) for e in errors]
        return texts[0] if len(texts) == 1 else "errors:\n" + "".join(t + "\n" for t in texts)
    try:
        parsed = isinstance(json.loads(response.body), (dict, type(None)))
    except ValueError:
        parsed = False
    if status == 401 and (modern or not parsed):  # the body becomes the detail of UNAUTHORIZED
        return ErrorCode.UNAUTHORIZED.engine_text + ": " + ErrorCode.UNAUTHORIZED.message
    body = _go_quote(response.body.decode("utf-8", "replace"))
    if not modern:
        return "<nil>" if parsed else "Error parsing HTTP response: %s: %s" % (_go_json_error(response.body), body)
    reason = "no error details found in HTTP response body" if parsed else _go_json_error(response.body)
    return "error parsing HTTP %d response body: %s: %s" % (status, reason, body)


def first_error_text(response: Response, style: str = "1.11") -> str:
    """The text of the first error only (1.13+ pulls drop the others), else the whole response's text."""
    errors = from_envelope(response.body) if 400 <= response.status < 500 else []
    if not errors or (style == "25" and not _is_json(response)) or _details(response.body):
        return client_error(response, style)
    return _error_text(errors[0], style)


def _is_json(response: Response) -> bool:
    content_type = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    return content_type in ("application/json", "application/vnd.api+json")


def translatable(response: Response, style: str = "1.11") -> ErrorCode | None:
    """The code of the first error when it stays a full error (has a detail or its own message).

    Pull errors are translated (``manifest for <ref> not found``...) only
    for such errors: a bare code is not an ``errcode.Error``
    (``M@v17.06.0-ce:distribution/errors.go:67-95``).
    """
    if not 400 <= response.status < 500:
        return None
    if style == "25" and not _is_json(response):  # the body became the message of a full error
        return _MAKE_ERROR_25.get(response.status, ErrorCode.UNKNOWN)
    errors = from_envelope(response.body)
    if not errors or _details(response.body):
        return None
    first = errors[0]
    if not first.has_detail and first.message in (None, "", first.code.message):
        return None
    return first.code


def _go_quote(text: str) -> str:
    """Go's %q for printable text (enough for error bodies)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def location_target(location: str) -> str:
    """The path and query of a ``Location`` header, absolute or relative."""
    parts = urlsplit(location)
    return parts.path + ("?" + parts.query if parts.query else "")


def upload_blob(session: Session, name: str, digest: str, data: bytes, *, check: bool = True,
                tolerant: bool = False, log: list[str] | None = None) -> bool:
    """Push one blob unless the registry has it; True when it was uploaded.

    ``check``: HEAD the blob first (always for a client with no memory, ``session.known is None``).
    ``tolerant``: a failed check is appended to ``log`` and the upload goes on (1.13+ layers).
    A session with a memory uploads as the distribution client does (POST, PATCH, PUT, HEAD);
    one without, monolithically (POST, PUT with the body).
    """
    if check or session.known is None:
        head = session.send("HEAD", f"/v2/{name}/blobs/{digest}")
        if head.status == 200:
            _remember(session, digest)
            return False
        if head.status != 404:
            if not tolerant:
                raise EngineFailure(session.error(head))
            if log is not None:
                log.append(f"Failed to check for presence of layer {digest} in {name}: {session.error(head)}")
    start = session.send("POST", f"/v2/{name}/blobs/uploads/")
    if start.status != 202 or not start.headers.get("Location"):
        raise EngineFailure(session.error(start))
    target = location_target(start.headers["Location"])
    if session.known is None:
        put = session.send("PUT", _with_digest(target, digest, go=False),
                           [("Content-Type", "application/octet-stream")], data)
        if not put.ok:
            raise EngineFailure(session.error(put))
        return True
    patch = session.send("PATCH", target, [], data)
    if not patch.ok:
        raise EngineFailure(session.error(patch))
    if patch.headers.get("Location"):
        target = location_target(patch.headers["Location"])
    put = session.send("PUT", _with_digest(target, digest, go=True))
    if not put.ok:
        raise EngineFailure(session.error(put))
    stat = session.send("HEAD", f"/v2/{name}/blobs/{digest}")  # Commit ends with a Stat
    if stat.status == 404:
        raise EngineFailure("unknown blob")
    if stat.status != 200:
        raise EngineFailure(session.error(stat))
    _remember(session, digest)
    return True


def _remember(session: Session, digest: str) -> None:
    if session.known is not None:
        session.known.add(str(digest))


def _with_digest(target: str, digest: str, *, go: bool) -> str:
    """The upload URL with ``digest=``: appended, or as Go's ``url.Values.Encode`` rewrites the query."""
    if not go:
        return target + ("&" if "?" in target else "?") + "digest=" + digest
    path, _, query = target.partition("?")
    values = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "digest"]
    values.append(("digest", str(digest)))
    return path + "?" + urlencode(sorted(values, key=lambda kv: kv[0]), quote_via=quote)


def download_blob(session: Session, name: str, digest: str, *, what: str = "filesystem layer") -> bytes:
    """GET one blob and check that it hashes to ``digest``."""
    response = session.send("GET", f"/v2/{name}/blobs/{digest}")
    if not response.ok:
        raise EngineFailure(session.error(response))
    algorithm = digest.partition(":")[0] or "sha256"
    try:
        computed = from_bytes(response.body, algorithm)
    except ValueError:
        computed = None
    if computed != digest:
        raise EngineFailure(f"{what} verification failed for digest {digest}")
    _remember(session, digest)
    return response.body
