"""Every widget callback driven from pytest: set .value, call .click(), read the state."""

import pytest

import regcompat as rc
from regcompat.mediatypes import MediaType
from regcompat.notebook import DigestInspector, MatrixView, Playground, WireView
from regcompat.notebook.wire import MATCH, MISMATCH


# -- Playground ---------------------------------------------------------------

def test_playground_flagship_by_tag_works_and_prints_the_converted_digest():
    play = Playground(push_engine="1.10", registry="2.3.1", pull_engine="1.9", by="tag")
    play.run_button.click()
    assert play.push_result.ok and play.pull_result.ok
    assert play.pull_result.digest != play.push_result.digest  # C, not S
    assert "pull worked" in play.outcome.value
    assert play.pull_result.digest in play.outcome.value
    assert "docker 1.9 pull demo/app:latest" in play.printed.value


def test_playground_by_digest_shows_the_engine_error():
    play = Playground(registry="2.3.1")
    play.by.value = "digest"
    play.run_button.click()
    assert not play.pull_result.ok
    assert "pull failed" in play.outcome.value
    assert "unsupported schema version 2" in play.outcome.value
    assert f"demo/app@{play.push_result.digest}" in play.printed.value


def test_playground_controls_change_the_scenario():
    play = Playground()
    play.push_engine.value, play.registry.value, play.pull_engine.value = "1.9", "2.7", "1.9"
    result = play.run()
    assert result is play.result and result.push is play.push_result and not result.ok
    assert play.pull_result is None and result.outcome == "push failed"
    assert "push failed" in play.outcome.value and "500" in play.outcome.value
    assert repr(play) == "Playground(push_engine='1.9', registry='2.7', pull_engine='1.9', by='tag', kind='image')"


def test_playground_pushes_a_manifest_list():
    play = Playground(registry="2.3.1", pull_engine="1.9")
    play.kind.value = "list"
    play.run_button.click()
    assert play.result.kind == "list" and play.result.ok and play.result.converted
    assert "converted by the registry" in play.outcome.value and "schema1 (signed)" in play.outcome.value
    play.registry.value = "3.0"
    play.run_button.click()
    assert "Schema 2 manifest not supported by client" in play.outcome.value


def test_playground_wire_view_lists_every_exchange_of_push_and_pull():
    play = Playground(registry="2.3.0")
    play.run()
    assert len(play.wire.exchanges) == len(play.push_result.exchanges) + len(play.pull_result.exchanges)
    assert MISMATCH in play.wire.table.value  # 2.3.0 sends S over a converted body (distribution#1444)


# -- WireView -------------------------------------------------------------------

def test_wire_view_toggle_and_replacing_exchanges():
    view = WireView()
    assert "no exchanges yet" in view.table.value
    reg = rc.Registry("2.3.1")
    push = rc.Engine("1.10", reg).push(rc.sample_image(), "demo/app:latest")
    view.exchanges = push.exchanges
    assert "/blobs/" not in view.table.value and "/manifests/latest" in view.table.value
    view.manifests_only.value = False
    assert "/blobs/uploads/" in view.table.value
    assert repr(view) == f"WireView({len(push.exchanges)} exchanges)"


# -- DigestInspector ------------------------------------------------------------

def test_inspector_on_2_3_1_shows_a_conversion_with_a_correct_header():
    inspector = DigestInspector(registry="2.3.1")
    inspector.fetch_button.click()
    d = inspector.digests
    assert d["stored (S)"] != d["served to 1.9"]
    assert d["DCD header"] == d["served to 1.9"]
    assert d["sha256(raw body)"] != d["served to 1.9"]  # signatures are outside the digest
    assert d["served to 1.9"] == rc.manifest_digest(inspector.served[0])
    assert "converted" in inspector.summary.value and "does not match" not in inspector.summary.value
    assert inspector.fingerprints.value.count("<table") == 4
    assert "signatures" in inspector.documents.value
    assert "formatTail" in inspector.coverage.value


def test_inspector_on_2_3_0_flags_the_header_bug():
    inspector = DigestInspector(registry="2.3.1")
    inspector.registry.value = "2.3.0"
    inspector.fetch_button.click()
    assert inspector.digests["DCD header"] == inspector.digests["stored (S)"]
    assert "does not match" in inspector.summary.value


def test_inspector_on_3_0_serves_the_stored_bytes():
    inspector = DigestInspector(registry="3.0")
    digests = inspector.fetch()
    assert len(set(digests.values())) == 1
    assert "not converted" in inspector.summary.value
    assert inspector.stored[0] == inspector.served[0]


def test_inspector_tag_is_part_of_the_converted_document():
    inspector = DigestInspector(registry="2.3.1")
    latest = inspector.fetch()["served to 1.9"]
    inspector.tag.value = "stable"
    inspector.fetch_button.click()
    assert inspector.digests["served to 1.9"] != latest
    assert b'"tag": "stable"' in inspector.served[0]
    inspector.tag.value = "   "
    assert inspector.fetch()["served to 1.9"] == latest  # an empty tag means "latest"
    assert repr(inspector) == "DigestInspector(registry='2.3.1', tag='   ')"


# -- MatrixView -------------------------------------------------------------------

@pytest.fixture(scope="module")
def rows():
    return rc.compatibility_matrix()


def test_matrix_view_filters_rows(rows):
    view = MatrixView(rows, index=["registry"], columns=["puller", "by"], filters=["kind", "pusher"],
                      selected={"kind": "image", "pusher": "1.10"})
    kept = view.selected()
    assert set(kept.kind) == {"image"} and set(kept.pusher) == {"1.10"}
    assert list(view.pivot().index) == list(rc.REGISTRY_VERSIONS)
    before = view.table.value
    view.filters["pusher"].value = "1.9"
    assert view.table.value != before
    assert view.pivot().loc["2.7", ("1.9", "tag")] == False  # noqa: E712 (schema1 push refused)
    assert repr(view) == f"MatrixView({len(rows)} rows)"


def test_matrix_view_with_no_matching_rows_says_so(rows):
    subset = [r for r in rows if r["kind"] == "image"]
    view = MatrixView(subset, filters=["kind", "pusher"])
    view.filters["kind"].value = "image"
    assert "<table" in view.table.value
    view.frame = view.frame.iloc[0:0]
    view.filters["kind"].value = "(all)"
    assert "no rows match" in view.table.value


def test_matrix_view_options_keep_version_order(rows):
    view = MatrixView(rows)
    assert list(view.filters["pusher"].options)[1:] == list(dict.fromkeys(r["pusher"] for r in rows))
