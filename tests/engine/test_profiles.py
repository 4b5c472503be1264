"""The engine rows: versions, Accept headers, push formats and the texts they print."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.engine import ENGINE_VERSIONS, PROFILES, SCHEMA1_DEPRECATION, profile, profile_rows
from regcompat.mediatypes import MediaType

from .support import ACCEPT_110, manifest_calls, pull, push


def test_required_versions_are_modelled():
    for version in ("1.6", "1.7", "1.9", "1.10", "1.12", "17.06", "27"):
        assert version in ENGINE_VERSIONS
    assert rc.ENGINE_VERSIONS == ENGINE_VERSIONS
    assert [row["engine"] for row in profile_rows()] == list(ENGINE_VERSIONS)


@pytest.mark.parametrize("text,expected", [("1.10.3", "1.10"), ("1.9.1", "1.9"), ("17.06.0-ce", "17.06"),
                                           ("27.5.1", "27"), ("1.12", "1.12")])
def test_full_release_numbers_map_to_their_row(text, expected):
    assert profile(text).version == expected


@pytest.mark.parametrize("text", ["1.1", "2.0", "", "latest"])
def test_unknown_versions_are_refused_with_the_known_list(text):
    with pytest.raises(ValueError, match="unknown engine version .*known: 1.6, 1.7, 1.9"):
        profile(text)


@pytest.mark.parametrize("version,accept", [
    ("1.6", []), ("1.7", []), ("1.9", []), ("1.10", ACCEPT_110), ("1.12", ACCEPT_110), ("17.06", ACCEPT_110),
    ("27", ACCEPT_110 + [MediaType.OCI_MANIFEST, MediaType.OCI_INDEX])])
def test_manifest_get_sends_the_versions_accept_headers(version, accept):
    reg = rc.Registry("2.8")
    push("1.10", reg)
    result = pull(version, reg)
    assert manifest_calls(result)[0].request.headers.get_all("Accept") == accept


def test_27_resolves_a_tag_with_head_then_gets_by_digest():
    reg = rc.Registry("2.8")
    pushed = push("27", reg)
    calls = manifest_calls(pull("27", reg))
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
                                                 ("17.06", MediaType.DOCKER_CONFIG), ("27", MediaType.DOCKER_CONFIG)])
def test_schema2_config_media_type_quirk(version, config_type):
    """1.10.x writes application/octet-stream for the config (distribution#1621)."""
    reg = rc.Registry("2.8")
    result = push(version, reg)
    body = manifest_calls(result, "PUT")[0].request.body
    assert b'"mediaType": "%s"' % str(config_type).encode() in body


def test_every_profile_names_its_source():
    for p in PROFILES.values():
        assert p.source.startswith("M@v"), p.version
