"""Deletion switched on (``storage.delete.enabled: true``), on the real 2.8.2 and on
``Registry("2.8", delete_enabled=True)``: manifests by digest (and by tag: refused),
the tags that pointed at them, the tag list left empty, blobs."""

from __future__ import annotations

import pytest

from regcompat.testing import random_image


pytestmark = pytest.mark.live
REPO = "deletes/app"


def test_deleting_manifests_tags_and_blobs(fresh_pair_with_delete):
    pair = fresh_pair_with_delete
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
