"""Personalized copies per second: `personalize_roster` (per-role templates, one
incremental update per copy) with 1 worker and with --jobs workers, writing every file into
a temporary folder as `guidepdf personalize` does, against the naive loop that lays out the
whole guide again for every person (build_guide with a recipient), in memory, in one process.

Ours is timed on the whole roster, template builds included. The naive loop is timed on
every k-th person (--naive-sample of them, same role mix) and extrapolated; half of that
sample runs before our two runs and half after, so that both see the machine's load alike.
Pass --naive-sample equal to --people to time it in full. With --prefill the names are
limited to Windows-1252 letters: build_guide(prefill_name=True) cannot yet draw other
scripts in a field value (reportlab's own field appearance), while the template path can.
Each run's files are deleted before the next one (10,000 copies are ~2 GB).

    PYTHONPATH=src python benchmarks/personalize_bench.py --people 10000 --naive-sample 100 \\
        --jobs 2
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pikepdf
import reportlab

from guidepdf import load_content
from guidepdf.content import Content
from guidepdf.distribute import Person, Personalizer, personalize_roster
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.read.readpool import default_jobs

FIRST = ["Ann", "Bo", "Zoë", "Dmitri", "Ana", "Kwame", "Mei", "Олена", "Søren", "Priya",
         "José", "Ngozi", "Hiro", "Fatima", "Liam", "Ελένη", "Tomás", "Aisha", "Jonas", "Nguyễn"]
LAST = ["Lee", "Chen", "Ångström", "Ivanov", "García", "Mensah", "Wang", "Коваленко", "Berg",
        "Patel", "Núñez", "Okafor", "Tanaka", "Haddad", "Murphy", "Papadaki", "Silva", "Khan",
        "Müller", "Văn An"]
GROUPS = ["Lincoln Elementary", "Ridge Middle School", "Harbor High", "District Office",
          "Northside Learning Team"]


def _latin(words: list[str]) -> list[str]:
    return [w for w in words if w.encode("cp1252", "ignore").decode("cp1252") == w]


def roster(n: int, role_ids: list[str], latin: bool = False) -> list[Person]:
    first, last = (_latin(FIRST), _latin(LAST)) if latin else (FIRST, LAST)
    return [Person(i + 2, f"S{i:05d}", f"{first[i % len(first)]} {last[(i * 7) % len(last)]}",
                   f"person{i}@example.org", role_ids[i % len(role_ids)], GROUPS[i % 5])
            for i in range(n)]


def cpu() -> float:
    """CPU seconds used so far by this process and its finished worker processes."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def naive(content: Content, people: list[Person], prefill: bool) -> tuple[float, float]:
    """(seconds, CPU seconds) the naive loop takes for `people`."""
    start, start_cpu = time.perf_counter(), cpu()
    for person in people:
        build_guide(content, content.role(person.role),
                    GuideOptions(mode="fillable", recipient=person.recipient(),
                                 prefill_name=prefill))
    return time.perf_counter() - start, cpu() - start_cpu


def ours(content: Content, people: list[Person], prefill: bool, jobs: int,
         folder: Path) -> tuple[float, float, int]:
    """(seconds, CPU seconds, total bytes) for personalize_roster writing every copy into
    `folder` (CPU of the workers included)."""
    out = folder / f"jobs{jobs}"
    start, start_cpu = time.perf_counter(), cpu()
    paths = personalize_roster(content, people, out, prefill=prefill, jobs=jobs)
    seconds, cpu_s = time.perf_counter() - start, cpu() - start_cpu
    size = sum(p.stat().st_size for p in paths)
    shutil.rmtree(out)
    return seconds, cpu_s, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="workers for the second run (default: number of cores)")
    parser.add_argument("--prefill", action="store_true", help="also prefill name/email/group")
    parser.add_argument("--append", type=Path, help="append the markdown section to this file")
    args = parser.parse_args()

    content = load_content()
    role_ids = [r.id for r in content.roles]
    people = roster(args.people, role_ids, latin=args.prefill)
    step = max(1, len(people) // args.naive_sample)
    sample = people[::step][:args.naive_sample]

    start = time.perf_counter()  # what the template builds alone cost (one process)
    maker = Personalizer(content, prefill=args.prefill)
    for role_id in role_ids:
        maker.template(role_id)
    templates_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="personalize-bench-") as tmp:
        naive_s, naive_cpu = naive(content, sample[::2], args.prefill)
        one_s, one_cpu, total = ours(content, people, args.prefill, 1, Path(tmp))
        many_s, many_cpu, total_many = ours(content, people, args.prefill, args.jobs, Path(tmp))
        later_s, later_cpu = naive(content, sample[1::2], args.prefill)
        naive_s, naive_cpu = naive_s + later_s, naive_cpu + later_cpu
    assert total == total_many, "jobs=1 and jobs=N wrote different bytes"

    naive_rate = len(sample) / naive_s
    naive_full = len(people) / naive_rate
    extrapolated = "" if len(sample) == len(people) else \
        f" (timed on {len(sample)}, extrapolated)"
    prefill = " --prefill" if args.prefill else ""

    naive_cpu_full = naive_cpu * len(people) / len(sample)

    def row(label: str, seconds: float, cpu_s: float) -> str:
        rate = len(people) / seconds
        return (f"| {label} | {rate:,.0f} | {seconds:.1f} s | {rate / naive_rate:.1f}× | "
                f"{cpu_s:.1f} s | {naive_cpu_full / cpu_s:.1f}× |")

    lines = [
        f"### {len(people):,} people, {len(role_ids)} roles"
        f"{', prefilled fields (cp1252 names)' if args.prefill else ''}",
        "",
        "```",
        f"PYTHONPATH=src python benchmarks/personalize_bench.py --people {args.people} "
        f"--naive-sample {args.naive_sample} --jobs {args.jobs}{prefill}",
        "```",
        "",
        "| method | copies/s | time for all | × naive | CPU for all | × naive CPU |",
        "|---|---:|---:|---:|---:|---:|",
        row("guidepdf personalize, 1 job (templates + files written)", one_s, one_cpu),
        row(f"guidepdf personalize, {args.jobs} jobs (templates + files written)", many_s,
            many_cpu),
        f"| naive build_guide(recipient=…) per person, 1 process, in memory | "
        f"{naive_rate:,.1f} | {naive_full:.1f} s{extrapolated} | 1.0× | "
        f"{naive_cpu_full:.1f} s | 1.0× |",
        "",
        f"The {len(role_ids)} template builds alone take {templates_s:.2f} s in one process "
        f"(personalize_roster builds them once, before its workers start). Against a naive "
        f"loop spread over {args.jobs} processes (assumed {args.jobs}× as fast), {args.jobs} "
        f"jobs are {naive_full / args.jobs / many_s:.1f}× faster.",
        "",
        f"Average copy {total / len(people) / 1024:.0f} KiB. Python {platform.python_version()}, "
        f"reportlab {reportlab.Version}, pikepdf {pikepdf.__version__}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with args.append.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
