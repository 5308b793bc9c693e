"""Reading speed: guidepdf's reader against a plain pypdf get_fields() loop, `qpdf --json`
per file, and a raw pikepdf field walk (the ceiling), on the same filled guides, same run.

    python benchmarks/read_bench.py [--forms 200] [--role principal]

The readers take turns, 20 files at a time, in an order rotated each turn: other work on a
shared machine then slows them all alike (timed one after another, the ratios moved by up to
a quarter from run to run), and the first reading of each fresh file falls on each in turn.

Forms are the role's fillable guide with every reflection cell answered and 90% of its IC
map rows (when it has one), filled by pypdf (independent of our pikepdf reader); each form
gets different answers.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf

from guidepdf import formspec
from guidepdf.content import load_content
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.read.reader import read_form

PHRASE = ("we will meet weekly to plan lessons review student work adjust the schedule share "
          "data with families coach new teachers observe classrooms and give feedback")
WORDS = PHRASE.split()


def make_forms(folder: Path, count: int, role_id: str) -> list[Path]:
    content = load_content()
    role = content.role(role_id)
    template = build_guide(content, role, GuideOptions(mode="fillable"))
    rng = random.Random(7)
    paths = []
    for i in range(count):
        writer = pypdf.PdfWriter(clone_from=io.BytesIO(template))
        values = {formspec.respondent_field(role.id, "name"): f"Person {i}"}
        for q in role.questions:
            for column in formspec.COLUMNS:
                values[formspec.answer_field(role.id, q.id, column)] = "\n".join(
                    " ".join(rng.choices(WORDS, k=rng.randint(8, 30)))
                    for _ in range(rng.randint(1, 4)))
        if role.icmap:  # most IC rows answered, as a team filling the map would
            for o in role.icmap.outcomes:
                if rng.random() < 0.9:
                    values[formspec.ic_field(role.id, o.id)] = formspec.ic_level_value(
                        rng.randrange(len(role.icmap.levels)))
        writer.update_page_form_field_values(None, values, auto_regenerate=False)
        writer.set_need_appearances_writer(True)
        path = folder / f"form-{i:05d}.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        paths.append(path)
    return paths


def ours(path: Path) -> int:
    return len(read_form(path).answers)


def pypdf_get_fields(path: Path) -> int:
    return len(pypdf.PdfReader(path).get_fields() or {})


def pikepdf_walk(path: Path) -> int:
    """The ceiling: open, walk /Fields one level deep, take /T and /V. No quirk handling."""
    with pikepdf.open(path) as pdf:
        values = {}
        for f in pdf.Root.AcroForm.Fields:
            if "/T" in f:
                values[str(f.T)] = str(f.get("/V", ""))
        return len(values)


def qpdf_json(path: Path) -> int:
    out = subprocess.run(["qpdf", "--json", "--json-key=acroform", str(path)],
                         capture_output=True, check=True)
    return len(out.stdout)


def measure(readers: dict[str, tuple[Callable[[Path], int], list[Path]]],
            chunk: int = 20) -> dict[str, float]:
    """Files per second of each reader on its files, the readers taking turns by chunks."""
    spent = dict.fromkeys(readers, 0.0)
    done = dict.fromkeys(readers, 0)
    names = list(readers)
    longest = max(len(paths) for _, paths in readers.values())
    for turn, start in enumerate(range(0, longest, chunk)):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            fn, paths = readers[name]
            part = paths[start:start + chunk]
            began = time.perf_counter()
            for p in part:
                fn(p)
            spent[name] += time.perf_counter() - began
            done[name] += len(part)
    return {name: done[name] / spent[name] for name in names}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=200)
    parser.add_argument("--role", default="principal")
    parser.add_argument("--qpdf-sample", type=int, default=100,
                        help="qpdf --json is slow; time it on this many of the files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_forms(Path(tmp), args.forms, args.role)
        pages = len(pypdf.PdfReader(paths[0]).pages)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        for p in paths[:5]:  # warm caches and imports
            ours(p), pypdf_get_fields(p), pikepdf_walk(p)
        results = measure({
            "guidepdf read_form": (ours, paths),
            "raw pikepdf field walk (ceiling)": (pikepdf_walk, paths),
            "pypdf get_fields() loop": (pypdf_get_fields, paths),
            "qpdf --json per file": (qpdf_json, paths[: args.qpdf_sample]),
        })
    base = results["pypdf get_fields() loop"]
    print(f"{args.forms} filled '{args.role}' guides, {pages} pages, {size / 1024:.0f} KiB each")
    print()
    print("| reader | files/s | × pypdf loop |")
    print("|---|---:|---:|")
    for name, rate in results.items():
        print(f"| {name} | {rate:,.0f} | {rate / base:.1f}× |")


if __name__ == "__main__":
    main()
