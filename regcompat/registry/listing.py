"""The base endpoint, tag lists and the catalog.

Modelled: ``GET /v2/`` answers ``{}``; a tag list is ``{"name","tags"}``
(404 NAME_UNKNOWN for a repository with no tags); the catalog (2.1+) lists
repositories in order with ``n``/``last`` pagination and a ``Link`` header
(a bad or negative ``n`` is ignored, as 2.8.2 does).

Left out: tag-list pagination, and the filesystem driver's directory order:
real registries on a filesystem list tags in the order the directory returns
them, which no one can reproduce; the model lists them sorted.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..errors import ErrorCode, RegistryError
from ..messages import Request, Response
from .responses import json_response, respond
from .routes import Route
from .state import RegistryState

__all__ = ["base", "tags_list", "catalog"]


def base(state: RegistryState, route: Route, request: Request) -> Response:
    """``{}`` written directly (no encoder, so no newline), whatever the method."""
    return respond(200, [("Content-Type", state.behaviour.json_content_type)], b"{}")


def tags_list(state: RegistryState, route: Route, request: Request) -> Response:
    repo = state.store.existing(route.name)
    if repo is None or not repo.had_tags:
        raise RegistryError(ErrorCode.NAME_UNKNOWN, detail={"name": route.name})
    # Go writes an empty (nil) list as null: seen against 2.8.2 after every tag was deleted.
    return json_response(200, {"name": route.name, "tags": sorted(repo.tags) or None}, b=state.behaviour)


def catalog(state: RegistryState, route: Route, request: Request) -> Response:
    names = [n for n in state.store.repository_names() if state.store.repositories[n].manifests]
    query = request.query
    last = query.get("last", "")
    if last:
        names = [n for n in names if n > last]
    headers = []
    limit = _limit(query.get("n"))
    if limit == 0:
        names = []
    elif limit is not None and limit < len(names):
        names = names[:limit]
        link = "/v2/_catalog?" + urlencode({"last": names[-1], "n": limit})
        headers.append(("Link", f'<{link}>; rel="next"'))
    return json_response(200, {"repositories": names}, headers, b=state.behaviour)


def _limit(text: str | None) -> int | None:
    """``n`` as 2.8.2 reads it: a number that does not parse, or a negative one,
    is ignored (seen against the real build)."""
    try:
        value = int(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and value >= 0 else None
