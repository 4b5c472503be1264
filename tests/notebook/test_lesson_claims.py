"""The facts the lessons state in prose, checked against the model.

The lessons' stored outputs are compared by nbval, but their *text* (markdown)
cannot be: these tests pin each behaviour a lesson explains, so a change in
the model that would make a lesson's explanation wrong fails here, with the
lesson named. Expected values come from the behaviour reference the lessons
cite, never from the model itself.
"""

import regcompat as rc
from regcompat.manifest import Descriptor, Platform, manifestlist
from regcompat.mediatypes import MediaType

IMAGE = rc.sample_image()
MODERN = rc.ENGINE_VERSIONS[-1]


def pushed(version, engine="1.10", ref="demo/app:latest", **config):
    reg = rc.Registry(version, **config)
    return reg, rc.Engine(engine, reg).push(IMAGE, ref)


def get(reg, target, *accept):
    return reg.handle(rc.Request("GET", target, [("Accept", a) for a in accept]))


def test_lesson_00_and_04_by_tag_converts_by_digest_fails_and_c_is_never_stored():
    reg, push = pushed("2.3.1")
    by_tag = rc.Engine("1.9", reg).pull("demo/app:latest")
    assert by_tag.ok and by_tag.digest != push.digest
    by_digest = rc.Engine("1.9", reg).pull("demo/app@" + push.digest)
    assert not by_digest.ok and by_digest.error == f'unsupported schema version 2 for tag "{push.digest}"'
    by_c = rc.Engine("1.9", reg).pull("demo/app@" + by_tag.digest)
    assert not by_c.ok and "manifest unknown" in by_c.error
    assert get(reg, f"/v2/demo/app/manifests/{by_tag.digest}", MediaType.SCHEMA2).status == 404


def test_lesson_01_tampering_is_caught_by_digest_only():
    reg, push = pushed("2.3.1")

    class Tamper:
        def handle(self, request):
            response = reg.handle(request)
            if request.method == "GET" and "/manifests/" in request.path and response.ok:
                body = response.body.replace(b'"schemaVersion":', b'"schemaVersion": ', 1)
                return rc.Response(response.status, response.headers.with_header("Content-Length", str(len(body))), body)
            return response

    by_tag = rc.Engine("1.10", Tamper()).pull("demo/app:latest")
    assert by_tag.ok and by_tag.digest != push.digest
    by_digest = rc.Engine("1.10", Tamper()).pull("demo/app@" + push.digest)
    assert by_digest.error == f"manifest verification failed for digest {push.digest}"


def test_lesson_03_silent_fallback_and_its_digest():
    for version, logged in (("2.2.1", "manifest invalid: manifest invalid"),
                            ("2.1", "tag invalid")):  # default message, no detail: the bare code
        reg, push = pushed(version)
        assert push.ok and push.media_type == MediaType.SCHEMA1_SIGNED
        assert push.daemon_log == [f"failed to upload schema2 manifest: {logged} - falling back to schema1"]
        assert not any("falling back" in line for line in push.output)
    _, fallback = pushed("2.2.1")
    reg, _ = pushed("2.3.1")
    assert rc.Engine("1.9", reg).pull("demo/app:latest").digest == fallback.digest


def test_lesson_03_and_06_schema1_push_refused_from_2_7_unless_enabled():
    _, refused = pushed("2.7", engine="1.9")
    assert not refused.ok and refused.error == "Received unexpected HTTP status: 500 Internal Server Error"
    assert any(line.startswith("latest: digest: ") for line in refused.output)  # printed before the PUT
    assert pushed("2.7", engine="1.9", schema1_push=True)[1].ok


def test_lesson_04_two_tags_two_converted_digests_and_the_2_3_0_header():
    reg, push = pushed("2.3.1")
    rc.Engine("1.10", reg).push(IMAGE, "demo/app:stable")
    assert (rc.Engine("1.9", reg).pull("demo/app:latest").digest
            != rc.Engine("1.9", reg).pull("demo/app:stable").digest)
    old, old_push = pushed("2.3.0")
    assert get(old, "/v2/demo/app/manifests/latest").headers["Docker-Content-Digest"] == old_push.digest
    assert not rc.Engine("1.6", old).pull("demo/app:latest").ok
    assert rc.Engine("1.6", reg).pull("demo/app:latest").ok


