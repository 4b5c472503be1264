"""The engine side of the wire: a recording session, error texts, blob transfer.

A :class:`Session` sends :class:`~regcompat.messages.Request` values through a
transport (anything with ``.handle(Request) -> Response``: a ``Registry`` or an
``HTTPTransport``) and records every :class:`~regcompat.messages.Exchange`.

:func:`client_error` renders a failed response the way Docker's vendored
distribution client does (``M@v1.9.1:vendor/src/github.com/docker/distribution/
registry/client/errors.go:20-63``, the same in 1.10-27): a 4xx body is parsed
as ``{"errors":[...]}`` and each error printed ``<code lowercased, _ -> space>:
<message>`` (several: ``errors:\\n<e1>\\n<e2>\\n``); a body that does not parse
gives ``Error parsing HTTP response: <err>: "<body>"``; any other status gives
``Received unexpected HTTP status: <code> <reason>``.

Blob pushes follow the monolithic upload every modelled engine uses: ``HEAD``
the blob, and when it is unknown ``POST .../blobs/uploads/`` then ``PUT
<Location>&digest=<d>`` with the whole body. Pulled blobs are hashed and a
mismatch fails ``filesystem layer verification failed for digest <d>``
(``M@v1.9.1:graph/pull_v2.go:218``, ``M@v1.10.0:distribution/pull_v2.go:184``).

Left out: chunked (PATCH) uploads, cross-repository mounts, resumable
downloads, redirects to a storage backend, authentication challenges.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from ..digest import from_bytes
from ..errors import ErrorCode, from_envelope
from ..messages import Exchange, Request, Response

__all__ = ["Session", "EngineFailure", "client_error", "first_error_code", "upload_blob", "download_blob"]


class EngineFailure(Exception):
    """Ends a flow; ``str(err)`` is the daemon's error text."""


class Session:
    """Sends requests for one engine command and records the exchanges."""

    __slots__ = ("transport", "host", "exchanges", "user_agent")

    def __init__(self, transport, host: str = "localhost:5000", user_agent: str = ""):
        self.transport = transport
        self.host = host
        self.user_agent = user_agent
        self.exchanges: list[Exchange] = []

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


def _go_json_error(body: bytes) -> str:
    """The encoding/json error for a body that is not an error envelope (the common cases)."""
    if not body.strip():
        return "unexpected end of JSON input"
    try:
        json.loads(body)
    except ValueError:
        text = body.decode("utf-8", "replace").lstrip()
        return "invalid character %r looking for beginning of value" % (text[:1] or " ")
    return "json: cannot unmarshal into Go value of type errcode.Errors"


def client_error(response: Response) -> str:
    """The error text Docker's registry client makes of a failed response."""
    status = response.status
    if 400 <= status < 500:
        errors = from_envelope(response.body)
        if not errors:
            try:
                doc = json.loads(response.body)
                valid = isinstance(doc, dict)
            except ValueError:
                valid = False
            if not valid:
                if status == 401:  # the body becomes the detail of UNAUTHORIZED
                    return ErrorCode.UNAUTHORIZED.engine_text + ": " + ErrorCode.UNAUTHORIZED.message
                body = response.body.decode("utf-8", "replace")
                return "Error parsing HTTP response: %s: %s" % (_go_json_error(response.body), _go_quote(body))
            return "<nil>"  # a JSON body with no errors: an empty errcode.Errors
        texts = [e.code.engine_text + ": " + e.text for e in errors]
        if len(texts) == 1:
            return texts[0]
        return "errors:\n" + "".join(t + "\n" for t in texts)
    return "Received unexpected HTTP status: %d %s" % (status, response.reason)


def first_error_code(response: Response) -> ErrorCode | None:
    """The code of the first error in a 4xx error body, if any."""
    if not 400 <= response.status < 500:
        return None
    errors = from_envelope(response.body)
    return errors[0].code if errors else None


def _go_quote(text: str) -> str:
    """Go's %q for printable text (enough for error bodies)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def location_target(location: str) -> str:
    """The path and query of a ``Location`` header, absolute or relative."""
    parts = urlsplit(location)
    return parts.path + ("?" + parts.query if parts.query else "")


def upload_blob(session: Session, name: str, digest: str, data: bytes) -> bool:
    """Push one blob unless the registry has it; True when it was uploaded."""
    head = session.send("HEAD", f"/v2/{name}/blobs/{digest}")
    if head.status == 200:
        return False
    if head.status != 404:
        raise EngineFailure(client_error(head))
    start = session.send("POST", f"/v2/{name}/blobs/uploads/")
    if start.status != 202 or not start.headers.get("Location"):
        raise EngineFailure(client_error(start))
    target = location_target(start.headers["Location"])
    target += ("&" if "?" in target else "?") + "digest=" + digest
    put = session.send("PUT", target, [("Content-Type", "application/octet-stream")], data)
    if not put.ok:
        raise EngineFailure(client_error(put))
    return True


def download_blob(session: Session, name: str, digest: str, *, what: str = "filesystem layer") -> bytes:
    """GET one blob and check that it hashes to ``digest``."""
    response = session.send("GET", f"/v2/{name}/blobs/{digest}")
    if not response.ok:
        raise EngineFailure(client_error(response))
    algorithm = digest.partition(":")[0] or "sha256"
    try:
        computed = from_bytes(response.body, algorithm)
    except ValueError:
        computed = None
    if computed != digest:
        raise EngineFailure(f"{what} verification failed for digest {digest}")
    return response.body
