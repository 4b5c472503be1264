"""The facts the lessons state in prose, checked against the model.

The lessons' stored outputs are compared by nbval, but their *text* (markdown)
cannot be: these tests pin each behaviour a lesson explains, so a change in
the model that would make a lesson's explanation wrong fails here, with the
lesson named. Expected values come from the behaviour reference the lessons
cite, never from the model itself.
"""

import json

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
    refused = get(upgraded, "/v2/demo/app/manifests/latest", MediaType.SCHEMA1_SIGNED)
    assert refused.status == 500
    assert json.loads(refused.body)["errors"] == [{"code": "UNKNOWN", "message": "unknown error",
                                                   "detail": "unrecognized manifest schema version 1"}]


def test_lesson_08_application_json_alone_still_gets_schema1():
    reg, _ = pushed("2.3.1")
    assert get(reg, "/v2/demo/app/manifests/latest", "application/json").headers["Content-Type"] \
        == MediaType.SCHEMA1_SIGNED


# --- issue 9: the claims of the rewritten lessons, one test per claim --------------------------------------

def test_lesson_00_docker_1_10_pulls_its_own_push_by_tag_and_by_digest():
    reg, push = pushed("2.3.1")
    assert rc.Engine("1.10", reg).pull("demo/app:latest").ok
    assert rc.Engine("1.10", reg).pull("demo/app@" + push.digest).ok


def test_lesson_01_uploads_are_stored_only_under_their_own_digest():
    from regcompat.digest import from_bytes
    from regcompat.notebook.labhelpers import upload_blob
    reg = rc.Registry("2.3.1")
    assert upload_blob(reg, b"hello\n", from_bytes(b"hello\n")).status == 201
    for data, announced in ((b"Hello", from_bytes(b"hello")), (b"hello", "sha256:" + "0" * 64)):
        refused = upload_blob(reg, data, announced)
        assert refused.status == 400 and b"DIGEST_INVALID" in refused.body


def test_lesson_01_a_tampered_blob_is_caught_even_by_tag_and_a_rewritten_header_does_not_help():
    from regcompat.notebook.labhelpers import TamperingProxy
    reg, push = pushed("2.3.1")
    by_tag = rc.Engine("1.10", TamperingProxy(reg, what="blob")).pull("demo/app:latest")
    assert not by_tag.ok and "verification failed for digest" in by_tag.error
    rewritten = rc.Engine("1.10", TamperingProxy(reg, fix_header=True)).pull("demo/app@" + push.digest)
    assert rewritten.error == f"manifest verification failed for digest {push.digest}"


def test_lesson_02_re_signing_on_every_get_keeps_the_digest():
    reg, _ = pushed("2.5", engine="1.9")
    first, second = (get(reg, "/v2/demo/app/manifests/latest") for _ in range(2))
    assert first.body != second.body
    assert first.headers["Docker-Content-Digest"] == second.headers["Docker-Content-Digest"]


def test_lesson_02_what_changes_a_digest():
    import json

    from regcompat.manifest import schema2
    stored = IMAGE.schema2()
    reindented = json.dumps(json.loads(stored.raw), indent=2).encode()
    assert rc.manifest_digest(reindented) != stored.digest
    assert schema2.build(stored.config, stored.layers, style="compact").digest != stored.digest
    assert (rc.manifest_digest(IMAGE.schema1_payload("demo/app", "stable"))
            != rc.manifest_digest(IMAGE.schema1_payload("demo/app", "latest")))


def test_lesson_03_a_current_engine_does_not_fall_back():
    _, push = pushed("2.2.1", engine=MODERN)
    assert not push.ok and not any("falling back" in line for line in push.daemon_log)
    puts = [x for x in push.exchanges if x.request.method == "PUT" and "/manifests/" in x.request.path]
    assert len(puts) == 1 and puts[0].response.status == 400


