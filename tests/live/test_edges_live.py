"""Edges of the HTTP API that the recordings do not cover, sent to the real
2.8.2 and to regcompat: router redirects, references that are not valid
digests, over-long names, catalog parameters, upload state tokens, mounts."""

from __future__ import annotations

import pytest

from regcompat.digest import from_bytes
from regcompat.testing import random_image


pytestmark = pytest.mark.live

REPO = "edges/app"


@pytest.fixture
def loaded(pair):
    image = random_image(11)
    for blob in image.blobs():
        pair.upload(REPO, blob.data, str(blob.digest), step="blob")
    manifest = image.schema2()
    pair.send("PUT", f"/v2/{REPO}/manifests/latest", [("Content-Type", manifest.media_type)], manifest.raw,
              step="push")
    return pair, image


@pytest.mark.parametrize("target", [
    pytest.param("/v2", id="StrictSlash redirect with its HTML body"),
    pytest.param(f"/v2/{REPO}/blobs/uploads", id="upload start without slash"),
    pytest.param("/v2/edges//app/tags/list", id="double slash: clean-path redirect"),
    pytest.param("/v2/edges/x/../app/manifests/latest", id="dot-dot: clean-path redirect"),
    pytest.param(f"/v2/{REPO}/manifests/md5:d41d8cd98f00b204e9800998ecf8427e", id="unknown algorithm as a tag"),
    pytest.param(f"/v2/{REPO}/manifests/sha256:" + "A" * 64, id="uppercase hex as a tag"),
    pytest.param(f"/v2/{REPO}/manifests/sha256:abc", id="short digest as a tag"),
    pytest.param(f"/v2/{REPO}/blobs/sha256:" + "A" * 64, id="uppercase blob digest"),
    pytest.param(f"/v2/{REPO}/blobs/sha256:abc", id="short blob digest"),
    pytest.param("/v2/" + "/".join(["a" * 50] * 6) + "/manifests/latest", id="name over 255 characters"),
    pytest.param("/v2/edges/none/tags/list", id="tags of an unknown repository"),
    pytest.param(f"/v2/{REPO}/blobs/uploads/nonexistent", id="upload without a state token"),
    pytest.param("/v2/", id="base"),
])
def test_get_edges(loaded, target):
    pair, _ = loaded
    pair.send("GET", target, step="edge")
    pair.send("HEAD", target, step="edge")


def test_method_not_allowed(loaded):
    pair, _ = loaded
    pair.send("POST", f"/v2/{REPO}/manifests/latest", step="405")
    pair.send("DELETE", f"/v2/{REPO}/manifests/latest", step="delete disabled")


def test_conditional_gets(loaded):
    pair, image = loaded
    manifest = image.schema2()
    layer = image.layers[0].digest
    pair.send("GET", f"/v2/{REPO}/manifests/latest", [("If-None-Match", f'"{manifest.digest}"')], step="304")
    pair.send("GET", f"/v2/{REPO}/blobs/{layer}", [("If-None-Match", f'"{layer}"')], step="blob 304")
    pair.send("GET", f"/v2/{REPO}/blobs/{layer}", [("Range", "bytes=0-9")], step="range")


def test_upload_state_edges(loaded):
    pair, _ = loaded
    locations = pair.start_upload(REPO)
    pair.send("GET", locations[0], targets=locations, step="status 204")
    real, ours = pair.send("PATCH", locations[0], [("Content-Type", "application/octet-stream")], b"hello",
                           targets=locations, step="patch")
    pair.send("PATCH", locations[0], [], b"x", targets=locations, step="stale token")
    locations = pair.start_upload(REPO)
    pair.send("PATCH", locations[0], [("Content-Range", "5-9")], b"hello", targets=locations,
              step="range that does not follow on")
    locations = pair.start_upload(REPO)
    pair.send("PUT", locations[0], [], b"hello", targets=locations, step="no digest")
    bad = tuple(loc + "&digest=sha256:zz" for loc in locations)
    pair.send("PUT", bad[0], [], b"hello", targets=bad, step="unparsable digest")
    pair.send("DELETE", locations[0], targets=locations, step="cancel")
    pair.send("GET", locations[0], targets=locations, step="after cancel")


