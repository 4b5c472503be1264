"""The engine models over real HTTP against Debian's docker-registry 2.8.2: same outcomes as in-process.

For every pusher, puller and reference kind (tag, digest) the flow runs three
times: against ``Registry("2.8")`` in process, against the same model served
by waitress, and against the real registry (default configuration, and with
schema1 push enabled). The results must agree on success, digest, media type,
error text and every line the engine prints.
"""

from __future__ import annotations

import itertools

import pytest

import regcompat as rc
from regcompat.server import serve
from regcompat.testing import random_image
from tests.server.engineflows import flows

pytestmark = pytest.mark.live

PUSHERS = ["1.9", "1.10", "17.06", "27"]
IMAGES = {"sample": rc.sample_image, "seed7": lambda: random_image(7), "seed8-exotic": lambda: random_image(8, exotic=True)}


@pytest.mark.parametrize("schema1", [False, True], ids=["default", "schema1-enabled"])
@pytest.mark.parametrize("pusher,kind", list(itertools.product(PUSHERS, IMAGES)))
def test_engine_flows_match_the_real_registry(request, schema1, pusher, kind):
    real = request.getfixturevalue("real_registry_schema1" if schema1 else "real_registry")
    image = IMAGES[kind]()
    repo = f"engines/{'s1' if schema1 else 'def'}-{pusher.replace('.', '')}-{kind}"
    in_process = flows(rc.Registry("2.8", schema1_push=schema1), image, pusher, repo)
    with serve(rc.Registry("2.8", schema1_push=schema1)) as url:
        served = flows(url, image, pusher, repo)
    live = flows(real.url, image, pusher, repo)
    assert served == in_process
    assert live == in_process
