"""Fixtures: seeded random images and indexes, and the store invariant checker."""

from __future__ import annotations

import gzip
import hashlib
import json
from urllib.parse import urlsplit

import pytest

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.mediatypes import MediaType
from regcompat.manifest import manifestlist, schema1
from regcompat.testing import StoreInvariantError, random_image, random_index, validate_store


@pytest.mark.parametrize("kwargs", [{}, {"layers": 0}, {"layers": 4, "empty_layers": False},
                                    {"exotic": True}, {"layers": 3, "exotic": True, "empty_layers": False}])
def test_random_image_is_deterministic_and_consistent(kwargs):
    a, b = random_image(5, **kwargs), random_image(5, **kwargs)
    assert a.config == b.config and [x.data for x in a.layers] == [x.data for x in b.layers]
    assert a.config != random_image(6, **kwargs).config
    history = json.loads(a.config)["history"]
    assert sum(not h.get("empty_layer") for h in history) == len(a.layers) == kwargs.get("layers", 2)
    assert a.diff_ids == ["sha256:" + hashlib.sha256(gzip.decompress(x.data)).hexdigest() for x in a.layers]
    if kwargs.get("empty_layers", True):
        assert any(h.get("empty_layer") for h in history)
    else:
        assert not any(h.get("empty_layer") for h in history)
    payload = a.schema1_payload("t/r", "x", keep_author=True)
    assert len(schema1.parse(payload, require_signature=False).fs_layers) == len(history)


def test_exotic_config_needs_its_exact_bytes():
    img = random_image(1, exotic=True)
    text = img.config.decode("utf-8")
    assert "<" in text and "&" in text and "ë" in text and "\\u00e9" in text and "\\u003e" in text
    assert text.startswith("{\n    ") and text.endswith("}\n")
    assert ".120000000+02:00" in text  # the config keeps it; converted entries re-marshal as Go does
    assert '.12+02:00\\"' in img.schema1_payload("a/b", "c").decode()
    history = json.loads(text)["history"]
    assert history[0]["author"] == "Zoë <zoe@example.com> & co"
    top = json.loads(schema1.parse(img.schema1_payload("a/b", "c"), require_signature=False).history[0])
    assert top["author"] == "Zoë <zoe@example.com> & co"
    assert json.loads(json.loads(img.schema1_payload("a/b", "c"))["history"][0]["v1Compatibility"]) == top
    raw_top = json.loads(img.schema1_payload("a/b", "c"))["history"][0]["v1Compatibility"]
    assert "\\u003c" in raw_top and "caf\\u00e9" in raw_top  # HTML-escaped, existing escape kept
    with_author = img.schema1_payload("a/b", "c", keep_author=True)
    assert with_author != img.schema1_payload("a/b", "c", keep_author=False)


def test_random_index_points_at_each_platforms_schema2():
    images, index = random_index(3)
    assert [(i.architecture, i.os) for i in images] == [("amd64", "linux"), ("arm64", "linux")]
    assert index.media_type == MediaType.MANIFEST_LIST
    assert [(d.digest, d.size) for d in index.manifests] == \
        [(i.schema2().digest, len(i.schema2().raw)) for i in images]
    assert [d.platform.variant for d in index.manifests] == [None, "v8"]
    assert manifestlist.parse(index.raw).manifests == index.manifests
    assert random_index(3).index.raw == index.raw
    custom = random_index(3, [("s390x", "linux", None)])
    assert [d.platform.architecture for d in custom.index.manifests] == ["s390x"]


# -- validate_store -----------------------------------------------------------------------------

HOST = [("Host", "localhost:5000")]


def request(reg, method, target, body=b"", headers=()):
    return reg.handle(rc.Request(method, target, headers=[*HOST, *headers], body=body))


def push_blob(reg, name, blob):
    location = request(reg, "POST", f"/v2/{name}/blobs/uploads/").headers.get("Location")
    url = urlsplit(location)
    resp = request(reg, "PUT", f"{url.path}?{url.query}&digest={blob.digest}", blob.data,
                   [("Content-Type", "application/octet-stream")])
    assert resp.status == 201


def push_manifest(reg, name, ref, manifest):
    resp = request(reg, "PUT", f"/v2/{name}/manifests/{ref}", manifest.raw,
                   [("Content-Type", manifest.media_type)])
    assert resp.status == 201, resp.body


@pytest.fixture
def loaded():
    reg = rc.Registry("2.8")
    images, index = random_index(9)
    for img in images:
        for blob in img.blobs():
            push_blob(reg, "demo/app", blob)
        push_manifest(reg, "demo/app", img.schema2().digest, img.schema2())
    push_manifest(reg, "demo/app", "multi", index)
    img = random_image(2)
    for blob in img.blobs():
        push_blob(reg, "demo/other", blob)
    push_manifest(reg, "demo/other", "latest", img.schema2())
    return reg


def test_a_registry_after_pushes_is_valid(loaded):
    assert validate_store(loaded) == []


def test_a_conversion_that_writes_the_empty_layer_keeps_the_store_valid():
    reg = rc.Registry("2.3.1")
    img = rc.sample_image()
    for blob in img.blobs():
        push_blob(reg, "demo/app", blob)
    push_manifest(reg, "demo/app", "latest", img.schema2())
    assert request(reg, "GET", "/v2/demo/app/manifests/latest").status == 200  # converts, stores EMPTY
    assert validate_store(reg) == []


def _problems(reg):
    with pytest.raises(StoreInvariantError) as err:
        validate_store(reg)
    return err.value.problems


def test_a_corrupt_blob_is_reported(loaded):
    digest = next(iter(loaded.store.blobs))
    loaded.store.blobs[digest] = b"corrupt"
    assert _problems(loaded) == [f"blob {digest}: bytes hash to {from_bytes(b'corrupt')}"]


def test_a_dangling_tag_and_a_missing_reference_are_reported(loaded):
    repo = loaded.store.repositories["demo/other"]
    repo.tags["ghost"] = from_bytes(b"nothing")
    config = random_image(2).config_blob.digest
    repo.blobs.discard(config)
    problems = _problems(loaded)
    assert f"tag demo/other:ghost points at {from_bytes(b'nothing')}, which is not stored" in problems
    assert any(p.endswith(f"referenced blob {config} not linked") for p in problems)


def test_a_list_whose_child_is_missing_is_reported(loaded):
    repo = loaded.store.repositories["demo/app"]
    child = next(d for d, m in repo.manifests.items() if m.kind == "schema2")
    del repo.manifests[child]
    assert any(p.endswith(f"child manifest {child} not stored") for p in _problems(loaded))
