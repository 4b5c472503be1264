"""Push and pull flows: order of requests, printed lines, fallback rules, bad input, HTTP transport."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.engine import Engine
from regcompat.engine.profiles import SCHEMA1_PUSH_NOTICE, SCHEMA1_PUSH_REMOVED
from regcompat.image import sample_image
from regcompat.manifest import libtrust, schema1

from .support import NAME, S1, V2, manifest_calls, pull, push


def _sequence(result) -> list[tuple[str, str]]:
    """(method, what) per request: the blob digest, ``upload`` or ``manifest``."""
    rows = []
    for ex in result.exchanges:
        path = ex.request.target.split("?")[0]
        what = "upload" if "/blobs/uploads/" in path else "manifest" if "/manifests/" in path else path.rsplit("/", 1)[1]
        rows.append((ex.request.method, what))
    return rows


@pytest.mark.parametrize("version", ["1.10", "17.06", "20.10"])
def test_a_fresh_daemon_uploads_layers_unchecked_then_checks_the_config(version):
    """The order a real Docker 20.10 used on its first push: per layer POST, PATCH, PUT, HEAD (Commit's Stat);
    the config HEADed first (the schema2 builder's Stat); then the manifest
    (M@v1.10.0:distribution/push_v2.go, M@v20.10.24:distribution/push_v2.go:315-325)."""
    reg = rc.Registry("2.3.1")
    image = sample_image()
    result = push(version, reg, image)
    upload = [("POST", "upload"), ("PATCH", "upload"), ("PUT", "upload")]
    expected = [("GET", "")]
    for layer in image.layers:
        expected += upload + [("HEAD", str(layer.digest))]
    config = str(image.config_blob.digest)
    expected += [("HEAD", config)] + upload + [("HEAD", config), ("PUT", "manifest")]
    assert _sequence(result) == expected
    put = [ex.request for ex in result.exchanges if ex.request.method == "PUT" and "/uploads/" in ex.request.target][0]
    assert put.body == b"" and put.target.endswith("&digest=" + str(image.layers[0].digest).replace(":", "%3A"))
    banner = "The push refers to repository" if version == "20.10" else "The push refers to a repository"
    assert result.output == [f"{banner} [localhost:5000/demo/app]", f"latest: digest: {result.digest} size: {result.size}"]


def test_the_same_daemon_checks_what_it_pushed_before():
    """A real Docker 20.10 pushing again: HEAD each layer and the config (200, "Layer already exists"), PUT the manifest."""
    reg = rc.Registry("2.8")
    engine = Engine("17.06", reg)
    image = sample_image()
    engine.push(image, f"{NAME}:latest")
    again = engine.push(image, f"{NAME}:latest")
    assert again.ok and _sequence(again) == [("GET", "")] + [("HEAD", str(b.digest)) for b in image.layers] + [
        ("HEAD", str(image.config_blob.digest)), ("PUT", "manifest")]
    fresh = push("17.06", reg)  # another daemon knows nothing: it uploads again
    assert [method for method, _ in _sequence(fresh)].count("POST") == len(image.layers)


def test_16_checks_every_blob_and_uploads_monolithically():
    """1.6/1.7's session client: HEAD, POST, PUT with the body (M@v1.6.2:registry/session_v2.go:112-290)."""
    reg = rc.Registry("2.0")
    result = push("1.6", reg)
    methods = [m for m, what in _sequence(result) if what != "manifest"]
    assert "PATCH" not in methods and methods[1:4] == ["HEAD", "POST", "PUT"]


@pytest.mark.parametrize("version", ["20.10", "27", "28"])
def test_modern_engines_have_no_schema1_fallback_and_wrap_tag_invalid(version):
    """20.10+: ``tag invalid`` is wrapped in the [DEPRECATED] text (M@v20.10.24:distribution/push_v2.go:193-199,
    M@v28.5.2:distribution/push_v2.go:186-190); a real Docker 20.10 printed exactly this against 2.0 and 2.1."""
    reg = rc.Registry("2.1")
    result = push(version, reg)
    assert not result.ok and result.error == (
        "[DEPRECATED] support for pushing manifest v2 schema1 images has been removed. More information at "
        "https://docs.docker.com/registry/spec/deprecated-schema-v1/: tag invalid")
    assert result.daemon_log == [SCHEMA1_PUSH_REMOVED] and len(manifest_calls(result, "PUT")) == 1


@pytest.mark.parametrize("version", ["20.10", "27", "28"])
def test_other_schema2_refusals_are_not_wrapped(version):
    """2.2.1 answers MANIFEST_INVALID with a detail: no wrap (a real Docker 20.10: ``manifest invalid: manifest invalid``)."""
    result = push(version, rc.Registry("2.2.1"))
    assert not result.ok and result.error == "manifest invalid: manifest invalid" and result.daemon_log == []


@pytest.mark.parametrize("version", ["20.10", "27"])
def test_allow_schema1_push_falls_back_and_prints_the_notice(version):
    """DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE (M@v20.10.24:distribution/push_v2.go:193-222): fallback, then the notice."""
    reg = rc.Registry("2.1")
    result = Engine(version, reg, allow_schema1_push=True).push(sample_image(), f"{NAME}:latest")
    notice = SCHEMA1_PUSH_NOTICE.format(domain="localhost:5000")
    assert result.ok and result.media_type == S1 and result.output[-2:] == [
        notice, f"latest: digest: {result.digest} size: {result.size}"]
    assert result.daemon_log[0] == "failed to upload schema2 manifest: tag invalid - falling back to schema1"
    with pytest.raises(ValueError, match="DOCKER_ALLOW_SCHEMA1_PUSH_DONOTUSE"):
        Engine("28", reg, allow_schema1_push=True)


def test_19_push_signs_with_the_daemon_key_and_16_puts_schema_version_last():
    reg = rc.Registry("2.3.1")
    engine = Engine("1.9", reg)
    result = engine.push(sample_image(), f"{NAME}:latest")
    body = manifest_calls(result, "PUT")[0].request.body
    assert libtrust.verify(body) == [engine.trust_key.key_id]
    old = push("1.6", rc.Registry("2.3.1"))
    payload = schema1.parse(manifest_calls(old, "PUT")[0].request.body).canonical
    assert payload.rstrip().endswith(b'"schemaVersion": 1\n}')
    assert old.output[-1] == f"Digest: {old.digest}"


def test_pushes_are_deterministic():
    a = push("1.10", rc.Registry("2.1"))
    b = push("1.10", rc.Registry("2.1"))
    assert [ex.request.body for ex in a.exchanges] == [ex.request.body for ex in b.exchanges]


def test_pull_output_lines_for_a_successful_tag_pull():
    reg = rc.Registry("2.3.1")
    push("1.10", reg)
    result = pull("1.10", reg)
    assert result.output == ["latest: Pulling from demo/app", f"Digest: {result.digest}",
                             "Status: Downloaded newer image for localhost:5000/demo/app:latest"]


def test_throwaway_layers_are_not_downloaded_by_110_but_are_by_19():
    reg = rc.Registry("2.3.1")
    push("1.9", reg)
    empty = "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
    blobs = lambda r: [ex.request.target.rsplit("/", 1)[1] for ex in r.exchanges if "/blobs/" in ex.request.target]  # noqa: E731
    assert empty in blobs(pull("1.9", reg)) and empty not in blobs(pull("1.10", reg))


def test_list_pull_by_110_fetches_the_amd64_child_by_digest():
    from .support import publish_list
    reg = rc.Registry("2.8")
    images, index, published = publish_list(reg)
    result = pull("1.10", reg)
    calls = manifest_calls(result)
    assert calls[1].request.target.endswith(str(images[0].schema2().digest))
    assert result.ok and result.digest == published.digest


@pytest.mark.parametrize("ref,text", [("Demo/App:latest", "repository name must be lowercase"),
                                      ("demo/app:", "invalid reference format"),
                                      ("", "repository name must have at least one component")])
def test_bad_references_give_the_reference_error_not_a_traceback(ref, text):
    reg = rc.Registry("2.8")
    assert pull("1.10", reg, ref).error == text
    assert push("1.10", reg, ref=ref).error == text


def test_pushing_a_digest_reference_is_refused():
    result = push("1.10", rc.Registry("2.8"), ref=f"{NAME}@sha256:" + "a" * 64)
    assert not result.ok and result.error == "cannot push a digest reference"


def test_bad_targets_are_refused():
    with pytest.raises(TypeError):
        Engine("1.10", object())
    with pytest.raises(ValueError, match="not a registry URL"):
        Engine("1.10", "ftp://example")


def test_same_flows_over_http():
    pytest.importorskip("waitress")
    from regcompat.server import serve
    reg = rc.Registry("2.3.0")
    with serve(reg) as url:
        pushed = Engine("1.10", url).push(sample_image(), f"{NAME}:latest")
        pulled = Engine("1.9", url).pull(f"{NAME}:latest")
        by_digest = Engine("1.9", url).pull(f"{NAME}@{pushed.digest}")
    assert pushed.ok and pushed.media_type == V2
    assert pulled.ok and pulled.media_type == S1
    assert by_digest.error == f'unsupported schema version 2 for tag "{pushed.digest}"'
    host = url.split("://", 1)[1].rstrip("/")
    assert pushed.output[0] == f"The push refers to a repository [{host}/demo/app]"


def test_unreachable_registry_is_an_error_not_a_traceback():
    result = Engine("1.10", "http://127.0.0.1:9").pull(f"{NAME}:latest")
    assert not result.ok and result.error


def test_require_schema2_disables_the_fallback_and_refuses_schema1():
    """17.06 with RequireSchema2 (plugins): the schema2 failure is final and logged without fallback."""
    reg = rc.Registry("2.1")
    engine = Engine("17.06", reg, require_schema2=True)
    result = engine.push(sample_image(), f"{NAME}:latest")
    assert not result.ok and result.error == "tag invalid"  # the bare code: default message, no detail
    assert result.daemon_log == ["failed to upload schema2 manifest: tag invalid"]
    push("1.9", reg)
    assert engine.pull(f"{NAME}:latest").error == "invalid manifest: not schema2"
    assert pull("17.06", reg).ok
    with pytest.raises(ValueError, match="no RequireSchema2"):
        Engine("1.10", reg, require_schema2=True)


@pytest.mark.parametrize("version,name", [("1.9", "demo/app"), ("1.6", "localhost:5000/demo/app")])
def test_schema1_pushers_log_the_signing_key(version, name):
    engine = Engine(version, rc.Registry("2.3.1"))
    result = engine.push(sample_image(), f"{NAME}:latest")
    assert result.daemon_log == [f"Signed manifest for {name}:latest using daemon's key: {engine.trust_key.key_id}"]


def test_diff_ids_are_recomputed_from_the_layers():
    """A config whose rootfs.diff_ids do not describe the layers fails the schema2 pull (1.10+)."""
    from regcompat.image import Image, build_config, layer_blob
    blob, _ = layer_blob({"a.txt": b"a\n"})
    _, other_id = layer_blob({"b.txt": b"b\n"})
    lying = Image(build_config(architecture="amd64", os="linux", diff_ids=[other_id],
                               history=[{"created": "2020-01-01T00:00:00Z", "created_by": "x"}]), (blob,))
    reg = rc.Registry("2.8")
    assert push("1.10", reg, lying).ok
    for version in ("1.10", "17.06", "27"):
        assert pull(version, reg).error == "layers from manifest don't match image configuration"


def test_a_layer_that_does_not_decompress_fails_registration():
    from regcompat.image import Blob, Image, build_config
    broken = Blob("application/vnd.docker.image.rootfs.diff.tar.gzip", b"\x1f\x8bnot really gzip")
    image = Image(build_config(architecture="amd64", os="linux", diff_ids=["sha256:" + "0" * 64],
                               history=[{"created": "2020-01-01T00:00:00Z", "created_by": "x"}]), (broken,))
    reg = rc.Registry("2.8")
    assert push("1.10", reg, image).ok
    assert pull("1.10", reg).error.startswith("failed to register layer: ")


def test_references_with_a_registry_host_are_understood():
    reg = rc.Registry("2.3.1")
    pushed = Engine("1.10", reg).push(sample_image(), f"localhost:5000/{NAME}:v1")
    assert pushed.ok and manifest_calls(pushed, "PUT")[0].request.target == f"/v2/{NAME}/manifests/v1"
    pulled = Engine("1.10", reg).pull(f"localhost:5000/{NAME}:v1")
    assert pulled.ok and pulled.output[-1] == f"Status: Downloaded newer image for localhost:5000/{NAME}:v1"


def test_27_logs_and_returns_the_schema1_deprecation():
    reg = rc.Registry("2.3.1")
    push("1.9", reg)
    result = pull("27", reg)
    assert result.daemon_log == [result.error] and result.error.startswith("[DEPRECATION NOTICE]")
    assert result.output[0] == "latest: Pulling from demo/app"  # printed before the refusal
