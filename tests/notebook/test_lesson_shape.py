"""Every lesson keeps the course's shape, and the nbval set-up stays honest.

Shape (issues 4 and 9): objectives and minutes at the top; a predict-first
widget, hidden, whose answer the text just above it does not give away; at
least one assessed task per objective; a self-check that carries the idea to
a new case ("Carry ..."), never checked with its answer in the notebook; at
most one line of Python for a learner to write per exercise; key points and
an exit ticket; the glossary linked; outputs stored so nbval compares them;
``nbval-ignore-output`` tags only where a cell's output depends on installed
tools; the kernelspec the delivery expects.
"""

import configparser
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
TASK_WIDGETS = ("SelfCheck(", "Classify(", "IncidentDesk(")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def markdown(path):
    return "\n".join(source(c) for c in cells(path) if c["cell_type"] == "markdown")


def test_there_are_ten_lessons_numbered_00_to_09():
    assert [p.name[:2] for p in LESSONS] == [f"{i:02d}" for i in range(10)]
    assert LESSONS[0].name == "00-start-here.ipynb" and LESSONS[-1].name == "09-incident-desk.ipynb"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_shape(path):
    all_cells = cells(path)
    first = source(all_cells[0])
    assert first.startswith(f"# {path.name[:2]} ")
    assert re.search(r"\*\*Time:\*\* \d+ minutes", first) and "**Objectives.**" in first
    code = [source(c) for c in all_cells if c["cell_type"] == "code"]
    predict = next(i for i, s in enumerate(code) if s.lstrip().startswith("Predict("))
    assert any("SelfCheck(" in s for s in code[predict:]), "a self-check after the prediction"
    text = markdown(path)
    assert "## Key points" in text and "**Exit ticket.**" in text
    assert "What happened and why" in text
    assert re.search(r"distribution/distribution#\d+|distribution `|moby `|PR #\d+", text), "cite the source"
    assert "glossary.md" in text or path.name.startswith("08"), "link the glossary"
    for c in all_cells:
        if c["cell_type"] == "code" and any(w in source(c) for w in ("Predict(", "SelfCheck(", "Classify(")):
            assert c["metadata"].get("jupyter", {}).get("source_hidden"), "quiz and solution code stays hidden"


def _objectives(path):
    first = source(cells(path)[0])
    block = first.split("**Objectives.**", 1)[1]
    return re.findall(r"^\d+\. ", block, re.MULTILINE)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_task_for_every_objective(path):
    code = [source(c) for c in cells(path) if c["cell_type"] == "code"]
    tasks = sum(s.count(w) for s in code for w in TASK_WIDGETS) + sum(s.lstrip().startswith("Predict(") for s in code)
    assert len(_objectives(path)) >= 2
    assert tasks >= len(_objectives(path)), f"{tasks} assessed widgets for {len(_objectives(path))} objectives"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_predict_first_and_the_answer_is_not_above_it(path):
    all_cells = cells(path)
    for i, c in enumerate(all_cells):
        if c["cell_type"] == "code" and source(c).lstrip().startswith("Predict("):
            answer = re.search(r'answer="([^"]+)"', source(c)).group(1)
            before = source(all_cells[i - 1]) if all_cells[i - 1]["cell_type"] == "markdown" else ""
            assert answer.lower() not in before.lower(), f"the text above gives away {answer!r}"
            assert all_cells[i + 1]["cell_type"] == "code", "the experiment follows the prediction"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_self_check_is_a_transfer_question_and_never_answered_in_the_notebook(path):
    all_cells = cells(path)
    heads = [i for i, c in enumerate(all_cells) if c["cell_type"] == "markdown" and "## Self-check" in source(c)]
    assert heads, "a self-check section"
    assert "carry" in source(all_cells[heads[-1]]).lower(), "the self-check carries the idea to a new case"
    for c in all_cells:
        if c["cell_type"] == "code":
            for line in source(c).splitlines():
                if re.match(r"\s*\w+\.check\(", line) or re.match(r"print\(\w+\.check\((?!answer\))", line):
                    pytest.fail(f"a check is called with a value in the notebook: {line}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_at_most_one_line_of_python_to_write(path):
    for c in cells(path):
        s = source(c)
        if c["cell_type"] == "code" and re.search(r"^answer = None", s, re.MULTILINE):
            lines = [x for x in s.splitlines() if x.strip() and not x.lstrip().startswith("#")]
            assert len(lines) == 2 and re.fullmatch(r"print\(\w+\.check\(answer\)\)", lines[1]), s


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_outputs_are_stored_and_clean(path):
    code = [c for c in cells(path) if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code), "execute the lesson before committing it"
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), source(c)[:60]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_kernelspec_and_nbval_tags(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"] == KERNELSPEC
    for c in notebook["cells"]:
        assert "NBVAL_IGNORE_OUTPUT" not in source(c), "use the nbval-ignore-output cell tag"
        if "nbval-ignore-output" in c.get("metadata", {}).get("tags", []):
            assert path.stem == "08-the-real-wire"
            assert re.search(r"needs (curl|skopeo|docker-registry)|installed", source(c))


def test_lesson_00_names_jupyterlabs_collapsed_code_marker():
    text = markdown(NOTEBOOKS / "00-start-here.ipynb")
    assert "•••" in text and "···" not in text


def test_every_sanitiser_rule_has_a_comment():
    text = (NOTEBOOKS / "sanitize.cfg").read_text(encoding="utf-8")
    parser = configparser.ConfigParser(comment_prefixes=("#",), interpolation=None)
    parser.read_string(text)
    assert parser.sections()
    for section in parser.sections():
        block = text.split(f"[{section}]", 1)[1].split("\n[", 1)[0]
        assert re.search(r"^# ", block, re.MULTILINE), f"[{section}] needs a comment saying why"
        assert {"regex", "replace"} <= set(parser[section])


def _schedule(title):
    guide = (NOTEBOOKS / "instructor" / "guide.md").read_text(encoding="utf-8")
    section = guide.split(f"### {title}", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    hours, minutes = re.match(r" \((\d+) h (\d+)", section).groups()
    rows = [line.split("|")[1:4] for line in section.splitlines() if re.match(r"\| \d+:\d\d \|", line)]
    return int(hours) * 60 + int(minutes), [(r[0].strip(), r[1].strip(), int(r[2])) for r in rows]


@pytest.mark.parametrize("title", ["Half day", "Full day"])
def test_each_schedule_adds_up(title):
    total, rows = _schedule(title)
    clock = 0
    for start, _lesson, minutes in rows:
        h, m = map(int, start.split(":"))
        assert h * 60 + m == clock, f"{start} should be {clock // 60}:{clock % 60:02d}"
        clock += minutes
    assert clock == total


@pytest.mark.parametrize("title", ["Half day", "Full day"])
def test_each_schedule_runs_prerequisites_first(title):
    _, rows = _schedule(title)
    order = [lesson[:2] for _, lesson, _ in rows if lesson[:2].isdigit()]
    assert order.index("02") < order.index("03") < order.index("04")
    if "07" in order:
        assert "05" in order and order.index("05") < order.index("07")


def test_lesson_00_names_the_half_day_of_the_guide():
    _, rows = _schedule("Half day")
    lessons = [lesson[:2] for _, lesson, _ in rows if lesson[:2].isdigit()]
    text = markdown(NOTEBOOKS / "00-start-here.ipynb")
    named = re.search(r"A half-day workshop runs ([^;]+);", text).group(1)
    assert re.findall(r"\b0\d\b", named) == lessons
