"""One measured run for scale_bench, in a fresh process: `collect` (the library call behind
`guidepdf collect --roster`) writing its phase times, or the reading alone (the worker pool
over every file, outcomes dropped), with --jobs N.

    python benchmarks/collect_phases.py collect RETURNED ROSTER OUT JOBS TIMINGS.json
    python benchmarks/collect_phases.py read RETURNED JOBS
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    mode = sys.argv[1]
    if mode == "collect":
        from guidepdf.report import collect

        returned, roster, out, jobs, timings = sys.argv[2:7]
        result = collect(returned, out, roster=roster, jobs=int(jobs))
        Path(timings).write_text(json.dumps(result.timings), encoding="utf-8")
    elif mode == "read":
        from guidepdf.content import load_content
        from guidepdf.read.readmany import find_pdfs
        from guidepdf.read.readpool import read_paths

        returned, jobs = Path(sys.argv[2]), int(sys.argv[3])
        pdfs, _ = find_pdfs([returned])
        files = [str(p) for p in pdfs]
        names = [p.relative_to(returned).as_posix() for p in pdfs]
        for _ in read_paths(files, content=load_content(), jobs=jobs, names=names):
            pass
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
