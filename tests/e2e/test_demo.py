"""`guidepdf demo`: the whole round trip in one command, on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from guidepdf.cli import main
from guidepdf.read.reader import read_form

pytestmark = pytest.mark.slow


def test_demo_runs_the_round_trip(tmp_path: Path) -> None:
    """Guides, roster, personalized copies, filled forms (a draft, a walk-in, a scan, a
    stray file) and the summary, all in OUT; the summary agrees with the roster."""
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--people", "8"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Open {out / 'summary' / 'summary.pdf'} to see the summary; every answer is in "
        f"{out / 'summary' / 'answers.pdf'}.")
    progress = result.stderr.splitlines()  # every phase shows its progress (issue 14)
    for line in ("Filling forms: 0/8 (0%)", "Filling forms: 8/8 (100%)",
                 "Reading forms: 10/10 (100%)", "Writing the summary: 7/7 (100%) done"):
        assert line in progress, (line, progress)
    assert any(line.startswith("Writing the summary: 0/7 (0%) ") for line in progress)
    assert len(list((out / "guides").glob("*-fillable.pdf"))) == 7
    assert len(list((out / "sent").glob("*.pdf"))) == 8
    roster = (out / "roster.csv").read_text(encoding="utf-8").splitlines()
    assert roster[0] == "id,name,email,role,group" and len(roster) == 9
    returned = sorted(p.name for p in (out / "returned").iterdir())
    assert {"from-a-colleague.pdf", "scan-from-copier.pdf", "notes.txt"} <= set(returned)
    assert any(name.startswith("draft-") for name in returned)
    data = json.loads((out / "summary" / "summary.json").read_text(encoding="utf-8"))
    t = data["totals"]
    assert (t["expected"], t["returned"], t["missing"]) == (8, 7, 1)
    assert (t["duplicates"], t["rejected"], t["ignored"], t["not_on_roster"]) == (1, 1, 1, 1)
    names = {r["name"] for r in data["responses"]}
    assert "Sam Whitfield" in names
    assert any(not name.isascii() for name in names)
    assert data["rejected"][0]["file"] == "scan-from-copier.pdf"


def test_demo_forms_are_filled_through_the_form(tmp_path: Path) -> None:
    """The demo's returned forms are real filled PDFs: the reader finds typed answers and
    the recipient of the personalized copy."""
    out = tmp_path / "demo"
    assert CliRunner().invoke(main, ["demo", "--out", str(out), "--people", "3"]).exit_code == 0
    form_path = next(p for p in sorted((out / "returned").glob("*.pdf"))
                     if not p.name.startswith(("from-", "scan-", "draft-")))
    form = read_form(form_path)
    assert form.manifest is not None and form.manifest.recipient is not None
    assert any(cols["reflections"] or cols["first_steps"] for cols in form.answers.values())


def test_demo_in_the_spanish_edition(tmp_path: Path) -> None:
    """`demo --edition es` builds the Spanish guides and writes a Spanish summary."""
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--edition", "es", "--out", str(out),
                                       "--people", "3"])
    assert result.exit_code == 0, result.output
    assert read_form(out / "guides" / "coach-fillable.pdf").role == "coach"
    with pikepdf.open(out / "summary" / "summary.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es"
    with pikepdf.open(out / "guides" / "coach-fillable.pdf") as pdf:
        assert str(pdf.Root.Lang) == "es"
    first = PdfReader(out / "summary" / "summary.pdf").pages[0].extract_text()
    assert "Resumen de las guías de acción recibidas" in first and "Summary" not in first
