"""skopeo, a real client no one here wrote, against ``regcompat`` served over HTTP.

An OCI layout made from a generated image is copied in as schema2
(``--format v2s2``) and as schema1 (``--format v2s1``) to several registry
versions. Then, by tag and by digest, ``skopeo inspect --raw`` must return the
bytes the model stored, ``skopeo manifest-digest`` of them must equal the
registry's ``Docker-Content-Digest``, ``regcompat.manifest_digest`` and
``regcompat digest FILE``, and a
copy back out to ``dir:`` must give every blob byte for byte. Against 2.8,
skopeo's whole experience (exit status, error text, digests, every file it
copies back out) must be the same as with Debian's real 2.8.2, in both
configurations; copies 3.0 or 2.2 refuse must fail in skopeo.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.engine.http import HTTPTransport
from regcompat.manifest import manifest_digest, parse_manifest
from regcompat.server import serve
from regcompat.testing import random_image
from tests.conftest import require_tool

from .skopeo import Skopeo, write_oci_layout

pytestmark = pytest.mark.live

EMPTY_LAYER = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"

CASES = [
    ("v2s2", "2.3.0", {}), ("v2s2", "2.3.1", {}), ("v2s2", "2.5", {}), ("v2s2", "2.7", {}),
    ("v2s2", "2.8", {}), ("v2s2", "3.0", {}),
    ("v2s1", "2.2.1", {}), ("v2s1", "2.3.0", {}), ("v2s1", "2.6", {}), ("v2s1", "2.8", {"schema1_push": True}),
]


@pytest.fixture(scope="module")
def skopeo(tmp_path_factory):
    return Skopeo(require_tool("skopeo"), tmp_path_factory.mktemp("skopeo-home"))


def _served_manifest(url: str, repo: str, ref: str) -> rc.Response:
    accept = [("Accept", t) for t in (rc.MediaType.SCHEMA2, rc.MediaType.MANIFEST_LIST, rc.MediaType.OCI_MANIFEST,
                                      rc.MediaType.SCHEMA1_SIGNED, rc.MediaType.SCHEMA1)]
    with HTTPTransport(url) as transport:
        return transport.handle(rc.Request("GET", f"/v2/{repo}/manifests/{ref}", accept))


@pytest.mark.parametrize("fmt,version,config", CASES, ids=[f"{f}-{v}" for f, v, _ in CASES])
def test_copy_in_inspect_and_copy_out(skopeo, tmp_path, fmt, version, config):
    image = random_image(61, layers=2, exotic=True)
    write_oci_layout(image, tmp_path / "layout")
    registry = rc.Registry(version, **config)
    with serve(registry) as url:
        host = url.removeprefix("http://")
        skopeo.copy_in(tmp_path / "layout", f"{host}/skopeo/app:{fmt}", fmt)
        served = _served_manifest(url, "skopeo/app", fmt)
        assert served.status == 200, served.body
        digest = served.headers["Docker-Content-Digest"]
        by_tag = skopeo.inspect_raw(f"{host}/skopeo/app:{fmt}")
        by_digest = skopeo.inspect_raw(f"{host}/skopeo/app@{digest}")
        out = tmp_path / "out"
        skopeo.copy_out(f"{host}/skopeo/app@{digest}", out)
    manifest = parse_manifest(served.headers["Content-Type"], by_tag)
    assert manifest.schema_version == (1 if fmt == "v2s1" else 2)
    for raw in (by_tag, by_digest):
        assert manifest_digest(raw) == digest
        (tmp_path / "raw.json").write_bytes(raw)
        assert skopeo.manifest_digest(tmp_path / "raw.json") == digest
        cli = subprocess.run([sys.executable, "-m", "regcompat.cli", "digest", str(tmp_path / "raw.json")],
                             capture_output=True, text=True, timeout=60, check=False)
        assert cli.returncode == 0 and cli.stdout.strip() == digest, cli.stderr
    if fmt == "v2s2":
        assert by_tag == by_digest == served.body  # stored bytes, untouched
    else:  # schema1: same payload, signatures may be re-attached (2.3+) but must be the stored ones
        assert parse_manifest(None, by_digest).canonical == manifest.canonical
    assert skopeo.manifest_digest(out / "manifest.json") == digest
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.name not in ("manifest.json", "version")}
    for name, data in files.items():
        assert str(from_bytes(data)).split(":", 1)[1] == name, f"{name} does not hash to its name"
    originals = {str(b.digest).split(":", 1)[1]: b.data for b in image.layers}
    for hex_digest, data in originals.items():
        assert files[hex_digest] == data
    if fmt == "v2s2":
        assert files[str(image.config_blob.digest).split(":", 1)[1]] == image.config
        assert set(files) == set(originals) | {str(image.config_blob.digest).split(":", 1)[1]}
    else:
        assert set(files) <= set(originals) | {EMPTY_LAYER.split(":", 1)[1]}


def _outcome(skopeo, tmp_path: Path, url: str, fmt: str, label: str) -> dict:
    """Copy in, inspect and copy out against ``url``; everything host-independent about it."""
    host = url.removeprefix("http://")
    layout = tmp_path / "layout"
    if not layout.exists():
        write_oci_layout(random_image(64, exotic=True), layout)
    result = skopeo.copy_in(layout, f"{host}/skopeo/cmp:{fmt}", fmt, check=False)
    outcome = {"returncode": result.returncode,
               "stderr": result.stderr.decode(errors="replace").split("msg=", 1)[-1].replace(host, "HOST")}
    if result.returncode == 0:
        raw = skopeo.inspect_raw(f"{host}/skopeo/cmp:{fmt}")
        out = tmp_path / f"out-{label}"
        skopeo.copy_out(f"{host}/skopeo/cmp:{fmt}", out)
        outcome["digest"] = str(manifest_digest(raw))
        outcome["dir"] = {p.name: (str(manifest_digest(p.read_bytes())) if p.name == "manifest.json" else p.read_bytes())
                          for p in out.iterdir()}
    return outcome


@pytest.mark.parametrize("fmt", ["v2s2", "v2s1"])
@pytest.mark.parametrize("schema1", [False, True], ids=["default", "schema1-enabled"])
def test_skopeo_sees_the_same_as_with_the_real_registry(skopeo, tmp_path, request, fmt, schema1):
    real = request.getfixturevalue("real_registry_schema1" if schema1 else "real_registry")
    with serve(rc.Registry("2.8", schema1_push=schema1)) as url:
        mine = _outcome(skopeo, tmp_path, url, fmt, "ours")
    theirs = _outcome(skopeo, tmp_path, real.url, fmt, "real")
    assert mine == theirs
    assert mine["returncode"] == (1 if fmt == "v2s1" and not schema1 else 0)


def test_schema1_copy_to_30_is_refused(skopeo, tmp_path):
    write_oci_layout(random_image(62), tmp_path / "layout")
    registry = rc.Registry("3.0")
    with serve(registry) as url:
        result = skopeo.copy_in(tmp_path / "layout", f"{url.removeprefix('http://')}/skopeo/old:v1", "v2s1",
                                check=False)
    assert result.returncode != 0
    assert "manifest invalid" in result.stderr.decode(errors="replace")
    assert "skopeo/old" not in registry.store.repositories or not registry.store.repositories["skopeo/old"].tags


def test_schema2_copy_to_a_pre_23_registry_is_refused(skopeo, tmp_path):
    write_oci_layout(random_image(63), tmp_path / "layout")
    with serve(rc.Registry("2.2.1")) as url:
        result = skopeo.copy_in(tmp_path / "layout", f"{url.removeprefix('http://')}/skopeo/new:v2", "v2s2",
                                check=False)
    assert result.returncode != 0
    assert "manifest invalid" in result.stderr.decode(errors="replace")
