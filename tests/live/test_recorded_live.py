"""The recorded sessions, sent to the real 2.8.2 and to regcompat serving 2.8, side by side.

Every exchange of ``registry-2.8.2.jsonl`` (default configuration) and of
``registry-2.8.2-schema1-enabled.jsonl`` is sent over HTTP to a fresh
repository on both servers (each following its own upload ``Location``) and
the answers are compared (see differential.py). The real registry's answers
are also checked against the recording, which proves the live fixture is
configured as the recorded one was.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.registry.conformance import load

from .differential import target_of, with_digest

pytestmark = pytest.mark.live

RECORDED_REPO = "probe/r1001"


def _replay(pair, name: str, repo: str) -> int:
    locations = None
    steps = 0
    for index, entry in enumerate(load(name)):
        req = entry["request"]
        target = req["path"].replace(RECORDED_REPO, repo)
        body = base64.b64decode(req["body_b64"]) if req["body_b64"] else b""
        headers = [tuple(h) for h in req["headers"]]
        step = f"#{index} {entry.get('step') or 'upload plumbing'}"
        targets = None
        if req["method"] in ("PUT", "PATCH") and "/blobs/uploads/" in target and locations:
            digest = dict(parse_qsl(urlsplit(target).query)).get("digest")
            targets = tuple(with_digest(loc, digest) if digest else loc for loc in locations)
        real, ours = pair.send(req["method"], target, headers, body, targets=targets, step=step)
        if req["method"] == "POST" and real.headers.get("Location"):
            locations = (target_of(real.headers["Location"]), target_of(ours.headers["Location"]))
        recorded = entry["response"]
        assert real.status == recorded["status"], f"{step}: the live registry is not configured as recorded"
        recorded_type = {k.lower(): v for k, v in recorded["headers"]}.get("content-type")
        assert real.headers.get("Content-Type") == recorded_type, step
        steps += 1
    return steps


def test_recorded_default_session(pair):
    assert _replay(pair, "registry-2.8.2.jsonl", "replay/default") == len(load("registry-2.8.2.jsonl"))
    pair.check()


def test_recorded_schema1_enabled_session(pair_schema1):
    name = "registry-2.8.2-schema1-enabled.jsonl"
    assert _replay(pair_schema1, name, "replay/schema1") == len(load(name))
    pair_schema1.check()
