"""How close the reader is to its floor: read_one against the raw pikepdf field walk
(scale_bench's peer) and against the pikepdf calls our reader cannot do without — every
field's /T, /FT, /V and /Kids, and the widgets of each radio group whose /V is /Off (a
viewer may have set only a widget's /AS; the walk never opens them), opened as our reader
opens a file (qpdf not preparing the pages, which the reader reads only when the field tree
may have lost widgets to them).

    PYTHONPATH=src python benchmarks/reader_floor.py /tmp/i20scale/n200/returned

CPU per file (process_time), the variants taking turns over the same files, min of the
rounds; the ratios are to the raw walk.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf

from guidepdf.content import load_content
from guidepdf.read.readmany import read_one

_STRING, _NAME = pikepdf.ObjectType.string, pikepdf.ObjectType.name_
_OFF = pikepdf.Name.Off


def raw_walk(path: Path) -> None:
    with contextlib.suppress(Exception), pikepdf.open(path) as pdf:
        {str(f.T): str(f.get("/V", "")) for f in pdf.Root.AcroForm.Fields if "/T" in f}


def _calls(path: Path, radios: bool) -> None:
    # opened as our reader opens: without pushing inherited attributes down to the pages
    with contextlib.suppress(Exception), \
            pikepdf.open(path, inherit_page_attributes=False) as pdf:
        for f in pdf.Root.AcroForm.Fields:
            f.get_bytes("/T")
            ft, v = f.get("/FT"), f.get("/V")
            "/Kids" in f  # noqa: B015  # the question our walk asks
            ft.unparse()
            if v._type_code == _STRING:
                bytes(v)
            elif radios and v._type_code == _NAME and v == _OFF:
                for kid in f.Kids:
                    "/AS" in kid  # noqa: B015  # opening the widget is the cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    content = load_content()
    files = sorted(args.folder.rglob("*.pdf"))
    variants: dict[str, Callable[[Path], None]] = {
        "raw pikepdf field walk": raw_walk,
        "our reader's pikepdf calls, radio widgets aside": lambda p: _calls(p, False),
        "our reader's pikepdf calls (its floor)": lambda p: _calls(p, True),
        "read_one (read, compare with content, plan)": lambda p: read_one(p, content, p.name),
    }
    for path in files:
        path.read_bytes()
        for fn in variants.values():
            fn(path)
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(args.rounds):
        for name, fn in variants.items():
            start = time.process_time()
            for path in files:
                fn(path)
            best[name] = min(best[name], (time.process_time() - start) / len(files))
    walk = best["raw pikepdf field walk"]
    print(f"{len(files)} files, min of {args.rounds} rounds")
    print("| what | ms per file | ÷ raw walk |")
    print("|---|---:|---:|")
    for name, value in best.items():
        print(f"| {name} | {value * 1000:.3f} | {value / walk:.2f} |")


if __name__ == "__main__":
    main()
