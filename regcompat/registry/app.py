"""The registry model: ``Registry(version).handle(Request) -> Response``.

One call, no sockets and no threads (the HTTP adapter holds a lock around
``handle``). Routing happens once (routes.py); each (route, method) has one
handler function; handlers raise :class:`RegistryError` and only this module
renders errors. Every answer follows the version's behaviour row.

Configuration (keyword arguments):
  * ``schema1_push`` - 2.7+: ``compatibility.schema1.enabled: true``;
  * ``delete_enabled`` - ``storage.delete.enabled``;
  * ``trust_key`` - the key that signs schema1 served on the fly (default: a
    key seeded from the version, so runs repeat; real registries before 2.3.1
    made a new one at every start);
  * ``clock`` - a callable returning aware datetimes (default: a clock that
    starts at 2016-02-09T10:00:00Z and ticks one second per signature);
  * ``secret`` - ``http.secret``, the key of the HMAC that signs each upload's
    ``_state`` token (bytes, or a str taken as UTF-8). None (the default): a
    random secret per instance, as a real registry started without one makes
    (so tokens differ between two registries and between runs); give one for
    repeatable tokens. A token this registry did not sign (hand-made, or from
    another instance) is 404 BLOB_UPLOAD_INVALID;
  * ``upload_ids`` - a callable returning the id of each new upload (the HTTP
    server passes random uuid4 strings, as distribution makes). None (the
    default): uuid-shaped ids derived from a counter, the same on every run.

Left out: authentication, proxy (pull-through) mode, redirects to storage,
read-only mode, garbage collection, the referrers API.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ErrorCode, RegistryError
from ..reference import NAME_MAX_LENGTH
from ..messages import Request, Response
from . import blobs, go_errors, listing, manifest_delete, manifest_get, manifest_put
from .behaviour import Behaviour, behaviour
from .events import Event
from .responses import (alive, client_disconnected, error_response, method_not_allowed,
                        page_not_found, redirect)
from .routes import ALLOWED_METHODS, Redirect, Route, parse_route
from .state import RegistryState, TickingClock
from .storage import Store
from .upload_token import as_secret

__all__ = ["Registry"]

Handler = Callable[[RegistryState, Route, Request], Response]

_HANDLERS: dict[tuple[str, str], Handler] = {
    ("catalog", "GET"): listing.catalog,
    ("manifest", "GET"): manifest_get.get_manifest,
    ("manifest", "HEAD"): manifest_get.get_manifest,
    ("manifest", "PUT"): manifest_put.put_manifest,
    ("manifest", "DELETE"): manifest_delete.delete_manifest,
    ("tags", "GET"): listing.tags_list,
    ("blob", "GET"): blobs.get_blob,
    ("blob", "HEAD"): blobs.get_blob,
    ("blob", "DELETE"): blobs.delete_blob,
    ("upload_start", "POST"): blobs.start_upload,
    **{("upload_start", m): blobs.collection for m in ("GET", "HEAD", "PATCH", "PUT", "DELETE")},
    ("upload", "GET"): blobs.upload_status,
    ("upload", "HEAD"): blobs.upload_status,
    ("upload", "POST"): blobs.restart_upload,
    ("upload", "PATCH"): blobs.patch_upload,
    ("upload", "PUT"): blobs.put_upload,
    ("upload", "DELETE"): blobs.cancel_upload,
}


#: Handlers that read the request body, and the code distribution 2.8.2 reports
#: when that body ends early (measured; the same before 2.8 is UNCONFIRMED).
_BODY_READERS = {
    ("manifest", "PUT"): ErrorCode.MANIFEST_INVALID,
    ("upload", "PATCH"): ErrorCode.UNKNOWN,
    ("upload", "PUT"): ErrorCode.UNKNOWN,
}


class Registry:
    """A distribution registry of one version, in memory."""

    def __init__(self, version: str = "2.8", *, schema1_push: bool = False,
                 delete_enabled: bool = False, trust_key: object | None = None,
                 clock: Callable | None = None, store: Store | None = None,
                 secret: bytes | str | None = None, upload_ids: Callable[[], str] | None = None):
        row = behaviour(version)
        if trust_key is None:
            from ..manifest import libtrust
            trust_key = libtrust.TrustKey.from_seed(f"registry-{row.version}")
        self._state = RegistryState(row, store or Store(), bool(schema1_push), bool(delete_enabled),
                                    trust_key, clock or TickingClock(), secret=as_secret(secret),
                                    upload_ids=upload_ids)

    # -- public surface
    @property
    def version(self) -> str:
        return self._state.behaviour.version

    @property
    def behaviour(self) -> Behaviour:
        return self._state.behaviour

    @property
    def store(self) -> Store:
        return self._state.store

    @property
    def events(self) -> list[Event]:
        return self._state.events

    @property
    def trust_key(self) -> object:
        return self._state.trust_key

    @property
    def schema1_push(self) -> bool:
        return self._state.schema1_push

    def upgraded(self, version: str, **config) -> "Registry":
        """A registry of another version over the same storage, as after an upgrade."""
        return Registry(version, store=self.store, **config)

    def __repr__(self) -> str:
        extra = ", schema1_push=True" if self._state.schema1_push else ""
        return f"Registry({self.version!r}{extra})"

    def handle(self, request: Request, *, body_complete: bool = True) -> Response:
        """Answer one request as this registry version would.

        ``body_complete=False``: the client sent fewer bytes than its
        ``Content-Length`` (an HTTP server knows; the model cannot). Handlers
        that check something first (the route, the upload session, a missing
        ``digest``) answer as usual; a handler that would read the body answers
        499 and stores nothing."""
        method = request.method.upper()
        return _headless(method, self._answer(method, request, body_complete))

    def _answer(self, method: str, request: Request, body_complete: bool = True) -> Response:
        route = parse_route(request.path, legacy_digests=self.behaviour.legacy_digest_parsing,
                            host_names=self.behaviour.route_host_names)
        if route is None:
            return page_not_found()
        if isinstance(route, Redirect):
            _, mark, query = request.target.partition("?")  # both of gorilla's redirects keep the query
            return redirect(route.location + mark + query, strict_slash=route.strict_slash, method=method)
        if route.kind == "root":
            return alive(head=method == "HEAD") if self.behaviour.root_route else page_not_found()
        if route.kind == "base":
            return listing.base(self._state, route, request)
        allowed = self._allowed(route.kind)
        if method not in allowed:
            return method_not_allowed(allowed, method)
        if route.kind == "catalog" and not self.behaviour.catalog:
            return page_not_found()
        try:
            self._check_name(route)
            if not body_complete and self._reads_body(route, method, request):
                return client_disconnected(RegistryError(_BODY_READERS[(route.kind, method)],
                                                         detail="client disconnected"))
            return _HANDLERS[(route.kind, method)](self._state, route, request)
        except RegistryError as err:
            status = 400 if (self.behaviour.put_errors_always_400 and route.kind == "manifest"
                             and method == "PUT") else None
            return error_response(err, self.behaviour, status=status)

    def _reads_body(self, route: Route, method: str, request: Request) -> bool:
        """Whether the handler gets as far as reading the body (raises what it answers first)."""
        if (route.kind, method) not in _BODY_READERS:
            return False
        if route.kind == "upload":
            blobs.session(self._state, route, request)  # distribution resolves the session first
            if method == "PUT" and not request.query.get("digest"):
                return False  # "digest missing" is answered before reading
        return True

    def _allowed(self, kind: str) -> tuple[str, ...]:
        allowed = ALLOWED_METHODS[kind]
        if kind == "manifest" and not self.behaviour.head_routed:
            allowed = tuple(m for m in allowed if m != "HEAD")
        return allowed

    def _check_name(self, route: Route) -> None:
        """The repository name checks made before any handler runs.

        Over 255 characters: 2.8.2 answers 500 UNKNOWN (seen against the real
        build; 3.0 appends the same plain error, v3.0.0 handlers/app.go:699-707,
        so its detail is the text); 2.0 answers 400 NAME_INVALID (v2.0.1
        handlers/app.go:343-344); 2.1-2.6 are modelled as 2.0 (UNCONFIRMED).
        2.0 also refuses a component shorter than 2 characters (recorded)."""
        name = route.name
        if not name:
            return
        b = self.behaviour
        if len(name) > NAME_MAX_LENGTH:
            reason = f"repository name must not be more than {NAME_MAX_LENGTH} characters"
            code = ErrorCode.UNKNOWN if b.storage_errors_are_500 else ErrorCode.NAME_INVALID
            raise RegistryError(code, detail=go_errors.name_invalid(name, reason))
        if any(len(part) < b.name_component_min_length for part in name.split("/")):
            reason = f"respository name component must be {b.name_component_min_length} or more characters"
            raise RegistryError(ErrorCode.NAME_INVALID, detail=go_errors.name_invalid(name, reason))


def _headless(method: str, response: Response) -> Response:
    """HEAD answers carry the GET's headers (Content-Length included) and no body;
    a redirect on HEAD writes nothing, so Go sends no Content-Length (seen against 2.8.2)."""
    if method != "HEAD":
        return response
    if response.status == 301:
        return Response(301, response.headers.without("Content-Length"), b"")
    if not response.body:
        return response
    return Response(response.status, response.headers, b"")
