"""How long the lessons take to run, and the slowest widget callback.

Budgets (issue 4): each lesson executes top to bottom in at most 15 s, the whole
course in at most 90 s, and no widget callback takes more than 100 ms. This is a
benchmark, not a test: it prints figures and exits non-zero when a budget is
blown, so CI can report it without making the test suite timing-dependent.

    python benchmarks/bench_lessons.py            # every lesson + every callback
    python benchmarks/bench_lessons.py --no-lessons   # callbacks only (no kernel)

Lessons run with nbclient in a fresh kernel each (the kernel start-up, about a
second, is counted, as a learner would wait for it); outputs are not saved.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSON_BUDGET, COURSE_BUDGET, CALLBACK_BUDGET = 15.0, 90.0, 0.100


def time_lessons() -> dict[str, float]:
    import nbformat
    from nbclient import NotebookClient

    times = {}
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        times[path.stem] = time.perf_counter() - start
    return times


def _best_of(fn, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return min(samples)


def time_callbacks() -> dict[str, float]:
    """Every button/observer callback of the lesson widgets, driven as pytest does."""
    import regcompat as rc
    from regcompat.notebook import DigestInspector, MatrixView, Playground, Predict, SelfCheck, WireView

    times = {}
    play = Playground(push_engine="1.10", registry="2.3.1", pull_engine="1.9", by="digest")
    for registry in ("2.2.1", "2.3.0", "2.8", "3.0"):
        play.registry.value = registry
        times[f"Playground.run (registry {registry})"] = _best_of(play.run_button.click)
    play.kind.value = "list"
    times["Playground.run (manifest list, registry 2.3.1)"] = _best_of(play.run_button.click)
    inspector = DigestInspector(registry="2.3.1")
    for registry in ("2.3.0", "2.3.1", "3.0"):
        inspector.registry.value = registry
        times[f"DigestInspector.fetch (registry {registry})"] = _best_of(inspector.fetch_button.click)
    wire = WireView(play.wire.exchanges)
    times["WireView toggle"] = _best_of(lambda: setattr(wire.manifests_only, "value", not wire.manifests_only.value))
    matrix = MatrixView(rc.compatibility_matrix(), index=["registry"], columns=["pusher", "puller", "by"],
                        filters=["kind", "registry"])
    options = list(matrix.filters["registry"].options)
    times["MatrixView filter"] = _best_of(
        lambda: setattr(matrix.filters["registry"], "value", options[1] if matrix.filters["registry"].value == options[0] else options[0]))
    quiz = Predict("q", {"a": "x", "b": "y"}, answer="a")
    quiz.choice.value = "b"
    times["Predict check"] = _best_of(quiz.button.click)
    check = SelfCheck("q", lambda v: (v == "x", "fine"), solution="x")
    check.answer.value = "x"
    times["SelfCheck check"] = _best_of(check.button.click)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lessons", action="store_true", help="skip executing the notebooks")
    args = parser.parse_args(argv)
    failed = False
    if not args.no_lessons:
        lessons = time_lessons()
        print(f"{'lesson':40} {'seconds':>8}  (budget {LESSON_BUDGET:.0f} s each)")
        for name, seconds in lessons.items():
            flag = "" if seconds <= LESSON_BUDGET else "  OVER BUDGET"
            failed |= bool(flag)
            print(f"{name:40} {seconds:8.2f}{flag}")
        total = sum(lessons.values())
        flag = "" if total <= COURSE_BUDGET else "  OVER BUDGET"
        failed |= bool(flag)
        print(f"{'whole course':40} {total:8.2f}  (budget {COURSE_BUDGET:.0f} s){flag}")
        print(f"{'median lesson':40} {statistics.median(lessons.values()):8.2f}")
        print()
    callbacks = time_callbacks()
    print(f"{'widget callback (best of 5)':48} {'ms':>8}  (budget {CALLBACK_BUDGET * 1000:.0f} ms)")
    for name, seconds in sorted(callbacks.items(), key=lambda kv: -kv[1]):
        print(f"{name:48} {seconds * 1000:8.1f}")
    slowest = max(callbacks, key=callbacks.get)
    flag = "" if callbacks[slowest] <= CALLBACK_BUDGET else "  OVER BUDGET"
    failed |= bool(flag)
    print(f"slowest callback: {slowest}, {callbacks[slowest] * 1000:.1f} ms{flag}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
