"""The base endpoint, tag lists and the catalog.

Modelled: ``GET /v2/`` answers ``{}``; a tag list is ``{"name","tags"}``
(404 NAME_UNKNOWN for a repository with no tags); the catalog (2.1+) lists
repositories in order with ``n``/``last`` pagination and a ``Link`` header.

Left out: tag-list pagination, and the filesystem driver's directory order:
real registries on a filesystem list tags in the order the directory returns
them, which no one can reproduce; the model lists them sorted.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..errors import ErrorCode, RegistryError
from ..messages import Request, Response
from .responses import json_response
from .routes import Route
from .state import RegistryState

__all__ = ["base", "tags_list", "catalog"]


def base(state: RegistryState, route: Route, request: Request) -> Response:
    return json_response(200, {})


def tags_list(state: RegistryState, route: Route, request: Request) -> Response:
    repo = state.store.existing(route.name)
    if repo is None or not repo.tags:
        raise RegistryError(ErrorCode.NAME_UNKNOWN, detail={"Name": route.name})
    return json_response(200, {"name": route.name, "tags": sorted(repo.tags)})


def catalog(state: RegistryState, route: Route, request: Request) -> Response:
    names = [n for n in state.store.repository_names() if state.store.repositories[n].manifests]
    query = request.query
    last = query.get("last", "")
    if last:
        names = [n for n in names if n > last]
    headers = []
    if "n" in query:
        try:
            limit = int(query["n"])
        except ValueError:
            raise RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, detail={"n": query["n"]}) from None
        if limit < 0:
            raise RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, detail={"n": query["n"]})
        if 0 < limit < len(names):
            names = names[:limit]
            link = "/v2/_catalog?" + urlencode({"last": names[-1], "n": limit})
            headers.append(("Link", f'<{link}>; rel="next"'))
        elif limit == 0:
            names = []
    return json_response(200, {"repositories": names}, headers)
