"""The registry side of the reference cases (registry-behavior.md section 8),
checked with raw requests; the engine side is in tests/engine."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.image import Image, build_config, layer_blob, sample_image
from regcompat.manifest import libtrust, manifestlist, schema1
from regcompat.manifest.descriptor import Descriptor, Platform
from regcompat.mediatypes import MediaType

from regcompat.manifest.convert import EMPTY_LAYER

from .helpers import DOCKER_110_ACCEPT, HOST, errors_of, get, push_blob, push_image, put_manifest

V2, LIST, S1, OCI = MediaType.SCHEMA2, MediaType.MANIFEST_LIST, MediaType.SCHEMA1_SIGNED, MediaType.OCI_MANIFEST
NAME = "demo/app"


def signed_schema1(reg, image, tag: str) -> bytes:
    """What Docker 1.9 pushes: every blob the schema1 names (the empty layer too), then a signed payload."""
    push_image(reg, NAME, image)
    push_blob(reg, NAME, EMPTY_LAYER)
    return libtrust.sign(image.schema1_payload(NAME, tag), libtrust.TrustKey.from_seed("daemon"),
                         now=datetime(2016, 2, 4, tzinfo=timezone.utc))


def pushed(version: str, tags=("latest",), image=None, **config):
    reg = rc.Registry(version, **config)
    image = image or sample_image()
    push_image(reg, NAME, image)
    manifest = image.schema2()
    for tag in tags:
        assert put_manifest(reg, NAME, tag, manifest.raw, V2).status == 201
    return reg, image, manifest


def arm_image() -> Image:
    layer, diff = layer_blob({"arm.txt": b"arm64\n"})
    config = build_config(architecture="arm64", os="linux", diff_ids=[diff],
                          history=[{"created": "2020-01-01T00:00:00Z", "created_by": "ADD arm.txt /"}],
                          extra={"variant": "v8"})
    return Image(config, (layer,), label="arm")


def pushed_list(version: str, platforms=("arm64", "amd64")):
    reg = rc.Registry(version)
    entries = []
    for arch in platforms:
        image = sample_image() if arch == "amd64" else arm_image()
        push_image(reg, NAME, image)
        child = image.schema2()
        assert put_manifest(reg, NAME, child.digest, child.raw, V2).status == 201
        entries.append(Descriptor(V2, len(child.raw), child.digest, platform=Platform(arch, "linux")))
    listed = manifestlist.build(entries)
    assert put_manifest(reg, NAME, "multi", listed.raw, LIST).status == 201
    return reg, listed


def test_case2_registry_2_0_accepts_with_202_no_etag_and_no_head():
    reg = rc.Registry("2.0")
    signed = signed_schema1(reg, sample_image(), "latest")
    response = put_manifest(reg, NAME, "latest", signed, None)
    assert response.status == 202
    got = get(reg, f"/v2/{NAME}/manifests/latest")
    assert got.status == 200 and "Etag" not in got.headers
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"
    assert got.body == signed
    assert get(reg, f"/v2/{NAME}/manifests/latest", method="HEAD").status == 405


@pytest.mark.parametrize("version,code", [("2.1", "TAG_INVALID"), ("2.2.1", "MANIFEST_INVALID")])
def test_cases3_4_schema2_push_refused_before_2_3(version, code):
    reg = rc.Registry(version)
    image = sample_image()
    push_image(reg, NAME, image)
    response = put_manifest(reg, NAME, "latest", image.schema2().raw, V2)
    assert (response.status, errors_of(response)[0]["code"]) == (400, code)


@pytest.mark.parametrize("version,header", [("2.3.0", "stored"), ("2.3.1", "converted"), ("2.8", "converted")])
def test_case6_conversion_by_tag_and_the_2_3_0_header_bug(version, header):
    reg, image, manifest = pushed(version)
    got = get(reg, f"/v2/{NAME}/manifests/latest")
    assert got.headers["Content-Type"] == S1
    converted = schema1.parse(got.body)
    assert converted.canonical == image.schema1_payload(NAME, "latest", keep_author=reg.behaviour.keep_author)
    expected = manifest.digest if header == "stored" else converted.digest
    assert got.headers["Docker-Content-Digest"] == expected
    assert got.headers["Etag"] == f'"{expected}"'
    libtrust.verify(got.body)  # signed by the registry's own key


def test_case7_by_digest_is_never_converted():
    reg, _, manifest = pushed("2.3.1")
    got = get(reg, f"/v2/{NAME}/manifests/{manifest.digest}")
    assert (got.headers["Content-Type"], got.body) == (V2, manifest.raw)


def test_case8_the_converted_digest_is_never_stored():
    reg, _, _ = pushed("2.8")
    converted = get(reg, f"/v2/{NAME}/manifests/latest").headers["Docker-Content-Digest"]
    got = get(reg, f"/v2/{NAME}/manifests/{converted}")
    assert got.status == 404 and errors_of(got)[0]["code"] == "MANIFEST_UNKNOWN"


@pytest.mark.parametrize("version,accept,served", [
    ("2.3.1", [f"{V2}, {LIST}"], S1), ("2.4", [f"{V2}, {LIST}"], S1), ("2.5", [f"{V2}, {LIST}"], V2),
    ("2.5", [f"{V2};q=0"], V2), ("2.8", ["*/*"], S1), ("2.8", [], S1), ("2.3.0", [V2], V2),
])
def test_case10_accept_parsing(version, accept, served):
    reg, _, _ = pushed(version)
    assert get(reg, f"/v2/{NAME}/manifests/latest", accept).headers["Content-Type"] == served


def test_case11_two_tags_two_converted_digests_and_fresh_signatures():
    reg, _, _ = pushed("2.8", tags=("a", "b"))
    first = get(reg, f"/v2/{NAME}/manifests/a")
    again = get(reg, f"/v2/{NAME}/manifests/a")
    other = get(reg, f"/v2/{NAME}/manifests/b")
    assert first.body != again.body  # a new signature every time
    assert first.headers["Docker-Content-Digest"] == again.headers["Docker-Content-Digest"]
    assert first.headers["Docker-Content-Digest"] != other.headers["Docker-Content-Digest"]


@pytest.mark.parametrize("version,expect", [("2.3.1", "list"), ("2.6", "list"), ("2.7", "child"), ("3.0", "child")])
def test_case12_list_rewrite_digest(version, expect):
    reg, listed = pushed_list(version)
    got = get(reg, f"/v2/{NAME}/manifests/multi", [V2])
    child = sample_image().schema2()
    assert (got.headers["Content-Type"], got.body) == (V2, child.raw)
    assert got.headers["Docker-Content-Digest"] == (listed.digest if expect == "list" else child.digest)


@pytest.mark.parametrize("version", ["2.3.1", "2.8", "3.0"])
def test_case13_list_without_amd64_is_manifest_unknown(version):
    reg, _ = pushed_list(version, platforms=("arm64",))
    got = get(reg, f"/v2/{NAME}/manifests/multi")
    assert got.status == 404 and errors_of(got) == [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]


def test_case14_schema1_push_is_a_500_on_2_8_unless_enabled():
    for schema1_push, status in ((False, 500), (True, 201)):
        reg = rc.Registry("2.8", schema1_push=schema1_push)
        signed = signed_schema1(reg, sample_image(), "old")
        response = put_manifest(reg, NAME, "old", signed, None)
        assert response.status == status
        if status == 500:
            assert response.body == b'{"errors":[{"code":"UNKNOWN","message":"unknown error","detail":{}}]}\n'


def test_case16_and_17_registry_3_0_no_longer_converts():
    reg, _, manifest = pushed("3.0")
    got = get(reg, f"/v2/{NAME}/manifests/latest")
    assert (got.headers["Content-Type"], got.headers["Docker-Content-Digest"]) == (V2, manifest.digest)
    reg, _ = pushed_list("3.0")
    got = get(reg, f"/v2/{NAME}/manifests/multi")
    assert got.status == 400
    assert errors_of(got) == [{"code": "MANIFEST_INVALID", "message": "Schema 2 manifest not supported by client"}]


@pytest.mark.parametrize("version,status", [("2.3.1", 201), ("2.6", 201), ("2.7", 400)])
def test_case19_schema2_without_media_type(version, status):
    reg = rc.Registry(version)
    image = sample_image()
    push_image(reg, NAME, image)
    body = image.schema2().raw.replace(b'   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",\n', b"")
    assert b'"mediaType": "application/vnd.docker.distribution.manifest.v2+json"' not in body[:120]
    response = put_manifest(reg, NAME, "nomt", body, V2)
    assert response.status == status
    if status == 201:
        assert get(reg, f"/v2/{NAME}/manifests/nomt", DOCKER_110_ACCEPT).status == 404
        assert not [e for e in reg.events if e.action == "push" and e.target_kind == "manifest"]


def test_case22_empty_history_fails_only_the_converted_get():
    layer, diff = layer_blob({"x": b"x"})
    image = Image(build_config(architecture="amd64", os="linux", diff_ids=[diff], history=[]), (layer,))
    reg, _, _ = pushed("2.8", image=image)
    assert errors_of(get(reg, f"/v2/{NAME}/manifests/latest"))[0]["code"] == "MANIFEST_INVALID"
    assert get(reg, f"/v2/{NAME}/manifests/latest", DOCKER_110_ACCEPT).status == 200


def test_case23_head_carries_the_converted_length():
    reg, _, _ = pushed("2.3.1")
    head = get(reg, f"/v2/{NAME}/manifests/latest", method="HEAD")
    full = get(reg, f"/v2/{NAME}/manifests/latest")
    assert head.body == b"" and head.headers["Content-Length"] == str(len(full.body))
    assert head.headers["Docker-Content-Digest"] == full.headers["Docker-Content-Digest"]


def test_case25_oci_manifest_needs_the_oci_accept():
    reg = rc.Registry("2.8")
    image = sample_image()
    push_image(reg, NAME, image)
    manifest = image.oci()
    assert put_manifest(reg, NAME, "oci", manifest.raw, OCI).status == 201
    refused = get(reg, f"/v2/{NAME}/manifests/oci", DOCKER_110_ACCEPT)
    assert refused.status == 404
    assert errors_of(refused)[0]["message"] == "OCI manifest found, but accept header does not support OCI manifests"
    assert get(reg, f"/v2/{NAME}/manifests/oci", [OCI]).body == manifest.raw


def test_case26_registry_3_0_cannot_read_schema1_left_by_2_x():
    old = rc.Registry("2.8", schema1_push=True)
    signed = signed_schema1(old, sample_image(), "old")
    assert put_manifest(old, NAME, "old", signed, None).status == 201
    new = old.upgraded("3.0")
    got = get(new, f"/v2/{NAME}/manifests/old")
    assert got.status == 500 and errors_of(got)[0]["code"] == "UNKNOWN"


def test_if_none_match_compares_the_stored_digest_before_conversion():
    reg, _, manifest = pushed("2.3.1")
    got = get(reg, f"/v2/{NAME}/manifests/latest", **{"If-None-Match": f'"{manifest.digest}"'})
    assert got.status == 304 and got.body == b""


def test_chunked_upload_and_cross_repository_mount():
    """2.8.2 ignores Content-Range on PATCH (seen against the real build), so only the bytes count."""
    reg = rc.Registry("2.8")
    data = b"0123456789" * 1000
    start = reg.handle(rc.Request("POST", f"/v2/{NAME}/blobs/uploads/", headers=HOST))
    location = start.headers["Location"].split("localhost:5000", 1)[1]
    for offset in range(0, len(data), 4096):
        chunk = data[offset:offset + 4096]
        headers = HOST + [("Content-Range", f"{offset}-{offset + len(chunk) - 1}"),
                          ("Content-Length", str(len(chunk)))]
        patched = reg.handle(rc.Request("PATCH", location, headers=headers, body=chunk))
        assert patched.status == 202 and patched.headers["Range"] == f"0-{offset + len(chunk) - 1}"
        location = patched.headers["Location"].split("localhost:5000", 1)[1]
    done = reg.handle(rc.Request("PUT", f"{location}&digest={from_bytes(data)}", headers=HOST))
    assert done.status == 201 and get(reg, f"/v2/{NAME}/blobs/{from_bytes(data)}").body == data
    mount = reg.handle(rc.Request("POST", f"/v2/other/blobs/uploads/?mount={from_bytes(data)}&from={NAME}",
                                  headers=HOST))
    assert mount.status == 201 and get(reg, f"/v2/other/blobs/{from_bytes(data)}").body == data
    assert get(reg, f"/v2/third/blobs/{from_bytes(data)}").status == 404  # never linked there


def test_push_and_pull_events():
    reg, _, manifest = pushed("2.4")
    push = [e for e in reg.events if e.action == "push" and e.target_kind == "manifest"]
    assert [(e.media_type, e.digest, e.tag) for e in push] == [(V2, manifest.digest, "latest")]
    get(reg, f"/v2/{NAME}/manifests/latest")  # converted: the pull event reports S
    pulls = [e for e in reg.events if e.action == "pull" and e.target_kind == "manifest"]
    assert [e.digest for e in pulls] == [manifest.digest]
    reg23, _, _ = pushed("2.3.1")
    assert [e.tag for e in reg23.events if e.target_kind == "manifest"] == [None]


def test_catalog_pagination():
    reg = rc.Registry("2.8")
    image = sample_image()
    for name in ("a/one", "b/two", "c/three"):
        push_image(reg, name, image)
        put_manifest(reg, name, "latest", image.schema2().raw, V2)
    page = get(reg, "/v2/_catalog?n=2")
    assert page.body == b'{"repositories":["a/one","b/two"]}\n'
    assert page.headers["Link"] == '</v2/_catalog?last=b%2Ftwo&n=2>; rel="next"'
    assert get(reg, "/v2/_catalog?last=b/two").body == b'{"repositories":["c/three"]}\n'
    assert get(rc.Registry("2.0"), "/v2/_catalog").status == 404


def test_deleting_a_manifest_removes_its_tags_and_leaves_an_empty_tag_list():
    """Seen against 2.8.2 with deletion on: the tag list answers ``"tags": null``, not NAME_UNKNOWN."""
    reg, _, manifest = pushed("2.8", tags=("latest", "other"), delete_enabled=True)
    refused = reg.handle(rc.Request("DELETE", f"/v2/{NAME}/manifests/latest", headers=HOST))
    assert (refused.status, errors_of(refused)[0]["code"]) == (400, "DIGEST_INVALID")
    deleted = reg.handle(rc.Request("DELETE", f"/v2/{NAME}/manifests/{manifest.digest}", headers=HOST))
    assert deleted.status == 202
    assert get(reg, f"/v2/{NAME}/manifests/other").status == 404
    assert get(reg, f"/v2/{NAME}/tags/list").body == b'{"name":"demo/app","tags":null}\n'
    assert get(reg, "/v2/never/tags/list").status == 404


def test_a_sha512_upload_is_stored_under_its_sha256():
    """Seen against 2.8.2: the answer names the sha256, and the sha512 still finds the blob."""
    import hashlib
    from regcompat.testing import validate_store
    reg = rc.Registry("2.8")
    data = b"sha512 blob"
    sha512 = "sha512:" + hashlib.sha512(data).hexdigest()
    start = reg.handle(rc.Request("POST", f"/v2/{NAME}/blobs/uploads/", headers=HOST))
    location = start.headers["Location"].split("localhost:5000", 1)[1]
    done = reg.handle(rc.Request("PUT", f"{location}&digest={sha512}", headers=HOST, body=data))
    assert done.headers["Docker-Content-Digest"] == from_bytes(data)
    by_alias = get(reg, f"/v2/{NAME}/blobs/{sha512}")
    assert (by_alias.body, by_alias.headers["Docker-Content-Digest"]) == (data, from_bytes(data))
    validate_store(reg)


@pytest.mark.parametrize("header,status,body", [
    ("bytes=2-4", 206, b"llo"), ("bytes=-2", 206, b"lo"), ("bytes=99-", 416, b"invalid range: failed to overlap\n"),
    ("bytes=3-1", 416, b"invalid range\n"), ("pages=1-2", 416, b"invalid range\n"),
])
def test_blob_ranges_as_go_serves_them(header, status, body):
    reg = rc.Registry("2.8")
    push_blob(reg, NAME, b"hello")
    got = get(reg, f"/v2/{NAME}/blobs/{from_bytes(b'hello')}", **{"Range": header})
    assert (got.status, got.body) == (status, body)
