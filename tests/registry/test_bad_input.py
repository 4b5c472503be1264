"""Malformed requests get the error the modelled version sends, and change nothing."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.image import sample_image
from regcompat.mediatypes import MediaType

from .helpers import HOST, errors_of, get, push_blob, push_image, put_manifest, snapshot

V2 = MediaType.SCHEMA2


@pytest.fixture
def loaded():
    """A 2.8 registry holding the sample image under demo/app:latest."""
    reg = rc.Registry("2.8")
    image = sample_image()
    push_image(reg, "demo/app", image)
    assert put_manifest(reg, "demo/app", "latest", image.schema2().raw, V2).status == 201
    return reg, image


@pytest.mark.parametrize("body,offset", [
    pytest.param(b'{"schemaVersion": 2,', 20, id="truncated: unexpected end"),
    pytest.param(b'{"schemaVersion": }', 19, id="invalid character"),
    pytest.param(b'', 0, id="empty body"),
    pytest.param(b'{} x', 4, id="garbage after the value"),
])
def test_invalid_json_is_manifest_invalid_with_go_offset(loaded, body, offset):
    reg, _ = loaded
    before = snapshot(reg)
    response = put_manifest(reg, "demo/app", "latest", body, V2)
    assert response.status == 400
    assert errors_of(response) == [{"code": "MANIFEST_INVALID", "message": "manifest invalid",
                                    "detail": {"Offset": offset}}]
    assert snapshot(reg) == before


def test_3_0_refuses_a_manifest_without_content_type(loaded):
    reg, image = loaded
    reg = reg.upgraded("3.0")
    response = put_manifest(reg, "demo/app", "other", image.schema2().raw, None)
    assert response.status == 400
    assert errors_of(response)[0]["detail"] == \
        "unsupported manifest media type and no default available: "


@pytest.mark.parametrize("reference", [
    pytest.param("md5:d41d8cd98f00b204e9800998ecf8427e", id="unknown algorithm"),
    pytest.param("sha256:" + "A" * 64, id="uppercase hex (go-digest refuses it)"),
])
def test_invalid_digest_reference_is_read_as_a_tag_and_fails_in_storage(loaded, reference):
    """Seen against 2.8.2: the reference becomes a tag whose storage path is invalid."""
    reg, _ = loaded
    response = get(reg, f"/v2/demo/app/manifests/{reference}")
    assert response.status == 500
    assert errors_of(response)[0]["detail"] == {
        "Path": f"/docker/registry/v2/repositories/demo/app/_manifests/tags/{reference}/current/link",
        "DriverName": "filesystem"}


def test_uppercase_blob_digest_is_digest_invalid_on_2_8(loaded):
    reg, _ = loaded
    response = get(reg, "/v2/demo/app/blobs/sha256:" + "A" * 64)
    assert (response.status, errors_of(response)[0]["code"]) == (400, "DIGEST_INVALID")


def test_uppercase_blob_digest_is_just_unknown_on_2_3():
    reg = rc.Registry("2.3.0")
    response = get(reg, "/v2/demo/app/blobs/sha256:" + "A" * 64)
    assert (response.status, errors_of(response)[0]["code"]) == (404, "BLOB_UNKNOWN")


def test_name_over_255_characters(loaded):
    """2.8.2 answers 500 UNKNOWN with the name error as detail (seen against the real build)."""
    reg, _ = loaded
    name = "/".join(["a" * 50] * 6)
    assert len(name) > 255
    response = get(reg, f"/v2/{name}/manifests/latest")
    assert response.status == 500
    assert errors_of(response) == [{"code": "UNKNOWN", "message": "unknown error",
                                    "detail": {"Name": name, "Reason": {}}}]


@pytest.mark.parametrize("path,status", [
    pytest.param("/v2/demo/../etc/manifests/latest", 301, id="dot-dot: redirected to the cleaned path"),
    pytest.param("/v2/demo/app/manifests/../../x/manifests/y", 301, id="escaping the name"),
    pytest.param("/v2/Demo/App/manifests/latest", 404, id="uppercase name: no route"),
    pytest.param("/v2/demo/app%2Fx/manifests/latest", 404, id="encoded slash: no route"),
])
def test_path_tricks(loaded, path, status):
    reg, _ = loaded
    assert get(reg, path).status == status


def test_manifest_over_4_mib_is_refused_by_2_8(loaded):
    reg, _ = loaded
    before = snapshot(reg)
    body = b'{"schemaVersion": 2, "pad": "' + b"x" * (4 << 20) + b'"}'
    response = put_manifest(reg, "demo/app", "big", body, V2)
    assert response.status == 400
    assert errors_of(response)[0]["code"] == "MANIFEST_INVALID"
    assert snapshot(reg) == before


@pytest.mark.parametrize("version,kept", [("2.4.0", False), ("2.8", True)])
def test_upload_with_wrong_digest_stores_nothing(version, kept):
    """Up to 2.4.0 the failed PUT cancels the upload; from 2.4.1 the cancel fails after the
    commit and the upload stays, the PUT's body in it, so the token from before the PUT is
    stale (recorded sessions; seen against 2.8.2)."""
    reg = rc.Registry(version)
    start = reg.handle(rc.Request("POST", "/v2/demo/app/blobs/uploads/", headers=HOST))
    location = start.headers["Location"].split("localhost:5000", 1)[1]
    wrong = "sha256:" + "3" * 64
    response = reg.handle(rc.Request("PUT", f"{location}&digest={wrong}", headers=HOST, body=b"hello"))
    assert response.status == 400
    assert errors_of(response) == [{"code": "DIGEST_INVALID",
                                    "message": "provided digest did not match uploaded content",
                                    "detail": {"Digest": wrong, "Reason": {}}}]
    assert reg.store.blobs == {}
    again = reg.handle(rc.Request("GET", location, headers=HOST))
    assert (again.status, errors_of(again)[0]["code"]) == (404, "BLOB_UPLOAD_INVALID" if kept else "BLOB_UPLOAD_UNKNOWN")


def test_missing_blob_push_stores_no_manifest_and_no_tag():
    reg = rc.Registry("2.8")
    image = sample_image()
    push_blob(reg, "demo/app", image.layers[0].data)  # config and other layers missing
    before = snapshot(reg)
    response = put_manifest(reg, "demo/app", "latest", image.schema2().raw, V2)
    codes = [e["code"] for e in errors_of(response)]
    assert response.status == 400 and set(codes) == {"MANIFEST_BLOB_UNKNOWN"}
    assert errors_of(response)[0]["detail"] == image.config_blob.digest  # the config first
    assert snapshot(reg) == before


def test_delete_is_unsupported_by_default(loaded):
    reg, image = loaded
    response = reg.handle(rc.Request("DELETE", f"/v2/demo/app/blobs/{image.layers[0].digest}", headers=HOST))
    assert (response.status, errors_of(response)[0]["code"]) == (405, "UNSUPPORTED")


@pytest.mark.parametrize("body,detail", [
    pytest.param(b'{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'
                 b'"config":{"size":"1"}}',
                 {"Value": "string", "Type": {}, "Offset": 106, "Struct": "Descriptor", "Field": "config.size"},
                 id="nested field: innermost struct, dotted path"),
    pytest.param(b'{"layers":[{"size":1},{"size":"x"}]}',
                 {"Value": "string", "Type": {}, "Offset": 33, "Struct": "Descriptor", "Field": "layers.size"},
                 id="second array element"),
    pytest.param(b'{"config": []}',
                 {"Value": "array", "Type": {}, "Offset": 12, "Struct": "Manifest", "Field": "config"},
                 id="container: offset past the bracket"),
    pytest.param(b'"str"', {"Value": "string", "Type": {}, "Offset": 5, "Struct": "", "Field": ""},
                 id="not an object at all"),
    pytest.param(b'{"schemaVersion": 1e3}',
                 {"Value": "number 1e3", "Type": {}, "Offset": 21, "Struct": "Manifest", "Field": "schemaVersion"},
                 id="non-integer number"),
    pytest.param(b'{"schemaVersion": -1, "x": [1,2', {"Offset": 31}, id="syntax error at the end"),
])
def test_type_errors_carry_gos_detail(loaded, body, detail):
    """Every expected detail here is what Debian's docker-registry 2.8.2 answered to the same body."""
    reg, _ = loaded
    response = put_manifest(reg, "demo/app", "latest", body, V2)
    assert errors_of(response) == [{"code": "MANIFEST_INVALID", "message": "manifest invalid", "detail": detail}]
