"""Odd inputs sent to the real 2.8.2 and to regcompat (issue "every release line"):
deep JSON, huge integers, lists naming what is not a manifest, foreign layers,
bad config descriptors, broken schema1 signatures, uppercase names and digests, and
the catalog. Every answer must match the real build's."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest

from regcompat.manifest import libtrust
from regcompat.mediatypes import MediaType
from regcompat.testing import random_image

from .differential import digest_of

pytestmark = pytest.mark.live

S2 = [("Content-Type", MediaType.SCHEMA2)]
LIST = [("Content-Type", MediaType.MANIFEST_LIST)]
ACCEPT_S2 = [("Accept", MediaType.SCHEMA2)]
ACCEPT_LIST = [("Accept", MediaType.MANIFEST_LIST), ("Accept", MediaType.SCHEMA2)]


def _pushed(pair, repo: str, seed: int):
    """Upload an image's blobs to both sides; its schema2 manifest as a dict."""
    image = random_image(seed)
    for blob in image.blobs():
        pair.upload(repo, blob.data, str(blob.digest), step="blob")
    return image, json.loads(image.schema2().raw)


def _put_get(pair, repo: str, tag: str, body: bytes, headers=S2, accept=ACCEPT_S2) -> None:
    pair.send("PUT", f"/v2/{repo}/manifests/{tag}", headers, body, step=tag)
    pair.send("GET", f"/v2/{repo}/manifests/{tag}", accept, step=tag)
    pair.send("GET", f"/v2/{repo}/manifests/{digest_of(body)}", accept, step=tag)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1000, 9999, 10001])
def test_deep_json(pair, depth):
    repo = f"odd/deep{depth}"
    _, doc = _pushed(pair, repo, 71)
    text = json.dumps(doc)[:-1] + ', "x": ' + _nested(depth) + "}"
    _put_get(pair, repo, "deep", text.encode())
    pair.check()


@pytest.mark.parametrize("where", ["unknown field", "layer size", "schemaVersion"])
def test_huge_integer(pair, where):
    repo = "odd/bigint"
    _, doc = _pushed(pair, repo, 72)
    big = "9" * 5000
    text = json.dumps(doc)
    if where == "unknown field":
        text = text[:-1] + ', "x": ' + big + "}"
    elif where == "layer size":
        text = text.replace('"size": %d' % doc["layers"][0]["size"], '"size": ' + big, 1)
    else:
        text = text.replace('"schemaVersion": 2', '"schemaVersion": ' + big, 1)
    _put_get(pair, repo, "big", text.encode())
    pair.check()


def test_list_naming_a_config_blob(pair):
    repo = "odd/listcfg"
    image, doc = _pushed(pair, repo, 73)
    config = doc["config"]
    listed = {"schemaVersion": 2, "mediaType": MediaType.MANIFEST_LIST, "manifests": [
        {"mediaType": MediaType.SCHEMA2, "digest": config["digest"], "size": config["size"],
         "platform": {"architecture": "amd64", "os": "linux"}}]}
    body = json.dumps(listed).encode()
    _put_get(pair, repo, "cfg", body, LIST, ACCEPT_LIST)
    pair.send("GET", f"/v2/{repo}/manifests/cfg", [], step="old client")
    pair.send("GET", f"/v2/{repo}/manifests/cfg", ACCEPT_S2, step="schema2 only")
    pair.check()


def test_list_with_schema_version_1(pair):
    repo = "odd/listv1"
    image, doc = _pushed(pair, repo, 74)
    raw = image.schema2().raw
    pair.send("PUT", f"/v2/{repo}/manifests/child", S2, raw, step="child")
    listed = {"schemaVersion": 1, "mediaType": MediaType.MANIFEST_LIST, "manifests": [
        {"mediaType": MediaType.SCHEMA2, "digest": digest_of(raw), "size": len(raw),
         "platform": {"architecture": "amd64", "os": "linux"}}]}
    _put_get(pair, repo, "v1list", json.dumps(listed).encode(), LIST, ACCEPT_LIST)
    pair.check()