def test_post_digest_and_mounts(loaded):
    pair, image = loaded
    data = b"monolithic post"
    pair.send("POST", f"/v2/edges/mono/blobs/uploads/?digest={from_bytes(data)}",
              [("Content-Type", "application/octet-stream")], data, step="POST with digest")
    layer = image.layers[0].digest
    pair.send("POST", f"/v2/edges/other/blobs/uploads/?mount={layer}&from={REPO}", step="mount")
    pair.send("GET", f"/v2/edges/other/blobs/{layer}", step="mounted blob")
    pair.send("POST", f"/v2/edges/third/blobs/uploads/?mount=sha256:zz&from={REPO}", step="bad mount digest")
    pair.send("POST", f"/v2/edges/fourth/blobs/uploads/?mount={layer}&from=edges/none", step="mount miss")


def test_oci_documents_and_mismatched_types(loaded):
    """OCI manifest without mediaType (served as the OCI type), an OCI index fetched every way,
    and bodies sent under another format's Content-Type."""
    from regcompat.manifest import manifestlist, oci
    from regcompat.manifest.descriptor import Descriptor, Platform
    from regcompat.mediatypes import MediaType

    pair, image = loaded
    manifest, oci_manifest = image.schema2(), image.oci()
    untyped = oci.build_manifest(oci_manifest.config, oci_manifest.layers, media_type=None)
    entry = Descriptor(MediaType.OCI_MANIFEST, len(oci_manifest.raw), oci_manifest.digest,
                       platform=Platform("amd64", "linux"))
    index, docker_list = oci.build_index([entry]), manifestlist.build([entry])
    for tag, content_type, body in [("oci", MediaType.OCI_MANIFEST, oci_manifest.raw),
                                    ("ocinomt", MediaType.OCI_MANIFEST, untyped.raw),
                                    ("idx", MediaType.OCI_INDEX, index.raw),
                                    ("dlist", MediaType.MANIFEST_LIST, docker_list.raw),
                                    ("s2-as-oci", MediaType.OCI_MANIFEST, manifest.raw),
                                    ("oci-as-s2", MediaType.SCHEMA2, oci_manifest.raw),
                                    ("list-as-s2", MediaType.SCHEMA2, docker_list.raw),
                                    ("s2-as-list", MediaType.MANIFEST_LIST, manifest.raw)]:
        pair.send("PUT", f"/v2/{REPO}/manifests/{tag}", [("Content-Type", content_type)], body, step="put " + tag)
    for tag in ("ocinomt", "idx", "dlist"):
        for accept in ([], [MediaType.SCHEMA2], [MediaType.OCI_MANIFEST], [MediaType.OCI_INDEX]):
            pair.send("GET", f"/v2/{REPO}/manifests/{tag}", [("Accept", a) for a in accept], step="get " + tag)
    pair.send("GET", f"/v2/{REPO}/manifests/{index.digest}", step="index by digest")


def test_sha512_uploads_and_unsatisfiable_ranges(loaded):
    """A sha512 upload is stored under its sha256; byte ranges. (Bad ranges are left to
    tests/registry: 2.8.2 answers them 416 with the blob's length announced over a short text
    body, which no HTTP client can read to the end.)"""
    import hashlib

    pair, image = loaded
    data = b"sha512 blob"
    sha512 = "sha512:" + hashlib.sha512(data).hexdigest()
    pair.upload(REPO, data, sha512, step="sha512 upload")
    pair.send("GET", f"/v2/{REPO}/blobs/{sha512}", step="by sha512")
    pair.send("HEAD", f"/v2/{REPO}/blobs/{sha512}", step="HEAD by sha512")
    layer = image.layers[0].digest
    for header in ("bytes=5-", "bytes=-4", "bytes=0-0"):
        pair.send("GET", f"/v2/{REPO}/blobs/{layer}", [("Range", header)], step="range " + header)
