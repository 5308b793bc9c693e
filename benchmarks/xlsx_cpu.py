"""CPU seconds of writing responses.xlsx from one summary, best of three.

    PYTHONPATH=src python benchmarks/xlsx_cpu.py /tmp/i20scale/n2000

FOLDER is one that scale_bench.py --keep made (returned/ and roster.csv). Prints the three
times and the workbook's sha256, so two versions can be compared for speed and bytes.
"""

from __future__ import annotations

import hashlib
import io
import sys
import time
from pathlib import Path

from guidepdf.content import load_content
from guidepdf.distribute import read_roster
from guidepdf.report import tables
from guidepdf.report.collect import read_folder


def main() -> None:
    folder = Path(sys.argv[1])
    content = load_content()
    roster = read_roster(folder / "roster.csv", content.roles)
    summary = read_folder(folder / "returned", content, roster, jobs=2)
    times, made = [], b""
    for _ in range(3):
        target = io.BytesIO()
        began = time.process_time()
        tables.write_responses_xlsx(summary, target)
        times.append(time.process_time() - began)
        made = target.getvalue()
    print(f"responses.xlsx CPU s: best {min(times):.3f} of "
          f"{', '.join(f'{t:.3f}' for t in times)}; "
          f"sha256 {hashlib.sha256(made).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
