"""The engine's wire layer against a tiny scripted transport: error texts, uploads, downloads."""

from __future__ import annotations

import pytest

from regcompat.digest import from_bytes
from regcompat.engine.wire import EngineFailure, Session, client_error, download_blob, upload_blob
from regcompat.errors import ErrorCode, RegistryError, to_envelope
from regcompat.messages import Response


class Scripted:
    """Answers requests from a list of canned responses, in order, and keeps the requests."""

    def __init__(self, *responses: Response):
        self.responses = list(responses)
        self.requests = []

    def handle(self, request):
        self.requests.append(request)
        return self.responses.pop(0)


def envelope(*codes: ErrorCode, status: int | None = None) -> Response:
    errors = [RegistryError(code) for code in codes]
    return Response(status or codes[0].status, [("Content-Type", "application/json; charset=utf-8")],
                    to_envelope(errors))


@pytest.mark.parametrize("response,text", [
    (envelope(ErrorCode.MANIFEST_UNKNOWN), "manifest unknown: manifest unknown"),
    (envelope(ErrorCode.TAG_INVALID), "tag invalid: manifest tag did not match URI"),
    (envelope(ErrorCode.MANIFEST_BLOB_UNKNOWN, ErrorCode.MANIFEST_BLOB_UNKNOWN),
     "errors:\nmanifest blob unknown: blob unknown to registry\nmanifest blob unknown: blob unknown to registry\n"),
    (envelope(ErrorCode.UNKNOWN), "Received unexpected HTTP status: 500 Internal Server Error"),
    (Response(405, [], b""), 'Error parsing HTTP response: unexpected end of JSON input: ""'),
    (Response(404, [], b"404 page not found\n"),
     'Error parsing HTTP response: invalid character \'4\' looking for beginning of value: "404 page not found\\n"'),
    (Response(503, [], b""), "Received unexpected HTTP status: 503 Service Unavailable"),
    (Response(401, [], b"no"), "unauthorized: authentication required"),
], ids=["one error", "tag invalid", "two errors", "5xx ignores the body", "405 empty body",
        "plain-text 404", "503", "401 without an error body"])
def test_client_error_renders_like_dockers_registry_client(response, text):
    assert client_error(response) == text


def test_session_records_exchanges_and_sends_host():
    transport = Scripted(Response(200, [], b"{}"))
    session = Session(transport, "registry.example:5000", "docker/1.10.0")
    session.ping()
    (ex,) = session.exchanges
    assert ex.request.headers["Host"] == "registry.example:5000"
    assert ex.request.headers["User-Agent"] == "docker/1.10.0"
    assert ex.request.target == "/v2/" and ex.response.body == b"{}"


def test_upload_follows_absolute_location_and_appends_digest():
    data = b"layer bytes"
    digest = from_bytes(data)
    transport = Scripted(Response(404), Response(202, [("Location", "http://localhost:5000/v2/a/blobs/uploads/u1?_state=x")]),
                         Response(201))
    assert upload_blob(Session(transport), "a", digest, data) is True
    head, post, put = transport.requests
    assert (head.method, head.target) == ("HEAD", f"/v2/a/blobs/{digest}")
    assert (post.method, post.target) == ("POST", "/v2/a/blobs/uploads/")
    assert put.method == "PUT" and put.target == f"/v2/a/blobs/uploads/u1?_state=x&digest={digest}"
    assert put.body == data and put.headers["Content-Length"] == str(len(data))


def test_upload_skips_a_blob_the_registry_has():
    transport = Scripted(Response(200))
    assert upload_blob(Session(transport), "a", from_bytes(b"x"), b"x") is False
    assert len(transport.requests) == 1


def test_upload_failure_carries_the_registry_error():
    transport = Scripted(Response(404), Response(202, [("Location", "/v2/a/blobs/uploads/u")]),
                         envelope(ErrorCode.DIGEST_INVALID))
    with pytest.raises(EngineFailure, match="^digest invalid: provided digest did not match uploaded content$"):
        upload_blob(Session(transport), "a", from_bytes(b"x"), b"x")


def test_download_verifies_the_digest():
    good = from_bytes(b"abc")
    assert download_blob(Session(Scripted(Response(200, [], b"abc"))), "a", good) == b"abc"
    with pytest.raises(EngineFailure, match=f"^filesystem layer verification failed for digest {good}$"):
        download_blob(Session(Scripted(Response(200, [], b"abd"))), "a", good)
    with pytest.raises(EngineFailure, match=f"^image config verification failed for digest {good}$"):
        download_blob(Session(Scripted(Response(200, [], b"abd"))), "a", good, what="image config")
