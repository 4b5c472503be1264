"""Routing and content negotiation, one described row per case."""

from __future__ import annotations

import pytest

from regcompat.mediatypes import MediaType
from regcompat.registry.behaviour import REGISTRY_VERSIONS, behaviour, behaviour_rows
from regcompat.registry.negotiate import accepted_types, decide, decide_child
from regcompat.registry.routes import Redirect, Route, parse_route

D = "sha256:" + "a" * 64
V2, LIST, S1 = MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.SCHEMA1_SIGNED


@pytest.mark.parametrize("path,expected", [
    pytest.param("/v2/", Route("base"), id="base"),
    pytest.param("/v2", Redirect("/v2/", strict_slash=True), id="StrictSlash redirects /v2"),
    pytest.param("/v2/a/b/manifests/latest", Route("manifest", "a/b", "latest"), id="nested name, tag"),
    pytest.param(f"/v2/a/manifests/{D}", Route("manifest", "a", D), id="digest reference"),
    pytest.param("/v2/Bad_Name/manifests/latest", None, id="uppercase and underscore: no route"),
    pytest.param("/v2/a/../b/manifests/x", Redirect("/v2/b/manifests/x"), id="dot-dot cleaned by redirect"),
    pytest.param("/v2/a//b/tags/list", Redirect("/v2/a/b/tags/list"), id="double slash cleaned"),
    pytest.param("/v2/a/blobs/uploads/", Route("upload_start", "a"), id="upload start"),
    pytest.param("/v2/a/blobs/uploads", Redirect("/v2/a/blobs/uploads/", strict_slash=True), id="upload start without slash"),
    pytest.param(f"/v2/a/blobs/{D}", Route("blob", "a", digest=D), id="blob"),
    pytest.param("/v2/_catalog", Route("catalog"), id="catalog"),
    pytest.param("/v2/a/manifests/" + "t" * 129, None, id="tag longer than 128"),
    pytest.param("/v3/a/manifests/x", None, id="not the v2 API"),
])
def test_parse_route(path, expected):
    assert parse_route(path) == expected


@pytest.mark.parametrize("path,legacy,expected", [
    pytest.param("/v2/a/blobs/sha256:abc", False, Route("blob", "a", digest="sha256:abc"),
                 id="go-digest grammar routes a short digest (2.7+)"),
    pytest.param("/v2/a/blobs/sha256:abc", True, Route("blob", "a", digest="sha256:abc"),
                 id="legacy grammar routes any hex"),
    pytest.param("/v2/a/blobs/sha256:xyz", True, None, id="legacy grammar needs hex"),
    pytest.param("/v2/a/blobs/SHA256:abc", False, None, id="go-digest algorithm is lowercase"),
])
def test_parse_route_digest_grammars(path, legacy, expected):
    assert parse_route(path, legacy_digests=legacy) == expected


@pytest.mark.parametrize("version,headers,expected", [
    pytest.param("2.2.1", [V2], set(), id="2.2 ignores Accept"),
    pytest.param("2.3.0", [V2, LIST], {V2, LIST}, id="2.3 one header per type"),
    pytest.param("2.3.1", [f"{V2}, {LIST}"], {f"{V2}, {LIST}"}, id="2.3 does not split a comma list"),
    pytest.param("2.5", [f"{V2}, {LIST}"], {V2, LIST}, id="2.5 splits on commas"),
    pytest.param("2.5", [f"{V2};q=0"], {V2}, id="2.5 ignores q=0"),
    pytest.param("2.8", ["*/*"], {"*/*"}, id="wildcard is no schema2"),
    pytest.param("3.0", ["APPLICATION/VND.DOCKER.DISTRIBUTION.MANIFEST.V2+JSON"], {V2},
                 id="3.0 parses media types case-insensitively"),
    pytest.param("3.0", ["bogus, " + V2], {V2}, id="3.0 skips bad items"),
])
def test_accepted_types(version, headers, expected):
    assert accepted_types(behaviour(version), headers) == expected


@pytest.mark.parametrize("version,kind,by_tag,accepted,action", [
    pytest.param("2.3.0", "schema2", True, set(), "convert", id="old client by tag: convert"),
    pytest.param("2.3.0", "schema2", False, set(), "serve", id="by digest: never convert"),
    pytest.param("2.3.0", "schema2", True, {V2}, "serve", id="schema2 accepted: serve"),
    pytest.param("2.8", "schema2", True, set(), "convert", id="2.8 still converts"),
    pytest.param("3.0", "schema2", True, set(), "serve", id="3.0 serves schema2 whatever Accept says"),
    pytest.param("2.3.1", "list", True, {V2}, "child", id="list by tag without list type: child"),
    pytest.param("2.3.1", "list", False, set(), "serve", id="list by digest: served"),
    pytest.param("2.8", "oci-manifest", True, {V2, LIST}, "refuse", id="OCI not accepted: 404"),
    pytest.param("2.8", "schema1", True, set(), "serve", id="schema1 served"),
])
def test_decide(version, kind, by_tag, accepted, action):
    assert decide(behaviour(version), kind, by_tag, frozenset(accepted)).action == action


def test_list_child_schema2_refused_only_by_3_0():
    assert decide_child(behaviour("3.0"), "schema2", frozenset()).action == "refuse"
    assert decide_child(behaviour("2.8"), "schema2", frozenset()).action == "convert"
    assert decide_child(behaviour("2.8"), "schema2", frozenset({V2})).action == "serve"


def test_behaviour_table_covers_every_version_with_the_same_fields():
    rows = behaviour_rows()
    assert [r["version"] for r in rows] == list(REGISTRY_VERSIONS)
    assert len({tuple(r) for r in rows}) == 1


@pytest.mark.parametrize("given,family", [("2.8.2", "2.8"), ("v2.3.0", "2.3.0"), ("2.3", "2.3.1"),
                                           ("3.0.0", "3.0"), ("2.0.1", "2.0"), ("2.2", "2.2.1")])
def test_version_aliases(given, family):
    assert behaviour(given).version == family


def test_unknown_version_is_refused_clearly():
    with pytest.raises(ValueError, match="unknown registry version '1.0'"):
        behaviour("1.0")
