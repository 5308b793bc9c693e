"""`guidepdf collect`: peak memory (RSS) and time per form as the number of forms grows.

    PYTHONPATH=src python benchmarks/collect_bench.py --forms 200 2000 [--keep DIR]

For each size, makes a roster of that many people across the seven roles and fills their
forms with guidepdf.samplefill (values only; personalized copies for most, plain guides with
a typed email for the rest; 5% send a second, older copy; 8% send nothing), then runs
`python -m guidepdf collect` in a fresh process and reads its peak RSS with os.wait4.
A second, in-process run times each stage (read, JSON, CSV, XLSX, PDF).

Peers in the same run: `guidepdf read` over the same folder (plans only, no summary), so the
ratio shows what the summary costs on top of reading.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from guidepdf.content import load_content
from guidepdf.distribute import Personalizer
from guidepdf.distribute.roster import Person
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.report import summary_json, tables
from guidepdf.report.collect import read_folder
from guidepdf.report.summary_pdf import build_summary_pdf
from guidepdf.sampleanswers import sample_response
from guidepdf.samplefill import fill, form_values

START = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


def make_forms(folder: Path, count: int, jobs: int | None = None) -> Path:
    """`count` roster people, their returned forms under folder/returned; the roster path.
    Made in `jobs` processes (default: one per core); each person's forms depend only on
    `count` and their number, so the result does not depend on `jobs`."""
    content = load_content()
    roles = [r.id for r in content.roles]
    returned = folder / "returned"
    returned.mkdir(parents=True)
    people = [_person(i, roles) for i in range(count)]
    lines = ["id,name,email,role,group"]
    lines += [f"{p.id},{p.name},{p.email},{p.role},{p.group}" for p in people]
    step = 100
    chunks = [(returned, count, start, min(start + step, count))
              for start in range(0, count, step)]
    with ProcessPoolExecutor(jobs or os.cpu_count() or 1) as pool:
        for done, _ in enumerate(pool.map(_make_chunk, chunks), start=1):
            if len(chunks) > 5 and done % max(1, len(chunks) // 10) == 0:
                print(f"  made {min(done * step, count):,} of {count:,} people's forms",
                      file=sys.stderr, flush=True)
    roster = folder / "roster.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return roster


def _person(i: int, roles: list[str]) -> Person:
    return Person(i + 2, f"p{i:05d}", f"Person {i:05d}", f"p{i:05d}@example.org",
                  roles[i % len(roles)], f"School {i % 25:02d}")


_MAKERS: dict[str, Any] = {}  # per worker process: content, plain guides, personalizer


def _make_chunk(task: tuple[Path, int, int, int]) -> None:
    returned, count, start, stop = task
    if not _MAKERS:
        content = load_content()
        _MAKERS.update(content=content, personalizer=Personalizer(content), plain={
            r.id: build_guide(content, r, GuideOptions()) for r in content.roles})
    content = _MAKERS["content"]
    plain, maker = _MAKERS["plain"], _MAKERS["personalizer"]
    roles = [r.id for r in content.roles]
    for i in range(start, stop):
        person = _person(i, roles)
        rng = random.Random(count * 1_000_003 + i)
        if rng.random() < 0.08:
            continue  # never sent one back
        personalized = rng.random() < 0.7
        base = maker.copy(person) if personalized else plain[person.role]
        typed = {"name": person.name, "date": "2026-10-06"}
        if not personalized:
            typed["email"] = person.email
        copies = 2 if rng.random() < 0.05 else 1
        for n in range(copies):
            response = sample_response(content.role(person.role), rng)
            values = form_values(person.role, respondent=typed, answers=response.answers,
                                 ic=response.ic, ic_notes=response.ic_notes)
            saved = START + timedelta(hours=i % 48, days=n)
            name = f"{person.id}.pdf" if n == copies - 1 else f"{person.id}-old.pdf"
            (returned / name).write_bytes(fill(base, values, modified=saved,
                                               appearances="viewer"))


# Forks the measured command from a small process and reports its peak RSS. Linux counts
# the RSS a process had when it exec'd into the new program's ru_maxrss, so a command
# started straight from this (large) benchmark process would report our size, not its own.
_LAUNCH = """
import os, sys
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_measured(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of the largest process it ran) of a command."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCH, *args], env=env,
                          capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    code, maxrss = (int(v) for v in done.stdout.split())
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed with {code}")
    return elapsed, maxrss / 1024  # Linux reports KiB


def stages(folder: Path) -> dict[str, float]:
    """Seconds per stage of one collect, in this process."""
    from guidepdf.distribute import read_roster

    content = load_content()
    roster = read_roster(folder / "roster.csv", content.roles)
    times: dict[str, float] = {}
    t = time.perf_counter()
    summary = read_folder(folder / "returned", content, roster)
    times["read + aggregate"] = time.perf_counter() - t
    for name, make in (("summary.json", lambda: summary_json.dumps(summary)),
                       ("responses.csv", lambda: tables.responses_csv(summary)),
                       ("responses.xlsx", lambda: tables.responses_xlsx(summary)),
                       ("summary.pdf", lambda: build_summary_pdf(summary, content))):
        t = time.perf_counter()
        make()
        times[name] = time.perf_counter() - t
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--keep", type=Path, help="keep the generated folders here")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="collect-bench-"))
    rows = []
    try:
        for count in args.forms:
            folder = base / f"n{count}"
            if not (folder / "roster.csv").exists():
                started = time.perf_counter()
                make_forms(folder, count)
                print(f"made {count} roster people's forms in "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
            pdfs = len(list((folder / "returned").glob("*.pdf")))
            collect_s, collect_rss = run_measured(
                [sys.executable, "-m", "guidepdf", "collect", str(folder / "returned"),
                 "--roster", str(folder / "roster.csv"), "--out", str(folder / "out")])
            read_s, read_rss = run_measured(
                [sys.executable, "-m", "guidepdf", "read", str(folder / "returned"),
                 "--format", "json", "--out", str(folder / "plans")])
            pages = _pages(folder / "out" / "summary.pdf")
            rows.append((count, pdfs, collect_s, collect_rss, read_s, read_rss, pages,
                         stages(folder)))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print("| roster | PDFs | collect s | ms / form | peak RSS MiB | read s | read RSS MiB "
          "| collect ÷ read time | summary pages |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count, pdfs, cs, crss, rs, rrss, pages, _ in rows:
        print(f"| {count:,} | {pdfs:,} | {cs:.1f} | {1000 * cs / pdfs:.1f} | {crss:.0f} | "
              f"{rs:.1f} | {rrss:.0f} | {cs / rs:.1f}× | {pages:,} |")
    print()
    print("| roster | " + " | ".join(rows[0][7]) + " |")
    print("|---:|" + "---:|" * len(rows[0][7]))
    for count, *_, times in rows:
        print(f"| {count:,} | " + " | ".join(f"{v:.2f} s" for v in times.values()) + " |")
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(f"\nPeak RSS grows {large[3] / small[3]:.2f}× for {large[1] / small[1]:.1f}× "
              f"the forms ({small[3]:.0f} → {large[3]:.0f} MiB).")


def _pages(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


if __name__ == "__main__":
    main()
