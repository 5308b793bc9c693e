"""`guidepdf collect` on 300 returned forms whose every answer is known: summary.json equals
the ground truth exactly; the CSV, XLSX and summary PDF say the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.report import summary_json
from guidepdf.report.tables import SHEET_HEADER, escape_cell
from tests.e2e import expected
from tests.e2e.returned_forms import BROKEN, Truth, make_returned, roster_csv
from tests.layout.pdfcheck import page_texts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, content: Content
        ) -> tuple[Path, Truth, Any]:
    """Make the 300 forms once, collect them once through the CLI (every answer in the
    PDF: the tests below check that nobody is left out)."""
    base = tmp_path_factory.mktemp("collect300")
    returned = base / "returned"
    truth = make_returned(content, returned)
    (base / "roster.csv").write_text(roster_csv(truth.people), encoding="utf-8")
    result = CliRunner().invoke(main, ["collect", str(returned), "--roster",
                                       str(base / "roster.csv"), "--out", str(base / "out"),
                                       "--pdf-answers", "all"])
    return base / "out", truth, result


@pytest.fixture(scope="module")
def data(run: tuple[Path, Truth, Any]) -> dict[str, Any]:
    return json.loads((run[0] / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth_json(run: tuple[Path, Truth, Any], content: Content) -> dict[str, Any]:
    return expected.summary(run[1], content, "returned")


def test_cli_reports_and_exits_1_for_rejected_files(run: tuple[Path, Truth, Any]) -> None:
    """The run names each rejected file, ends with a one-line summary and exits 1."""
    out, _, result = run
    assert result.exit_code == 1, result.output
    for name in BROKEN:
        assert f"rejected  {name}: " in result.output
    last = result.output.strip().splitlines()[-1]
    assert last == ("Collected 275 form(s) from 300 PDF file(s); 269 of 280 expected people "
                    "returned one, 11 not yet, 6 not on the roster; 20 duplicate(s), 5 "
                    f"rejected; 2 non-PDF file(s) ignored — summary in {out}/")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["answers.pdf", "complete.json", "ic_levels.csv", "rejected.csv",
                     "responses.csv", "responses.xlsx", "summary.json", "summary.pdf"]


def test_summary_json_equals_the_ground_truth(data: dict[str, Any],
                                              truth_json: dict[str, Any]) -> None:
    """Every number and every answer in summary.json is exactly what was filled in."""
    for key in truth_json:
        assert data[key] == truth_json[key], key
    assert [r["file"] for r in data["rejected"]] == sorted(BROKEN)
    for row in data["rejected"]:
        assert BROKEN[row["file"]] in row["reason"]
    # and the follow-up state (issue 17), which a run with a send journal beside the roster adds
    assert set(data) - {"followup"} == {*truth_json, "rejected"}


def test_summary_json_follows_its_schema_and_reads_back(data: dict[str, Any],
                                                        run: tuple[Path, Truth, Any]) -> None:
    """summary.json validates against summary.schema.json and loads back unchanged."""
    jsonschema.validate(data, summary_json.schema())
    text = (run[0] / "summary.json").read_text(encoding="utf-8")
    assert summary_json.dumps(summary_json.loads(text)) == text


def test_responses_csv_row_by_row(run: tuple[Path, Truth, Any], content: Content,
                                  truth_json: dict[str, Any]) -> None:
    """responses.csv: BOM, one row per respondent × question, formulas escaped, line
    breaks kept inside quoted cells."""
    raw = (run[0] / "responses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert rows[0][:3] == ["Role", "Name", "Email"]
    want = [[escape_cell(c) for c in row] for row in expected.csv_rows(truth_json, content)]
    assert len(rows) - 1 == len(want) == sum(len(r["answers"]) for r in truth_json["responses"])
    for got, row in zip(rows[1:], want, strict=True):
        assert got == row
    cells = [c for row in rows[1:] for c in row]
    assert "'=HYPERLINK(\"http://evil.example/x\",\"click me\")" in cells
    assert "'\tindented by a tab" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any("\n" in c for c in cells) and b"\r\n" in raw


def test_responses_xlsx_cells(run: tuple[Path, Truth, Any], content: Content,
                              truth_json: dict[str, Any]) -> None:
    """One sheet per role with the exact answers as text (never formulas), wrapped and with
    a frozen header, plus status, IC and themes sheets (each theme with everyone behind
    it)."""
    wb = openpyxl.load_workbook(run[0] / "responses.xlsx")
    titles = [r["title"] for r in truth_json["roles"]]
    assert wb.sheetnames == [*(t[:31] for t in titles), "status", "IC maps", "themes"]
    who = [r["name"] or r["email"] or r["source"] for r in truth_json["responses"]]
    want_themes = [(role["title"], t["phrase"], t["count"],
                    "; ".join(who[i] for i in t["people"]))
                   for role in truth_json["roles"]
                   for scope in (role, *role["questions"]) for t in scope["themes"]]
    got_themes = [(r[0], r[4], r[6], r[11]) for r in
                  wb["themes"].iter_rows(min_row=2, values_only=True)]
    assert got_themes == want_themes and len(got_themes) > 20
    all_rows = expected.csv_rows(truth_json, content)
    for title in titles:
        ws = wb[title[:31]]
        assert ws.freeze_panes == "A2"
        want = [row[1:1 + len(SHEET_HEADER)] for row in all_rows if row[0] == title]
        got = list(ws.iter_rows(min_row=2, values_only=True))
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            norm = ["" if v is None else str(v) for v in g]
            assert norm == w
        assert all(c.data_type == "s" for row in ws.iter_rows(min_row=2) for c in row
                   if isinstance(c.value, str))
        assert ws["I2"].alignment.wrap_text
    status = list(wb["status"].iter_rows(min_row=2, values_only=True))
    kinds = [row[0] for row in status]
    assert kinds.count("returned") == 269 and kinds.count("not on roster") == 6
    assert kinds.count("not yet returned") == 11 and kinds.count("duplicate") == 20
    assert kinds.count("rejected") == 5 and kinds.count("ignored") == 2


def test_summary_pdf_names_everyone_and_the_numbers(run: tuple[Path, Truth, Any],
                                                    truth_json: dict[str, Any]) -> None:
    """The PDF's first page has the headline numbers; every respondent, every missing
    person, rejected file and duplicate is named somewhere in summary.pdf or answers.pdf."""
    pages = page_texts((run[0] / "summary.pdf").read_bytes(), squeeze=True)
    answers = page_texts((run[0] / "answers.pdf").read_bytes(), squeeze=True)
    first, everything = pages[0], " ".join(pages + answers)
    t = truth_json["totals"]
    assert f"{t['returned']} of {t['expected']}" in first
    assert "returned (96%)" in first and "11 not yet returned" in first
    assert "20 duplicates set aside" in first and "5 files rejected" in first
    for role in truth_json["roles"]:
        assert f"{role['returned']} of {role['expected']}" in first or role["title"] not in first
    for r in truth_json["responses"]:
        assert (r["name"] or r["email"]) in everything, r["source"]
    for m in truth_json["missing"]:
        assert m["name"] in everything
    for name in BROKEN:
        assert name in everything
    for d in truth_json["duplicates"]:
        assert d["dropped"] in everything
    assert "=HYPERLINK(\"http://evil.example/x\",\"click me\")" in everything


def test_summary_pdf_chart_page_draws_the_rates(run: tuple[Path, Truth, Any],
                                                truth_json: dict[str, Any]) -> None:
    """Rendered, the first page's role chart has one bar per role whose filled share
    matches that role's response rate."""
    doc = pdfium.PdfDocument((run[0] / "summary.pdf").read_bytes())
    try:
        page = doc[0]
        image = page.render(scale=2).to_pil().convert("RGB")
        found = page.get_textpage().search("Response rate by role").get_next()
        assert found is not None
        _, _, _, top = page.get_textpage().get_charbox(found[0])
        start = int((page.get_height() - top) * 2) + 30  # below the chart's heading
    finally:
        doc.close()
    primary, tint = (0x1F, 0x3F, 0x6B), _tint((0x1F, 0x3F, 0x6B))
    px = image.load()
    width, height = image.size
    bars: list[float] = []
    inside = False
    for y in range(start, height):  # below the title band, the tiles and the heading
        row = [px[x, y] for x in range(width)]
        filled = sum(1 for p in row if _near(p, primary))
        track = sum(1 for p in row if _near(p, tint))
        bar = filled + track > width * 0.3
        if bar and not inside:  # the top row of a bar: no caption text crosses it
            bars.append(filled / (filled + track))
        inside = bar
        if len(bars) == len(truth_json["roles"]):
            break
    rates = [r["rate"] for r in truth_json["roles"]]
    assert len(bars) == len(rates)
    for got, want in zip(bars, rates, strict=True):
        assert abs(got - want) < 0.01


