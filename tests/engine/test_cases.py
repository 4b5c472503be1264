"""The engine side of the 26 reference cases (registry-behavior.md section 8), one test each,
plus the seed scenario. Real Registry model, real engine flows; the registry-only facts are
checked again here only where the engine's result depends on them."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.engine import Engine
from regcompat.image import sample_image
from regcompat.testing import random_image

from .support import (ACCEPT_110, LIST, NAME, OCI, S1, V2, Tamper, converted_digest, empty_history_image,
                      header, manifest_calls, publish_list, pull, push, raw)

CONVERTING = ("2.3.1", "2.4", "2.5", "2.6", "2.7", "2.8")


def test_seed_scenario_110_push_to_230_then_19_pulls():
    """1.10 pushes schema2 to 2.3.0; 1.9 by tag gets the converted C; by digest S it fails."""
    image = sample_image()
    by_tag = rc.scenario(push_engine="1.10", registry="2.3.0", pull_engine="1.9", by="tag")
    S = by_tag.push.digest
    assert S == image.schema2(config_media_type="application/octet-stream").digest
    assert by_tag.ok and by_tag.pull.digest == converted_digest(image) != S
    assert by_tag.pull.output[-2] == f"Digest: {converted_digest(image)}"
    by_digest = rc.scenario(push_engine="1.10", registry="2.3.0", pull_engine="1.9", by="digest")
    assert by_digest.outcome == "pull failed"
    assert by_digest.pull.error == f'unsupported schema version 2 for tag "{S}"'


@pytest.mark.parametrize("puller,ok", [("1.6", True), ("1.7", True), ("1.9", True), ("1.10", True),
                                       ("1.12", True), ("17.06", True), ("27", False)])
@pytest.mark.parametrize("by", ["tag", "digest"])
def test_seed_scenario_19_pushed_schema1_pulls_everywhere_it_should(puller, ok, by):
    """A 1.9-pushed signed schema1 on 2.3.0 pulls with every engine except 27, which refuses schema1."""
    result = rc.scenario(push_engine="1.9", registry="2.3.0", pull_engine=puller, by=by)
    assert result.push.ok and result.pull.ok is ok
    if ok:
        assert result.pull.digest == result.push.digest
    else:
        assert result.pull.error.startswith("[DEPRECATION NOTICE] Docker Image Format v1")
        assert "Suggest the author of localhost:5000/demo/app" in result.pull.error


def test_case01_19_push_and_pull_on_221():
    """1.9 prints the digest before a no-CT PUT (201, DCD=P); tag and digest pulls print P."""
    reg = rc.Registry("2.2.1")
    pushed = push("1.9", reg)
    put = manifest_calls(pushed, "PUT")[0]
    assert put.request.headers.get("Content-Type") is None
    assert put.response.status == 201 and header(put, "Docker-Content-Digest") == pushed.digest
    assert header(put, "Location").endswith(f"/v2/{NAME}/manifests/{pushed.digest}")
    assert pushed.output[-1] == f"latest: digest: {pushed.digest} size: {pushed.size}"
    for ref in (f"{NAME}:latest", f"{NAME}@{pushed.digest}"):
        pulled = pull("1.9", reg, ref)
        get = manifest_calls(pulled)[0]
        assert get.request.headers.get("Accept") is None
        assert get.response.headers.get("Content-Type") == "application/json; charset=utf-8"
        assert header(get, "ETag") == f'"{pushed.digest}"'
        assert pulled.ok and f"Digest: {pushed.digest}" in pulled.output


def test_case02_same_on_20_202_no_etag_and_27_falls_back_from_head():
    """2.0 answers the PUT 202 and no ETag; 27's HEAD gets 405, so it resolves the tag with GET."""
    reg = rc.Registry("2.0")
    pushed = push("1.9", reg)
    assert manifest_calls(pushed, "PUT")[0].response.status == 202 and pushed.ok
    pulled = pull("1.9", reg)
    assert pulled.ok and header(manifest_calls(pulled)[0], "ETag") is None
    modern = pull("27", reg)
    methods = [(ex.request.method, ex.response.status) for ex in manifest_calls(modern)]
    assert methods[:2] == [("HEAD", 405), ("GET", 200)]
    assert manifest_calls(modern)[2].request.target.endswith(pushed.digest)
    assert modern.error.startswith("[DEPRECATION NOTICE]")


