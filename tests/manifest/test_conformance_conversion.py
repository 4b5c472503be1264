"""Conversions recorded from real registries, rebuilt from what was pushed.

For every session, the schema2 manifests and config blobs the client pushed are
collected; every schema1 body a registry then served for a schema2 manifest or
list (GET by tag from a client without schema2 in Accept) is compared with our
conversion: the canonical payload (``doc[:formatLength] + formatTail``) must
be byte-identical, its sha256 must be the recorded Docker-Content-Digest
(2.3.1 and later; 2.3.0 sends the stored digest, a known bug), and the
registry's own signature must verify with our libtrust.

distribution >= 2.4.1 keeps ``author`` in the non-top v1Compatibility entries
(``keep_author``; the reference says 2.5, but the commit is in v2.4.1), 2.4.0 and older drop it. Pushed schema1 documents are checked too:
2.3.x serve them with the pusher's signatures re-rendered by PrettySignature,
which :func:`libtrust.pretty_signature` must reproduce byte for byte.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest

from regcompat.digest import from_bytes
from regcompat.mediatypes import MediaType
from regcompat.manifest import ManifestError, libtrust, manifestlist, schema1, schema2
from regcompat.manifest.convert import schema2_to_schema1, select_platform

from ..registry.conformance import load

SESSIONS = {  # file -> (keep_author, DCD of a converted response is the payload digest)
    "registry-2.3.0.jsonl": (False, False),
    "registry-2.3.1.jsonl": (False, True),
    "registry-2.4.0.jsonl": (False, True),
    "registry-2.4.1.jsonl": (True, True),
    "registry-2.5.2.jsonl": (True, True),
    "registry-2.6.2.jsonl": (True, True),
    "registry-2.7.1.jsonl": (True, True),
    "registry-2.7.1-schema1-enabled.jsonl": (True, True),
    "registry-2.8.2.jsonl": (True, True),
    "registry-2.8.2-schema1-enabled.jsonl": (True, True),
}


@dataclass
class Served:
    session: str
    step: str
    repo: str
    tag: str
    body: bytes
    dcd: str


def _b(data: str | None) -> bytes:
    return base64.b64decode(data) if data else b""


def _header(headers: list, name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def collect(session: str):
    blobs, by_tag, by_digest, served = {}, {}, {}, []
    for row in load(session):
        req, resp = row["request"], row["response"]
        path = urlsplit(req["path"]).path
        body = _b(req.get("body_b64"))
        if req["method"] == "PUT" and "/blobs/uploads/" in path and resp["status"] == 201:
            blobs[dict(parse_qsl(urlsplit(req["path"]).query))["digest"]] = body
        if "/manifests/" not in path:
            continue
        repo, ref = path[len("/v2/"):].split("/manifests/")
        if req["method"] == "PUT" and resp["status"] == 201:
            by_digest[_header(resp["headers"], "Docker-Content-Digest")] = body
            if not ref.startswith("sha256:"):
                by_tag[(repo, ref)] = body
        elif req["method"] == "GET" and resp["status"] == 200 and \
                _header(resp["headers"], "Content-Type") == MediaType.SCHEMA1_SIGNED:
            served.append(Served(session, row.get("step") or "", repo, ref, _b(resp["body_b64"]),
                                 _header(resp["headers"], "Docker-Content-Digest")))
    return blobs, by_tag, by_digest, served


def converted_cases():
    for session in SESSIONS:
        blobs, by_tag, by_digest, served = collect(session)
        for s in served:
            pushed = by_tag.get((s.repo, s.tag))
            if pushed is not None and b'"signatures"' not in pushed:
                yield pytest.param(s, pushed, blobs, by_digest, id=f"{session}:{s.step}")


def pushed_schema1_cases():
    for session in SESSIONS:
        _, by_tag, _, served = collect(session)
        for s in served:
            pushed = by_tag.get((s.repo, s.tag))
            if pushed is not None and b'"signatures"' in pushed:
                yield pytest.param(s, pushed, id=f"{session}:{s.step}")


CONVERTED = list(converted_cases())


def test_the_sessions_contain_the_expected_conversions():
    steps = {(p.values[0].session, p.values[0].step) for p in CONVERTED}
    for session in SESSIONS:
        for step in ("get_tag_engine19", "get_tag_b_engine19", "get_list_engine19", "get_tag_star_accept"):
            assert (session, step) in steps


@pytest.mark.parametrize("served, pushed, blobs, by_digest", CONVERTED)
def test_converted_payload_is_byte_identical(served, pushed, blobs, by_digest):
    keep_author, dcd_is_payload = SESSIONS[served.session]
    stored_digest = from_bytes(pushed)
    if b"manifest.list.v2+json" in pushed[:200]:
        child = select_platform(manifestlist.parse(pushed).manifests)
        pushed = by_digest[child.digest]
    manifest = schema2.parse(pushed)
    config = blobs[manifest.config.digest]
    ours = schema2_to_schema1(config, manifest.layers, served.repo, served.tag, keep_author=keep_author)
    recorded, signatures = libtrust.parse_pretty(served.body)
    assert ours == recorded
    # The body is libtrust's PrettySignature of that payload: re-rendering gives the same bytes.
    assert libtrust.pretty_signature(recorded, signatures) == served.body
    assert schema1.parse(served.body).canonical == recorded
    if dcd_is_payload:
        assert served.dcd == from_bytes(ours)
    else:  # distribution 2.3.0 bug: the stored schema2 (or list) digest
        assert served.dcd == stored_digest
    # The registry signed with its own key; our verifier accepts its signature.
    assert len(libtrust.verify(served.body)) == 1


def test_no_recorded_config_has_a_history_author():
    """So keep_author cannot be told apart here; tests/manifest/test_convert.py covers it."""
    for session in SESSIONS:
        blobs, by_tag, _, _ = collect(session)
        for (repo, tag), pushed in by_tag.items():
            if b'"signatures"' in pushed or b"list.v2" in pushed:
                continue
            config = blobs.get(schema2.parse(pushed).config.digest)
            history = json.loads(config).get("history") or [] if config else []
            assert all("author" not in entry for entry in history)


@pytest.mark.parametrize("served, pushed", list(pushed_schema1_cases()))
def test_pushed_schema1_served_back(served, pushed):
    ours = schema1.parse(pushed)
    theirs = schema1.parse(served.body)
    assert theirs.canonical == ours.canonical
    assert served.dcd == ours.digest
    libtrust.verify(pushed)
    libtrust.verify(served.body)
    if served.session.startswith("registry-2.3"):
        # 2.3.x keep the signatures stored for this payload (the 2.3.0 recording serves two: the
        # pusher's and one by another key) and re-render them, sorted by key ID, with PrettySignature.
        assert all(sig in theirs.signatures for sig in ours.signatures)
        assert libtrust.pretty_signature(theirs.canonical, theirs.signatures) == served.body
        if len(theirs.signatures) > 1:
            assert libtrust.pretty_signature(theirs.canonical, theirs.signatures[::-1]) == served.body


def test_tampered_push_fails_verification():
    for row in load("registry-2.3.1.jsonl"):
        if row.get("step") == "put_s1_tampered":
            body = _b(row["request"]["body_b64"])
            break
    else:
        pytest.fail("no put_s1_tampered step")
    schema1.parse(body)  # parses: the payload is well formed
    with pytest.raises(ManifestError, match="^invalid signature$"):
        libtrust.verify(body)
