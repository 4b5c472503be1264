"""Freshly generated images, pushed and pulled every way, on the real 2.8.2 and on regcompat.

Each case sends one scripted session to both servers (see differential.py):
blob uploads (monolithic and chunked PATCH), blob HEAD/GET, schema2 pushes
under two tags, manifest GETs with every Accept the engines and tools send
(Docker 1.10's four lines, none, a comma list, ``q=0``, ``*/*``, schema1
only), HEAD, GET by digest, the converted digest asked back, an OCI manifest,
manifest lists (with and without an amd64/linux entry), signed, tampered and
unsigned schema1 pushes, the classic error cases and the tag list. Images
come from ``regcompat.testing`` with several seeds, with and without
empty-layer history entries, and with non-ASCII and ``<>&`` in the config.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from regcompat.image import Image, build_config
from regcompat.manifest import libtrust
from regcompat.mediatypes import MediaType
from regcompat.testing import random_image, random_index

pytestmark = pytest.mark.live

DOCKER_110 = [("Accept", t) for t in (MediaType.SCHEMA2, MediaType.MANIFEST_LIST,
                                      MediaType.SCHEMA1_SIGNED, MediaType.SCHEMA1)]
ACCEPTS = {
    "engine110": DOCKER_110,
    "engine19": [],
    "comma": [("Accept", f"{MediaType.SCHEMA2}, {MediaType.MANIFEST_LIST}")],
    "q0": [("Accept", f"{MediaType.SCHEMA2};q=0")],
    "star": [("Accept", "*/*")],
    "schema1_only": [("Accept", MediaType.SCHEMA1_SIGNED)],
    "s2_only": [("Accept", MediaType.SCHEMA2)],
    "oci": [("Accept", MediaType.OCI_MANIFEST), ("Accept", MediaType.OCI_INDEX)],
}
IMAGES = {
    "seed1": lambda: random_image(1),
    "seed2-3layers": lambda: random_image(2, layers=3),
    "seed3-exotic": lambda: random_image(3, exotic=True),
    "seed4-no-empty": lambda: random_image(4, empty_layers=False),
    "seed5-exotic-no-empty": lambda: random_image(5, layers=1, empty_layers=False, exotic=True),
}
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def push_blobs(pair, repo: str, image: Image, *, chunked: bool) -> None:
    for n, blob in enumerate(image.blobs()):
        pair.upload(repo, blob.data, str(blob.digest), chunks=2 if chunked and n % 2 else 0,
                    step=f"blob {n}")


def put_manifest(pair, repo: str, ref: str, body: bytes, content_type: str | None, step: str):
    headers = [("Content-Type", content_type)] if content_type else []
    return pair.send("PUT", f"/v2/{repo}/manifests/{ref}", headers, body, step=step)


def get_all_ways(pair, repo: str, ref: str, step: str) -> dict:
    answers = {}
    for label, accept in ACCEPTS.items():
        real, _ = pair.send("GET", f"/v2/{repo}/manifests/{ref}", accept, step=f"{step} {label}")
        answers[label] = real
    pair.send("HEAD", f"/v2/{repo}/manifests/{ref}", [], step=f"{step} HEAD engine19")
    pair.send("HEAD", f"/v2/{repo}/manifests/{ref}", DOCKER_110, step=f"{step} HEAD engine110")
    return answers


@pytest.mark.parametrize("kind", list(IMAGES))
def test_generated_image_session(pair, kind):
    image = IMAGES[kind]()
    repo = f"gen/{kind}"
    pair.send("GET", "/v2/", step="base")
    push_blobs(pair, repo, image, chunked=True)
    for blob in image.blobs():
        pair.send("HEAD", f"/v2/{repo}/blobs/{blob.digest}", step="blob HEAD")
        pair.send("GET", f"/v2/{repo}/blobs/{blob.digest}", step="blob GET")
    manifest = image.schema2()
    for tag in ("a", "b"):
        put_manifest(pair, repo, tag, manifest.raw, MediaType.SCHEMA2, f"put schema2 {tag}")
    answers = get_all_ways(pair, repo, "a", "tag a")
    get_all_ways(pair, repo, "b", "tag b")
    get_all_ways(pair, repo, str(manifest.digest), "by digest")
    converted = answers["engine19"].headers["Docker-Content-Digest"]
    assert converted != str(manifest.digest)
    pair.send("GET", f"/v2/{repo}/manifests/{converted}", step="converted digest asked back")
    oci = image.oci()
    put_manifest(pair, repo, "oci", oci.raw, MediaType.OCI_MANIFEST, "put OCI")
    get_all_ways(pair, repo, "oci", "OCI")
    errors(pair, repo, image)
    pair.send("GET", f"/v2/{repo}/tags/list", step="tags")
    pair.check()


def errors(pair, repo: str, image: Image) -> None:
    manifest = image.schema2()
    put_manifest(pair, repo, "wrongct", manifest.raw, "application/json", "wrong CT")
    put_manifest(pair, repo, "noct", manifest.raw, None, "no CT")
    put_manifest(pair, repo, "sha256:" + "1" * 64, manifest.raw, MediaType.SCHEMA2, "wrong digest")
    missing = random_image(999, layers=1).schema2()
    put_manifest(pair, repo, "missing", missing.raw, MediaType.SCHEMA2, "missing blobs")
    doc = json.loads(manifest.raw)
    doc.pop("mediaType")
    put_manifest(pair, repo, "nomt", json.dumps(doc, indent=3).encode(), MediaType.SCHEMA2, "no mediaType")
    put_manifest(pair, repo, "garbage", b"{not json", MediaType.SCHEMA2, "not JSON")
    pair.send("GET", f"/v2/{repo}/manifests/nope", step="unknown tag")
    pair.send("GET", f"/v2/{repo}/manifests/sha256:" + "4" * 64, step="unknown digest")
    pair.send("GET", f"/v2/{repo}/blobs/sha256:" + "2" * 64, step="unknown blob")
    pair.send("GET", f"/v2/{repo}/blobs/sha256:abc", step="malformed digest")
    pair.send("GET", "/v2/Bad_Name/manifests/latest", step="bad name")
    pair.send("GET", "/v2/unknown/repository/tags/list", step="unknown repository tags")
    pair.upload(repo, b"hello", "sha256:" + "3" * 64, step="blob digest mismatch")


@pytest.mark.parametrize("seed", [11, 12])
def test_generated_manifest_lists(pair, seed):
    repo = f"gen/list-{seed}"
    index = random_index(seed)
    for image in index.images:
        push_blobs(pair, repo, image, chunked=False)
        child = image.schema2()
        put_manifest(pair, repo, str(child.digest), child.raw, MediaType.SCHEMA2, "child")
    put_manifest(pair, repo, "multi", index.index.raw, MediaType.MANIFEST_LIST, "list")
    get_all_ways(pair, repo, "multi", "list by tag")
    get_all_ways(pair, repo, str(index.index.digest), "list by digest")
    arm_only = random_index(seed + 100, platforms=[("arm64", "linux", "v8"), ("s390x", "linux", None)])
    for image in arm_only.images:
        push_blobs(pair, repo, image, chunked=True)
        child = image.schema2()
        put_manifest(pair, repo, str(child.digest), child.raw, MediaType.SCHEMA2, "arm child")
    put_manifest(pair, repo, "armonly", arm_only.index.raw, MediaType.MANIFEST_LIST, "arm-only list")
    get_all_ways(pair, repo, "armonly", "arm-only list")
    dangling = random_index(seed + 200)
    put_manifest(pair, repo, "dangling", dangling.index.raw, MediaType.MANIFEST_LIST, "children missing")
    pair.send("GET", f"/v2/{repo}/tags/list", step="tags")
    pair.check()


def test_empty_history_config(pair):
    base = random_image(21, layers=1, empty_layers=False)
    config = build_config(architecture="amd64", os="linux", diff_ids=base.diff_ids, history=[])
    image = Image(config, base.layers)
    repo = "gen/emptyhist"
    push_blobs(pair, repo, image, chunked=False)
    put_manifest(pair, repo, "latest", image.schema2().raw, MediaType.SCHEMA2, "put")
    get_all_ways(pair, repo, "latest", "empty history")
    pair.check()


def _schema1(image: Image, repo: str, tag: str, seed: str) -> bytes:
    return libtrust.sign(image.schema1_payload(repo, tag), libtrust.TrustKey.from_seed(seed), now=NOW)


@pytest.mark.parametrize("schema1_enabled", [False, True], ids=["default", "schema1-enabled"])
@pytest.mark.parametrize("seed", [31, 32])
def test_schema1_pushes(request, schema1_enabled, seed):
    pair = request.getfixturevalue("pair_schema1" if schema1_enabled else "pair")
    image = random_image(seed, exotic=seed % 2 == 0)
    repo = f"gen/schema1-{seed}"
    push_blobs(pair, repo, image, chunked=False)
    from regcompat.manifest.convert import EMPTY_LAYER, EMPTY_LAYER_DIGEST
    pair.upload(repo, EMPTY_LAYER, str(EMPTY_LAYER_DIGEST), step="empty layer")
    signed = _schema1(image, repo, "old", f"engine-{seed}")
    put_manifest(pair, repo, "old", signed, None, "signed, no CT")
    put_manifest(pair, repo, "pretty", signed, MediaType.SCHEMA1_SIGNED, "signed, prettyjws CT")
    get_all_ways(pair, repo, "old", "schema1 by tag")
    payload = image.schema1_payload(repo, "old")
    from regcompat.digest import from_bytes
    get_all_ways(pair, repo, str(from_bytes(payload)), "schema1 by digest")
    tampered = signed.replace(b'"architecture": "amd64"', b'"architecture": "arm64"')
    assert tampered != signed
    put_manifest(pair, repo, "tampered", tampered, None, "tampered")
    put_manifest(pair, repo, "unsigned", payload, MediaType.SCHEMA1, "unsigned")
    pair.send("GET", f"/v2/{repo}/tags/list", step="tags")
    pair.check()