def test_case03_110_push_to_21_falls_back_to_schema1():
    """TAG_INVALID on the schema2 PUT, a daemon-log warning, then a signed schema1 PUT (201).

    Registry 2.1 sends TAG_INVALID with its default message and no detail, which the vendored
    errcode turns into the bare code: the log says ``tag invalid``, not ``tag invalid: manifest
    tag did not match URI`` (M@v1.10.0:vendor/src/github.com/docker/distribution/registry/api/errcode/errors.go:239-262).
    """
    reg = rc.Registry("2.1")
    image = sample_image()
    pushed = push("1.10", reg, image)
    first, second = manifest_calls(pushed, "PUT")
    assert first.request.headers["Content-Type"] == V2 and first.response.status == 400
    assert pushed.daemon_log == ["failed to upload schema2 manifest: tag invalid - falling back to schema1"]
    assert second.request.headers["Content-Type"] == S1 and second.response.status == 201
    C = converted_digest(image)
    assert pushed.ok and pushed.digest == C and pushed.output[-1] == f"latest: digest: {C} size: {pushed.size}"
    config = image.config_blob.digest
    assert raw(reg, "HEAD", f"/v2/{NAME}/blobs/{config}").status == 200  # orphaned config blob
    for engine in ("1.9", "1.10"):
        assert pull(engine, reg).digest == C


def test_case04_110_push_to_221_manifest_invalid_then_fallback():
    """2.2.1 rejects the schema2 body as MANIFEST_INVALID; 1.10 logs it and falls back to schema1."""
    reg = rc.Registry("2.2.1")
    pushed = push("1.10", reg)
    assert manifest_calls(pushed, "PUT")[0].response.status == 400
    assert pushed.daemon_log == ["failed to upload schema2 manifest: manifest invalid: manifest invalid - "
                                 "falling back to schema1"]
    assert pushed.ok and pushed.media_type == S1


@pytest.mark.parametrize("version", ["2.3.0", "2.3.1"])
def test_case05_110_push_and_pull_on_23(version):
    """Schema2 stored (201, DCD=S); 1.10 sends the 4 Accept headers and gets schema2 back."""
    reg = rc.Registry(version)
    pushed = push("1.10", reg)
    assert manifest_calls(pushed, "PUT")[0].response.status == 201 and pushed.media_type == V2
    for ref in (f"{NAME}:latest", f"{NAME}@{pushed.digest}"):
        pulled = pull("1.10", reg, ref)
        get = manifest_calls(pulled)[0]
        assert get.request.headers.get_all("Accept") == ACCEPT_110
        assert get.response.headers["Content-Type"] == V2
        assert pulled.ok and pulled.digest == pushed.digest == header(get, "Docker-Content-Digest")


@pytest.mark.parametrize("version,header_digest", [("2.3.0", "S")] + [(v, "C") for v in CONVERTING])
def test_case06_19_by_tag_converted_header_bug_on_230(version, header_digest):
    """Converted schema1, prettyjws; DCD/ETag = S on 2.3.0 (bug), C later; 1.9 prints C."""
    reg = rc.Registry(version)
    image = sample_image()
    pushed = push("1.10", reg, image)
    pulled = pull("1.9", reg)
    get = manifest_calls(pulled)[0]
    C = converted_digest(image)
    expected = pushed.digest if header_digest == "S" else C
    assert get.response.headers["Content-Type"] == S1
    assert header(get, "Docker-Content-Digest") == expected and header(get, "ETag") == f'"{expected}"'
    assert pulled.ok and pulled.digest == C and pulled.media_type == S1


