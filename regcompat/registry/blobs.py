"""Blob routes: GET/HEAD/DELETE of a blob, and blob uploads (monolithic POST,
chunked PATCH, final PUT, status, cancel, cross-repository mount).

Modelled: a blob is visible only in repositories that link it; uploads start
with POST (a ``digest`` parameter on the POST is ignored: 2.8.2 answers 202 and
stores nothing, seen against the real build) and end
with a digest check (``DIGEST_INVALID`` with ``{"Digest", "Reason"}``) that
cancels the session; ``Range: 0-<n-1>`` progress headers (``0-0`` when empty,
as distribution writes it); a ``Content-Range`` check on PATCH only where the
behaviour row says so (2.8.2 accepts a PATCH whose range does not follow on,
seen against the real build); mount from 2.3; single-range GET (206) and
``If-None-Match`` (304) as Go's ``http.ServeContent`` answers them.

The ``_state`` token is HMAC-signed with the registry's secret (upload_token.py).

Left out: redirects to storage backends, ``Last-Modified``, multi-range GETs,
upload purging.
"""

from __future__ import annotations

import re

from ..digest import Digest, DigestError, from_bytes
from ..errors import GO_ERROR, ErrorCode, RegistryError
from ..messages import Request, Response
from . import go_errors
from .events import Event
from .responses import API_VERSION, respond
from .routes import Route
from .state import RegistryState, parse_reference_digest
from . import upload_token
from .storage import Upload

__all__ = ["get_blob", "delete_blob", "start_upload", "upload_status", "patch_upload",
           "put_upload", "cancel_upload", "session"]

_RANGE = re.compile(r"bytes=(\d*)-(\d*)\Z")
_CONTENT_RANGE = re.compile(r"(?:bytes )?(\d+)-(\d+)\Z")


def _blob_digest(state: RegistryState, route: Route) -> str:
    digest = parse_reference_digest(state.behaviour, route.digest)
    if digest is None:
        raise RegistryError(ErrorCode.DIGEST_INVALID, detail=GO_ERROR)
    return digest


def get_blob(state: RegistryState, route: Route, request: Request) -> Response:
    asked = _blob_digest(state, route)
    data = state.store.blob(route.name, asked)
    if data is None:
        raise RegistryError(ErrorCode.BLOB_UNKNOWN, detail=go_errors.blob_unknown(state.behaviour, asked))
    digest = state.store.canonical(asked)  # a sha512 link is answered with the sha256 it names
    headers = [("Cache-Control", "max-age=31536000"), ("Docker-Content-Digest", digest),
               ("Etag", f'"{digest}"')]
    if request.headers.get("If-None-Match") in (digest, f'"{digest}"'):
        return Response(304, [API_VERSION, *headers])
    try:
        span = _range(request.headers.get("Range"), len(data))
    except _RangeError as err:
        return _unsatisfiable(headers, len(data), err)
    body_headers = [("Accept-Ranges", "bytes"), ("Content-Type", "application/octet-stream"), *headers]
    head = request.method == "HEAD"
    if span is not None:
        start, end = span
        part = data[start:end + 1]
        body_headers.append(("Content-Range", f"bytes {start}-{end}/{len(data)}"))
        return respond(206, body_headers, b"" if head else part, length=len(part))
    return respond(200, body_headers, b"" if head else data, length=len(data))


class _RangeError(ValueError):
    """A Range header Go's ``http.ServeContent`` refuses; ``overlap`` when it parsed but misses the blob."""

    def __init__(self, message: str, overlap: bool = False):
        super().__init__(message)
        self.overlap = overlap


def _range(header: str | None, size: int) -> tuple[int, int] | None:
    """One byte range as Go's ``http.ServeContent`` reads it, or None for the whole blob."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        raise _RangeError("invalid range")
    first, last = match.groups()
    if not first:
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
        if last and int(first) > int(last):
            raise _RangeError("invalid range")
    if start >= size:
        raise _RangeError("invalid range: failed to overlap", overlap=True)
    return start, end


def _unsatisfiable(headers: list, size: int, err: _RangeError) -> Response:
    """Go's 416. Seen against 2.8.2, which also keeps the blob's Content-Length on this short
    text body (so clients wait for bytes that never come); the model sends the body's length."""
    extra = [("Content-Range", f"bytes */{size}")] if err.overlap else []
    return respond(416, [*headers, *extra, ("Content-Type", "text/plain; charset=utf-8"),
                         ("X-Content-Type-Options", "nosniff")], f"{err}\n".encode())


def delete_blob(state: RegistryState, route: Route, request: Request) -> Response:
    if not state.delete_enabled:
        raise RegistryError(ErrorCode.UNSUPPORTED)
    digest = _blob_digest(state, route)
    repo = state.store.existing(route.name)
    if repo is None or digest not in repo.blobs:
        raise RegistryError(ErrorCode.BLOB_UNKNOWN)  # no detail on DELETE (seen against 2.8.2)
    repo.blobs.discard(digest)
    return respond(202)


def _upload_location(state: RegistryState, request: Request, upload: Upload) -> str:
    encoded = upload_token.pack(state.secret, upload.repository, upload.uuid, len(upload.data))
    return (f"{state.base_url(request)}/v2/{upload.repository}/blobs/uploads/{upload.uuid}"
            f"?_state={encoded}")


