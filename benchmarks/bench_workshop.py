"""A workshop under load: the hub of deploy/jupyterhub with N learners working at once.

Run as root: ``python benchmarks/bench_workshop.py [--learners 5,10,20] [--think 3]``
(``--learner-python`` names an interpreter with the learner packages that an
unprivileged account can run; by default this one). For each N it starts the
hub on loopback with the shipped configuration (tests/deploy/workshop.py), then
N simulated learners at once, each in its own thread:

  1. signs in through the login form (first-use sign-up) and asks for a server,
     as the browser's spawn page does;
  2. runs lessons 00, 04 and 06 from the learner copies in their home, cell by
     cell over the kernel websocket, ``--think`` seconds between cells (a
     learner reading), one kernel per lesson (JupyterLab's session API);
  3. stops.

Measured per learner: seconds from asking for the server to the server
answering, seconds to run each lesson (think time excluded), peak resident
(RSS) and proportional (PSS: shared pages divided among their users) memory of
the single-user server and of its kernel, and CPU seconds used by them. For the
machine: the hub's own memory (hub, proxy, idle culler), the peak of memory in
use (``MemTotal - MemAvailable``) above what it was before the hub started, and
the CPU busy share during the run. It prints one table per N and a sizing
line, and writes everything as JSON with ``--json FILE``.

Bounded: each N stops after ``--max-minutes`` (default 12) and says so; a
learner whose server does not start in 240 s or whose cell does not answer in
300 s counts as failed, and the script exits non-zero when any learner failed
or any cell raised. The figures depend on the machine and on what else runs
on it: run it on the machine you will teach on.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.workshop import Learner, Workshop, learner_python, memory_kb, processes_of  # noqa: E402

LESSONS = ("00", "04", "06")
CLOCK = os.sysconf("SC_CLK_TCK")


@dataclass
class LearnerFigures:
    name: str
    start_s: float | None = None
    lessons_s: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    server_rss_kb: int = 0
    server_pss_kb: int = 0
    kernel_rss_kb: int = 0
    kernel_pss_kb: int = 0
    total_pss_kb: int = 0          # server + kernel at the same moment, the peak of their sum
    cpu_s: float = 0.0
    start_cpu_s: float = 0.0       # CPU the server used to start (read when it first answered)
    uid: int = -1


def meminfo_kb(key: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def used_kb() -> int:
    return meminfo_kb("MemTotal") - meminfo_kb("MemAvailable")


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def cpu_seconds(pid: int) -> float:
    """User + system time of a process and of the children it waited for (its finished kernels)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    values = stat.rsplit(")", 1)[1].split()
    return sum(int(v) for v in values[11:15]) / CLOCK


def is_kernel(cmdline: str) -> bool:
    return "ipykernel" in cmdline


class Sampler(threading.Thread):
    """Samples every learner's processes, the hub's and the machine's once a second."""

    def __init__(self, hub: Workshop, figures: list[LearnerFigures]):
        super().__init__(daemon=True)
        self.hub, self.figures = hub, figures
        self.stop = threading.Event()
        self.hub_rss_kb = self.hub_pss_kb = self.used_peak_kb = 0

    def sample(self) -> None:
        for fig in self.figures:
            if fig.uid < 0:
                continue
            server = kernel = (0, 0)
            cpu = 0.0
            for pid, cmdline in processes_of(fig.uid):
                rss, pss = memory_kb(pid)
                if is_kernel(cmdline):
                    kernel = (kernel[0] + rss, kernel[1] + pss)
                elif "jupyterhub.singleuser" in cmdline or "jupyterhub-singleuser" in cmdline:
                    server = (server[0] + rss, server[1] + pss)
                    cpu += cpu_seconds(pid)
            fig.server_rss_kb = max(fig.server_rss_kb, server[0])
            fig.server_pss_kb = max(fig.server_pss_kb, server[1])
            fig.kernel_rss_kb = max(fig.kernel_rss_kb, kernel[0])
            fig.kernel_pss_kb = max(fig.kernel_pss_kb, kernel[1])
            fig.total_pss_kb = max(fig.total_pss_kb, server[1] + kernel[1])
            fig.cpu_s = max(fig.cpu_s, cpu)
        hub = [memory_kb(pid) for pid in self.hub.hub_pids()]
        self.hub_rss_kb = max(self.hub_rss_kb, sum(r for r, _ in hub))
        self.hub_pss_kb = max(self.hub_pss_kb, sum(p for _, p in hub))
        self.used_peak_kb = max(self.used_peak_kb, used_kb())

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.sample()


def work(hub: Workshop, fig: LearnerFigures, think: float, deadline: float) -> None:
    import pwd

    learner = Learner(hub, fig.name)
    try:
        if learner.sign_in().status_code != 302:
            fig.errors.append("sign-in refused")
            return
        fig.uid = pwd.getpwnam(fig.name).pw_uid
        learner.new_token()
        fig.start_s = learner.start_server()
        fig.start_cpu_s = sum(cpu_seconds(pid) for pid, _ in processes_of(fig.uid))
        for number in LESSONS:
            if time.monotonic() > deadline:
                fig.errors.append(f"lesson {number}: not run, time budget spent")
                break
            run = learner.run_lesson(number, think=think)
            fig.lessons_s[number] = run.seconds
            fig.errors += [f"lesson {number} {e}" for e in run.errors]
    except Exception as err:  # a failed learner is a result to report, not a crash of the benchmark
        fig.errors.append(f"{type(err).__name__}: {str(err)[:300]}")


