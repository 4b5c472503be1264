"""Byte coverage, side-by-side diffs, frames, transcripts and the lab launcher."""

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

import regcompat as rc
from regcompat.digest import from_bytes
from regcompat.manifest import libtrust
from regcompat.mediatypes import MediaType
from regcompat.notebook import transcript
from regcompat.notebook.bytesview import coverage, coverage_html, side_by_side_html
from regcompat.notebook.frames import exchanges_frame, matrix_frame, matrix_pivot, style_matrix
from regcompat.notebook.lab import FIRST, find_notebooks, lab_command


def signed_document():
    payload = rc.sample_image().schema1_payload("demo/app", "latest")
    key = libtrust.TrustKey.from_seed("tests")
    return payload, libtrust.sign(payload, key, now=datetime(2016, 2, 4, tzinfo=timezone.utc))


def test_schema1_coverage_is_the_payload_without_signatures():
    payload, document = signed_document()
    cov = coverage(document, MediaType.SCHEMA1_SIGNED)
    assert not cov.whole
    assert cov.canonical == payload and cov.digest == from_bytes(payload) == rc.manifest_digest(document)
    assert document[:cov.prefix] + cov.tail == payload
    assert cov.outside.startswith(b',\n   "signatures": [') and cov.outside.endswith(b']\n}')
    assert cov.tail == b"\n}"
    html = coverage_html(cov, title="t")
    assert "formatTail" in html and str(cov.digest) in html


def test_schema2_coverage_is_every_byte():
    raw = rc.sample_image().schema2().raw
    cov = coverage(raw, MediaType.SCHEMA2)
    assert cov.whole and cov.outside == b"" and cov.digest == from_bytes(raw)
    assert f"{len(raw)} bytes is hashed" in coverage_html(cov)


def test_side_by_side_marks_changed_lines_only():
    left = b'{\n   "a": 1,\n   "b": 2\n}'
    right = b'{\n   "a": 1,\n   "b": 3\n}'
    html = side_by_side_html(left, right, left_title="L", right_title="R")
    assert html.count("background:#ffebe9") == 1 and html.count("background:#dafbe1") == 1
    assert "&quot;b&quot;: 3" in html


def test_exchanges_frame_and_transcript():
    reg = rc.Registry("2.3.1")
    push = rc.Engine("1.10", reg).push(rc.sample_image(), "demo/app:latest")
    pull = rc.Engine("1.9", reg).pull("demo/app@" + push.digest)
    frame = exchanges_frame(pull.exchanges, manifests_only=True)
    assert list(frame.method) == ["GET"] and frame.loc[0, "content_type"] == "schema2"
    assert frame.loc[0, "match"] == "\u2714"
    full = exchanges_frame(pull.exchanges, manifests_only=True, full_digests=True)
    assert full.loc[0, "dcd"] == push.digest
    text = transcript(pull, engine="1.9", command="pull x")
    assert text.splitlines()[0] == "$ docker pull x        # Docker 1.9"
    assert text.endswith("=> failed") and text.count("unsupported schema version 2") == 1
    assert transcript(push, engine="1.10", command="push").endswith("=> ok")


def test_matrix_pivot_keeps_order_and_requires_all_rows_to_pass():
    frame = matrix_frame([
        {"registry": "2.3.0", "by": "tag", "ok": True},
        {"registry": "2.3.0", "by": "tag", "ok": False},
        {"registry": "2.10", "by": "tag", "ok": True},
        {"registry": "2.3.0", "by": "digest", "ok": True},
    ])
    pivot = matrix_pivot(frame, index=["registry"], columns=["by"])
    assert list(pivot.index) == ["2.3.0", "2.10"] and list(pivot.columns) == ["tag", "digest"]
    assert not pivot.loc["2.3.0", "tag"] and pivot.loc["2.10", "tag"]
    html = style_matrix(pivot).to_html()
    assert "T_rc-matrix" in html and "\u2718" in html


def _table_id(html: str) -> str:
    return re.search(r'<table id="T_([\w-]+)"', html).group(1)


