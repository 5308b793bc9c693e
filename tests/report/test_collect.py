"""collect() from Python and `guidepdf collect` on a few real forms: outputs, progress,
re-runs, an output folder inside the returned one, roster errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute import Personalizer
from guidepdf.errors import RosterError
from guidepdf.report import collect
from guidepdf.report.collect import OUTPUTS
from guidepdf.samplefill import fill, form_values
from tests.report.conftest import PEOPLE

ROSTER = "id,name,email,role,group\n" + "".join(
    f"{p.id},{p.name},{p.email},{p.role},{p.group}\n" for p in PEOPLE)


@pytest.fixture
def returned(tmp_path: Path, content: Content, guide: Callable[..., bytes]) -> Path:
    """Ana's personalized copy (with an IC map), twice; Oleg's plain guide; a stray file."""
    folder = tmp_path / "returned"
    (folder / "sub").mkdir(parents=True)
    copy = Personalizer(content).copy(PEOPLE[0])
    for name, day, text in (("ana-draft.pdf", 1, "draft"), ("sub/ana.pdf", 2, "final")):
        values = form_values("coach", answers={"q1": (text, "")}, ic={"ep1": "L2"})
        (folder / name).write_bytes(fill(copy, values, modified=datetime(2026, 10, day,
                                                                         tzinfo=UTC)))
    values = form_values("teacher", respondent={"name": "Олег Петров"},
                         answers={"q1": ("Ask for feedback", "")})
    (folder / "oleg.pdf").write_bytes(fill(guide("teacher"), values))
    (folder / "readme.txt").write_text("hello")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return folder


def test_collect_writes_every_output_and_reports_progress(returned: Path,
                                                          content: Content) -> None:
    """All five files are written; progress is reported once per PDF, with the total."""
    calls: list[tuple[int, int]] = []
    result = collect(returned, returned.parent / "out", roster=returned.parent / "roster.csv",
                     content=content, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert sorted(result.files) == sorted(OUTPUTS)
    assert all(p.is_file() and p.stat().st_size for p in result.files.values())
    t = result.summary.totals
    assert (t.files, t.ignored, t.responses, t.duplicates, t.returned, t.missing) == (
        3, 1, 2, 1, 2, 2)
    kept = result.summary.responses[0]
    assert (kept.source, kept.answers[0].reflections, kept.matched_by) == (
        "sub/ana.pdf", "final", "recipient")
    assert result.summary.duplicates[0].dropped == "ana-draft.pdf"
    assert result.describe().startswith("Collected 2 form(s) from 3 PDF file(s); 2 of 4 ")


def test_rerun_is_safe_and_skips_its_own_output(returned: Path, content: Content) -> None:
    """Writing the summary inside the returned folder, then collecting again, reads the
    same forms (not the summary PDF) and writes the same bytes."""
    out = returned / "summary"
    first = collect(returned, out, content=content)
    before = {name: path.read_bytes() for name, path in first.files.items()}
    second = collect(returned, out, content=content)
    assert second.summary.totals.files == 3 and second.summary.totals.ignored == 1
    assert {name: path.read_bytes() for name, path in second.files.items()} == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_link_into_the_output_folder_is_never_read(returned: Path,
                                                       content: Content) -> None:
    """The output folder outside the returned one, and a link in the returned folder leading
    into it: not followed, the link is ignored; followed, what it leads to is skipped as
    the summary's own, so the second run reads the same forms as the first."""
    out = returned.parent / "out"
    first = collect(returned, out, content=content)
    (returned / "to-summary").symlink_to(out, target_is_directory=True)
    for follow in (False, True):
        again = collect(returned, out, content=content, follow_links=follow)
        t = again.summary.totals
        assert (t.files, t.responses) == (first.summary.totals.files,
                                          first.summary.totals.responses), follow
        assert not any(r.file.startswith("to-summary") for r in again.summary.rejected)


