"""Parse a request path into a route, as distribution's gorilla/mux router does.

Routing lives here and nowhere else. Modelled:
  * the v2 routes: base, catalog, manifests, tags, blobs, upload start, upload;
  * repository names matched by the reference grammar's path components (the
    optional domain prefix the router also allows is ignored: a registry never
    receives one), so ``Bad_Name`` or ``a/../b`` fall through to 404;
  * gorilla's path cleaning: a path that ``path.Clean`` would change (``//``,
    ``.``, ``..``) is answered 301 to the cleaned path, and ``StrictSlash``
    redirects ``/v2`` and ``.../blobs/uploads`` to their slashed form, and a
    route with a trailing slash added (``.../tags/list/``) to the route;
  * ``/`` itself, answered before the router from 2.2 (app.py);
  * per-route methods, answered 405 with an ``Allow`` list otherwise (OPTIONS:
    200 with the list, gorilla/handlers' ``MethodHandler``).

Left out: the `/v2/<name>/referrers` API of newer registries.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from ..reference import _DOMAIN, _PATH_COMPONENT, _TAG

__all__ = ["Route", "Redirect", "parse_route", "ALLOWED_METHODS"]

_NAME = _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
#: From 2.4 the router's name is reference.NameRegexp with its optional host part, whose
#: components may be upper case and carry a port (v2.4.0 reference/regexp.go:25):
#: /v2/Upper/app/tags/list routes (404 NAME_UNKNOWN on 2.8.2, seen).
_HOST_NAME = r"(?:" + _DOMAIN + r"/)?" + _NAME
#: The digest patterns of the router: distribution's own digest package up to
#: 2.6, go-digest's loose grammar from 2.7 (so ``sha256:abc`` routes, then
#: fails to parse: DIGEST_INVALID for a blob, seen against 2.8.2).
_DIGESTS = {
    True: r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+",
    False: r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+",
}


def _patterns(digest: str, name: str) -> list[tuple[str, re.Pattern[str]]]:
    return [
        ("base", re.compile(r"/v2/")),
        ("catalog", re.compile(r"/v2/_catalog")),
        ("manifest", re.compile(r"/v2/(?P<name>" + name + r")/manifests/(?P<reference>" + _TAG + "|" + digest + ")")),
        ("tags", re.compile(r"/v2/(?P<name>" + name + r")/tags/list")),
        ("blob", re.compile(r"/v2/(?P<name>" + name + r")/blobs/(?P<digest>" + digest + ")")),
        ("upload_start", re.compile(r"/v2/(?P<name>" + name + r")/blobs/uploads/")),
        ("upload", re.compile(r"/v2/(?P<name>" + name + r")/blobs/uploads/(?P<uuid>[a-zA-Z0-9-_.=]+)")),
    ]


_PATTERNS = {(legacy, host): _patterns(pattern, _HOST_NAME if host else _NAME)
             for legacy, pattern in _DIGESTS.items() for host in (False, True)}
_STRICT_SLASH = {host: [re.compile(r"/v2"), re.compile(r"/v2/(?:" + (_HOST_NAME if host else _NAME) + r")/blobs/uploads")]
                 for host in (False, True)}

#: Methods each route answers; anything else is gorilla's 405.
ALLOWED_METHODS: dict[str, tuple[str, ...]] = {
    "base": (),  # a plain handler: every method gets the base answer
    "catalog": ("GET",),
    "manifest": ("GET", "HEAD", "PUT", "DELETE"),
    "tags": ("GET",),
    "blob": ("GET", "HEAD", "DELETE"),
    # one dispatcher serves both upload routes (seen against 2.8.2: POST on an upload starts another)
    "upload_start": ("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"),
    "upload": ("GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"),
}


@dataclass(frozen=True, slots=True)
class Route:
    kind: str
    name: str = ""
    reference: str = ""
    digest: str = ""
    uuid: str = ""


@dataclass(frozen=True, slots=True)
class Redirect:
    """gorilla's 301 to the cleaned (or slashed) path."""

    location: str
    strict_slash: bool = False


def _clean(path: str) -> str:
    if not path:
        return "/"
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    if path.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned


@lru_cache(maxsize=4096)
def parse_route(path: str, *, legacy_digests: bool = False, host_names: bool = False) -> Route | Redirect | None:
    """The route for ``path``, a redirect, or None for gorilla's 404.
    ``legacy_digests``: route digests as distribution up to 2.6 did;
    ``host_names``: names may start with a registry host (2.4+)."""
    patterns = _PATTERNS[legacy_digests, host_names]
    cleaned = _clean(path)
    if cleaned != path:
        return Redirect(cleaned)
    for kind, pattern in patterns:
        match = pattern.fullmatch(path)
        if match:
            groups = match.groupdict()
            return Route(kind, groups.get("name") or "", groups.get("reference") or "",
                         groups.get("digest") or "", groups.get("uuid") or "")
    if path == "/":
        return Route("root")
    for pattern in _STRICT_SLASH[host_names]:
        if pattern.fullmatch(path):
            return Redirect(path + "/", strict_slash=True)
    if path.endswith("/") and any(p.fullmatch(path[:-1]) for _, p in patterns):
        return Redirect(path[:-1], strict_slash=True)  # StrictSlash the other way (recorded on every line)
    return None