def list_registry(version, platforms=(("amd64", "linux", None), ("arm64", "linux", "v8"))):
    reg = rc.Registry(version)
    entries = []
    for image, (arch, os, variant) in zip(rc.testing.random_index(seed=5, platforms=list(platforms)).images, platforms):
        p = rc.Engine("1.12", reg).push(image, f"demo/app:{arch}")
        entries.append(Descriptor(p.media_type, p.size, p.digest, platform=Platform(arch, os, variant=variant)))
    lst = manifestlist.build(entries)
    assert reg.handle(rc.Request("PUT", "/v2/demo/app/manifests/latest",
                                 [("Content-Type", MediaType.MANIFEST_LIST)], lst.raw)).status == 201
    return reg, lst


def test_lesson_05_list_digest_headers_by_version():
    for version, converted_is_list, unconverted_is_list in (("2.3.0", True, True), ("2.3.1", False, True),
                                                             ("2.6", False, True), ("2.7", False, False)):
        reg, lst = list_registry(version)
        assert (get(reg, "/v2/demo/app/manifests/latest").headers["Docker-Content-Digest"] == lst.digest) \
            is converted_is_list, version
        assert (get(reg, "/v2/demo/app/manifests/latest", MediaType.SCHEMA2).headers["Docker-Content-Digest"]
                == lst.digest) is unconverted_is_list, version
    reg, lst = list_registry("2.3.1")
    assert rc.Engine("1.10", reg).pull("demo/app:latest").digest == lst.digest
    arm, _ = list_registry("2.3.1", platforms=(("arm64", "linux", "v8"),))
    assert rc.Engine("1.9", arm).pull("demo/app:latest").error == "MANIFEST_UNKNOWN"  # bare code, 1.9 prints its value
    assert rc.Engine("1.10", arm).pull("demo/app:latest").error == "no supported platform found in manifest list"
    r30, _ = list_registry("3.0")
    assert "Schema 2 manifest not supported by client" in rc.Engine("1.9", r30).pull("demo/app:latest").error


def test_lesson_06_accept_lists_and_3_0():
    one_header = f"{MediaType.SCHEMA2}, {MediaType.MANIFEST_LIST}"
    for version, expected in (("2.4", MediaType.SCHEMA1_SIGNED), ("2.5", MediaType.SCHEMA2)):
        reg, _ = pushed(version)
        assert get(reg, "/v2/demo/app/manifests/latest", one_header).headers["Content-Type"] == expected
    r30, _ = pushed("3.0")
    assert rc.Engine("1.9", r30).pull("demo/app:latest").error == 'unsupported schema version 2 for tag "latest"'
    assert not rc.Engine("1.9", rc.Registry("3.0")).push(IMAGE, "demo/app:latest").ok


def test_lesson_07_oci_refused_to_old_clients_and_schema1_to_modern_ones():
    reg = rc.Registry("2.8")
    rc.Engine(MODERN, reg).push(IMAGE, "demo/app:docker")
    oci = IMAGE.oci()
    assert reg.handle(rc.Request("PUT", "/v2/demo/app/manifests/oci",
                                 [("Content-Type", MediaType.OCI_MANIFEST)], oci.raw)).status == 201
    old = rc.Engine("1.10", reg).pull("demo/app:oci")
    assert "OCI manifest found, but accept header does not support OCI manifests" in old.error
    assert rc.Engine(MODERN, reg).pull("demo/app:oci").digest == oci.digest
    legacy_reg, _ = pushed("2.2.1", engine="1.9")
    assert not rc.Engine(MODERN, legacy_reg).pull("demo/app:latest").ok
    upgraded = legacy_reg.upgraded("3.0")
    assert get(upgraded, "/v2/demo/app/manifests/latest", MediaType.SCHEMA1_SIGNED).status == 500


def test_lesson_08_application_json_alone_still_gets_schema1():
    reg, _ = pushed("2.3.1")
    assert get(reg, "/v2/demo/app/manifests/latest", "application/json").headers["Content-Type"] \
        == MediaType.SCHEMA1_SIGNED