def test_collect_refuses_a_file_and_an_unreadable_roster(returned: Path,
                                                         content: Content) -> None:
    """Not a folder: NotADirectoryError. A roster that cannot be read: RosterError."""
    with pytest.raises(NotADirectoryError):
        collect(returned / "oleg.pdf", returned.parent / "out", content=content)
    (returned.parent / "book.csv").write_bytes(b"PK\x03\x04 an excel file")
    with pytest.raises(RosterError, match="Excel workbook"):
        collect(returned, returned.parent / "out", roster=returned.parent / "book.csv",
                content=content)


def test_cli_collect_prints_a_summary_line(returned: Path) -> None:
    """`guidepdf collect` exits 0 when nothing was rejected and ends with one line."""
    out = returned.parent / "out"
    result = CliRunner().invoke(main, ["collect", str(returned), "--roster",
                                       str(returned.parent / "roster.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        "Collected 2 form(s) from 3 PDF file(s); 2 of 4 expected people returned one, 2 not "
        "yet, 0 not on the roster; 1 duplicate(s), 0 rejected; 1 non-PDF file(s) ignored — "
        f"summary in {out}/")
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert data["totals"]["responses"] == 2


def test_cli_collect_stops_on_roster_errors(returned: Path) -> None:
    """A roster with a bad row is reported with its line, and nothing is collected."""
    bad = returned.parent / "bad.csv"
    bad.write_text(ROSTER + "p9,No Mail,,teacher,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["collect", str(returned), "--roster", str(bad),
                                       "--out", str(returned.parent / "out")])
    assert result.exit_code == 2
    assert "bad.csv:6: missing email" in result.output
    assert not (returned.parent / "out").exists()


def test_cli_collect_needs_a_folder(tmp_path: Path) -> None:
    """A missing RETURNED_DIR is a usage error."""
    result = CliRunner().invoke(main, ["collect", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_cli_collect_pdf_answers_takes_a_number_or_all(returned: Path) -> None:
    """--pdf-answers 0 leaves every answer out of the PDF (and says so); a word other
    than 'all' is a usage error naming the value."""
    out = returned.parent / "out"
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out),
                                       "--pdf-answers", "0"])
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in
                    pypdf.PdfReader(out / "answers.pdf").pages)
    assert "Showing 0 of 1 answers" in " ".join(text.split())
    bad = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out),
                                    "--pdf-answers", "lots"])
    assert bad.exit_code == 2 and "'lots' is not a number of answers or 'all'" in bad.output


def _rosters_alive() -> int:
    import gc

    from guidepdf.distribute.roster import Roster

    gc.collect()
    return sum(isinstance(o, Roster) for o in gc.get_objects())


@pytest.mark.parametrize("how", ["library", "cli"])
def test_the_roster_is_not_held_while_the_outputs_are_written(
        returned: Path, content: Content, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Every process that writes an output is forked from this one: the roster (6.4 MiB
    at 21,000 people) stays with the reading, for collect(roster=path) and for `guidepdf
    collect --roster`. The roster's people are still matched: 2 of 4 returned."""
    import importlib

    outputs = importlib.import_module("guidepdf.report.outputs")
    real = outputs.run_as_set
    alive: list[int] = []

    def noting(*args, **kwargs):  # type: ignore[no-untyped-def]
        alive.append(_rosters_alive())
        return real(*args, **kwargs)

    monkeypatch.setattr(outputs, "run_as_set", noting)
    out = returned.parent / "out"
    if how == "library":
        result = collect(returned, out, roster=returned.parent / "roster.csv", content=content)
        assert (result.summary.totals.returned, result.summary.totals.missing) == (2, 2)
    else:
        run = CliRunner().invoke(main, ["collect", str(returned), "--roster",
                                        str(returned.parent / "roster.csv"), "--out", str(out)])
        assert run.exit_code == 0, run.output
        assert "2 of 4 expected people returned one" in run.output
    assert alive == [0]
