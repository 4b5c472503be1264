"""Replay the recorded sessions of real registries against the model.

The recordings are golden data kept in ``tests/golden/conformance/`` (one
JSON line per exchange; the README there says how they were made). Upload URLs are server-specific, so a
request to an upload follows the model's own URLs (:class:`UploadUrls`): a
recorded upload URL is replaced by the one the model returned where the real
registry returned it, keeping the recorded ``digest`` parameter; a token the
real registry never issued (a hand-made one) is kept, on the model's upload id.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import regcompat as rc
from regcompat.manifest import schema1

#: recording file -> how the model is configured to stand in for that build (every
#: build but 2.0.1, which has no such setting, ran with deletes enabled)
_DELETE = {"delete_enabled": True}
SESSIONS = {
    "registry-2.0.1.jsonl": ("2.0.1", {}),
    "registry-2.1.1.jsonl": ("2.1.1", _DELETE),
    "registry-2.2.1.jsonl": ("2.2.1", _DELETE),
    "registry-2.3.0.jsonl": ("2.3.0", _DELETE),
    "registry-2.3.1.jsonl": ("2.3.1", _DELETE),
    "registry-2.4.0.jsonl": ("2.4.0", _DELETE),
    "registry-2.4.1.jsonl": ("2.4.1", _DELETE),
    "registry-2.5.2.jsonl": ("2.5.2", _DELETE),
    "registry-2.6.2.jsonl": ("2.6.2", _DELETE),
    "registry-2.7.1.jsonl": ("2.7.1", _DELETE),
    "registry-2.7.1-schema1-enabled.jsonl": ("2.7.1", {"schema1_push": True, **_DELETE}),
    "registry-2.8.2.jsonl": ("2.8.2", _DELETE),
    "registry-2.8.2-schema1-enabled.jsonl": ("2.8.2", {"schema1_push": True, **_DELETE}),
    "registry-3.0.0.jsonl": ("3.0.0", _DELETE),
}

#: The second kind of session (edges-registry-*.jsonl): the same builds, the same configuration.
EDGE_SESSIONS = {"edges-" + name: config for name, config in SESSIONS.items()}


def conformance_dir() -> Path:
    """The recorded sessions: ``tests/golden/conformance`` (or $REGCOMPAT_CONFORMANCE)."""
    env = os.environ.get("REGCOMPAT_CONFORMANCE")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "golden" / "conformance"


@dataclass
class Replayed:
    index: int
    step: str | None
    request: dict
    recorded: dict
    actual: rc.Response


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (conformance_dir() / name).read_text().splitlines() if line]


def _body(b64: str | None) -> bytes:
    return base64.b64decode(b64) if b64 else b""


class UploadUrls:
    """Recorded upload URLs -> the model's: each ``Location`` into an upload that the
    real registry sent is paired with the one the model sent for the same exchange."""

    def __init__(self) -> None:
        self._paths: dict[str, str] = {}    # recorded upload path -> ours
        self._states: dict[str, str] = {}   # recorded _state token -> ours

    def learn(self, recorded: dict, actual: rc.Response) -> None:
        want = recorded_headers(recorded).get("Location") or ""
        have = actual.headers.get("Location") or ""
        if "/blobs/uploads/" not in want or "/blobs/uploads/" not in have:
            return
        want_url, have_url = urlsplit(want), urlsplit(have)
        self._paths[want_url.path] = have_url.path
        want_state = dict(parse_qsl(want_url.query)).get("_state")
        have_state = dict(parse_qsl(have_url.query)).get("_state")
        if want_state and have_state:
            self._states[want_state] = have_state

    def target(self, recorded_target: str) -> str:
        url = urlsplit(recorded_target)
        if "/blobs/uploads/" not in url.path:
            return recorded_target
        query = [(k, self._states.get(v, v) if k == "_state" else v) for k, v in parse_qsl(url.query)]
        path = self._paths.get(url.path, url.path)
        return path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")


def cases(sessions: dict[str, tuple[str, dict]]) -> list:
    """One pytest param (file, index) per recorded exchange, named after the file and the step."""
    import pytest

    return [pytest.param(name, index, id=f"{name.removesuffix('.jsonl').split('registry-', 1)[1]}-{index:02d}-"
                                         f"{entry.get('step') or entry['request']['method'] + ' upload'}")
            for name in sessions for index, entry in enumerate(load(name))]


def ordered_tags(name: str) -> bool:
    """3.0 sorts its tag list: compare the order too; 2.x list in directory order."""
    return session_config(name)[0].startswith("3")


def session_config(name: str) -> tuple[str, dict]:
    return SESSIONS[name] if name in SESSIONS else EDGE_SESSIONS[name]


@lru_cache(maxsize=None)
def replay(name: str) -> tuple[Replayed, ...]:
    version, config = session_config(name)
    registry = rc.Registry(version, **config)
    results = []
    urls = UploadUrls()
    for index, entry in enumerate(load(name)):
        req = entry["request"]
        headers = [("Host", "localhost:5000"), *[tuple(h) for h in req["headers"]]]
        response = registry.handle(rc.Request(req["method"], urls.target(req["path"]), headers=headers,
                                              body=_body(req["body_b64"])))
        urls.learn(entry["response"], response)
        results.append(Replayed(index, entry.get("step"), req, entry["response"], response))
    return tuple(results)


def recorded_headers(entry: dict) -> rc.Headers:
    return rc.Headers([tuple(h) for h in entry["headers"]])


def recorded_body(entry: dict) -> bytes:
    return _body(entry["body_b64"])


def _is_signed_schema1(body: bytes) -> bool:
    return body.lstrip().startswith(b"{") and b'"signatures"' in body and b'"schemaVersion": 1' in body


_BOUNDARY = re.compile(r"multipart/byteranges; boundary=(\S+)")


def check_exchange(got: Replayed, *, ordered_tags: bool = False) -> None:
    """Assert the model answered as the recording did.

    Compared: status, the headers a client reads, the Location path (an
    upload's id apart), and the body byte for byte, except schema1 documents
    signed by the registry (by canonical payload: their signatures carry the
    real registry's random key and clock), tag lists unless ``ordered_tags``
    (as sets: the filesystem driver lists tags in directory order, which
    nothing can reproduce) and a multipart answer's boundary (Go's is random)."""
    want_headers = recorded_headers(got.recorded)
    have = got.actual.headers
    assert got.actual.status == got.recorded["status"], got.actual.body
    for header in ("Docker-Content-Digest", "Etag", "Allow", "Range", "Content-Range", "Link",
                   "Cache-Control", "X-Content-Type-Options", "Docker-Distribution-Api-Version"):
        assert have.get(header) == want_headers.get(header), header
    want_type, have_type = want_headers.get("Content-Type"), have.get("Content-Type")
    want_boundary = _BOUNDARY.match(want_type or "")
    have_boundary = _BOUNDARY.match(have_type or "")
    if want_boundary and have_boundary:
        want_type = want_type.replace(want_boundary.group(1), have_boundary.group(1))
    assert have_type == want_type, "Content-Type"
    want_location, have_location = want_headers.get("Location"), have.get("Location")
    assert (want_location is None) == (have_location is None)
    if want_location:
        want_url, have_url = urlsplit(want_location), urlsplit(have_location)
        assert have_url.netloc == want_url.netloc
        if "/blobs/uploads/" in want_url.path:
            assert have_url.path.rsplit("/", 1)[0] == want_url.path.rsplit("/", 1)[0]
            assert [k for k, _ in parse_qsl(have_url.query)] == [k for k, _ in parse_qsl(want_url.query)]
        else:
            assert have_url.path == want_url.path
    want_body = recorded_body(got.recorded)
    body = got.actual.body
    if want_boundary and have_boundary:
        want_body = want_body.replace(want_boundary.group(1).encode(), have_boundary.group(1).encode())
    if got.step and got.step.startswith("tags_") and got.recorded["status"] == 200 and not ordered_tags:
        assert json.loads(body)["name"] == json.loads(want_body)["name"]
        assert sorted(json.loads(body)["tags"] or []) == sorted(json.loads(want_body)["tags"] or [])
        return
    if got.request["method"] == "HEAD":
        assert body == b""
        assert have.get("Content-Length") == want_headers.get("Content-Length")
        return
    if _is_signed_schema1(want_body):
        assert schema1.parse(body).canonical == schema1.parse(want_body).canonical
        # Same key type, same clock format: the signed document has the real one's length,
        # unless the real storage held signatures from an earlier push of the same payload
        # (2.3.0's recording serves one more signature than its session pushed).
        if want_body.count(b'"signature":') == body.count(b'"signature":'):
            assert have.get("Content-Length") == want_headers.get("Content-Length")
        return
    assert body == want_body
    assert have.get("Content-Length") == want_headers.get("Content-Length")
