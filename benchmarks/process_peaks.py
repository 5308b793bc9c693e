"""Peak RSS of every process of one collect run, sampled every 10 ms from /proc (Linux): which
process is the largest, and when. scale_bench reports the largest process's peak (wait4);
this says whose it is — the parent, a reading worker, a themes worker, or the process
writing one output (forked in the order collect starts them: report.collect._BY_COST).

    PYTHONPATH=src python benchmarks/process_peaks.py RETURNED ROSTER OUT JOBS

Sampling costs CPU of its own, so the times it prints are not the benchmark's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _parents() -> dict[int, int]:
    found: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue  # gone meanwhile
            found[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def _family(root: int) -> set[int]:
    parents = _parents()
    family, grown = {root}, True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grown = True
    return family


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main() -> None:
    returned, roster, out, jobs = sys.argv[1:5]
    timings = Path(out).with_suffix(".timings.json")
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(HERE / "collect_phases.py"), "collect",
                              returned, roster, out, jobs, str(timings)])
    first: dict[int, float] = {}  # pid -> when first seen
    peaks: dict[int, tuple[int, float]] = {}  # pid -> (KiB, when)
    while child.poll() is None:
        now = time.perf_counter() - began
        for pid in _family(child.pid):
            first.setdefault(pid, now)
            kib = _rss_kib(pid)
            if kib is not None and kib > peaks.get(pid, (0, 0.0))[0]:
                peaks[pid] = (kib, now)
        time.sleep(0.01)
    print(f"collect exited {child.returncode} after {time.perf_counter() - began:.1f} s")
    print("| process (in order of starting) | started s | peak RSS MiB | at s |")
    print("|---|---:|---:|---:|")
    for n, pid in enumerate(sorted(peaks, key=lambda p: first[p])):
        kib, at = peaks[pid]
        who = "collect (the parent)" if pid == child.pid else f"child {n}"
        print(f"| {who} | {first[pid]:.1f} | {kib / 1024:.0f} | {at:.1f} |")


if __name__ == "__main__":
    main()
