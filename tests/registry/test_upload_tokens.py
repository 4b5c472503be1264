"""The ``_state`` token: HMAC-signed with the registry's secret, as distribution's
``registry/handlers/hmac.go`` signs it, and upload ids from a given source."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

import regcompat as rc

from .helpers import HOST, errors_of, get, push_blob


def _start(reg, name: str = "demo/app") -> rc.Response:
    return reg.handle(rc.Request("POST", f"/v2/{name}/blobs/uploads/", headers=HOST))


def _token(response: rc.Response) -> str:
    return parse_qs(urlsplit(response.headers["Location"]).query)["_state"][0]


def test_token_is_mac_then_go_json_under_padded_base64url():
    reg = rc.Registry("2.8", secret=b"s3cret")
    start = _start(reg)
    raw = base64.urlsafe_b64decode(_token(start))
    mac, message = raw[:32], raw[32:]
    assert hmac.new(b"s3cret", message, hashlib.sha256).digest() == mac
    uid = start.headers["Docker-Upload-Uuid"]
    assert message == (b'{"Name":"demo/app","UUID":"' + uid.encode()
                       + b'","Offset":0,"StartedAt":"2016-02-09T10:00:00Z"}')
    assert _token(start).endswith("=")  # Go's URLEncoding pads


def test_a_str_secret_is_its_utf8_bytes():
    assert _token(_start(rc.Registry("2.8", secret="clé"))) == _token(_start(rc.Registry("2.8", secret="clé".encode())))


def test_a_given_secret_repeats_and_the_default_is_random_per_instance():
    assert _token(_start(rc.Registry("2.8", secret=b"k"))) == _token(_start(rc.Registry("2.8", secret=b"k")))
    assert _token(_start(rc.Registry("2.8"))) != _token(_start(rc.Registry("2.8")))


@pytest.mark.parametrize("version,method,status", [
    ("2.0", "GET", 400), ("2.3.0", "GET", 404), ("2.8", "GET", 404), ("2.8", "PATCH", 404),
    ("3.0", "PATCH", 404), ("3.0", "GET", 204),
])
def test_a_hand_made_token_is_refused(version, method, status):
    """The recorded ``get_forged_state`` step: BLOB_UPLOAD_INVALID (400 in 2.0); 3.0 never
    reads the token on GET, so only a PATCH finds it out."""
    reg = rc.Registry(version)
    start = _start(reg)
    uid = start.headers["Docker-Upload-Uuid"]
    forged = base64.urlsafe_b64encode(json.dumps(
        {"Name": "demo/app", "UUID": uid, "Offset": 0, "StartedAt": "2016-02-09T10:00:00Z"}).encode()).decode()
    answer = reg.handle(rc.Request(method, f"/v2/demo/app/blobs/uploads/{uid}?_state={forged}", headers=HOST))
    assert answer.status == status
    if status != 204:
        assert errors_of(answer)[0]["code"] == "BLOB_UPLOAD_INVALID"


def test_a_token_signed_by_another_instance_is_refused():
    one, other = rc.Registry("2.8"), rc.Registry("2.8")
    start = _start(one)
    _start(other)  # the same counter-derived id exists on both
    path = urlsplit(start.headers["Location"])
    answer = get(other, f"{path.path}?{path.query}")
    assert answer.status == 404 and errors_of(answer)[0]["code"] == "BLOB_UPLOAD_INVALID"
    assert get(one, f"{path.path}?{path.query}").status == 204


def test_upload_ids_come_from_the_given_source():
    ids = iter(["11111111-2222-4333-8444-555555555555", "66666666-7777-4888-9999-000000000000"])
    reg = rc.Registry("2.8", upload_ids=lambda: next(ids))
    assert _start(reg).headers["Docker-Upload-Uuid"] == "11111111-2222-4333-8444-555555555555"
    assert push_blob(reg, "demo/app", b"data").status == 201  # the second id, through to the end


def test_default_upload_ids_repeat_and_random_ones_work():
    assert (_start(rc.Registry("2.8")).headers["Docker-Upload-Uuid"]
            == _start(rc.Registry("2.8")).headers["Docker-Upload-Uuid"])
    reg = rc.Registry("2.8", upload_ids=lambda: str(uuid.uuid4()))
    assert push_blob(reg, "demo/app", b"random ids").status == 201
