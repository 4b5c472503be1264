"""Every engine against every registry version, in process and served over HTTP: same outcomes.

The HTTP transport and the WSGI adapter must be invisible to the engine
models: the same push and pulls (by tag and by digest) give the same
success, digests, media types, errors and printed lines either way.
"""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.server import serve

from .engineflows import flows

CASES = [(v, p) for v in rc.REGISTRY_VERSIONS for p in ("1.9", "1.10", "27")]


@pytest.mark.parametrize("version,pusher", CASES, ids=[f"registry{v}-push{p}" for v, p in CASES])
def test_engines_see_the_same_over_http(version, pusher):
    image = rc.sample_image()
    in_process = flows(rc.Registry(version), image, pusher, "demo/app")
    with serve(rc.Registry(version)) as url:
        over_http = flows(url, image, pusher, "demo/app")
    assert over_http == in_process
