"""Learner copies (``regcompat workspace``): clean, complete, and never overwriting a learner's work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from regcompat.cli import main
from regcompat.notebook.workspace import (BACKUPS, KERNELSPEC, START, WorkspaceError, find_source, learner_bytes,
                                          lessons, make_workspace)

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"


def run(*argv, cwd=None):
    done = subprocess.run([sys.executable, "-m", "regcompat.cli", *argv], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return done.returncode, done.stdout, done.stderr


def _source(tmp_path: Path) -> Path:
    """A private copy of the lessons (with the instructor guide and nbval config), to edit in tests."""
    src = tmp_path / "src"
    src.mkdir()
    for path in lessons(NOTEBOOKS):
        (src / path.name).write_bytes(path.read_bytes())
    (src / "sanitize.cfg").write_text("[x]\n")
    (src / "glossary.md").write_text("# Glossary\n")
    (src / "instructor").mkdir()
    (src / "instructor" / "guide.md").write_text("solutions\n")
    return src


def test_cli_makes_clean_learner_copies_of_every_lesson(tmp_path):
    code, out, err = run("workspace", str(tmp_path / "course"), "--source", str(NOTEBOOKS))
    assert code == 0, err
    folder = tmp_path / "course"
    assert out.strip() == str(folder / START)
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    assert names == [p.name for p in lessons(NOTEBOOKS)] and len(names) >= 9
    assert not (folder / "instructor").exists() and not (folder / "sanitize.cfg").exists()
    for page in NOTEBOOKS.glob("*.md"):   # pages the lessons link to (the glossary)
        assert (folder / page.name).read_bytes() == page.read_bytes()
    for name in names:
        text = (folder / name).read_text(encoding="utf-8")
        nb = json.loads(text)
        assert nb["metadata"]["kernelspec"] == KERNELSPEC
        assert "widgets" not in nb["metadata"]
        assert "NBVAL" not in text and "nbval-" not in text
        for cell in nb["cells"]:
            assert "execution" not in cell["metadata"]
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
        # Jupyter saves an untouched lesson byte for byte as it was written: no spurious change.
        assert nbformat.writes(nbformat.reads(text, as_version=4)) + "\n" == text
        nbformat.validate(nbformat.reads(text, as_version=4))


def test_sources_keep_their_code_only_the_markers_go():
    nb = {"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "widgets": {"x": 1}},
          "nbformat": 4, "nbformat_minor": 5,
          "cells": [{"cell_type": "code", "id": "a", "execution_count": 3, "source": ["# NBVAL_IGNORE_OUTPUT\n", "x = 1\n", "x"],
                     "metadata": {"tags": ["nbval-ignore-output", "hide-input"], "execution": {"t": 1}},
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}]},
                    {"cell_type": "code", "id": "b", "execution_count": 4, "source": "y = 2\n# NBVAL_SKIP",
                     "metadata": {"tags": ["nbval-skip"]}, "outputs": []},
                    {"cell_type": "markdown", "id": "c", "source": "# NBVAL_IGNORE_OUTPUT stays in prose",
                     "metadata": {}}]}
    from regcompat.notebook.workspace import learner_notebook
    copy = learner_notebook(nb)
    a, b, c = copy["cells"]
    assert a["source"] == ["x = 1\n", "x"] and a["metadata"] == {"tags": ["hide-input"]} and a["outputs"] == []
    assert b["source"] == "y = 2" and b["metadata"] == {} and b["execution_count"] is None
    assert c["source"] == nb["cells"][2]["source"]
    assert copy["metadata"] == {"kernelspec": KERNELSPEC}
    assert nb["cells"][0]["outputs"], "the original is left alone"


def test_edited_copies_are_kept_untouched_ones_refreshed_reset_restores(tmp_path):
    src, folder = _source(tmp_path), tmp_path / "course"
    first = make_workspace(folder, source=src)
    assert len(first.created) == len(lessons(src)) + len(list(src.glob("*.md"))) and not first.kept
    edited = folder / "04-pull-by-tag-vs-digest.ipynb"
    mine = edited.read_bytes().replace(b'"cells": [', b'"cells": [\n  {"cell_type": "markdown", "id": "mine", '
                                                     b'"metadata": {}, "source": ["my notes"]},', 1)
    edited.write_bytes(mine)
    (folder / "notes.txt").write_text("keep me")
    # A lesson changes upstream: the untouched copy follows, the edited one does not.
    for name in ("01-content-addressable-storage.ipynb", "04-pull-by-tag-vs-digest.ipynb"):
        nb = json.loads((src / name).read_text(encoding="utf-8"))
        nb["cells"][0]["source"] = ["# changed upstream\n"]
        (src / name).write_text(json.dumps(nb), encoding="utf-8")
    again = make_workspace(folder, source=src)
    assert again.refreshed == ["01-content-addressable-storage.ipynb"]
    assert again.kept == ["04-pull-by-tag-vs-digest.ipynb"] and edited.read_bytes() == mine
    assert (folder / "01-content-addressable-storage.ipynb").read_bytes() == learner_bytes(src / "01-content-addressable-storage.ipynb")
    assert "kept your edited 04-pull-by-tag-vs-digest.ipynb" in again.summary()
    # Reset one lesson: pristine again, the edited copy saved, everything else untouched.
    other = folder / "02-manifest-formats.ipynb"
    other.write_bytes(other.read_bytes() + b" ")
    done = make_workspace(folder, source=src, reset="4")
    assert done.reset == ["04-pull-by-tag-vs-digest.ipynb"] and done.kept == ["02-manifest-formats.ipynb"]
    assert edited.read_bytes() == learner_bytes(src / edited.name)
    backups = list((folder / BACKUPS).iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == mine
    assert (folder / "notes.txt").read_text() == "keep me" and other.read_bytes().endswith(b" ")
    (folder / "glossary.md").write_text("my glossary")
    everything = make_workspace(folder, source=src, reset="all")
    assert everything.reset == ["02-manifest-formats.ipynb", "glossary.md"] and not everything.kept
    assert (folder / "glossary.md").read_text() == "# Glossary\n"
    assert not (folder / "guide.md").exists()


def test_a_deleted_copy_comes_back_and_bad_input_is_an_error_not_a_traceback(tmp_path):
    src, folder = _source(tmp_path), tmp_path / "course"
    make_workspace(folder, source=src)
    (folder / START).unlink()
    assert make_workspace(folder, source=src).created == [START]
    with pytest.raises(WorkspaceError, match="no lesson '44'"):
        make_workspace(folder, source=src, reset="44")
    with pytest.raises(WorkspaceError, match="lessons' own folder"):
        make_workspace(src, source=src)
    with pytest.raises(WorkspaceError, match="cannot find the lessons"):
        find_source(tmp_path / "nowhere")
    code, out, err = run("workspace", str(folder), "--source", str(src), "--reset", "44")
    assert (code, out) == (1, "") and err.startswith("regcompat: no lesson '44' to reset") and "Traceback" not in err


def test_default_folder_is_regcompat_course_in_the_current_directory(tmp_path):
    code, out, err = run("workspace", "--source", str(NOTEBOOKS), cwd=tmp_path)
    assert code == 0, err
    assert Path(out.strip()) == tmp_path / "regcompat-course" / START and Path(out.strip()).is_file()


def test_cli_main_in_process_prints_the_start_lesson(tmp_path, capsys):
    assert main(["workspace", str(tmp_path / "w"), "--source", str(NOTEBOOKS)]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'w' / START}\n"