def test_two_matrix_tables_on_one_page_never_share_css_ids():
    """Lesson 06: the static table and the MatrixView table shared one id, so one's CSS recoloured the other."""
    frame = matrix_frame(rc.compatibility_matrix())
    image = frame[frame.kind == "image"]
    static = style_matrix(matrix_pivot(image, index=["registry"], columns=["pusher", "by"])).to_html()
    view = style_matrix(matrix_pivot(image[image.pusher == "1.10"], index=["registry"], columns=["puller", "by"]))
    assert _table_id(static) != _table_id(view.to_html())
    again = style_matrix(matrix_pivot(image, index=["registry"], columns=["pusher", "by"])).to_html()
    assert again == static, "the same table renders the same HTML (nbval compares it)"
    # Every cell's colour is the colour of its own mark, per the table's own CSS rules.
    green, red = "#ccefe3", "#fbdcc8"
    css = static[static.index(">") + 1:static.index("</style>")]
    blocks = re.findall(r"([^{}]+)\{\s*background-color: (#\w+);", css)
    colour_of = {sel.strip(): colour for selectors, colour in blocks for sel in selectors.split(",")}
    cells = re.findall(r'<td id="(T_[\w-]+_row\d+_col\d+)"[^>]*>(.)</td>', static)
    assert cells
    for cell_id, mark in cells:
        assert colour_of["#" + cell_id] == {"\u2714": green, "\u2718": red}[mark], cell_id


def test_outcome_pivot_has_three_states_worst_first():
    frame = matrix_frame([
        {"registry": "2.7", "by": "tag", "outcome": "push failed"},
        {"registry": "2.7", "by": "tag", "outcome": "ok"},
        {"registry": "2.3.0", "by": "tag", "outcome": "ok"},
        {"registry": "2.3.0", "by": "digest", "outcome": "pull failed"},
        {"registry": "2.7", "by": "digest", "outcome": "ok"},
    ])
    pivot = matrix_pivot(frame, index=["registry"], columns=["by"], values="outcome")
    assert pivot.loc["2.7", "tag"] == "push failed" and pivot.loc["2.3.0", "digest"] == "pull failed"
    assert pivot.loc["2.3.0", "tag"] == "ok"
    html = style_matrix(pivot).to_html()
    assert ">\u2298</td>" in html and ">\u2718</td>" in html and ">\u2714</td>" in html
    with pytest.raises(ValueError, match="unknown matrix state"):
        style_matrix(pivot.replace("ok", "fine")).to_html()


def test_lab_finds_the_first_lesson_and_builds_the_command(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / FIRST).write_text("{}")
    folder = find_notebooks(tmp_path)
    assert folder == (tmp_path / "notebooks").resolve()
    cmd = lab_command(folder, port=8899, browser=False)
    assert cmd[1:3] == ["-m", "jupyterlab"] and str(folder / FIRST) in cmd
    assert "--port=8899" in cmd and "--no-browser" in cmd


def test_the_repository_notebooks_are_found():
    assert (find_notebooks() / FIRST).is_file()
    assert find_notebooks().name == "notebooks" and Path(find_notebooks(), "sanitize.cfg").is_file()


def test_fit_frame_keeps_every_character_and_fits_the_output_area():
    """Lesson 08's comparison: pandas cut media types at 50 characters and the table hid its last column."""
    import pandas as pd

    from regcompat.notebook.frames import fit_frame
    schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    frame = pd.DataFrame([{"field": "Content-Type", "real 2.8.2": schema1, "model 2.8": schema1, "same": True,
                           "digest": "sha256:" + "ab" * 32}])
    assert "..." in frame._repr_html_()  # what pandas shows in a notebook on its own
    html = fit_frame(frame).to_html()
    assert "..." not in html and "schema1 (signed)" in html and "sha256:" + "ab" * 32 in html
    assert "table-layout: fixed" in html and "width: 100%" in html and "overflow-wrap: anywhere" in html
    assert ">True</td>" in html
    assert fit_frame(frame).to_html() == html
    full = fit_frame(frame, short_types=False).to_html()
    assert schema1 in full


def test_notebooks_show_dataframes_whole_and_within_the_output_area():
    import pandas as pd
    from IPython.core.interactiveshell import InteractiveShell

    from regcompat.notebook.frames import fit_dataframes
    shell = InteractiveShell.instance()
    try:
        assert fit_dataframes(shell)
        schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws"
        data, _ = shell.display_formatter.format(pd.DataFrame([{"real": schema1, "same": True}]))
        assert schema1 in data["text/html"] and "table-layout: fixed" in data["text/html"]
        long, _ = shell.display_formatter.format(pd.DataFrame({"n": range(500)}))
        assert long["text/html"].count("<tr>") < 30 and "500 rows" in long["text/html"]
    finally:
        InteractiveShell.clear_instance()
