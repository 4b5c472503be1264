"""The engine rows: versions, Accept headers, push formats and the texts they print."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.engine import ENGINE_VERSIONS, PROFILES, SCHEMA1_DEPRECATION, SCHEMA1_REMOVED, Engine, profile, profile_rows
from regcompat.errors import ErrorCode, RegistryError, to_envelope
from regcompat.image import sample_image
from regcompat.mediatypes import MediaType
from regcompat.messages import Response

from .support import ACCEPT_110, NAME, manifest_calls, pull, push

ACCEPT_MODERN = ACCEPT_110 + [MediaType.OCI_MANIFEST, MediaType.OCI_INDEX]


def test_required_versions_are_modelled():
    for version in ("1.6", "1.7", "1.9", "1.10", "1.12", "17.06", "20.10", "27", "28"):
        assert version in ENGINE_VERSIONS
    assert ENGINE_VERSIONS[-1] == "28"  # the current row: 28.2 and later
    assert rc.ENGINE_VERSIONS == ENGINE_VERSIONS
    assert [row["engine"] for row in profile_rows()] == list(ENGINE_VERSIONS)


@pytest.mark.parametrize("text,expected", [("1.10.3", "1.10"), ("1.9.1", "1.9"), ("17.06.0-ce", "17.06"),
                                           ("27.5.1", "27"), ("1.12", "1.12"), ("20.10.24", "20.10"),
                                           ("28.5.2", "28"), ("28.2.0", "28"),
                                           # 28.0/28.1 still had the schema1 pull switch of 26-27
                                           ("28.1.1", "27"), ("28.0.4", "27")])
def test_full_release_numbers_map_to_their_row(text, expected):
    assert profile(text).version == expected


@pytest.mark.parametrize("text", ["1.1", "2.0", "", "latest"])
def test_unknown_versions_are_refused_with_the_known_list(text):
    with pytest.raises(ValueError, match="unknown engine version .*known: 1.6, 1.7, 1.9"):
        profile(text)


@pytest.mark.parametrize("version,accept", [
    ("1.6", []), ("1.7", []), ("1.9", []), ("1.10", ACCEPT_110), ("1.12", ACCEPT_110), ("17.06", ACCEPT_110),
    ("20.10", ACCEPT_MODERN), ("27", ACCEPT_MODERN), ("28", ACCEPT_MODERN)])
def test_manifest_get_sends_the_versions_accept_headers(version, accept):
    reg = rc.Registry("2.8")
    push("1.10", reg)
    result = pull(version, reg)
    assert manifest_calls(result)[0].request.headers.get_all("Accept") == accept


@pytest.mark.parametrize("version", ["20.10", "27", "28"])
def test_modern_engines_resolve_a_tag_with_head_then_get_by_digest(version):
    """M@v20.10.24:distribution/pull_v2.go:349-380; a real 20.10 sent HEAD by tag, then GET by digest."""
    reg = rc.Registry("2.8")
    pushed = push(version, reg)
    calls = manifest_calls(pull(version, reg))
    assert [(ex.request.method, ex.request.target.rsplit("/", 1)[1]) for ex in calls] == [
        ("HEAD", "latest"), ("GET", pushed.digest)]


def test_schema1_deprecation_text_is_dockers():
    text = SCHEMA1_DEPRECATION.format(ref="docker.io/library/ubuntu:10.04")
    assert text == (
        "[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support is "
        "disabled by default and will be removed in an upcoming release. Suggest the author of "
        "docker.io/library/ubuntu:10.04 to upgrade the image to the OCI Format or Docker Image manifest v2, "
        "schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/")


@pytest.mark.parametrize("version,config_type", [("1.10", MediaType.OCTET_STREAM), ("1.12", MediaType.DOCKER_CONFIG),
                                                 ("17.06", MediaType.DOCKER_CONFIG), ("20.10", MediaType.DOCKER_CONFIG),
                                                 ("27", MediaType.DOCKER_CONFIG), ("28", MediaType.DOCKER_CONFIG)])
def test_schema2_config_media_type_quirk(version, config_type):
    """1.10.x writes application/octet-stream for the config (distribution#1621)."""
    reg = rc.Registry("2.8")
    result = push(version, reg)
    body = manifest_calls(result, "PUT")[0].request.body
    assert b'"mediaType": "%s"' % str(config_type).encode() in body


def test_every_profile_names_its_source():
    for p in PROFILES.values():
        assert p.source.startswith("M@v"), p.version


def test_schema1_removed_text_is_docker_28s():
    """M@v28.2.0:distribution/errors.go:229-236 (unchanged in v28.5.2)."""
    assert SCHEMA1_REMOVED.format(ref="docker.io/library/ubuntu:10.04") == (
        "Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. Suggest "
        "the author of docker.io/library/ubuntu:10.04 to upgrade the image to the OCI Format or Docker Image "
        "manifest v2, schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/")


def _schema1_registry():
    reg = rc.Registry("2.3.1")
    pushed = push("1.9", reg)
    return reg, pushed


def test_schema1_pulls_20_10_works_27_refuses_by_default_28_always():
    reg, pushed = _schema1_registry()
    assert pull("20.10", reg).ok and pull("20.10", reg).digest == pushed.digest
    refused = pull("27", reg)
    text = SCHEMA1_DEPRECATION.format(ref=f"localhost:5000/{NAME}:latest")
    assert not refused.ok and refused.error == text and refused.daemon_log == [text]
    removed = pull("28", reg)
    assert not removed.ok and removed.error == SCHEMA1_REMOVED.format(ref=f"localhost:5000/{NAME}:latest")
    assert removed.daemon_log == []


def test_27_enable_schema1_pull_prints_the_notice_and_pulls():
    """DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE (M@v27.5.1:distribution/pull_v2.go:426-436)."""
    reg, pushed = _schema1_registry()
    result = Engine("27", reg, enable_schema1_pull=True).pull(f"{NAME}:latest")
    text = SCHEMA1_DEPRECATION.format(ref=f"localhost:5000/{NAME}:latest")
    assert result.ok and result.digest == pushed.digest
    assert result.output == [f"latest: Pulling from {NAME}", text, f"Digest: {pushed.digest}",
                             f"Status: Downloaded newer image for localhost:5000/{NAME}:latest"]
    for version in ("20.10", "28"):
        with pytest.raises(ValueError, match="DOCKER_ENABLE_DEPRECATED_PULL_SCHEMA_1_IMAGE"):
            Engine(version, reg, enable_schema1_pull=True)


@pytest.mark.parametrize("version,banner", [("17.06", "The push refers to a repository [localhost:5000/demo/app]"),
                                            ("20.10", "The push refers to repository [localhost:5000/demo/app]"),
                                            ("28", "The push refers to repository [localhost:5000/demo/app]")])
def test_push_banner_lost_its_article_in_18_09(version, banner):
    """M@v17.06.0-ce:distribution/push.go vs M@v18.09.0:distribution/push.go; a real 20.10 printed the latter."""
    assert push(version, rc.Registry("2.8")).output[0] == banner


@pytest.mark.parametrize("version,whole", [("17.06", False), ("20.10", True), ("27", True), ("28", True)])
def test_a_pull_by_digest_names_the_whole_reference_from_20_10(version, whole):
    """``tagOrDigest = digested.String()`` (M@v20.10.24:distribution/pull_v2.go:351) vs ``.Digest().String()``
    (M@v17.06.0-ce:distribution/pull_v2.go:342)."""
    reg = rc.Registry("2.8")
    pushed = push("17.06", reg)
    label = f"localhost:5000/{NAME}@{pushed.digest}" if whole else pushed.digest
    assert pull(version, reg, f"{NAME}@{pushed.digest}").output[0] == f"{label}: Pulling from {NAME}"


class _Answer:
    """A registry that answers every manifest request with one canned response."""

    def __init__(self, response):
        self.response = response

    def handle(self, request):
        if request.target == "/v2/":
            return Response(200, [("Content-Type", "application/json")], b"{}")
        return self.response


def _errors(*errors: RegistryError, status: int = 404) -> Response:
    return Response(status, [("Content-Type", "application/json; charset=utf-8")], to_envelope(list(errors)))


DETAILED = RegistryError(ErrorCode.MANIFEST_UNKNOWN, detail={"Tag": "latest"})
BARE = RegistryError(ErrorCode.MANIFEST_UNKNOWN)
NAME_UNKNOWN = RegistryError(ErrorCode.NAME_UNKNOWN, detail={"Name": NAME})


@pytest.mark.parametrize("version,response,text", [
    # 1.12 prints the client's text as is
    ("1.12", _errors(DETAILED, NAME_UNKNOWN),
     "errors:\nmanifest unknown: manifest unknown\nname unknown: repository name not known to registry\n"),
    # 17.06: first error only, rewritten (M@v17.06.0-ce:distribution/errors.go:67-95)
    ("17.06", _errors(DETAILED, NAME_UNKNOWN), f"manifest for localhost:5000/{NAME}:latest not found"),
    ("17.06", _errors(NAME_UNKNOWN), f"repository localhost:5000/{NAME} not found"),
    # 20.10+ keep the cause (M@v20.10.24:distribution/errors.go:70-82)
    ("20.10", _errors(DETAILED), f"manifest for localhost:5000/{NAME}:latest not found: manifest unknown: manifest unknown"),
    ("20.10", _errors(RegistryError(ErrorCode.DENIED, detail={})),
     f"pull access denied for localhost:5000/{NAME}, repository does not exist or may require 'docker login': "
     "denied: requested access to the resource is denied"),
    ("28", _errors(NAME_UNKNOWN), f"repository localhost:5000/{NAME} not found: name unknown: repository name not known to registry"),
    # a bare code is no errcode.Error: not rewritten
    ("17.06", _errors(BARE), "manifest unknown"),
    ("20.10", _errors(BARE), "manifest unknown"),
])
def test_not_found_texts(version, response, text):
    assert Engine(version, _Answer(response)).pull(f"{NAME}:latest").error == text
