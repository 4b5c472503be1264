"""Behaviour-table fields the edges sessions brought in, one described row each
(the recorded sessions replay the same steps in test_conformance_edges.py; these
rows pin the consequences the recordings do not show directly)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.registry.serve_content import RangeError, parse_ranges
from regcompat.testing import random_image

from .helpers import HOST, errors_of, get, push_image, put_manifest

NAME = "edge/app"
OCTETS = [("Content-Type", "application/octet-stream")]


def _target(response: rc.Response) -> str:
    url = urlsplit(response.headers["Location"])
    return f"{url.path}?{url.query}"


def _send(reg, method: str, target: str, body: bytes = b"", headers=()) -> rc.Response:
    return reg.handle(rc.Request(method, target, headers=[*HOST, *headers], body=body))


def test_2_3_seeks_to_a_stale_token_and_writes_over_what_follows():
    """v2.3.1 blobupload.go: the token's offset is where the next write goes."""
    reg = rc.Registry("2.3.1")
    start = _target(_send(reg, "POST", f"/v2/{NAME}/blobs/uploads/"))
    after = _target(_send(reg, "PATCH", start, b"aaaaaaaa", OCTETS))
    rewritten = _send(reg, "PATCH", start, b"bb", OCTETS)  # the token still says offset 0
    assert rewritten.status == 202 and rewritten.headers["Range"] == "0-1"
    done = _send(reg, "PUT", f"{_target(rewritten)}&digest={from_bytes(b'bbaaaaaa')}")
    assert done.status == 201, done.body  # the whole file: the rewrite and what followed it
    assert _send(reg, "PATCH", after, b"x", OCTETS).status == 404  # committed: the upload is gone


@pytest.mark.parametrize("version,status,code", [
    ("2.8", 404, "BLOB_UPLOAD_INVALID"), ("3.0", 416, "RANGE_INVALID"),
])
def test_a_stale_token_later_is_refused_and_the_upload_kept(version, status, code):
    reg = rc.Registry(version)
    start = _target(_send(reg, "POST", f"/v2/{NAME}/blobs/uploads/"))
    current = _target(_send(reg, "PATCH", start, b"abc", OCTETS))
    stale = _send(reg, "PATCH", start, b"abc", OCTETS)
    assert (stale.status, errors_of(stale)[0]["code"]) == (status, code)
    assert _send(reg, "PUT", f"{current}&digest={from_bytes(b'abc')}").status == 201


def test_3_0_checks_that_a_chunk_follows_on():
    reg = rc.Registry("3.0")
    start = _target(_send(reg, "POST", f"/v2/{NAME}/blobs/uploads/"))
    refused = _send(reg, "PATCH", start, b"abc", [*OCTETS, ("Content-Range", "5-7")])
    assert (refused.status, errors_of(refused)[0]["code"]) == (416, "RANGE_INVALID")
    assert _send(reg, "PATCH", start, b"abc", [*OCTETS, ("Content-Range", "0-2")]).status == 202


def _tagged(version: str, tags: list[str]):
    reg = rc.Registry(version)
    image = random_image(3)
    push_image(reg, NAME, image)
    for tag in tags:
        assert put_manifest(reg, NAME, tag, image.schema2().raw, rc.MediaType.SCHEMA2).status == 201
    return reg


@pytest.mark.parametrize("query,tags,link", [
    ("?n=2", ["a", "b"], "</v2/edge/app/tags/list?last=b&n=2>; rel=\"next\""),
    ("?n=2&last=b", ["c", "d"], None),
    ("?last=bb", ["d"], None),  # not a tag: sort.SearchStrings + 1 also drops "c"
    ("?last=z", [], None),
    ("?n=0", [], None),
    ("?n=9", ["a", "b", "c", "d"], None),
])
def test_3_0_tag_pages(query, tags, link):
    reg = _tagged("3.0", ["d", "b", "a", "c"])
    page = get(reg, f"/v2/{NAME}/tags/list{query}")
    assert json.loads(page.body)["tags"] == tags
    assert page.headers.get("Link") == link


@pytest.mark.parametrize("n", ["-1", "x"])
def test_3_0_a_bad_page_size_is_refused(n):
    page = get(_tagged("3.0", ["a"]), f"/v2/{NAME}/tags/list?n={n}")
    assert page.status == 400 and errors_of(page)[0]["code"] == "PAGINATION_NUMBER_INVALID"


def test_2_8_ignores_tag_pages():
    page = get(_tagged("2.8", ["a", "b", "c"]), f"/v2/{NAME}/tags/list?n=1&last=a")
    assert json.loads(page.body)["tags"] == ["a", "b", "c"] and "Link" not in page.headers


