"""Core timing budgets: ``import regcompat``, one flagship scenario, the full matrix.

Run ``python benchmarks/bench_core.py``. Each figure is printed against its
budget; the script exits non-zero only if something crashes (a slow machine is
reported, not failed), so budgets live here and never in the tests.

  * ``import regcompat`` in a fresh interpreter, median of 7 (budget 150 ms),
    and a check that pandas, matplotlib and ipywidgets were not imported;
  * one full 1.10 push to registry 2.3.0 and 1.9 pull by tag, median of 200
    runs (budget 5 ms);
  * ``compatibility_matrix(fresh=True)``: the first call in a fresh interpreter
    and the median of 5 later recomputations (budget 1 s); CPU time is printed
    next to the wall-clock time because a loaded machine inflates the latter.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEAVY = ("pandas", "matplotlib", "ipywidgets")

_IMPORT_PROBE = (
    "import time, sys, json\n"
    "t = time.perf_counter()\n"
    "import regcompat\n"
    "elapsed = time.perf_counter() - t\n"
    f"print(json.dumps([elapsed, sorted(m for m in {HEAVY!r} if m in sys.modules)]))\n")

_MATRIX_PROBE = (
    "import time, json\n"
    "import regcompat\n"
    "t, c = time.perf_counter(), time.process_time()\n"
    "rows = regcompat.compatibility_matrix(fresh=True)\n"
    "print(json.dumps([time.perf_counter() - t, time.process_time() - c, len(rows)]))\n")


def _fresh(code: str):
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load() -> str:
    try:
        import os
        return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    except (OSError, AttributeError):
        return "load average unknown"


def _report(label: str, seconds: float, budget: float, extra: str = "") -> None:
    verdict = "within budget" if seconds <= budget else "OVER BUDGET"
    print(f"{label:<48} {seconds * 1000:9.2f} ms   budget {budget * 1000:7.0f} ms   {verdict}{extra}")


def bench_import() -> None:
    samples, heavy = [], set()
    for _ in range(7):
        elapsed, loaded = _fresh(_IMPORT_PROBE)
        samples.append(elapsed)
        heavy.update(loaded)
    _report("import regcompat (fresh interpreter, median of 7)", statistics.median(samples), 0.150)
    print(f"{'heavy modules after import':<48} {sorted(heavy) or 'none'}"
          f"   {'OK' if not heavy else 'UNEXPECTED: the core must not import these'}")


def bench_scenario() -> None:
    import regcompat as rc
    first = rc.scenario()
    assert first.ok and first.converted, "the flagship scenario changed"
    samples = []
    for _ in range(200):
        t = time.perf_counter()
        rc.scenario(push_engine="1.10", registry="2.3.0", pull_engine="1.9", by="tag")
        samples.append(time.perf_counter() - t)
    _report("scenario 1.10 push -> 2.3.0 -> 1.9 pull by tag", statistics.median(samples), 0.005,
            f"   (p90 {statistics.quantiles(samples, n=10)[-1] * 1000:.2f} ms)")


def bench_matrix() -> None:
    import regcompat as rc
    cold, cold_cpu, rows = _fresh(_MATRIX_PROBE)
    _report(f"compatibility_matrix() first call ({rows} rows)", cold, 1.0, f"   (CPU {cold_cpu * 1000:.0f} ms)")
    samples, cpu = [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        rc.compatibility_matrix(fresh=True)
        samples.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    _report("compatibility_matrix() warm, median of 5", statistics.median(samples), 1.0,
            f"   (CPU {statistics.median(cpu) * 1000:.0f} ms)")


def main() -> int:
    print(f"Python {sys.version.split()[0]} on {sys.platform}, {_load()} (wall-clock figures suffer under load)")
    bench_import()
    bench_scenario()
    bench_matrix()
    return 0


if __name__ == "__main__":
    sys.exit(main())
