"""Scale: collect thousands of returned forms — ours (1 job and N jobs, with its phases)
against the reading alone, a pypdf user script writing one CSV row per answer, a pypdf
get_fields() loop, `qpdf --json` per file and a raw pikepdf field walk; and the CLI's start.

    PYTHONPATH=src python benchmarks/scale_bench.py --sizes 200 2000 20000 --keep /tmp/scale

Workload (benchmarks/collect_bench.make_forms, in one process per core): a roster of that
many people across the seven roles, their personalized copies (or plain guides with a typed
email) filled with varied answers by guidepdf.samplefill (pypdf, independent of our pikepdf
reader), 5% sending a second, older copy and 8% nothing; then 1% of the files replaced by
broken ones (truncated, zero bytes, HTML). Every form is a different person's (about 40
minutes of generation for 20,000 on two cores; --keep reuses it). --unique N pads the
folder past N distinct forms with copies under new names, for a quicker look.

Collect runs as a fresh process (benchmarks/collect_phases.py: the library call behind
`guidepdf collect --roster`, writing its phase times), peak RSS of its largest process via
wait4; "reading alone" is the same worker pool over every file with nothing written. The
per-file peers are timed in this process on a sample of --sample files (qpdf on 100 of
them), taking turns 20 files at a time; the pypdf user script (pypdf_user_script.py) runs
as its own process over a folder of the same sample. Every output of the N-job run must
equal the 1-job run's byte for byte, and its summary.json the one made here by reading
every file in this process, without worker processes. On a shared machine the absolute
times move with the load; the ratios within one run are what to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf

sys.path.insert(0, str(Path(__file__).parent))
from collect_bench import make_forms, run_measured
from read_bench import measure

from guidepdf.content import load_content
from guidepdf.content.model import Content
from guidepdf.distribute import read_roster
from guidepdf.read.readmany import find_pdfs, read_one
from guidepdf.read.readpool import default_jobs
from guidepdf.report import summary_json
from guidepdf.report.aggregate import Aggregator


def prepare(folder: Path, size: int, unique: int | None) -> tuple[Path, Path]:
    """(returned folder, roster) with `size` PDF files, 1% of them broken."""
    returned = folder / "returned"
    if returned.is_dir() and len(list(returned.rglob("*.pdf"))) == size:
        return returned, folder / "roster.csv"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    # 8% of people send nothing and 5% two forms: ask for enough people to fill `size`
    distinct = min(size, unique or size)
    roster = make_forms(folder, distinct * 106 // 100 + 10)
    made = sorted(returned.glob("*.pdf"))
    if len(made) > size:
        for extra in made[size:]:
            extra.unlink()
        made = made[:size]
    copy = 0
    while len(made) + copy < size:
        source = made[copy % len(made)]
        target = returned / f"pad{copy // 1000:03d}" / f"{source.stem}-c{copy}.pdf"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        copy += 1
    files = sorted(returned.rglob("*.pdf"))
    rng = random.Random(size)
    for i, path in enumerate(rng.sample(files, max(1, size // 100))):
        data = path.read_bytes()
        path.write_bytes([data[: len(data) // 3], b"", b"<html>not a pdf</html>"][i % 3])
    return returned, roster


_CONTENT: list[Content] = []


def ours(path: Path) -> None:
    """What a collect worker does per file: read_one (read, compare with content, plan)."""
    if not _CONTENT:
        _CONTENT.append(load_content())
    read_one(path, _CONTENT[0], path.name)


def pypdf_loop(path: Path) -> None:
    with contextlib.suppress(Exception):  # a peer's own failures count as a read
        pypdf.PdfReader(path).get_fields()


def pikepdf_walk(path: Path) -> None:
    with contextlib.suppress(Exception), pikepdf.open(path) as pdf:
        {str(f.T): str(f.get("/V", "")) for f in pdf.Root.AcroForm.Fields if "/T" in f}


def qpdf_json(path: Path) -> None:
    subprocess.run(["qpdf", "--json", "--json-key=acroform", str(path)],
                   capture_output=True, check=False)


def rates(readers: dict[str, tuple[Callable[[Path], None], list[Path]]]) -> dict[str, float]:
    """read_bench.measure (readers take turns 20 files at a time) on files read once
    beforehand, so none pays for a cold disk cache, after each reader has read three files
    untimed (imports, content, caches)."""
    for fn, files in readers.values():
        for path in files:
            path.read_bytes()
        for path in files[:3]:
            fn(path)
    return measure(readers)  # type: ignore[arg-type]  # results are not used


def _digest(data: bytes) -> str:
    """Summaries are compared by digest: a 20,000-form summary.json parsed here would take
    hundreds of MB in this process for nothing."""
    return hashlib.sha256(data).hexdigest()


def in_process_summary(returned: Path, roster_path: Path) -> bytes:
    """summary.json's data from reading every file here, one after another, with no
    worker processes (read_one is what each worker runs)."""
    content = load_content()
    roster = read_roster(roster_path, content.roles)
    pdfs, others = find_pdfs([returned])
    agg = Aggregator(content, roster, source=returned.resolve().name)
    for path in others:
        agg.ignore(path.relative_to(returned).as_posix())
    for path in pdfs:
        shown = path.relative_to(returned).as_posix()
        agg.add(read_one(path, content, shown), shown, path.stat().st_mtime)
    return summary_json.dumps(agg.finish()).encode("utf-8")


HERE = Path(__file__).parent


def collect_run(returned: Path, roster: Path, out: Path, jobs: int
                ) -> tuple[float, float, dict[str, float]]:
    """(wall seconds, peak RSS MiB, phase seconds) of collect in a fresh process."""
    timings = out.parent / f"{out.name}.timings.json"
    seconds, rss = run_measured([sys.executable, str(HERE / "collect_phases.py"), "collect",
                                 str(returned), str(roster), str(out), str(jobs),
                                 str(timings)])
    return seconds, rss, json.loads(timings.read_text(encoding="utf-8"))


def read_run(returned: Path, jobs: int) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of reading every file with the worker pool, no outputs."""
    return run_measured([sys.executable, str(HERE / "collect_phases.py"), "read",
                         str(returned), str(jobs)])