def _tint(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(round(255 * (1 - 0.1 * (1 - c / 255))) for c in rgb)  # type: ignore[return-value]


def _near(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) <= 6 for x, y in zip(a, b, strict=True))


def test_rejected_csv_lists_each_broken_file(run: tuple[Path, Truth, Any]) -> None:
    """rejected.csv has one row per broken file, with its reason."""
    raw = (run[0] / "rejected.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["File", "Reason"]
    assert [r[0] for r in rows[1:]] == sorted(BROKEN)
    for file, reason in rows[1:]:
        assert BROKEN[file] in reason


def test_same_summary_for_any_number_of_jobs(run: tuple[Path, Truth, Any],
                                             content: Content) -> None:
    """Reading the 300 forms with 1 or 3 worker processes gives the summary.json the CLI wrote
    (with one worker per core): output order does not depend on --jobs."""
    from guidepdf.distribute import read_roster
    from guidepdf.report.collect import read_folder

    out = run[0]
    returned = out.parent / "returned"
    roster = read_roster(out.parent / "roster.csv", content.roles)
    written = (out / "summary.json").read_text(encoding="utf-8")
    for jobs in (1, 3):
        summary = read_folder(returned, content, roster, jobs=jobs)
        assert "".join(summary_json.chunks(summary)) == written
