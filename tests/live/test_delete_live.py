"""Deletion switched on (``storage.delete.enabled: true``), on the real 2.8.2 and on
``Registry("2.8", delete_enabled=True)``: manifests by digest (and by tag: refused),
the tags that pointed at them, the tag list left empty, blobs."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.server import serve
from regcompat.testing import random_image
from tests.conftest import require_tool

from .differential import Pair
from .processes import RealRegistry

pytestmark = pytest.mark.live
REPO = "deletes/app"


@pytest.fixture
def pair_with_delete():
    real = RealRegistry(require_tool("docker-registry"), delete=True).start()
    try:
        with serve(rc.Registry("2.8", delete_enabled=True)) as url:
            pair = Pair(real.url, url)
            yield pair
            pair.close()
            pair.check()
    finally:
        real.close()


def test_deleting_manifests_tags_and_blobs(pair_with_delete):
    pair = pair_with_delete
    image = random_image(21)
    for blob in image.blobs():
        pair.upload(REPO, blob.data, str(blob.digest), step="blob")
    manifest = image.schema2()
    for tag in ("latest", "other"):
        pair.send("PUT", f"/v2/{REPO}/manifests/{tag}", [("Content-Type", manifest.media_type)], manifest.raw,
                  step="push")
    layer = image.layers[0].digest
    for method, target, step in [
        ("DELETE", f"/v2/{REPO}/manifests/latest", "by tag: refused"),
        ("DELETE", f"/v2/{REPO}/manifests/sha256:" + "1" * 64, "unknown digest"),
        ("DELETE", f"/v2/{REPO}/manifests/{manifest.digest}", "by digest"),
        ("GET", f"/v2/{REPO}/manifests/{manifest.digest}", "gone by digest"),
        ("GET", f"/v2/{REPO}/manifests/other", "its tags gone too"),
        ("GET", f"/v2/{REPO}/tags/list", "tag list now null"),
        ("DELETE", f"/v2/{REPO}/manifests/{manifest.digest}", "twice"),
        ("DELETE", f"/v2/{REPO}/blobs/{layer}", "blob"),
        ("DELETE", f"/v2/{REPO}/blobs/{layer}", "blob twice"),
        ("GET", f"/v2/{REPO}/blobs/{layer}", "blob gone"),
        ("DELETE", f"/v2/deletes/none/blobs/{layer}", "blob of an unknown repository"),
    ]:
        pair.send(method, target, step=step)
    assert len(pair.log) == 19  # 6 blob exchanges, 2 pushes, 11 above; the fixture compares them all