@pytest.mark.parametrize("version", ("2.3.0",) + CONVERTING)
def test_case07_19_by_digest_of_schema2_fails(version):
    """By digest S nothing is converted: 1.9 gets schema2 and stops at the schemaVersion check."""
    reg = rc.Registry(version)
    pushed = push("1.10", reg)
    pulled = pull("1.9", reg, f"{NAME}@{pushed.digest}")
    get = manifest_calls(pulled)[0]
    assert get.response.status == 200 and get.response.headers["Content-Type"] == V2
    assert not pulled.ok and pulled.error == f'unsupported schema version 2 for tag "{pushed.digest}"'
    assert pulled.output == [pulled.error]


@pytest.mark.parametrize("engine", ["1.9", "1.10"])
def test_case08_pull_by_converted_digest_is_unknown(engine):
    """C is never stored: by digest it is 404 MANIFEST_UNKNOWN."""
    reg = rc.Registry("2.3.1")
    push("1.10", reg)
    C = pull("1.9", reg).digest
    pulled = pull(engine, reg, f"{NAME}@{C}")
    assert manifest_calls(pulled)[0].response.status == 404
    assert pulled.error == "manifest unknown: manifest unknown"


def test_case08_later_engines_rewrite_manifest_unknown():
    """17.06 and 27 translate MANIFEST_UNKNOWN into "manifest for <ref> not found" (27 keeps the cause)."""
    reg = rc.Registry("2.8")
    push("1.10", reg)
    C = pull("1.9", reg).digest
    assert pull("17.06", reg, f"{NAME}@{C}").error == f"manifest for localhost:5000/{NAME}@{C} not found"
    assert pull("27", reg, f"{NAME}@{C}").error == (
        f"manifest for localhost:5000/{NAME}@{C} not found: manifest unknown: manifest unknown")


@pytest.mark.parametrize("engine,text", [
    ("1.6", 'error verifying manifest: unable to verify manifest digest: registry has "{S}", computed "{C}"'),
    ("1.7", 'error verifying manifest: verifying remote digest: verification against digest "{S}" failed')])
def test_case09_16_17_fail_on_230_succeed_on_231(engine, text):
    """1.6/1.7 check the digest header against the payload: 2.3.0 sends S for a converted body."""
    image = sample_image()
    reg = rc.Registry("2.3.0")
    S = push("1.10", reg, image).digest
    C = converted_digest(image)
    assert pull(engine, reg).error == text.format(S=S, C=C)
    fixed = rc.Registry("2.3.1")
    push("1.10", fixed, image)
    result = pull(engine, fixed)
    assert result.ok and result.digest == C


@pytest.mark.parametrize("version,served", [("2.3.1", S1), ("2.4", S1), ("2.5", V2), ("2.8", V2)])
def test_case10_single_comma_separated_accept(version, served):
    """One Accept header listing v2 and list: 2.3/2.4 downgrade to schema1, 2.5+ split it."""
    reg = rc.Registry(version)
    push("1.10", reg)
    response = raw(reg, "GET", f"/v2/{NAME}/manifests/latest", [("Accept", f"{V2}, {LIST}")])
    assert response.status == 200 and response.headers["Content-Type"] == served


def test_case11_two_tags_two_converted_digests_and_fresh_signatures():
    """C depends on the URL tag; each converted response carries a new signature, same digest."""
    reg = rc.Registry("2.3.1")
    image = sample_image()
    push("1.10", reg, image, f"{NAME}:a")
    push("1.10", reg, image, f"{NAME}:b")
    a1, a2, b = pull("1.9", reg, f"{NAME}:a"), pull("1.9", reg, f"{NAME}:a"), pull("1.9", reg, f"{NAME}:b")
    assert a1.digest == a2.digest == converted_digest(image, "a") != b.digest == converted_digest(image, "b")
    assert a1.manifest_bytes != a2.manifest_bytes  # a new signature on every response