@pytest.mark.parametrize("urls", [["http://example.com/layer.tar"], [], None])
def test_foreign_layer(pair, urls):
    repo = "odd/foreign"
    _, doc = _pushed(pair, repo, 75)
    layer = {"mediaType": MediaType.DOCKER_FOREIGN_LAYER, "size": 1234, "digest": "sha256:" + "7" * 64}
    if urls is not None:
        layer["urls"] = urls
    doc["layers"].append(layer)
    _put_get(pair, repo, "foreign", json.dumps(doc).encode())
    pair.check()


@pytest.mark.parametrize("digest", [None, "", "sha256:xyz", "sha256:" + "A" * 64, "md5:abc"])
def test_config_digest(pair, digest):
    repo = "odd/config"
    _, doc = _pushed(pair, repo, 76)
    if digest is None:
        del doc["config"]["digest"]
    else:
        doc["config"]["digest"] = digest
    _put_get(pair, repo, "cfg", json.dumps(doc).encode())
    pair.check()


def _signed(image, name: str, tag: str) -> dict:
    from regcompat.manifest.libtrust import TrustKey
    payload = image.schema1_payload(name, tag)
    doc = libtrust.sign(payload, TrustKey.from_seed("odd"), now=datetime(2020, 1, 1, tzinfo=timezone.utc))
    return json.loads(doc)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.mark.parametrize("damage", ["alg none", "HS256", "no jwk", "short signature", "no signatures",
                                    "bad protected"])
def test_schema1_signature_failures(pair_schema1, damage):
    pair = pair_schema1
    repo = "odd/signed"
    image, _ = _pushed(pair, repo, 77)
    doc = _signed(image, repo, "s1")
    sig = doc["signatures"][0]
    if damage == "alg none":
        sig["header"]["alg"] = "none"
    elif damage == "HS256":
        sig["header"]["alg"] = "HS256"
    elif damage == "no jwk":
        del sig["header"]["jwk"]
    elif damage == "short signature":
        sig["signature"] = sig["signature"][:20]
    elif damage == "no signatures":
        doc["signatures"] = []
    else:
        sig["protected"] = _b64(b'{"formatLength": 1')
    body = json.dumps(doc, indent=3).encode()
    pair.send("PUT", f"/v2/{repo}/manifests/s1", [("Content-Type", MediaType.SCHEMA1_SIGNED)], body,
              step=damage)
    pair.check()


def test_uppercase_host_part_of_a_name(pair):
    """From 2.4 a name may start with a registry host, in any case."""
    pair.send("GET", "/v2/Upper/app/tags/list", step="uppercase name")
    pair.send("GET", "/v2/Upper/app/manifests/latest", step="uppercase name")
    pair.send("GET", "/v2/Upper/blobs/sha256:" + "1" * 64, step="uppercase single component")
    pair.check()


def test_uppercase_digest(pair):
    """A PUT by an uppercase-hex digest: a tag to go-digest, stored, then the tag's path is refused."""
    repo = "odd/upper"
    image, doc = _pushed(pair, repo, 78)
    raw = image.schema2().raw
    upper = "sha256:" + digest_of(raw).split(":")[1].upper()
    pair.send("PUT", f"/v2/{repo}/manifests/{upper}", S2, raw, step="uppercase digest")
    pair.send("GET", f"/v2/{repo}/manifests/{upper}", ACCEPT_S2, step="uppercase digest")
    pair.send("GET", f"/v2/{repo}/manifests/{digest_of(raw)}", ACCEPT_S2, step="stored by digest")
    pair.send("GET", f"/v2/{repo}/tags/list", step="no tag written")
    pair.check()


def test_catalog(fresh_pair):
    pair = fresh_pair
    image = random_image(79)
    for blob in image.blobs():
        pair.upload("odd/blobsonly", blob.data, str(blob.digest), step="blob")
    pair.send("POST", "/v2/odd/started/blobs/uploads/", step="upload started only")
    pair.send("GET", "/v2/_catalog", step="catalog")
    for n in ("100000", "1000", "1001", "1", "0", "-1", "x", "+1", "%201", "1_0"):
        pair.send("GET", f"/v2/_catalog?n={n}", step=f"n={n}")
    pair.check()
