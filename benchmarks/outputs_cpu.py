"""CPU seconds of each stage of a collect, in one process: reading every form (read_one, what
a worker does), the raw pikepdf walk over the same files, and each output made from the
summary. CPU time (not wall) is what a shared machine's load disturbs least.

    PYTHONPATH=src python benchmarks/outputs_cpu.py /tmp/scale/n2000

FOLDER is one that scale_bench.py --keep made (returned/ and roster.csv).
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scale_bench import pikepdf_walk

from guidepdf.content import load_content
from guidepdf.distribute import read_roster
from guidepdf.read.readmany import find_pdfs, read_one
from guidepdf.report import summary_json, tables
from guidepdf.report.collect import read_folder
from guidepdf.report.summary_pdf import build_summary_pdf


def cpu(fn) -> float:  # type: ignore[no-untyped-def]
    began = time.process_time()
    fn()
    return time.process_time() - began


def main() -> None:
    folder = Path(sys.argv[1])
    content = load_content()
    roster = read_roster(folder / "roster.csv", content.roles)
    pdfs, _ = find_pdfs([folder / "returned"])
    for path in pdfs:
        path.read_bytes()  # warm the disk cache for both readers
    stages = {
        "read_one, every file": cpu(lambda: [read_one(p, content, p.name) for p in pdfs]),
        "raw pikepdf walk, every file": cpu(lambda: [pikepdf_walk(p) for p in pdfs]),
    }
    summary = read_folder(folder / "returned", content, roster, jobs=1)
    stages.update({
        "summary.json": cpu(lambda: summary_json.dumps(summary)),
        "responses.csv": cpu(lambda: tables.responses_csv(summary)),
        "ic_levels.csv": cpu(lambda: tables.ic_levels_csv(summary)),
        "responses.xlsx": cpu(lambda: tables.write_responses_xlsx(summary, io.BytesIO())),
        "summary.pdf": cpu(lambda: build_summary_pdf(summary, content)),
    })
    print(f"{len(pdfs):,} files")
    print()
    print("| stage | CPU s | ms per file |")
    print("|---|---:|---:|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.2f} | {1000 * seconds / len(pdfs):.2f} |")


if __name__ == "__main__":
    main()
