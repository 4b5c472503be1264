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
    assert "No rows to show" in view.table.value


def test_matrix_view_options_keep_version_order(rows):
    view = MatrixView(rows)
    assert list(view.filters["pusher"].options)[1:] == list(dict.fromkeys(r["pusher"] for r in rows))


def test_pushing_a_list_says_the_push_engine_does_not_apply():
    play = Playground()
    assert not play.push_engine.disabled and play.kind_note.value == ""
    play.kind.value = "list"
    assert play.push_engine.disabled and "manifest-tool" in play.kind_note.value
    assert "push engine does not apply" in play.kind_note.value
    play.run()
    assert play.result.push_engine == "manifest-tool" and "manifest-tool push" in play.printed.value
    play.kind.value = "image"
    assert not play.push_engine.disabled and play.kind_note.value == ""


def test_every_labelled_control_has_the_same_label_column():
    play = Playground()
    widths = {c.style.description_width for c in (play.push_engine, play.registry, play.pull_engine, play.by, play.kind)}
    assert widths == {"5.5em"}
    view = MatrixView(filters=["kind", "pusher"])
    assert {d.style.description_width for d in view.filters.values()} == {"5.5em"}


def test_matrix_view_says_why_no_row_matches():
    view = MatrixView(filters=["kind", "pusher", "puller"])
    view.filters["kind"].value = "list"
    view.filters["pusher"].value = "1.10"
    text = view.table.value
    assert "No rows have kind = list and pusher = 1.10 together" in text
    assert "pusher can be manifest-tool" in text and "kind can be image" in text
    view.filters["pusher"].value = "(all)"
    assert "<table" in view.table.value


def test_inspector_maps_the_fields_of_the_conversion():
    """Item 4: the structure (which schema2 field became which schema1 field), each document once."""
    import json as _json

    from regcompat.notebook.fieldmap import field_map
    inspector = DigestInspector(registry="2.3.1")
    inspector.fetch()
    stored, served = _json.loads(inspector.stored[0]), _json.loads(inspector.served[0])
    links = field_map(inspector.stored[0], inspector.served[0], inspector._config)
    pairs = {(link.stored.split(" ")[0], link.served.split(" ")[0]): link for link in links}
    n = len(served["fsLayers"])
    for i, layer in enumerate(stored["layers"]):   # layers -> fsLayers in reverse
        j = next(k for k, (a, b) in enumerate(pairs) if a == f"layers[{i}]")
        target = list(pairs)[j][1]
        assert served["fsLayers"][int(target[9:-1])]["blobSum"] == layer["digest"]
    assert [pairs[p].served for p in pairs if p[0] == "layers[0]"] == [f"fsLayers[{n - 1}]"]
    assert any(link.served.startswith("history[0].v1Compatibility") and "dropped: history, rootfs" in link.note
               for link in links)
    assert any(link.change == "added" and link.served.startswith("name: 'demo/app', tag: 'latest'") for link in links)
    assert any(link.change == "added" and link.served.startswith("signatures") and "formatLength" in link.note
               for link in links)
    assert any(link.change == "added" and "empty tar" in link.note for link in links)
    # Each document once (folded), no line diff.
    assert inspector.documents.value.count("schemaVersion&quot;: 2") == 1
    assert inspector.documents.value.count("schemaVersion&quot;: 1") == 1
    assert "<details>" in inspector.documents.value and "open" not in inspector.documents.value.split(">")[0]
    assert "fsLayers[" in inspector.structure.value and "history[0].v1Compatibility" in inspector.structure.value
    assert "formatTail" in inspector.coverage.value and "signatures stay outside" in inspector.coverage.value


def test_inspector_when_nothing_is_converted_says_so():
    inspector = DigestInspector(registry="3.0")
    inspector.fetch()
    assert "served as stored" in inspector.structure.value
