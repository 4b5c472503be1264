"""How each line writes an error: Content-Type, Go error details as text or
fields, BLOB_UNKNOWN's detail, and the UNKNOWN a PUT sends for a verification
error it has no code for. Sources: the recorded sessions of 2.0.1, 2.1.1,
2.8.2 and 3.0.0 (tests/golden/conformance) and distribution's source lines
named in behaviour.py."""

from __future__ import annotations

import json

import pytest

import regcompat as rc
from regcompat.errors import GO_ERROR, ErrorCode, GoError, RegistryError, go_quote, to_envelope


def _get(version: str, path: str) -> rc.Response:
    return rc.Registry(version).handle(rc.Request("GET", path))


@pytest.mark.parametrize("version,content_type,detail", [
    ("2.0.1", "text/plain; charset=utf-8", "unknown manifest name=demo/app tag=nope"),
    ("2.1.1", "application/json; charset=utf-8", {"Name": "demo/app", "Tag": "nope"}),
    ("2.8.2", "application/json; charset=utf-8", {"Tag": "nope"}),
    ("3.0.0", "application/json", "unknown tag=nope"),
])
def test_unknown_tag_error(version: str, content_type: str, detail: object) -> None:
    response = _get(version, "/v2/demo/app/manifests/nope")
    assert response.status == 404
    assert response.headers.get("Content-Type") == content_type
    assert json.loads(response.body)["errors"][0]["detail"] == detail


@pytest.mark.parametrize("version,detail", [
    ("2.0.1", {"blobSum": "sha256:" + "2" * 64}),
    ("2.1.1", "sha256:" + "2" * 64),
    ("3.0.0", "sha256:" + "2" * 64),
])
def test_blob_unknown_detail(version: str, detail: object) -> None:
    response = _get(version, "/v2/demo/app/blobs/sha256:" + "2" * 64)
    assert json.loads(response.body)["errors"][0]["detail"] == detail


@pytest.mark.parametrize("version,content_type", [
    ("2.0.1", "application/json; charset=utf-8"), ("2.8.2", "application/json; charset=utf-8"),
    ("3.0.0", "application/json")])
def test_base_endpoint_content_type(version: str, content_type: str) -> None:
    assert _get(version, "/v2/").headers.get("Content-Type") == content_type


def test_go_error_is_text_or_fields() -> None:
    err = RegistryError(ErrorCode.DIGEST_INVALID,
                        detail=GoError("invalid digest", {"Digest": "d", "Reason": GoError("r")}))
    assert json.loads(to_envelope(err))["errors"][0]["detail"] == {"Digest": "d", "Reason": {}}
    assert json.loads(to_envelope(err, error_text=True))["errors"][0]["detail"] == "invalid digest"
    assert json.loads(to_envelope(RegistryError(ErrorCode.UNKNOWN, detail=GO_ERROR)))["errors"][0]["detail"] == {}


def test_go_quote_matches_strconv_quote() -> None:
    assert go_quote('a/b') == '"a/b"'
    assert go_quote('x"y\\z\n\x01') == '"x\\"y\\\\z\\n\\x01"'


@pytest.mark.parametrize("version,status,codes", [
    ("2.0.1", 400, ["UNKNOWN", "MANIFEST_UNVERIFIED"]),
    ("2.1.1", 500, ["UNKNOWN", "UNKNOWN", "MANIFEST_UNVERIFIED"]),
])
def test_schema1_name_mismatch(version: str, status: int, codes: list[str]) -> None:
    """An unsigned schema1 body whose name is not the repository, PUT by digest."""
    body = json.dumps({"schemaVersion": 1, "name": "other/app", "tag": "", "architecture": "amd64",
                       "fsLayers": [], "history": []}).encode()
    digest = rc.manifest_digest(body)
    response = rc.Registry(version).handle(rc.Request("PUT", f"/v2/demo/app/manifests/{digest}", body=body))
    errors = json.loads(response.body)["errors"]
    assert response.status == status
    assert [e["code"] for e in errors] == codes
    if version == "2.0.1":
        assert errors[0] == {"code": "UNKNOWN", "message": "repository name does not match manifest name"}
    else:
        assert errors[:2] == [{"code": "UNKNOWN", "message": "unknown error"},
                              {"code": "UNKNOWN", "message": "unknown error", "detail": {}}]
