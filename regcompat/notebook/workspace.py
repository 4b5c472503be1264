"""Learner copies of the lessons: ``regcompat workspace``.

The repository keeps its lessons *executed* (nbval compares their outputs, and
instructors read them with results). A learner needs the opposite: a copy
without outputs, so that nothing shows before it is run, in a folder of their
own that they can edit, save and reset. :func:`make_workspace` writes such
copies into a workspace folder (by default ``regcompat-course`` in the current
directory):

* every ``NN-*.ipynb`` lesson of the source folder, and the Markdown pages
  beside them that lessons link to (``glossary.md``), and nothing else (the
  instructor guide and the nbval configuration stay behind);
* outputs and execution counts cleared, stored widget state and execution
  timings dropped;
* the kernelspec set to what ``ipykernel`` installs (``python3``,
  "Python 3 (ipykernel)"), so JupyterLab does not mark a lesson modified on
  open;
* nbval's markers removed: ``nbval-*`` cell tags and ``# NBVAL_*`` comment
  lines;
* written the way Jupyter saves a notebook (sorted keys, one-space indent),
  so saving an unchanged lesson changes no byte.

A learner's work is never overwritten: a copy whose bytes differ from the
ones this module last wrote there is *kept*. A copy still untouched is
refreshed when the lesson changed. ``reset`` (``"all"`` or a lesson number
such as ``"04"``) restores the pristine copy of those lessons; the edited copy
is first moved to ``.backups/`` inside the workspace, and other files are left
alone. What was written is recorded in ``.regcompat-workspace.json``.

Pure Python (json, hashlib): importing this module starts no Jupyter code.
Left out: merging a learner's edits with a newer lesson (the learner resets
or keeps their copy).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEFAULT_DIR", "START", "KERNELSPEC", "WorkspaceError", "WorkspaceResult", "find_source", "lessons",
           "pages", "learner_notebook", "learner_bytes", "make_workspace"]

DEFAULT_DIR = "regcompat-course"
START = "00-start-here.ipynb"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
RECORD = ".regcompat-workspace.json"
BACKUPS = ".backups"

_LESSON = re.compile(r"^(\d\d)-[\w.-]+\.ipynb$")
_NBVAL_LINE = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+\s*$")


class WorkspaceError(Exception):
    """A user error (no lessons found, an unknown lesson number): printed, never a traceback."""


def find_source(start: Path | str | None = None) -> Path:
    """The folder holding the lessons (``00-start-here.ipynb``).

    ``start`` (a folder, or a folder with a ``notebooks/`` inside) wins; then
    ``notebooks/`` in the current directory, the current directory itself, and
    ``notebooks/`` next to the package (a clone or an editable install).
    """
    candidates = []
    if start is not None:
        candidates += [Path(start), Path(start) / "notebooks"]
    else:
        candidates += [Path.cwd() / "notebooks", Path.cwd(), Path(__file__).resolve().parents[2] / "notebooks"]
    for folder in candidates:
        if (folder / START).is_file():
            return folder.resolve()
    where = f"in {start}" if start is not None else "next to the package or in the current directory"
    raise WorkspaceError(f"cannot find the lessons ({START}) {where}: run this from a clone of the "
                         "regcompat repository, or pass --source NOTEBOOKS_DIR")


def lessons(source: Path) -> list[Path]:
    """The lesson notebooks of ``source`` (``NN-name.ipynb``), in order."""
    return sorted(p for p in Path(source).iterdir() if p.is_file() and _LESSON.match(p.name))


def pages(source: Path) -> list[Path]:
    """The Markdown pages next to the lessons (the glossary); the instructor folder is not among them."""
    return sorted(p for p in Path(source).iterdir() if p.is_file() and p.suffix == ".md")


def _strip_nbval(source):
    lines = source.splitlines(keepends=True) if isinstance(source, str) else list(source)
    kept = [line for line in lines if not _NBVAL_LINE.match(line)]
    if kept and kept != lines:  # a dropped last line leaves the new last line without its newline
        kept[-1] = kept[-1].rstrip("\n")
    return kept if isinstance(source, list) else "".join(kept)


def learner_notebook(notebook: dict) -> dict:
    """A learner copy of a notebook (a parsed ``.ipynb``), as a new dict."""
    nb = json.loads(json.dumps(notebook))
    meta = nb.setdefault("metadata", {})
    meta["kernelspec"] = dict(KERNELSPEC)
    meta.pop("widgets", None)
    for cell in nb.get("cells", []):
        cmeta = cell.setdefault("metadata", {})
        cmeta.pop("execution", None)
        tags = [t for t in cmeta.get("tags", []) if not t.startswith("nbval-")]
        if tags:
            cmeta["tags"] = tags
        else:
            cmeta.pop("tags", None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            cell["source"] = _strip_nbval(cell.get("source", ""))
    return nb


def _dumps(nb: dict) -> bytes:
    """Bytes as Jupyter writes a notebook (nbformat: sorted keys, indent 1, non-ASCII kept, final newline)."""
    return (json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def learner_bytes(path: Path) -> bytes:
    """The learner copy of the lesson at ``path``, as the bytes written into a workspace."""
    try:
        notebook = json.loads(Path(path).read_bytes())
    except (OSError, ValueError) as err:
        raise WorkspaceError(f"{path}: cannot read the lesson ({err})") from None
    return _dumps(learner_notebook(notebook))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class WorkspaceResult:
    """What :func:`make_workspace` did, lesson file names per outcome."""

    folder: Path
    start: Path
    created: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    reset: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)      # edited by the learner: left as it is
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in (("created", self.created), ("refreshed", self.refreshed),
                                              ("reset", self.reset), ("unchanged", self.unchanged)) if v]
        text = f"learner copies in {self.folder}: " + (", ".join(parts) or "nothing to do")
        if self.kept:
            text += (f"; kept your edited {', '.join(self.kept)} "
                     "(--reset NN or --reset all restores a pristine copy)")
        return text


def _read_record(folder: Path) -> dict:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    lessons_written = record.get("lessons") if isinstance(record, dict) else None
    return lessons_written if isinstance(lessons_written, dict) else {}


def _reset_set(reset: str | None, names: list[str]) -> set[str]:
    if reset is None:
        return set()
    if reset == "all":
        return set(names)
    wanted = reset.strip()
    if wanted.isdigit() and len(wanted) == 1:
        wanted = "0" + wanted
    chosen = {n for n in names if n[:2] == wanted}
    if not chosen:
        numbers = ", ".join(n[:2] for n in names)
        raise WorkspaceError(f"no lesson {reset!r} to reset: choose 'all' or one of {numbers}")
    return chosen


def make_workspace(folder: Path | str | None = None, *, source: Path | str | None = None,
                   reset: str | None = None) -> WorkspaceResult:
    """Create or update the learner copies in ``folder``; returns what was done.

    ``folder`` defaults to ``regcompat-course`` in the current directory;
    ``source`` to :func:`find_source`'s answer. ``reset`` is ``None``,
    ``"all"`` or a lesson number (``"04"``).
    """
    src = find_source(source)
    folder = Path(folder) if folder is not None else Path.cwd() / DEFAULT_DIR
    folder = folder.expanduser().resolve()
    if src == folder:
        raise WorkspaceError(f"the workspace {folder} is the lessons' own folder: choose another")
    paths = lessons(src)
    names = [p.name for p in paths]
    to_reset = _reset_set(reset, names)
    if reset == "all":
        to_reset |= {p.name for p in pages(src)}
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WorkspaceError(f"cannot create {folder}: {err.strerror or err}") from None
    written = _read_record(folder)
    result = WorkspaceResult(folder=folder, start=folder / START)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    for path in paths + pages(src):
        name, target = path.name, folder / path.name
        pristine = learner_bytes(path) if path.suffix == ".ipynb" else path.read_bytes()
        current = target.read_bytes() if target.is_file() else None
        if current == pristine:
            outcome = "unchanged"
        elif current is None:
            outcome = "created"
        elif name in to_reset:
            backup = folder / BACKUPS / f"{target.stem}-{stamp}{target.suffix}"
            backup.parent.mkdir(exist_ok=True)
            shutil.copy2(target, backup)
            outcome = "reset"
        elif written.get(name) == _sha(current):
            outcome = "refreshed"   # untouched since written here, and the lesson changed
        else:
            result.kept.append(name)
            continue
        if outcome != "unchanged":
            tmp = target.with_name(f".{name}.tmp")
            tmp.write_bytes(pristine)
            tmp.replace(target)
        written[name] = _sha(pristine)
        getattr(result, outcome).append(name)
    (folder / RECORD).write_text(json.dumps({"lessons": written}, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")
    return result
