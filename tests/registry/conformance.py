"""Replay the recorded sessions of real registries against the model.

The recordings are golden data kept in ``tests/golden/conformance/`` (one
JSON line per exchange; the README there says how they were made). Upload URLs are server-specific, so an
upload's final PUT follows the ``Location`` the model returned for the POST
before it, with the recorded ``digest`` parameter.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import regcompat as rc

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


@lru_cache(maxsize=None)
def replay(name: str) -> tuple[Replayed, ...]:
    version, config = SESSIONS[name]
    registry = rc.Registry(version, **config)
    results = []
    last_location = None
    for index, entry in enumerate(load(name)):
        req = entry["request"]
        target = req["path"]
        if req["method"] in ("PUT", "PATCH") and "/blobs/uploads/" in target and last_location:
            recorded_query = dict(parse_qsl(urlsplit(target).query))
            ours = urlsplit(last_location)
            target = ours.path + "?" + ours.query
            if "digest" in recorded_query:
                target += "&digest=" + recorded_query["digest"]
        headers = [("Host", "localhost:5000"), *[tuple(h) for h in req["headers"]]]
        response = registry.handle(rc.Request(req["method"], target, headers=headers,
                                              body=_body(req["body_b64"])))
        if req["method"] == "POST" and response.headers.get("Location"):
            last_location = response.headers.get("Location")
        results.append(Replayed(index, entry.get("step"), req, entry["response"], response))
    return tuple(results)


def recorded_headers(entry: dict) -> rc.Headers:
    return rc.Headers([tuple(h) for h in entry["headers"]])


def recorded_body(entry: dict) -> bytes:
    return _body(entry["body_b64"])