def test_lesson_03_who_sends_which_content_type():
    _, old = pushed("2.3.0", engine="1.9")
    put = next(x for x in old.exchanges if x.request.method == "PUT" and "/manifests/" in x.request.path)
    assert put.request.headers.get("Content-Type") is None
    _, fallback = pushed("2.2.1")
    types = [x.request.headers.get("Content-Type") for x in fallback.exchanges
             if x.request.method == "PUT" and "/manifests/" in x.request.path]
    assert types == [MediaType.SCHEMA2, MediaType.SCHEMA1_SIGNED]
    assert (pushed("2.3.0")[1].size, fallback.size) == (710, 1490)


def ci_job(reg):
    header = get(reg, "/v2/demo/app/manifests/latest").headers["Docker-Content-Digest"]
    return get(reg, f"/v2/demo/app/manifests/{header}", MediaType.SCHEMA2, MediaType.MANIFEST_LIST,
               MediaType.SCHEMA1_SIGNED).status


def test_lesson_04_the_ci_job_breaks_on_2_3_1_not_on_2_3_0():
    assert ci_job(pushed("2.3.1")[0]) == 404
    assert ci_job(pushed("2.3.0")[0]) == 200


def test_lesson_04_by_digest_the_registry_sends_the_stored_bytes_whatever_the_client():
    reg, push = pushed("2.3.1")
    answer = get(reg, f"/v2/demo/app/manifests/{push.digest}")
    assert answer.headers["Content-Type"] == MediaType.SCHEMA2 and rc.manifest_digest(answer.body) == push.digest


def test_lesson_05_header_per_version_and_request():
    for version, accept, names_list in (("2.3.0", (), True), ("2.5", (), False),
                                        ("2.5", (MediaType.SCHEMA2,), True), ("2.8", (MediaType.SCHEMA2,), False)):
        reg, lst = list_registry(version)
        answer = get(reg, "/v2/demo/app/manifests/latest", *accept)
        assert (answer.headers["Docker-Content-Digest"] == lst.digest) is names_list, (version, accept)


def test_lesson_05_the_fallback_ignores_the_variant():
    reg, lst = list_registry("2.3.1", platforms=(("amd64", "linux", "v2"), ("amd64", "linux", None)))
    served = get(reg, "/v2/demo/app/manifests/latest", MediaType.SCHEMA2)
    assert rc.manifest_digest(served.body) == lst.manifests[0].digest
    assert rc.Engine("1.9", reg).pull("demo/app:latest").ok


def test_lesson_06_guided_reading_first_failures():
    def first_failure(pusher, puller, by):
        for version in rc.REGISTRY_VERSIONS:
            result = rc.scenario(pusher, version, puller, by)
            if not result.ok:
                return version, result.outcome
        return None

    assert first_failure("1.9", "1.9", "tag") == ("2.7", "push failed")
    assert first_failure("1.10", "1.9", "digest") == ("2.3.0", "pull failed")
    assert first_failure("1.10", "1.6", "tag") == ("2.3.0", "pull failed")
    assert first_failure("1.10", MODERN, "tag") == ("2.0", "pull failed")


def test_lesson_06_docker_1_6_by_tag_fails_on_2_3_0_and_3_0_only():
    failing = {v for v in rc.REGISTRY_VERSIONS if not rc.scenario("1.10", v, "1.6", "tag").ok}
    assert failing == {"2.3.0", "3.0"}


def test_lesson_06_release_dates_are_the_tag_dates():
    from regcompat.registry import behaviour
    tagged = {"2.0": "2015-04-16", "2.1": "2015-08-11", "2.2.1": "2015-12-09", "2.3.0": "2016-02-04",
              "2.3.1": "2016-03-08", "2.4": "2016-04-13", "2.5": "2016-07-28", "2.6": "2017-01-17",
              "2.7": "2018-12-03", "2.8": "2022-02-07", "3.0": "2025-04-01"}   # git tag dates of v2.0.0 ... v3.0.0
    assert {v: behaviour(v).released for v in tagged} == tagged


def test_lesson_07_tags_move_digest_pins_do_not():
    reg = rc.Registry("2.8")
    first = rc.Engine(MODERN, reg).push(IMAGE, "demo/app:prod")
    rc.Engine(MODERN, reg).push(rc.testing.random_image(seed=11), "demo/app:prod")
    assert rc.Engine(MODERN, reg).pull("demo/app:prod").digest != first.digest
    assert rc.Engine(MODERN, reg).pull("demo/app@" + first.digest).digest == first.digest