def run_class(python: str, n: int, think: float, stagger: float, max_minutes: float) -> dict:
    baseline_used = used_kb()
    busy0, total0 = cpu_times()
    started = time.monotonic()
    with Workshop(python) as hub:
        hub_idle = [memory_kb(pid) for pid in hub.hub_pids()]
        figures = [LearnerFigures(hub.name(f"l{i:02d}")) for i in range(n)]
        sampler = Sampler(hub, figures)
        sampler.start()
        deadline = started + max_minutes * 60
        threads = [threading.Thread(target=work, args=(hub, fig, think, deadline), daemon=True) for fig in figures]
        for thread in threads:
            thread.start()
            time.sleep(stagger)
        for thread in threads:
            thread.join(max(1.0, deadline + 300 - time.monotonic()))
        sampler.stop.set()
        sampler.join()
        sampler.sample()
        busy1, total1 = cpu_times()
        for fig, thread in zip(figures, threads):
            if thread.is_alive():
                fig.errors.append("still running when the time budget ran out")
    return {
        "learners": n, "think_s": think, "wall_s": time.monotonic() - started,
        "hub_idle_rss_kb": sum(r for r, _ in hub_idle), "hub_peak_rss_kb": sampler.hub_rss_kb,
        "hub_peak_pss_kb": sampler.hub_pss_kb,
        "machine_used_above_baseline_kb": sampler.used_peak_kb - baseline_used,
        "cpu_busy_share": (busy1 - busy0) / max(1, total1 - total0),
        "cores": os.cpu_count(), "per_learner": [asdict(f) for f in figures],
    }


def summary(result: dict) -> str:
    people = result["per_learner"]
    ok = [p for p in people if not p["errors"]]

    def spread(values: list[float], unit: str = "s", scale: float = 1.0) -> str:
        values = [v / scale for v in values if v is not None]
        if not values:
            return "-"
        return f"{statistics.median(values):.1f} / {max(values):.1f} {unit}"

    mib = 1024.0
    lines = [f"N = {result['learners']} learners, think {result['think_s']} s, "
             f"{len(ok)} finished clean, {result['wall_s']:.0f} s in all",
             f"  {'per learner (median / max)':34} value",
             f"  {'server start':34} {spread([p['start_s'] for p in people])}"]
    for number in LESSONS:
        lines.append(f"  {'lesson ' + number + ' (think time excluded)':34} "
                     f"{spread([p['lessons_s'].get(number) for p in people])}")
    lines += [
        f"  {'server RSS (peak)':34} {spread([p['server_rss_kb'] for p in people], 'MiB', mib)}",
        f"  {'kernel RSS (peak)':34} {spread([p['kernel_rss_kb'] for p in people], 'MiB', mib)}",
        f"  {'server + kernel PSS (peak)':34} {spread([p['total_pss_kb'] for p in people], 'MiB', mib)}",
        f"  {'CPU used to start the server':34} {spread([p['start_cpu_s'] for p in people], 'CPU-s')}",
        f"  {'CPU used (server + kernels)':34} {spread([p['cpu_s'] for p in people], 'CPU-s')}",
        f"  hub + proxy + culler RSS: {result['hub_idle_rss_kb'] / mib:.0f} MiB idle, "
        f"{result['hub_peak_rss_kb'] / mib:.0f} MiB peak",
        f"  machine memory in use above baseline (peak): {result['machine_used_above_baseline_kb'] / mib:.0f} MiB"
        f" = {result['machine_used_above_baseline_kb'] / mib / result['learners']:.0f} MiB per learner",
        f"  CPU busy during the run: {100 * result['cpu_busy_share']:.0f} % of {result['cores']} cores",
    ]
    for p in people:
        for error in p["errors"]:
            lines.append(f"  ! {p['name']}: {error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", default="5,10,20", help="class sizes to run, comma-separated (max 40)")
    parser.add_argument("--think", type=float, default=3.0, help="seconds between two cells (default 3)")
    parser.add_argument("--stagger", type=float, default=0.5, help="seconds between two learners signing in")
    parser.add_argument("--max-minutes", type=float, default=12.0, help="time budget per class size")
    parser.add_argument("--learner-python", default=os.environ.get("REGCOMPAT_HUB_LEARNER_PYTHON", ""),
                        help="interpreter for the learners' servers (default: this one)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.learners.split(",") if n.strip()]
    if not sizes or min(sizes) < 1 or max(sizes) > 40:
        parser.error("--learners: class sizes between 1 and 40")
    if os.geteuid() != 0:
        print("bench_workshop: run as root (the hub creates one Unix account per learner)", file=sys.stderr)
        return 2
    python = learner_python([args.learner_python, sys.executable])
    if python is None:
        print("bench_workshop: no Python with the learner packages that an unprivileged account can run; "
              "pass --learner-python", file=sys.stderr)
        return 2
    results, failed = [], False
    for n in sizes:
        result = run_class(python, n, args.think, args.stagger, args.max_minutes)
        results.append(result)
        print(summary(result), flush=True)
        failed |= any(p["errors"] for p in result["per_learner"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
