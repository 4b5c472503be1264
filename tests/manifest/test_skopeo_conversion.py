"""Conversions checked against skopeo (containers/image) on images we generate.

``skopeo copy --format v2s1`` converts a schema2 image to a signed schema1
manifest with containers/image's ``convertToManifestSchema1`` (based on
distribution's builder; compact, schemaVersion last, empty name/tag for
``dir:``, author kept). Its payload must equal ours, byte for byte, including
for exotic configs (pretty-printed, ``<>&``, escaped and raw non-ASCII,
fractional times with offsets, authors and comments, empty layers anywhere).

``skopeo copy --format v2s2`` from our OCI manifest must give our compact
schema2 manifest: the config blob is kept, only media types change.
"""

from __future__ import annotations

import pytest

from regcompat.image import Image, sample_image
from regcompat.manifest import libtrust, schema1
from regcompat.manifest.convert import oci_to_schema2
from regcompat.testing import random_image

IMAGES = {
    "sample": sample_image,
    "plain": lambda: random_image(1, layers=2),
    "exotic": lambda: random_image(4, layers=2, exotic=True),
    "exotic-3": lambda: random_image(11, layers=3, exotic=True, empty_layers=False),
    "one-layer": lambda: random_image(8, layers=1),
    "only-empty": lambda: random_image(5, layers=0),
}


def write_dir(path, manifest: bytes, image: Image) -> str:
    path.mkdir()
    (path / "version").write_text("Directory Transport Version: 1.1\n")
    (path / "manifest.json").write_bytes(manifest)
    for blob in image.blobs():
        (path / blob.digest.encoded).write_bytes(blob.data)
    return f"dir:{path}"


@pytest.mark.live
@pytest.mark.parametrize("name", IMAGES)
def test_skopeo_v2s1_conversion_equals_ours(skopeo, tmp_path, name):
    image = IMAGES[name]()
    source = write_dir(tmp_path / "src", image.schema2(style="compact").raw, image)
    skopeo("copy", "--format", "v2s1", source, f"dir:{tmp_path / 'dst'}")
    document = (tmp_path / "dst" / "manifest.json").read_bytes()
    assert schema1.parse(document).canonical == image.schema1_payload("", "", keep_author=True,
                                                                       style="containers")
    assert len(libtrust.verify(document)) == 1


@pytest.mark.live
@pytest.mark.parametrize("name", ["sample", "exotic"])
def test_skopeo_oci_to_v2s2_keeps_the_config_and_writes_our_compact_bytes(skopeo, tmp_path, name):
    image = IMAGES[name]()
    source = write_dir(tmp_path / "src", image.oci(style="compact").raw, image)
    skopeo("copy", "--format", "v2s2", source, f"dir:{tmp_path / 'dst'}")
    converted = (tmp_path / "dst" / "manifest.json").read_bytes()
    assert converted == image.schema2(style="compact").raw == oci_to_schema2(image.oci()).raw