@pytest.mark.parametrize("version,dcd", [("2.3.1", "L"), ("2.6", "L"), ("2.7", "child"), ("3.0", "child")])
def test_case12_list_by_tag_for_v2_only_client(version, dcd):
    """A v2-only client gets the amd64 child; the header says L until 2.7 fixed it (distribution#2395)."""
    reg = rc.Registry(version)
    images, index, published = publish_list(reg)
    child = images[0].schema2()
    response = raw(reg, "GET", f"/v2/{NAME}/manifests/latest", [("Accept", V2)])
    assert response.headers["Content-Type"] == V2 and response.body == child.raw
    expected = published.digest if dcd == "L" else child.digest
    assert response.headers["Docker-Content-Digest"] == expected


@pytest.mark.parametrize("version", ("2.3.0",) + CONVERTING)
def test_case13_list_by_tag_for_19(version):
    """The amd64 child is converted for 1.9 (DCD = L on 2.3.0, C(child) later); no amd64 -> 404."""
    reg = rc.Registry(version)
    images, index, published = publish_list(reg)
    pulled = pull("1.9", reg)
    C = converted_digest(images[0])
    assert pulled.ok and pulled.digest == C
    expected = published.digest if version == "2.3.0" else C
    assert header(manifest_calls(pulled)[0], "Docker-Content-Digest") == expected
    arm_only = rc.Registry(version)
    publish_list(arm_only, platforms=(("arm64", "linux", "v8"),))
    # a MANIFEST_UNKNOWN with no detail is the bare code; 1.9 prints its value
    # (M@v1.9.1:vendor/src/github.com/docker/distribution/registry/api/errcode/errors.go:26-29)
    missing = pull("1.9", arm_only)
    assert missing.error == ("MANIFEST_UNKNOWN" if _bare_manifest_unknown(missing) else "manifest unknown: manifest unknown")
    assert pull("1.10", arm_only).error == "no supported platform found in manifest list"


def _bare_manifest_unknown(result) -> bool:
    """Whether the registry's 404 carried MANIFEST_UNKNOWN with no detail (the body decides the text)."""
    import json
    (error,) = json.loads(manifest_calls(result)[-1].response.body)["errors"]
    return "detail" not in error and error["message"] == "manifest unknown"


@pytest.mark.parametrize("version", ["2.7", "2.8"])
def test_case14_19_push_to_27_28_gets_500(version):
    """Schema1 push disabled by default in 2.7+: 500 UNKNOWN, shown by 1.9 as an unexpected status."""
    reg = rc.Registry(version)
    pushed = push("1.9", reg)
    put = manifest_calls(pushed, "PUT")[0]
    assert put.response.status == 500
    assert put.response.body == b'{"errors":[{"code":"UNKNOWN","message":"unknown error","detail":{}}]}\n'
    assert not pushed.ok and pushed.error == "Received unexpected HTTP status: 500 Internal Server Error"
    assert pushed.output[-2].startswith("latest: digest: sha256:")  # printed before the PUT
    enabled = push("1.9", rc.Registry(version, schema1_push=True))
    assert enabled.ok and manifest_calls(enabled, "PUT")[0].response.status == 201


@pytest.mark.parametrize("version", ["2.7", "2.8"])
@pytest.mark.parametrize("schema1_push", [False, True])
def test_case15_110_push_to_27_28_still_converted_for_19(version, schema1_push):
    """2.7/2.8 still convert schema2 for old clients by tag, whatever the schema1 push flag says."""
    reg = rc.Registry(version, schema1_push=schema1_push)
    image = sample_image()
    push("1.10", reg, image)
    pulled = pull("1.9", reg)
    assert pulled.ok and pulled.media_type == S1 and pulled.digest == converted_digest(image)
    assert header(manifest_calls(pulled)[0], "Docker-Content-Digest") == converted_digest(image)