def test_lesson_07_upgrading_before_re_pushing_strands_schema1_images():
    legacy_reg, _ = pushed("2.2.1", engine="1.9", ref="demo/legacy:1.0")
    assert not rc.Engine(MODERN, legacy_reg.upgraded("3.0")).pull("demo/legacy:1.0").ok
    assert rc.Engine("17.06", legacy_reg).pull("demo/legacy:1.0").ok   # an older engine still reads it


def test_lesson_08_comma_separated_accept_is_split_from_2_5():
    one = (f"{MediaType.SCHEMA2}, {MediaType.MANIFEST_LIST}",)
    asks = [(), (MediaType.SCHEMA2, MediaType.MANIFEST_LIST), one]
    for version, schema2_answers in (("2.3.1", 1), ("2.8", 2)):
        reg, _ = pushed(version)
        types = [get(reg, "/v2/demo/app/manifests/latest", *a).headers["Content-Type"] for a in asks]
        assert types.count(MediaType.SCHEMA2) == schema2_answers, version


def test_lesson_09_docker_1_9_by_digest_works_only_where_1_10_fell_back():
    works = {v for v in rc.REGISTRY_VERSIONS if rc.scenario("1.10", v, "1.9", "digest").ok}
    assert works == {"2.0", "2.1", "2.2.1"}


def test_lesson_09_the_warm_up_message_names_what_was_asked_for():
    assert rc.scenario("1.10", "3.0", "1.9", "tag").error == 'unsupported schema version 2 for tag "latest"'
    by_digest = rc.scenario("1.10", "2.3.1", "1.9", "digest")
    assert by_digest.error == f'unsupported schema version 2 for tag "{by_digest.push.digest}"'


def test_lesson_07_schema1_pulls_read_by_20_10_refused_by_27_removed_in_28():
    legacy_reg, _ = pushed("2.2.1", engine="1.9", ref="demo/legacy:1.0")
    assert rc.Engine("20.10", legacy_reg).pull("demo/legacy:1.0").ok
    assert rc.Engine("27", legacy_reg).pull("demo/legacy:1.0").error.startswith("[DEPRECATION NOTICE]")
    assert "schema 1 support has been removed" in rc.Engine("28", legacy_reg).pull("demo/legacy:1.0").error


def test_lesson_03_schema1_push_fallback_ends_with_17_06():
    for engine, falls_back in (("17.06", True), ("20.10", False)):
        _, push = pushed("2.2.1", engine=engine)
        assert push.ok is falls_back, engine


def test_lesson_02_stored_schema1_is_re_signed_from_2_5_not_before():
    for version, fresh in (("2.4", False), ("2.5", True)):
        reg, _ = pushed(version, engine="1.9")
        first, second = (get(reg, "/v2/demo/app/manifests/latest") for _ in range(2))
        assert (first.body != second.body) is fresh, version


def test_lesson_08_registry_2_8_still_converts_for_docker_1_9_by_tag():
    result = rc.scenario("1.10", "2.8", "1.9", "tag")
    assert result.ok and result.converted


def test_lesson_04_registries_2_3_to_2_6_serve_a_spaced_manifest_trimmed_and_verifiers_refuse_it():
    from regcompat.digest import from_bytes
    spaced = b"\n  " + IMAGE.schema2().raw
    for version, trimmed in (("2.3.0", True), ("2.6", True), ("2.7", False)):
        reg, _ = pushed(version)
        put = reg.handle(rc.Request("PUT", "/v2/demo/app/manifests/spaced", [("Content-Type", MediaType.SCHEMA2)],
                                    spaced))
        w = put.headers["Docker-Content-Digest"]
        assert put.status == 201 and w == from_bytes(spaced)
        served = get(reg, f"/v2/demo/app/manifests/{w}", MediaType.SCHEMA2)
        assert (rc.manifest_digest(served.body) != w) is trimmed, version
        pulled = rc.Engine("1.10", reg).pull("demo/app@" + w)
        assert pulled.ok is not trimmed, version
        if trimmed:
            assert pulled.error == f"manifest verification failed for digest {w}"