def script_rate(sample: list[Path], folder: Path) -> float:
    """Files per second of the pypdf user script over a folder of the sample files."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for i, path in enumerate(sample):
        (folder / f"{i:05d}-{path.name}").symlink_to(path.resolve())
    began = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "pypdf_user_script.py"), str(folder),
                    str(folder.parent / "pypdf-script.csv")], check=True, capture_output=True)
    return len(sample) / (time.perf_counter() - began)


def cli_start() -> float:
    """Median seconds of `python -m guidepdf --version`, five runs."""
    times = []
    for _ in range(5):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "guidepdf", "--version"], check=True,
                       capture_output=True, env={**os.environ,
                                                 "PYTHONPATH": os.pathsep.join(sys.path)})
        times.append(time.perf_counter() - began)
    return statistics.median(times)


PHASES = ("read", "responses.xlsx", "summary.pdf", "answers.pdf", "summary.json",
          "responses.csv", "ic_levels.csv", "outputs")


def _phases(t: dict[str, float]) -> str:
    short = {"responses.xlsx": "xlsx", "summary.pdf": "summary pdf",
             "answers.pdf": "answers pdf", "summary.json": "json",
             "responses.csv": "csv", "ic_levels.csv": "ic csv", "outputs": "outputs (wall)"}
    return ", ".join(f"{short.get(k, k)} {t[k]:.1f}" for k in PHASES if k in t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--unique", type=int, help="pad with copies past this many forms")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--keep", type=Path, help="keep (and reuse) generated folders here")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    start = cli_start()
    print("| forms | what | wall s | forms/s | peak RSS MiB | phases, s (outputs overlap) |")
    print("|---:|---|---:|---:|---:|---|")
    notes = [f"CLI start (`python -m guidepdf --version`, median of 5): {start:.3f} s"]
    try:
        for size in args.sizes:
            returned, roster = prepare(base / f"n{size}", size, args.unique)
            files = sorted(returned.rglob("*.pdf"))
            n = len(files)
            sample = random.Random(1).sample(files, min(args.sample, n))
            peers = rates({
                "guidepdf read_one, 1 process (the reader alone)": (ours, sample),
                "raw pikepdf field walk": (pikepdf_walk, sample),
                "pypdf get_fields() loop": (pypdf_loop, sample),
                "qpdf --json per file": (qpdf_json, sample[:100])})
            script = script_rate(sample, base / f"script{size}")
            runs, reads = {}, {}
            for jobs in sorted({1, args.jobs}):
                out = base / f"out{size}-j{jobs}"
                runs[jobs] = collect_run(returned, roster, out, jobs)
                reads[jobs] = read_run(returned, jobs)
            digests = {jobs: {name: _digest(p.read_bytes()) for name, p in
                              sorted((p.name, p) for p in (base / f"out{size}-j{jobs}")
                                     .iterdir() if not p.name.startswith("."))}
                       for jobs in runs}
            same = all(d == digests[1] for d in digests.values())
            alone = _digest(in_process_summary(returned, roster)) == \
                digests[args.jobs]["summary.json"]
            for jobs, (wall, rss, timings) in runs.items():
                print(f"| {n:,} | guidepdf collect --jobs {jobs} | {wall:.1f} | {n / wall:,.0f} "
                      f"| {rss:,.0f} | {_phases(timings)} |")
            for jobs, (wall, rss) in reads.items():
                print(f"| {n:,} | reading alone (worker pool), --jobs {jobs} | {wall:.1f} | "
                      f"{n / wall:,.0f} | {rss:,.0f} | |")
            for name, value in peers.items():
                sampled = min(len(sample), 100) if "qpdf" in name else len(sample)
                print(f"| {n:,} | {name} (sample of {sampled}) | | {value:,.0f} | | |")
            print(f"| {n:,} | pypdf user script, one CSV row per answer (sample of "
                  f"{len(sample)}) | | {script:,.0f} | | |", flush=True)
            best = max(n / runs[j][0] for j in runs)
            ratios = "; ".join(f"collect ÷ reading alone, --jobs {j}: "
                               f"{runs[j][0] / reads[j][0]:.2f}×" for j in runs)
            notes.append(
                f"{n:,} forms: {ratios}; collect (best) ÷ pypdf script: {best / script:.1f}×; "
                f"reader ÷ raw walk (time per file): "
                f"{peers['raw pikepdf field walk'] / peers[next(iter(peers))]:.2f}×; every "
                f"output identical for 1 and {args.jobs} jobs: {'yes' if same else 'NO'}; "
                f"summary.json as made in one process without workers: "
                f"{'yes' if alone else 'NO'}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print()
    for note in notes:
        print(f"- {note}")


if __name__ == "__main__":
    main()
