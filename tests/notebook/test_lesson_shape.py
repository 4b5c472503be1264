"""Every lesson keeps the course's shape, and the nbval set-up stays honest.

Shape (issue 4): objectives and minutes at the top, a predict-first widget
before the experiment, a self-check with a hidden solution, key points at the
end; outputs stored so nbval compares them; NBVAL_IGNORE_OUTPUT only where a
cell's output depends on installed tools.
"""

import configparser
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_there_are_nine_lessons_numbered_00_to_08():
    assert [p.name[:2] for p in LESSONS] == [f"{i:02d}" for i in range(9)]
    assert LESSONS[0].name == "00-start-here.ipynb"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_shape(path):
    all_cells = cells(path)
    first = source(all_cells[0])
    assert first.startswith(f"# {path.name[:2]} ")
    assert re.search(r"\*\*Time:\*\* \d+ minutes", first) and "**Objectives.**" in first
    code = [source(c) for c in all_cells if c["cell_type"] == "code"]
    predict = next(i for i, s in enumerate(code) if s.lstrip().startswith("Predict("))
    assert any("SelfCheck(" in s for s in code[predict:]), "a self-check after the prediction"
    assert "## Key points" in source(all_cells[-1]) or "## Key points" in source(all_cells[-2])
    markdown = "\n".join(source(c) for c in all_cells if c["cell_type"] == "markdown")
    assert "What happened and why" in markdown
    assert re.search(r"distribution/distribution#\d+|distribution `|moby `|PR #\d+", markdown), "cite the source"
    for c in all_cells:
        if c["cell_type"] == "code" and ("Predict(" in source(c) or "SelfCheck(" in source(c)):
            assert c["metadata"].get("jupyter", {}).get("source_hidden"), "quiz and solution code stays hidden"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_outputs_are_stored_and_clean(path):
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "execute the lesson before committing it"
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), source(c)[:60]


def test_ignore_output_is_used_only_for_tool_dependent_cells():
    for path in LESSONS:
        for c in cells(path):
            if c["cell_type"] == "code" and "NBVAL_IGNORE_OUTPUT" in source(c):
                assert path.stem == "08-the-real-wire"
                assert source(c).splitlines()[0] == "# NBVAL_IGNORE_OUTPUT"  # nbval needs the marker alone
                assert re.search(r"needs (curl|skopeo|docker-registry)|installed", source(c))


def test_every_sanitiser_rule_has_a_comment():
    text = (NOTEBOOKS / "sanitize.cfg").read_text(encoding="utf-8")
    parser = configparser.ConfigParser(comment_prefixes=("#",), interpolation=None)
    parser.read_string(text)
    assert parser.sections()
    for section in parser.sections():
        block = text.split(f"[{section}]", 1)[1].split("\n[", 1)[0]
        assert re.search(r"^# ", block, re.MULTILINE), f"[{section}] needs a comment saying why"
        assert {"regex", "replace"} <= set(parser[section])
