"""Scale: collect thousands of returned forms — ours (1 job and N jobs) against a plain pypdf
get_fields() loop, `qpdf --json` per file, and a raw pikepdf field walk (the ceiling).

    PYTHONPATH=src python benchmarks/scale_bench.py --sizes 200 2000 20000 --keep /tmp/scale

Workload (benchmarks/collect_bench.make_forms, in one process per core): a roster of that
many people across the seven roles, their personalized copies (or plain guides with a typed
email) filled with varied answers by guidepdf.samplefill (pypdf, independent of our pikepdf
reader), 5% sending a second, older copy and 8% nothing; then 1% of the files replaced by
broken ones (truncated, zero bytes, HTML). Every form is a different person's (about 40
minutes of generation for 20,000 on two cores; --keep reuses it). --unique N pads the
folder past N distinct forms with copies under new names, for a quicker look.

Ours runs as `python -m guidepdf collect` in a fresh process (peak RSS of the largest
process via wait4). The peers read files only (no summary) and are timed in this process on
a sample of --sample files (qpdf on 100 of them), taking turns 20 files at a time. The
N-job run's summary.json must equal the 1-job run's, and the one made here by reading every
file in this process, without worker processes.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf

sys.path.insert(0, str(Path(__file__).parent))
from collect_bench import make_forms, run_measured
from read_bench import measure

from guidepdf.content import load_content
from guidepdf.distribute import read_roster
from guidepdf.errors import FormReadError
from guidepdf.reader import read_form
from guidepdf.readmany import find_pdfs, read_one
from guidepdf.readpool import default_jobs
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


def ours(path: Path) -> None:
    with contextlib.suppress(FormReadError):
        read_form(path)


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
    beforehand, so none pays for a cold disk cache."""
    for _, files in readers.values():
        for path in files:
            path.read_bytes()
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


def collect_run(returned: Path, roster: Path, out: Path, jobs: int) -> tuple[float, float]:
    return run_measured([sys.executable, "-m", "guidepdf", "collect", str(returned),
                         "--roster", str(roster), "--out", str(out), "--jobs", str(jobs)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--unique", type=int, help="pad with copies past this many forms")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--keep", type=Path, help="keep (and reuse) generated folders here")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    print("| forms | reader | files/s | × pypdf loop | peak RSS (MiB) |")
    print("|---:|---|---:|---:|---:|")
    try:
        for size in args.sizes:
            returned, roster = prepare(base / f"n{size}", size, args.unique)
            files = sorted(returned.rglob("*.pdf"))
            sample = random.Random(1).sample(files, min(args.sample, len(files)))
            peers = rates({
                "guidepdf read_form, 1 process (the reader alone)": (ours, sample),
                "pypdf get_fields() loop": (pypdf_loop, sample),
                "qpdf --json per file": (qpdf_json, sample[:100]),
                "raw pikepdf field walk (ceiling)": (pikepdf_walk, sample)})
            runs = {}
            for jobs in sorted({1, args.jobs}):
                out = base / f"out{size}-j{jobs}"
                seconds, rss = collect_run(returned, roster, out, jobs)
                runs[jobs] = (size / seconds, rss, _digest((out / "summary.json").read_bytes()))
            same = all(r[2] == runs[1][2] for r in runs.values())
            alone = _digest(in_process_summary(returned, roster)) == runs[args.jobs][2]
            base_rate = peers["pypdf get_fields() loop"]
            for jobs, (files_per_s, rss, _) in runs.items():
                print(f"| {size:,} | guidepdf collect --jobs {jobs} (whole summary) | "
                      f"{files_per_s:,.0f} | {files_per_s / base_rate:.1f}× | {rss:,.0f} |")
            for name, value in peers.items():
                print(f"| {size:,} | {name} (sample) | {value:,.0f} | "
                      f"{value / base_rate:.1f}× | |")
            print(f"| {size:,} | summary.json identical for 1 and {args.jobs} jobs: "
                  f"{'yes' if same else 'NO'}; {args.jobs} jobs and one process without "
                  f"workers: {'yes' if alone else 'NO'} | | | |", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
