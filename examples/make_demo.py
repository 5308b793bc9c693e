"""Regenerate examples/demo/ (run: python examples/make_demo.py): a small `guidepdf demo` run,
8 people, of which this folder keeps the roster, three of the returned forms and the whole
summary. Nothing in examples/demo/ is edited by hand; run this script again instead."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from guidepdf.demo import run_demo
from guidepdf.errors import FormReadError
from guidepdf.reader import read_form
from guidepdf.report.collect import OUTPUTS

OUT = Path(__file__).parent / "demo"
PEOPLE = 8
FORMS = 3  # returned forms kept as samples: one with an IC map if any, the walk-in, one more


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = run_demo(Path(tmp) / "demo", people=PEOPLE)
        if OUT.exists():
            shutil.rmtree(OUT)
        (OUT / "returned").mkdir(parents=True)
        shutil.copy(result.roster, OUT / "roster.csv")
        for name in OUTPUTS:
            shutil.copy(result.collected.files[name], OUT / name)
        for form in _samples(sorted(result.returned.glob("*.pdf"))):
            shutil.copy(form, OUT / "returned" / form.name)
    print(f"{result.collected.describe()}\nexamples: {OUT}/")  # noqa: T201 (a script)


def _samples(forms: list[Path]) -> list[Path]:
    readable = []
    for path in forms:
        try:
            readable.append((path, read_form(path)))
        except FormReadError:  # the demo's scan is meant to be unreadable
            continue
    readable = [(p, f) for p, f in readable if not p.name.startswith("draft-")]
    with_ic = [p for p, f in readable if any(f.ic.values())]
    walk_in = [p for p, f in readable if f.manifest is not None and f.manifest.recipient is None]
    small = sorted((p for p, f in readable if not f.ic), key=lambda p: p.stat().st_size)
    return list(dict.fromkeys(with_ic[:1] + walk_in[:1] + small))[:FORMS]


if __name__ == "__main__":
    main()
