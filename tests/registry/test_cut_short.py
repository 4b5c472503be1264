"""A body shorter than its Content-Length (``body_complete=False``): what
distribution 2.8.2 answers, measured against Debian's build over real sockets
(tests/live/test_faults_live.py compares it end to end)."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.image import sample_image
from regcompat.mediatypes import MediaType

from .helpers import HOST, errors_of, snapshot


def _upload(reg, name="demo/app") -> str:
    start = reg.handle(rc.Request("POST", f"/v2/{name}/blobs/uploads/", headers=HOST))
    return start.headers["Location"].split("localhost:5000", 1)[1]


def _cut(reg, method, target, body=b"abc", headers=()):
    return reg.handle(rc.Request(method, target, headers=[*HOST, *headers], body=body), body_complete=False)


@pytest.mark.parametrize("kind,code", [("manifest PUT", "MANIFEST_INVALID"), ("PATCH", "UNKNOWN"),
                                       ("PUT with digest", "UNKNOWN")])
def test_a_handler_that_reads_the_body_answers_499_and_stores_nothing(kind, code):
    reg = rc.Registry("2.8")
    location = _upload(reg)
    before = snapshot(reg)
    target = {"manifest PUT": "/v2/demo/app/manifests/latest", "PATCH": location,
              "PUT with digest": location + "&digest=" + sample_image().layers[0].digest}[kind]
    method = "PATCH" if kind == "PATCH" else "PUT"
    response = _cut(reg, method, target, headers=[("Content-Type", MediaType.SCHEMA2)])
    assert response.status == 499
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert errors_of(response) == [{"code": code, "message": rc.ErrorCode[code].message,
                                    "detail": "client disconnected"}]
    assert snapshot(reg) == before


def test_checks_made_before_reading_still_answer():
    reg = rc.Registry("2.8")
    location = _upload(reg)
    missing = _cut(reg, "PUT", location)  # no digest: answered before the body is read
    assert (missing.status, errors_of(missing)[0]["detail"]) == (400, "digest missing")
    unknown = _cut(reg, "PATCH", "/v2/demo/app/blobs/uploads/nope")  # no session token
    assert (unknown.status, errors_of(unknown)[0]["code"]) == (404, "BLOB_UPLOAD_INVALID")
    assert _cut(reg, "GET", "/v2/").status == 200  # a route that never reads its body
    assert _cut(reg, "POST", "/v2/demo/app/manifests/latest").status == 405
