"""Every engine against Debian's real docker-registry (distribution 2.8.2) and against the model.

Each engine pushes the same image to the real registry and to ``Registry("2.8")``
(default and ``compatibility.schema1.enabled``), then every engine pulls it by tag
and by the printed digest from both. The results must agree: success, printed
digest, media type, error text, the lines printed, and on the wire every
manifest exchange's method, path, status, Content-Type, Docker-Content-Digest
and ETag (bodies too, except freshly signed schema1). Both sides get the Host
``localhost:5000`` so the printed lines do not depend on ports.
"""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.engine import ENGINE_VERSIONS, Engine
from regcompat.image import sample_image
from regcompat.mediatypes import MediaType
from tests.conftest import require_tool

pytestmark = pytest.mark.live

HOST = "localhost:5000"


@pytest.fixture(scope="module", params=[False, True], ids=["default", "schema1-enabled"])
def registries(request):
    from tests.live.processes import RealRegistry
    real = RealRegistry(require_tool("docker-registry"), schema1=request.param).start()
    try:
        yield real.url, rc.Registry("2.8", schema1_push=request.param)
    finally:
        real.close()


def _wire(result) -> list[tuple]:
    rows = []
    for ex in result.exchanges:
        target = ex.request.target
        if "/manifests/" not in target:
            continue
        resp = ex.response
        content_type = resp.headers.get("Content-Type")
        body = None if (content_type or "").startswith(MediaType.SCHEMA1_SIGNED) else resp.body
        rows.append((ex.request.method, target, resp.status, content_type,
                     resp.headers.get("Docker-Content-Digest"), resp.headers.get("ETag"), body))
    return rows


def _summary(result) -> tuple:
    return (result.ok, result.digest, result.media_type, result.error, result.output)


@pytest.mark.parametrize("pusher", ENGINE_VERSIONS)
def test_engines_agree_with_the_real_registry(registries, pusher):
    real_url, model = registries
    repo = f"live/{pusher.replace('.', '-')}"
    image = sample_image()
    real_push = Engine(pusher, real_url, host=HOST).push(image, f"{repo}:latest")
    model_push = Engine(pusher, model, host=HOST).push(image, f"{repo}:latest")
    assert _summary(model_push) == _summary(real_push)
    assert model_push.daemon_log == real_push.daemon_log
    assert _wire(model_push) == _wire(real_push)
    if not real_push.ok:
        return
    for puller in ENGINE_VERSIONS:
        for ref in (f"{repo}:latest", f"{repo}@{real_push.digest}"):
            real_pull = Engine(puller, real_url, host=HOST).pull(ref)
            model_pull = Engine(puller, model, host=HOST).pull(ref)
            assert _summary(model_pull) == _summary(real_pull), (puller, ref)
            assert _wire(model_pull) == _wire(real_pull), (puller, ref)


@pytest.mark.parametrize("platforms", [(("amd64", "linux", None), ("arm64", "linux", "v8")),
                                       (("arm64", "linux", "v8"),)], ids=["amd64+arm64", "arm64-only"])
def test_manifest_lists_agree_with_the_real_registry(registries, platforms):
    from regcompat.engine.publish import publish_index
    from regcompat.engine.wire import Session
    from regcompat.engine.http import HTTPTransport
    from regcompat.testing import random_index
    real_url, model = registries
    repo = f"live/list-{len(platforms)}"
    images, index = random_index(seed=3, platforms=list(platforms))
    with HTTPTransport(real_url) as transport:
        real = publish_index(Session(transport, HOST), images, index, repo, "latest")
    ours = publish_index(Session(model, HOST), images, index, repo, "latest")
    assert (ours.ok, ours.digest, ours.error) == (real.ok, real.digest, real.error) and real.ok
    assert _wire(ours) == _wire(real)
    for puller in ENGINE_VERSIONS:
        for ref in (f"{repo}:latest", f"{repo}@{real.digest}"):
            real_pull = Engine(puller, real_url, host=HOST).pull(ref)
            model_pull = Engine(puller, model, host=HOST).pull(ref)
            assert _summary(model_pull) == _summary(real_pull), (puller, ref)
            assert _wire(model_pull) == _wire(real_pull), (puller, ref)