@pytest.mark.parametrize("version,status,tags", [("3.0", 202, []), ("2.8", 405, ["t"])])
def test_delete_by_tag_untags_only_in_3_0(version, status, tags):
    reg = _tagged(version, ["t"])
    assert _send(reg, "DELETE", f"/v2/{NAME}/manifests/t").status == status
    assert json.loads(get(reg, f"/v2/{NAME}/tags/list").body)["tags"] == tags


@pytest.mark.parametrize("version,status,code,detail", [
    ("2.3.1", 404, "MANIFEST_UNKNOWN", None),
    ("2.6", 404, "MANIFEST_UNKNOWN", {"Offset": 1}),
    ("2.8", 500, "UNKNOWN", {"Offset": 1}),
    ("3.0", 404, "MANIFEST_UNKNOWN", None),
])
def test_a_layer_asked_for_as_a_manifest(version, status, code, detail):
    reg = rc.Registry(version)
    image = random_image(4)
    push_image(reg, NAME, image)
    answer = get(reg, f"/v2/{NAME}/manifests/{image.layers[0].digest}")
    assert (answer.status, errors_of(answer)[0]["code"]) == (status, code)
    if detail is not None:
        assert errors_of(answer)[0]["detail"] == detail


@pytest.mark.parametrize("version,trimmed", [("2.3.0", True), ("2.6", True), ("2.7", False), ("3.0", False)])
def test_leading_whitespace_served_trimmed_by_2_3_to_2_6(version, trimmed):
    """The digest answered is that of the bytes sent; 2.3-2.6 serve other bytes under it."""
    reg = rc.Registry(version)
    image = random_image(5)
    push_image(reg, NAME, image)
    sent = b"\n\t " + image.schema2().raw
    pushed = put_manifest(reg, NAME, "spaced", sent, rc.MediaType.SCHEMA2)
    assert pushed.headers["Docker-Content-Digest"] == from_bytes(sent)
    served = get(reg, f"/v2/{NAME}/manifests/{from_bytes(sent)}", accept=[rc.MediaType.SCHEMA2])
    assert served.headers["Docker-Content-Digest"] == from_bytes(sent)
    assert served.body == (image.schema2().raw if trimmed else sent)
    assert (from_bytes(served.body) == from_bytes(sent)) is not trimmed


@pytest.mark.parametrize("header,size,ranges", [
    ("bytes=0-1,3-4", 43, [(0, 2), (3, 2)]),
    ("bytes=-5", 3, [(0, 3)]),
    ("bytes=1-", 3, [(1, 2)]),
    ("bytes=0-0,9-", 3, [(0, 1)]),
    ("bytes= 1 - 1 ,,", 3, [(1, 1)]),
    ("bytes=", 3, []),
])
def test_go_parse_range(header, size, ranges):
    assert parse_ranges(header, size) == ranges


@pytest.mark.parametrize("header,overlap", [("bytes=9-", True), ("bytes=2-1", False), ("bytes=a-1", False),
                                            ("bytes=-", False), ("bytes=1", False), ("items=0-1", False)])
def test_go_parse_range_refusals(header, overlap):
    with pytest.raises(RangeError) as err:
        parse_ranges(header, 3)
    assert err.value.overlap is overlap


@pytest.mark.parametrize("version,status", [("3.0", 200), ("2.8", 206)])
def test_several_ranges(version, status):
    reg = rc.Registry(version)
    data = b"0123456789"
    _send(reg, "PUT", _target(_send(reg, "POST", f"/v2/{NAME}/blobs/uploads/")) + f"&digest={from_bytes(data)}",
          data)
    answer = get(reg, f"/v2/{NAME}/blobs/{from_bytes(data)}", Range="bytes=0-1,3-4")
    assert answer.status == status
    if status == 206:
        boundary = answer.headers["Content-Type"].split("boundary=")[1]
        assert answer.body == (f"--{boundary}\r\nContent-Range: bytes 0-1/10\r\nContent-Type: "
                               f"application/octet-stream\r\n\r\n01\r\n--{boundary}\r\nContent-Range: "
                               f"bytes 3-4/10\r\nContent-Type: application/octet-stream\r\n\r\n34\r\n"
                               f"--{boundary}--\r\n").encode()


@pytest.mark.parametrize("version,status", [("2.1", 404), ("2.2.1", 200), ("3.0", 200)])
def test_root(version, status):
    answer = get(rc.Registry(version), "/")
    assert answer.status == status
    if status == 200:
        assert dict(answer.headers) == {"Cache-Control": "no-cache", "Content-Length": "0"}