def _progress(state: RegistryState, request: Request, upload: Upload, status: int) -> Response:
    end = max(len(upload.data) - 1, 0)
    headers = [("Docker-Upload-Uuid", upload.uuid), ("Location", _upload_location(state, request, upload)),
               ("Range", f"0-{end}")]
    if status == 204:  # Go sends no Content-Length with a 204
        return Response(204, [API_VERSION, *headers])
    return respond(status, headers)


def _created(state: RegistryState, request: Request, name: str, digest: str) -> Response:
    return respond(201, [("Docker-Content-Digest", digest),
                         ("Location", f"{state.base_url(request)}/v2/{name}/blobs/{digest}")])


def _commit(state: RegistryState, name: str, wanted: str | None, data: bytes) -> Digest:
    """Check ``data`` against the client's digest and store it; raise on mismatch."""
    if wanted is None:
        raise RegistryError(ErrorCode.DIGEST_INVALID, detail="digest missing")
    try:
        digest = Digest(wanted)
    except DigestError:
        raise RegistryError(ErrorCode.DIGEST_INVALID, detail="digest parsing failed") from None
    if from_bytes(data, digest.algorithm) != digest:
        raise RegistryError(ErrorCode.DIGEST_INVALID, detail=go_errors.blob_invalid_digest(digest))
    canonical = state.store.put_blob(name, digest, data)
    state.emit(Event("push", "blob", name, "application/octet-stream", canonical, len(data),
                     f"/v2/{name}/blobs/{canonical}"))
    return canonical


def start_upload(state: RegistryState, route: Route, request: Request) -> Response:
    query = request.query
    if state.behaviour.mount and "mount" in query and "from" in query:
        mounted = _mount(state, route.name, query["mount"], query["from"])
        if mounted:
            return _created(state, request, route.name, mounted)
    upload = Upload(state.new_upload_id(route.name), route.name)
    state.store.uploads[upload.uuid] = upload
    return _progress(state, request, upload, 202)


def _mount(state: RegistryState, name: str, digest: str, source: str) -> str | None:
    try:
        digest = Digest(digest)
    except DigestError:  # 2.8.2 ignores a bad mount digest and starts a plain upload (seen)
        return None
    if not state.store.has_blob(source, digest):
        return None
    state.store.link_blob(name, digest)
    return digest


def session(state: RegistryState, route: Route, request: Request) -> Upload:
    """The upload a request continues, checked against its ``_state`` token.

    As distribution's dispatcher: a missing or foreign token is
    BLOB_UPLOAD_INVALID (seen against 2.8.2), an unknown id BLOB_UPLOAD_UNKNOWN,
    and a token whose offset disagrees with the bytes received cancels the
    upload (BLOB_UPLOAD_INVALID)."""
    try:
        token = upload_token.unpack(state.secret, request.query.get("_state", ""))
    except upload_token.TokenError as err:
        raise RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, detail=err.detail) from None
    if token.get("Name") != route.name or token.get("UUID") != route.uuid:
        raise RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, detail=GO_ERROR)
    upload = state.store.uploads.get(route.uuid)
    if upload is None or upload.repository != route.name:
        raise RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, detail=GO_ERROR)
    if token.get("Offset") != len(upload.data):
        state.store.uploads.pop(upload.uuid, None)
        raise RegistryError(ErrorCode.BLOB_UPLOAD_INVALID)
    return upload


def upload_status(state: RegistryState, route: Route, request: Request) -> Response:
    return _progress(state, request, session(state, route, request), 204)


def patch_upload(state: RegistryState, route: Route, request: Request) -> Response:
    upload = session(state, route, request)
    content_range = request.headers.get("Content-Range")
    if state.behaviour.range_checked and content_range and "Content-Length" in request.headers:
        match = _CONTENT_RANGE.match(content_range.strip())
        if not match:
            raise RegistryError(ErrorCode.RANGE_INVALID)
        start, end = int(match.group(1)), int(match.group(2))
        if start > end or start != len(upload.data):
            raise RegistryError(ErrorCode.RANGE_INVALID)
        if end - start + 1 != len(request.body):
            raise RegistryError(ErrorCode.SIZE_INVALID)
    upload.data.extend(request.body)
    return _progress(state, request, upload, 202)


def put_upload(state: RegistryState, route: Route, request: Request) -> Response:
    upload = session(state, route, request)
    wanted = request.query.get("digest")
    if wanted is None or parse_reference_digest(state.behaviour, wanted) is None:
        _commit(state, route.name, wanted, b"")  # raises the parameter error; the session stays
    if upload.data:  # chunks came before: one copy into the final blob
        upload.data.extend(request.body)
        data = bytes(upload.data)
    else:  # a monolithic PUT: the body is the blob, no copy
        data = request.body
    try:
        digest = _commit(state, route.name, wanted, data)
    finally:  # distribution cancels the session whether the commit worked or not
        state.store.uploads.pop(upload.uuid, None)
    return _created(state, request, route.name, digest)


def cancel_upload(state: RegistryState, route: Route, request: Request) -> Response:
    upload = session(state, route, request)
    state.store.uploads.pop(upload.uuid, None)
    return Response(204, [API_VERSION, ("Docker-Upload-Uuid", upload.uuid)])
