"""The HTTP layer is transparent: every recorded session, replayed through waitress and
``HTTPTransport``, gets exactly the answers the model gives in-process.

Together with the in-process conformance replay (model == recording) this
shows that the served model answers as the recorded registries did. It also
pins the one place where HTTP plumbing could change an answer: Docker 1.10's
four separate ``Accept`` lines must reach a 2.3 model as four values.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl, urlsplit

import pytest

import regcompat as rc
from regcompat.engine.http import HTTPTransport
from regcompat.server import serve
from tests.registry.conformance import SESSIONS, load
from tests.registry.helpers import DOCKER_110_ACCEPT, push_image, put_manifest

HOST = ("Host", "localhost:5000")


def _replay(name: str, handle) -> list[tuple[rc.Request, rc.Response]]:
    out, location = [], None
    for entry in load(name):
        req = entry["request"]
        target = req["path"]
        if req["method"] in ("PUT", "PATCH") and "/blobs/uploads/" in target and location:
            digest = dict(parse_qsl(urlsplit(target).query)).get("digest")
            parts = urlsplit(location)
            target = parts.path + "?" + parts.query + (f"&digest={digest}" if digest else "")
        request = rc.Request(req["method"], target, [HOST, *map(tuple, req["headers"])],
                             base64.b64decode(req["body_b64"]) if req["body_b64"] else b"")
        response = handle(request)
        if req["method"] == "POST" and response.headers.get("Location"):
            location = response.headers["Location"]
        out.append((request, response))
    return out


@pytest.mark.parametrize("name", list(SESSIONS))
def test_recorded_session_over_http_equals_in_process(name):
    version, config = SESSIONS[name]
    config = {**config, "secret": b"one secret for both"}  # the _state tokens must match
    direct = _replay(name, rc.Registry(version, **config).handle)
    with serve(rc.Registry(version, **config)) as url, HTTPTransport(url) as transport:
        wire = _replay(name, transport.handle)
    assert len(direct) == len(wire)
    for (request, want), (_, got) in zip(direct, wire):
        label = f"{request.method} {request.target}"
        assert got.status == want.status, label
        assert sorted(h for h in got.headers if h[0].lower() != "date") == sorted(want.headers), label
        assert got.headers.get("Date"), label
        assert got.body == (b"" if request.method == "HEAD" else want.body), label


@pytest.mark.parametrize("version", ["2.3.0", "2.3.1", "2.4", "2.5"])
def test_separate_accept_lines_survive_the_server(version):
    """Registry < 2.5 compares each Accept line whole: folding them would downgrade to schema1."""
    image = rc.sample_image()
    registry = rc.Registry(version)
    push_image(registry, "demo/app", image)
    assert put_manifest(registry, "demo/app", "latest", image.schema2().raw, rc.MediaType.SCHEMA2).status == 201
    with serve(registry) as url, HTTPTransport(url) as transport:
        lines = rc.Request("GET", "/v2/demo/app/manifests/latest", [("Accept", a) for a in DOCKER_110_ACCEPT])
        folded = rc.Request("GET", "/v2/demo/app/manifests/latest", [("Accept", ", ".join(DOCKER_110_ACCEPT))])
        by_lines, by_fold = transport.handle(lines), transport.handle(folded)
    assert by_lines.headers["Content-Type"] == rc.MediaType.SCHEMA2
    # the folded header is what curl sends: before 2.5 it was not understood (distribution PR #1782)
    expected_fold = rc.MediaType.SCHEMA2 if version == "2.5" else rc.MediaType.SCHEMA1_SIGNED
    assert by_fold.headers["Content-Type"] == expected_fold
