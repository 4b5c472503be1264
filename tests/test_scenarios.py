"""scenario() and compatibility_matrix(): the flagship experiment and the full grid."""

from __future__ import annotations

import pytest

import regcompat as rc
from regcompat.engine import ENGINE_VERSIONS
from regcompat.image import sample_image
from regcompat.mediatypes import MediaType
from regcompat.scenarios import LIST_PUSHER, MATRIX_COLUMNS
from regcompat.testing import random_image


@pytest.fixture(scope="module")
def matrix():
    return rc.compatibility_matrix()


def _row(rows, pusher, registry, puller, by, kind="image"):
    (row,) = [r for r in rows if (r["pusher"], r["registry"], r["puller"], r["by"], r["kind"])
              == (pusher, registry, puller, by, kind)]
    return row


def test_default_scenario_is_the_flagship_lesson():
    result = rc.scenario()
    assert (result.push_engine, result.registry_version, result.pull_engine, result.by) == ("1.10", "2.3.0", "1.9", "tag")
    assert result.ok and result.converted and result.outcome == "ok"
    assert result.pull.digest == rc.manifest_digest(result.pull.manifest_bytes) != result.push.digest


def test_by_digest_scenario_fails_with_the_documented_text():
    result = rc.scenario(by="digest")
    assert result.outcome == "pull failed" and not result.ok
    assert result.error == f'unsupported schema version 2 for tag "{result.push.digest}"'
    assert result.reference == f"demo/app@{result.push.digest}"


def test_failed_push_means_no_pull():
    result = rc.scenario(push_engine="1.9", registry="2.8")
    assert result.outcome == "push failed" and result.pull is None
    assert result.error == "Received unexpected HTTP status: 500 Internal Server Error"


def test_registry_config_is_passed_through():
    assert rc.scenario(push_engine="1.9", registry="2.8", schema1_push=True).ok


def test_custom_image_and_list_kind():
    image = random_image(seed=11, layers=3)
    result = rc.scenario(push_engine="17.06", registry="2.5", pull_engine="1.12", image=image)
    assert result.ok and result.push.digest == image.schema2().digest
    listed = rc.scenario(kind="list", registry="2.7", pull_engine="1.10", by="digest")
    assert listed.push_engine == LIST_PUSHER and listed.ok
    assert listed.pull.media_type == MediaType.MANIFEST_LIST


@pytest.mark.parametrize("kwargs,message", [({"by": "name"}, "by must be"), ({"kind": "zip"}, "kind must be"),
                                            ({"registry": "9.9"}, "unknown registry version"),
                                            ({"pull_engine": "0.1"}, "unknown engine version")])
def test_bad_arguments_are_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rc.scenario(**kwargs)


def test_matrix_covers_every_combination(matrix):
    engines, registries = len(ENGINE_VERSIONS), len(rc.REGISTRY_VERSIONS)
    assert len(matrix) == engines * registries * engines * 2 + registries * engines * 2
    assert all(tuple(row) == MATRIX_COLUMNS for row in matrix)
    keys = {(r["pusher"], r["registry"], r["puller"], r["by"], r["kind"]) for r in matrix}
    assert len(keys) == len(matrix)


def test_matrix_is_deterministic(matrix):
    assert rc.compatibility_matrix(fresh=True) == matrix


def test_matrix_rows_are_copies():
    rows = rc.compatibility_matrix()
    rows[0]["ok"] = "changed"
    assert rc.compatibility_matrix()[0]["ok"] != "changed"


def test_matrix_rows_tell_the_lesson(matrix):
    tag = _row(matrix, "1.10", "2.3.0", "1.9", "tag")
    digest = _row(matrix, "1.10", "2.3.0", "1.9", "digest")
    assert tag["ok"] and tag["converted"] and tag["media_type"] == MediaType.SCHEMA1_SIGNED
    assert digest["outcome"] == "pull failed" and digest["error"].startswith("unsupported schema version 2")
    assert _row(matrix, "1.9", "2.7", "1.9", "tag")["outcome"] == "push failed"
    assert _row(matrix, "1.10", "3.0", "1.9", "tag")["error"] == 'unsupported schema version 2 for tag "latest"'
    assert _row(matrix, LIST_PUSHER, "3.0", "1.9", "tag", "list")["error"] == (
        "manifest invalid: Schema 2 manifest not supported by client")
    assert _row(matrix, "1.10", "2.3.0", "1.6", "tag")["error"].startswith(
        "error verifying manifest: unable to verify manifest digest")
    assert _row(matrix, "1.10", "2.3.1", "1.6", "tag")["ok"]
    assert _row(matrix, "1.9", "2.3.0", "27", "tag")["error"].startswith("[DEPRECATION NOTICE]")


def test_matrix_rows_equal_fresh_scenarios(matrix):
    """Sharing one push per (pusher, registry) across pullers gives the same rows as fresh registries."""
    for row in matrix[::7]:
        fresh = rc.scenario(push_engine=row["pusher"] if row["kind"] == "image" else "1.10",
                            registry=row["registry"], pull_engine=row["puller"], by=row["by"], kind=row["kind"])
        assert fresh.row() == row


def test_matrix_can_be_restricted():
    rows = rc.compatibility_matrix(engines=("1.9", "1.10"), registries=("2.3.0",), kinds=("image",))
    assert len(rows) == 2 * 1 * 2 * 2
    assert {r["pusher"] for r in rows} == {"1.9", "1.10"}


def test_sample_image_is_what_scenarios_push():
    result = rc.scenario(push_engine="27", registry="2.8", pull_engine="27")
    assert result.push.digest == sample_image().schema2().digest