def test_case16_110_push_to_30_19_tag_pull_gets_schema2():
    """3.0 never converts: 1.9 by tag gets schema2 and fails on its schemaVersion."""
    reg = rc.Registry("3.0")
    pushed = push("1.10", reg)
    pulled = pull("1.9", reg)
    get = manifest_calls(pulled)[0]
    assert get.response.headers["Content-Type"] == V2 and header(get, "Docker-Content-Digest") == pushed.digest
    assert pulled.error == 'unsupported schema version 2 for tag "latest"'


def test_case17_30_list_with_schema2_child_refused_for_19():
    """3.0 refuses to hand a schema2 child of a list to a client that does not accept schema2."""
    reg = rc.Registry("3.0")
    publish_list(reg)
    pulled = pull("1.9", reg)
    assert manifest_calls(pulled)[0].response.status == 400
    assert pulled.error == "manifest invalid: Schema 2 manifest not supported by client"


def test_case18_19_push_to_30_manifest_invalid():
    """3.0 has no schema1 at all: a no-Content-Type PUT is MANIFEST_INVALID."""
    reg = rc.Registry("3.0")
    pushed = push("1.9", reg)
    assert manifest_calls(pushed, "PUT")[0].response.status == 400
    assert pushed.error == "manifest invalid: manifest invalid" and pushed.output[-1] == pushed.error


@pytest.mark.parametrize("version,put_status", [("2.3.1", 201), ("2.6", 201), ("2.7", 400)])
def test_case19_schema2_without_media_type(version, put_status):
    """Stored but unreadable on 2.3-2.6: the engine then finds nothing (manifest unknown)."""
    reg = rc.Registry(version)
    image = sample_image()
    push("1.10", reg, image, f"{NAME}:base")  # uploads the blobs
    body = image.schema2().raw.replace(b'   "mediaType": "%s",\n' % V2.encode(), b"")
    assert b'"mediaType": "application/vnd.docker.distribution.manifest.v2' not in body
    put = raw(reg, "PUT", f"/v2/{NAME}/manifests/bare", [("Content-Type", V2)], body)
    assert put.status == put_status
    pulled = pull("1.10", reg, f"{NAME}:bare")
    assert pulled.error == "manifest unknown: manifest unknown"


@pytest.mark.parametrize("version,content_type", [("2.3.1", "application/json"), ("2.8", None),
                                                  ("3.0", "application/json")])
def test_case20_schema2_body_with_wrong_content_type(version, content_type):
    """A schema2 body under application/json (or no type) is parsed as schema1 and refused."""
    reg = rc.Registry(version)
    image = sample_image()
    push("1.10", reg, image, f"{NAME}:base")
    headers = [("Content-Type", content_type)] if content_type else []
    put = raw(reg, "PUT", f"/v2/{NAME}/manifests/wrong", headers, image.schema2().raw)
    assert put.status == 400 and b"MANIFEST_INVALID" in put.body
    if version == "3.0":
        assert b"unsupported manifest media type and no default available: application/json" in put.body


def test_case21_missing_blobs_one_error_each_config_first():
    """The engine renders several errors as Docker's client does: "errors:" then one per line."""
    from regcompat.engine.wire import client_error
    reg = rc.Registry("2.3.1")
    image = random_image(seed=5, layers=1)
    manifest = image.schema2()
    put = raw(reg, "PUT", f"/v2/{NAME}/manifests/latest", [("Content-Type", V2)], manifest.raw)
    assert put.status == 400
    assert client_error(put) == ("errors:\n" + "manifest blob unknown: blob unknown to registry\n" * 2)
    assert put.body.index(str(manifest.config.digest).encode()) < put.body.index(
        str(manifest.layers[0].digest).encode())


def test_case22_empty_history_breaks_old_client_get_only():
    reg = rc.Registry("2.3.1")
    image = empty_history_image()
    pushed = push("1.10", reg, image)
    assert pushed.ok and pushed.media_type == V2
    old = pull("1.9", reg)
    assert manifest_calls(old)[0].response.status == 400
    assert old.error == "manifest invalid: manifest invalid"
    assert pull("1.10", reg).ok


