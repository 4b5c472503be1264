"""Blob routes: GET/HEAD/DELETE of a blob, and blob uploads (monolithic POST,
chunked PATCH, final PUT, status, cancel, cross-repository mount).

Modelled: a blob is visible only in repositories that link it; uploads start
with POST (a ``digest`` parameter on the POST is ignored: 2.8.2 answers 202 and
stores nothing, seen against the real build) and end
with a digest check (``DIGEST_INVALID`` with ``{"Digest", "Reason"}``) that
cancels the session; ``Range: 0-<n-1>`` progress headers (``0-0`` when empty,
as distribution writes it); a ``Content-Range`` check on PATCH only where the
behaviour row says so (2.0-2.8 append a PATCH whose range does not follow on,
recorded; 3.0 answers 416); mount from 2.3; conditional and range GETs as Go's
``http.ServeContent`` answers them (serve_content.py).

The upload state machine follows the behaviour row (see :func:`session`): a
stale token, a status GET, a failed final PUT and the upload collection
answer as each line's recorded session shows.

The ``_state`` token is HMAC-signed with the registry's secret (upload_token.py).

Left out: redirects to storage backends, upload purging.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..digest import Digest, DigestError, from_bytes
from ..errors import GO_ERROR, ErrorCode, GoError, RegistryError
from ..messages import Request, Response
from . import go_errors
from .events import Event
from .responses import API_VERSION, respond
from .routes import Route
from .state import RegistryState, parse_reference_digest
from . import serve_content, upload_token
from .storage import Upload

__all__ = ["get_blob", "delete_blob", "start_upload", "upload_status", "patch_upload",
           "put_upload", "cancel_upload", "collection", "restart_upload", "session"]

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
    return serve_content.serve_blob(request, data, headers, multi_range=state.behaviour.multi_range)


def delete_blob(state: RegistryState, route: Route, request: Request) -> Response:
    if not state.delete_enabled:
        raise RegistryError(ErrorCode.UNSUPPORTED)
    digest = _blob_digest(state, route)
    repo = state.store.existing(route.name)
    if repo is None or digest not in repo.blobs:
        raise RegistryError(ErrorCode.BLOB_UNKNOWN)  # no detail on DELETE (seen against 2.8.2)
    repo.blobs.discard(digest)
    return respond(202)


def _upload_location(state: RegistryState, request: Request, upload: Upload, offset: int) -> str:
    encoded = quote(upload_token.pack(state.secret, upload.repository, upload.uuid, offset), safe="")
    return (f"{state.base_url(request)}/v2/{upload.repository}/blobs/uploads/{upload.uuid}"
            f"?_state={encoded}")  # url.Values.Encode: the padding is %3D (seen against 2.8.2)


def _progress(state: RegistryState, request: Request, upload: Upload, status: int,
              *, fresh: bool = False) -> Response:
    """The upload's URL (with a token for ``offset``) and ``Range: 0-<offset-1>``; ``fresh``:
    as 2.0-2.3 answer a status GET, offset 0 whatever was received."""
    offset = 0 if fresh else upload.position
    headers = [("Docker-Upload-Uuid", upload.uuid), ("Location", _upload_location(state, request, upload, offset)),
               ("Range", f"0-{max(offset - 1, 0)}")]
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


def restart_upload(state: RegistryState, route: Route, request: Request) -> Response:
    """POST on an upload's own URL: the dispatcher checks the token first, then starts
    another upload (seen against 2.8.2)."""
    session(state, route, request)
    return start_upload(state, route, request)


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
    """The upload a request continues, checked against its ``_state`` token as
    distribution's dispatcher checks it, in its order:

    * a token that does not unpack (bad base64, a MAC this registry did not
      make: see upload_token.py): BLOB_UPLOAD_INVALID with Go's error;
    * a token for another repository or upload: BLOB_UPLOAD_INVALID, no detail;
    * no such upload: BLOB_UPLOAD_UNKNOWN;
    * a token whose offset is not the upload's size: the row's
      ``upload_stale_offset`` (2.0-2.3 seek there and write over what follows;
      2.4-2.8 answer BLOB_UPLOAD_INVALID; 3.0 RANGE_INVALID; the upload is kept).
    """
    rules = state.behaviour
    try:
        token = upload_token.unpack(state.secret, request.query.get("_state", ""))
    except upload_token.TokenError as err:
        detail = (GoError(str(err), err.bad_byte) if err.bad_byte is not None  # CorruptInputError: a number
                  else GoError(rules.upload_token_error_text))
        raise RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, detail=detail,
                            http_status=rules.upload_token_error_status) from None
    if token.get("Name") != route.name or token.get("UUID") != route.uuid:
        raise RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, http_status=rules.upload_token_error_status)
    upload = _resume(state, route)
    offset = token.get("Offset")
    if rules.upload_stale_offset == "seek":
        if not isinstance(offset, int) or not 0 <= offset <= len(upload.data):
            state.store.uploads.pop(upload.uuid, None)  # a failed Seek cancels the upload
            raise RegistryError(ErrorCode.BLOB_UPLOAD_INVALID, http_status=rules.upload_token_error_status)
        upload.position = offset
    elif offset != len(upload.data):
        code = ErrorCode.RANGE_INVALID if rules.upload_stale_offset == "range" else ErrorCode.BLOB_UPLOAD_INVALID
        raise RegistryError(code)
    return upload


def _resume(state: RegistryState, route: Route) -> Upload:
    upload = state.store.uploads.get(route.uuid) if route.uuid else None
    if upload is None or upload.repository != route.name:
        raise RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, detail=GoError(state.behaviour.upload_unknown_text))
    return upload


def upload_status(state: RegistryState, route: Route, request: Request) -> Response:
    """GET/HEAD on an upload. 3.0 never reads the token here (``upload_status_reads_token``)."""
    if state.behaviour.upload_status_reads_token:
        upload = session(state, route, request)
    else:
        upload = _resume(state, route)
    return _progress(state, request, upload, 204, fresh=not state.behaviour.upload_status_reports_offset)


def collection(state: RegistryState, route: Route, request: Request) -> Response:
    """Anything but POST on ``/blobs/uploads/``: the same dispatcher with no upload
    id, so no upload: BLOB_UPLOAD_UNKNOWN with no detail (recorded on every
    line; 3.0 looks the empty id up for a GET and gets a detail)."""
    if request.method in ("GET", "HEAD") and not state.behaviour.upload_status_reads_token:
        _resume(state, route)
    raise RegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN)


def _write(upload: Upload, body: bytes) -> None:
    """Write a chunk where the upload stands (over what follows, after a seek back)."""
    end = upload.position + len(body)
    upload.data[upload.position:end] = body
    upload.position = end


def patch_upload(state: RegistryState, route: Route, request: Request) -> Response:
    upload = session(state, route, request)
    content_range = request.headers.get("Content-Range")
    length = request.headers.get("Content-Length") or (str(len(request.body)) if request.body else None)
    if state.behaviour.range_checked and content_range and length is not None:
        match = _CONTENT_RANGE.match(content_range.strip())
        if not match:
            raise RegistryError(ErrorCode.RANGE_INVALID)
        start, end = int(match.group(1)), int(match.group(2))
        if start > end or start != len(upload.data):
            raise RegistryError(ErrorCode.RANGE_INVALID)
        if end - start + 1 != len(request.body):
            raise RegistryError(ErrorCode.SIZE_INVALID)
    _write(upload, request.body)
    return _progress(state, request, upload, 202)


def put_upload(state: RegistryState, route: Route, request: Request) -> Response:
    """The final PUT: the body is written like a chunk, then the whole upload is
    checked against ``digest``. A mismatch cancels the upload up to 2.4.0; from
    2.4.1 the cancel fails after the commit and the upload stays, body included
    (``failed_commit_keeps_upload``, recorded)."""
    upload = session(state, route, request)
    wanted = request.query.get("digest")
    if wanted is None or parse_reference_digest(state.behaviour, wanted) is None:
        _commit(state, route.name, wanted, b"")  # raises the parameter error; the session stays
    if upload.data:  # chunks came before: one copy into the final blob
        _write(upload, request.body)
        data = bytes(upload.data)
    else:  # a monolithic PUT: the body is the blob, no copy
        data = request.body
    try:
        digest = _commit(state, route.name, wanted, data)
    except RegistryError:
        if state.behaviour.failed_commit_keeps_upload:
            if not upload.data:
                _write(upload, request.body)
        else:
            state.store.uploads.pop(upload.uuid, None)
        raise
    state.store.uploads.pop(upload.uuid, None)
    return _created(state, request, route.name, digest)


def cancel_upload(state: RegistryState, route: Route, request: Request) -> Response:
    upload = session(state, route, request)
    state.store.uploads.pop(upload.uuid, None)
    return Response(204, [API_VERSION, ("Docker-Upload-Uuid", upload.uuid)])
