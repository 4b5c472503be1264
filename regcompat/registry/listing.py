"""The base endpoint, tag lists and the catalog.

Modelled: ``GET /v2/`` answers ``{}``; a tag list is ``{"name","tags"}``
(404 NAME_UNKNOWN for a repository with no tags); the catalog (2.1+) lists
repositories that hold blobs in distribution's path order, 100 a page unless
``n`` says otherwise, with ``last`` and a ``Link`` header; what each version
does with a bad, negative, zero or too large ``n`` is in its behaviour row.

3.0 sorts tags and paginates them (``_tag_page``); 2.x ignore ``n`` and ``last``
on tags (recorded).

Left out: the filesystem driver's directory order:
real registries on a filesystem list tags in the order the directory returns
them, which no one can reproduce; the model lists them sorted.
"""

from __future__ import annotations

import bisect
import re
from urllib.parse import urlencode, urlsplit

from ..errors import ErrorCode, RegistryError
from ..messages import Request, Response
from .responses import json_response, respond
from .go_errors import plain
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
    if state.behaviour.tags_paginated:
        tags, headers = _tag_page(sorted(repo.tags), request)
        return json_response(200, {"name": route.name, "tags": tags}, headers, b=state.behaviour)
    # Go writes an empty (nil) list as null: seen against 2.8.2 after every tag was deleted.
    return json_response(200, {"name": route.name, "tags": sorted(repo.tags) or None}, b=state.behaviour)


def _tag_page(tags: list[str], request: Request) -> tuple[list[str], list[tuple[str, str]]]:
    """3.0's tag-list pagination (v3.0.0 registry/handlers/tags.go), on the sorted list:
    ``last`` drops everything up to the first tag >= it *and that tag* (so a ``last``
    that is not a tag also drops the next one, as ``sort.SearchStrings`` + 1 does);
    ``n`` keeps that many, with a ``Link`` to the next page when tags remain; a bad or
    negative ``n`` is PAGINATION_NUMBER_INVALID ``{"n": "<as sent>"}``; the list is
    ``[]``, never null."""
    query = request.query
    last = query.get("last", "")
    if last:
        index = bisect.bisect_left(tags, last)
        tags = [] if index == len(tags) else tags[index + 1:]
    headers: list[tuple[str, str]] = []
    text = query.get("n")
    if text is not None and text != "":
        limit = _go_atoi(text)
        if limit is None or limit < 0:
            raise RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, detail={"n": text})
        if 0 < limit < len(tags):
            link = f"{urlsplit(request.target).path}?" + urlencode({"last": tags[limit - 1], "n": limit})
            headers.append(("Link", f'<{link}>; rel="next"'))
        tags = tags[:limit]
    return tags, headers


#: Entries a catalog page holds when ``n`` is not given (every version).
CATALOG_DEFAULT_ENTRIES = 100
_GO_INT = re.compile(r"[+-]?[0-9]+\Z")


def catalog(state: RegistryState, route: Route, request: Request) -> Response:
    """The repositories that hold a blob link (distribution walks the storage for
    ``_layers`` folders: a repository with only blobs is listed, one with only an
    upload in progress is not; seen against 2.8.2), in distribution's path order
    (``/`` sorts before every other byte), ``n`` at a time from after ``last``.
    A page that fills up carries a ``Link`` when the storage walk meets any
    other repository folder after it (v2.8.2 storage/catalog.go: the "filled"
    check runs only for a folder that is not a repository's own ``_`` folder),
    a repository with only an upload in progress included."""
    b = state.behaviour
    names = sorted((n for n in state.store.repository_names() if state.store.repositories[n].blobs),
                   key=_path_key)
    query = request.query
    last = query.get("last", "")
    if last:
        names = [n for n in names if _path_key(n) > _path_key(last)]
    entries = _entries(b, query.get("n"))
    if entries == 0:
        if b.catalog_max_entries is None:
            raise RegistryError(ErrorCode.UNKNOWN, detail=plain("no space in slice"))
        return json_response(200, {"repositories": []}, b=b)
    headers = []
    if len(names) >= entries:
        names = names[:entries]
        walked = state.store.repository_names() + [u.repository for u in state.store.uploads.values()]
        if not any(_path_key(n) > _path_key(names[-1]) for n in walked):
            return json_response(200, {"repositories": names}, b=b)
        link = "/v2/_catalog?" + urlencode({"last": names[-1], "n": entries})
        headers.append(("Link", f'<{link}>; rel="next"'))
    return json_response(200, {"repositories": names}, headers, b=b)


def _path_key(name: str) -> bytes:
    """distribution's ``lessPath``: a byte-wise comparison where ``/`` sorts first."""
    return name.encode().replace(b"/", b"\x00")


def _go_atoi(text: str) -> int | None:
    """Go's ``strconv.Atoi``: sign and digits, an int64; None when it fails."""
    value = int(text) if _GO_INT.match(text) and len(text) <= 20 else None
    return value if value is not None and -(1 << 63) <= value < (1 << 63) else None


def _entries(b, text: str | None) -> int:
    """How many entries to list for ``n`` (Go's ``strconv.Atoi``: sign, digits, int64)."""
    if text is None or text == "":
        return CATALOG_DEFAULT_ENTRIES
    value = _go_atoi(text)
    if b.catalog_n_strict and (value is None or value < 0):
        raise RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, detail={"n": text})
    if value is None or value < 0:
        return CATALOG_DEFAULT_ENTRIES
    if b.catalog_max_entries is not None and value > b.catalog_max_entries:
        raise RegistryError(ErrorCode.PAGINATION_NUMBER_INVALID, detail={"n": value})
    return value