def test_case23_head_by_tag():
    """405 before 2.3 (27 falls back to GET); from 2.3 HEAD answers the converted headers, no body."""
    old = rc.Registry("2.2.1")
    push("1.9", old)
    assert raw(old, "HEAD", f"/v2/{NAME}/manifests/latest").status == 405
    reg = rc.Registry("2.3.1")
    push("1.10", reg)
    head = raw(reg, "HEAD", f"/v2/{NAME}/manifests/latest")
    get = raw(reg, "GET", f"/v2/{NAME}/manifests/latest")
    assert head.status == 200 and head.body == b""
    assert head.headers["Docker-Content-Digest"] == get.headers["Docker-Content-Digest"]
    assert head.headers["Content-Type"] == S1
    modern = pull("27", reg)
    assert [ex.request.method for ex in manifest_calls(modern)][:2] == ["HEAD", "GET"]
    assert modern.ok


@pytest.mark.parametrize("engine,pusher,text", [
    ("1.10", "1.10", "manifest verification failed for digest {d}"),
    ("1.10", "1.9", "image verification failed for digest {d}"),
    ("1.9", "1.9", "image verification failed for digest {d}"),
    ("27", "1.10", "manifest verification failed for digest {d}")])
def test_case24_tampered_bytes_by_digest(engine, pusher, text):
    """By digest, the engine hashes what it got: schema2/lists raw, schema1 over the payload."""
    reg = rc.Registry("2.3.1")
    pushed = push(pusher, reg)
    pulled = Engine(engine, Tamper(reg)).pull(f"{NAME}@{pushed.digest}")
    assert pulled.error == text.format(d=pushed.digest)


def test_case24_tampered_list_by_digest():
    """A list fetched by digest is hashed over its raw bytes too."""
    reg = rc.Registry("2.8")
    _, _, published = publish_list(reg)
    pulled = Engine("1.10", Tamper(reg)).pull(f"{NAME}@{published.digest}")
    assert pulled.error == f"manifest verification failed for digest {published.digest}"


def test_case25_oci_manifest_unknown_to_110_but_pulled_by_27():
    """2.7+ hide an OCI manifest from clients that do not accept it; 27 accepts and pulls it."""
    reg = rc.Registry("2.7")
    image = sample_image()
    push("27", reg, image, f"{NAME}:base")
    manifest = image.oci()
    put = raw(reg, "PUT", f"/v2/{NAME}/manifests/latest", [("Content-Type", OCI)], manifest.raw)
    assert put.status == 201
    old = pull("1.10", reg)
    assert manifest_calls(old)[0].response.status == 404
    assert old.error == "manifest unknown: OCI manifest found, but accept header does not support OCI manifests"
    modern = pull("27", reg)
    assert modern.ok and modern.digest == manifest.digest and modern.media_type == OCI


@pytest.mark.parametrize("engine,text", [("1.9", "Received unexpected HTTP status: 500 Internal Server Error"),
                                         ("1.10", "Received unexpected HTTP status: 500 Internal Server Error")])
def test_case26_30_with_stored_schema1_answers_500(engine, text):
    """Schema1 data left by 2.x is unreadable after an upgrade to 3.0: 500 UNKNOWN by tag and digest."""
    reg = rc.Registry("2.6")
    pushed = push("1.9", reg)
    upgraded = reg.upgraded("3.0")
    for ref in (f"{NAME}:latest", f"{NAME}@{pushed.digest}"):
        pulled = pull(engine, upgraded, ref)
        assert manifest_calls(pulled)[0].response.status == 500
        assert pulled.error == text


def test_digest_printed_by_19_push_equals_digest_the_registry_stores():
    """P printed before the PUT is the canonical payload digest the registry answers with."""
    reg = rc.Registry("2.3.1")
    pushed = push("1.9", reg)
    assert from_bytes(manifest_calls(pushed, "PUT")[0].request.body) != pushed.digest  # signatures excluded
    assert header(manifest_calls(pushed, "PUT")[0], "Docker-Content-Digest") == pushed.digest
