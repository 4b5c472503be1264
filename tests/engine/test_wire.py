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


def detailed(code: ErrorCode) -> Response:
    """One error with a detail: it stays a full error in every generation."""
    return Response(code.status, [("Content-Type", "application/json; charset=utf-8")],
                    to_envelope(RegistryError(code, detail={"Tag": "latest"})))


JSON = [("Content-Type", "application/json; charset=utf-8")]

# (response, {style: text}); styles: the vendored client of 1.9, 1.10, 1.11-24 ("1.11") and 25+ ("25").
CASES = {
    "detail keeps the message": (detailed(ErrorCode.MANIFEST_UNKNOWN), {
        "1.9": "manifest unknown: manifest unknown", "1.10": "manifest unknown: manifest unknown",
        "1.11": "manifest unknown: manifest unknown", "25": "manifest unknown: manifest unknown"}),
    # errcode Errors.UnmarshalJSON: no detail and the default message -> the bare code
    # (M@v1.9.1:.../errcode/errors.go:240-255); 1.9's ErrorCode.Error is the value (errors.go:26-29)
    "default message, no detail": (envelope(ErrorCode.TAG_INVALID), {
        "1.9": "TAG_INVALID", "1.10": "tag invalid", "1.11": "tag invalid", "25": "tag invalid"}),
    "own message": (Response(400, JSON, b'{"errors":[{"code":"TAG_INVALID","message":"other"}]}\n'), {
        "1.10": "tag invalid: other", "25": "tag invalid: other"}),
    "two errors": (envelope(ErrorCode.MANIFEST_BLOB_UNKNOWN, ErrorCode.MANIFEST_BLOB_UNKNOWN), {
        "1.10": "errors:\nmanifest blob unknown\nmanifest blob unknown\n"}),
    # UnexpectedHTTPStatusError: "Received" in 1.9/1.10, "received" from 1.11
    # (M@v1.10.0:.../registry/client/errors.go:19-20, M@v1.11.0:.../registry/client/errors.go:24-25)
    "5xx ignores the body": (envelope(ErrorCode.UNKNOWN), {
        "1.9": "Received unexpected HTTP status: 500 Internal Server Error",
        "1.10": "Received unexpected HTTP status: 500 Internal Server Error",
        "1.11": "received unexpected HTTP status: 500 Internal Server Error",
        "25": "received unexpected HTTP status: 500 Internal Server Error"}),
    "503": (Response(503, [], b""), {"1.10": "Received unexpected HTTP status: 503 Service Unavailable",
                                      "1.11": "received unexpected HTTP status: 503 Service Unavailable"}),
    # UnexpectedHTTPResponseError (M@v1.10.0:...:30-31; M@v1.12.0:.../registry/client/errors.go:36-37)
    "400 empty body (a HEAD)": (Response(400, JSON, b""), {
        "1.10": 'Error parsing HTTP response: unexpected end of JSON input: ""',
        "1.11": 'error parsing HTTP 400 response body: unexpected end of JSON input: ""',
        "25": 'error parsing HTTP 400 response body: unexpected end of JSON input: ""'}),
    "plain-text 404": (Response(404, [("Content-Type", "text/plain")], b"404 page not found\n"), {
        "1.10": 'Error parsing HTTP response: invalid character \'4\' looking for beginning of value: '
                '"404 page not found\\n"',
        "1.11": 'error parsing HTTP 404 response body: invalid character \'4\' looking for beginning of value: '
                '"404 page not found\\n"',
        # 25+: a body that is not application/json is the message of UNKNOWN
        # (M@v27.5.1:vendor/github.com/docker/distribution/registry/client/errors.go:50-63,95-106)
        "25": "unknown: 404 page not found\n"}),
    "JSON array": (Response(400, JSON, b"[]"), {
        "1.11": 'error parsing HTTP 400 response body: json: cannot unmarshal array into Go value of type '
                'struct { Errors []errcode.Error }: "[]"'}),
    "no errors in the body": (Response(400, JSON, b'{"errors":[]}'), {
        "1.10": "<nil>",
        "1.11": 'error parsing HTTP 400 response body: no error details found in HTTP response body: '
                '"{\\"errors\\":[]}"'}),
    "details field": (Response(404, JSON, b'{"details":"gone"}'), {
        "1.10": "<nil>", "1.11": "unknown: gone", "25": "unknown: gone"}),
    "401 without an error body": (Response(401, [], b"no"), {
        "1.9": "unauthorized: authentication required", "1.11": "unauthorized: authentication required",
        "25": "unauthorized: no"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_client_error_renders_like_dockers_registry_client(case):
    response, texts = CASES[case]
    for style, text in texts.items():
        assert client_error(response, style) == text, style


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
    with pytest.raises(EngineFailure, match="^digest invalid$"):  # default message, no detail: the bare code
        upload_blob(Session(transport), "a", from_bytes(b"x"), b"x")


def test_a_failed_layer_check_is_fatal_before_113_and_logged_after():
    """1.10: the Stat error ends the push (M@v1.10.0:distribution/push_v2.go:404-418); 1.13+ log it and
    upload (M@v17.06.0-ce:distribution/push_v2.go:532-555), the POST's error is the one reported."""
    data = b"x"
    digest = from_bytes(data)
    transport = Scripted(Response(400, JSON, b""))
    with pytest.raises(EngineFailure, match='^Error parsing HTTP response: unexpected end of JSON input: ""$'):
        upload_blob(Session(transport, error_style="1.10"), "a", digest, data)
    assert [r.method for r in transport.requests] == ["HEAD"]
    transport = Scripted(Response(400, JSON, b""), Response(500))
    log: list[str] = []
    with pytest.raises(EngineFailure, match="^received unexpected HTTP status: 500 Internal Server Error$"):
        upload_blob(Session(transport), "a", digest, data, tolerant=True, log=log)
    assert [r.method for r in transport.requests] == ["HEAD", "POST"]
    assert log == [f"Failed to check for presence of layer {digest} in a: error parsing HTTP 400 response body: "
                   'unexpected end of JSON input: ""']


def test_download_verifies_the_digest():
    good = from_bytes(b"abc")
    assert download_blob(Session(Scripted(Response(200, [], b"abc"))), "a", good) == b"abc"
    with pytest.raises(EngineFailure, match=f"^filesystem layer verification failed for digest {good}$"):
        download_blob(Session(Scripted(Response(200, [], b"abd"))), "a", good)
    with pytest.raises(EngineFailure, match=f"^image config verification failed for digest {good}$"):
        download_blob(Session(Scripted(Response(200, [], b"abd"))), "a", good, what="image config")
