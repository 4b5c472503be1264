"""Odd inputs on the lines the live tests cannot reach (they drive 2.8.2 only):
each expectation names its source (a recorded session or a distribution line)."""

from __future__ import annotations

import json

import pytest

import regcompat as rc
from regcompat.mediatypes import MediaType

from .helpers import push_image


def _errors(response: rc.Response) -> list[dict]:
    return json.loads(response.body)["errors"]


@pytest.mark.parametrize("path", ["/v2/a/b/tags/list", "/v2/ab/c/manifests/latest", "/v2/a/blobs/uploads/"])
def test_2_0_refuses_one_character_components(path):
    """Recorded (edges session of 2.0.1, short_name_*; v2.0.1 api/v2/names.go:16); 2.1 has no such rule."""
    method = "POST" if path.endswith("/uploads/") else "GET"
    answer = rc.Registry("2.0.1").handle(rc.Request(method, path))
    assert answer.status == 400
    assert _errors(answer)[0]["code"] == "NAME_INVALID"
    assert "component must be 2 or more characters" in _errors(answer)[0]["detail"]
    assert rc.Registry("2.1.1").handle(rc.Request(method, path)).status != 400


@pytest.mark.parametrize("version,query,status,detail", [
    ("3.0.0", "?n=x", 400, {"n": "x"}),        # v3.0.0 handlers/catalog.go:46-51
    ("3.0.0", "?n=-1", 400, {"n": "-1"}),
    ("3.0.0", "?n=1001", 400, {"n": 1001}),
    ("2.8.2", "?n=x", 200, None),              # seen against 2.8.2
    ("2.7.1", "?n=100000", 200, None),         # recorded (edges session, catalog_huge_n)
    ("2.7.1", "?n=0", 500, {}),                # v2.7.1 storage/catalog.go: "no space in slice"
    ("2.8.2", "?n=0", 200, None),
])
def test_catalog_n(version, query, status, detail):
    reg = rc.Registry(version)
    push_image(reg, "demo/app", rc.sample_image())
    answer = reg.handle(rc.Request("GET", "/v2/_catalog" + query))
    assert answer.status == status
    if detail is not None:
        assert _errors(answer)[0]["detail"] == detail


@pytest.mark.parametrize("version", ["2.3.0", "2.6.2"])
@pytest.mark.parametrize("schema_version", [1, 3])
def test_schema2_with_another_schema_version_is_stored_then_unreadable(version, schema_version):
    """v2.3.0-v2.6.2: no schemaVersion check on PUT; storage/manifeststore.go Get cannot read it back."""
    reg = rc.Registry(version)
    image = rc.sample_image()
    push_image(reg, "demo/app", image)
    doc = json.loads(image.schema2().raw)
    doc["schemaVersion"] = schema_version
    put = reg.handle(rc.Request("PUT", "/v2/demo/app/manifests/odd", [("Content-Type", MediaType.SCHEMA2)],
                                json.dumps(doc).encode()))
    got = reg.handle(rc.Request("GET", "/v2/demo/app/manifests/odd", [("Accept", MediaType.SCHEMA2)]))
    assert put.status == 201
    assert got.status == 404 and _errors(got)[0]["code"] == "MANIFEST_UNKNOWN"


def test_3_0_writes_go_errors_as_text():
    """Recorded (3.0.0): the reason a schema2 body without mediaType is refused, as a string."""
    reg = rc.Registry("3.0.0")
    image = rc.sample_image()
    push_image(reg, "demo/app", image)
    doc = json.loads(image.schema2().raw)
    del doc["mediaType"]
    answer = reg.handle(rc.Request("PUT", "/v2/demo/app/manifests/x", [("Content-Type", MediaType.SCHEMA2)],
                                   json.dumps(doc).encode()))
    assert _errors(answer) == [{"code": "MANIFEST_INVALID", "message": "manifest invalid", "detail":
                                "mediaType in manifest should be "
                                "'application/vnd.docker.distribution.manifest.v2+json' not ''"}]
