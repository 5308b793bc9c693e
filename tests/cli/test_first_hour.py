"""The small faults a new user meets in the first hour: a read of no PDF, a collect of an
empty folder, the school a person typed, a long name's warning, and "1 people"."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.samplefill import fill, form_values
from tests.distribute.conftest import write_roster

LONG = ("Annabelle-Marguerite Hubert Blaine Wolfeschlegelsteinhausenbergerdorff "
        "Featherstonehaugh-Cholmondeley")


def test_read_of_a_file_that_is_not_a_pdf_says_so_and_exits_1(tmp_path: Path) -> None:
    """`read body.txt` is not 'Read 0 form(s)' and exit 0."""
    body = tmp_path / "body.txt"
    body.write_text("Dear $name\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["read", str(body), "--out", str(tmp_path / "plans")])
    assert result.exit_code == 1
    assert (f"No PDF files to read in {body} — nothing was read; name the returned forms "
            "(.pdf, or mail saved as .eml/.mbox) or the folder that holds them.") in result.stderr
    assert "Read 0" not in result.output
    assert not (tmp_path / "plans").exists()


def test_collect_of_an_empty_folder_warns_and_exits_1(tmp_path: Path) -> None:
    """An empty (or PDF-less) folder: a sentence, exit 1, and no empty summary written."""
    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / "notes.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "summary"
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out)])
    assert result.exit_code == 1
    assert (f"{returned}: no PDF files in this folder or below it (1 other file(s)) — nothing "
            f"was collected and {out}/ was left as it was") in result.stderr
    assert not out.exists()


def test_the_school_a_person_typed_is_kept_when_the_roster_has_none(tmp_path: Path,
                                                                     guide) -> None:  # type: ignore[no-untyped-def]
    """Matched by email to a roster row with an empty group, the typed school stays; a
    roster group still wins over a typed one."""
    import json

    roster = write_roster(tmp_path / "roster.csv", [
        ("p1", "Ann Lee", "ann@example.org", "teacher", ""),
        ("p2", "Bo Chen", "bo@example.org", "teacher", "Lincoln Elementary")])
    returned = tmp_path / "returned"
    returned.mkdir()
    for name, email in (("ann", "ann@example.org"), ("bo", "bo@example.org")):
        values = form_values("teacher", respondent={"email": email, "group": "Typed School"})
        (returned / f"{name}.pdf").write_bytes(fill(guide("teacher"), values,
                                                    appearances="viewer"))
    out = tmp_path / "summary"
    result = CliRunner().invoke(main, ["collect", str(returned), "--roster", str(roster),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    groups = {r["email"]: r["group"] for r in data["responses"]}
    assert groups == {"ann@example.org": "Typed School", "bo@example.org": "Lincoln Elementary"}


def test_a_long_name_is_quoted_from_its_start_by_check_and_personalize(tmp_path: Path) -> None:
    """roster check quotes what the cover shows from the start of the name; personalize
    prints the same warning; one person is '1 person'."""
    roster = write_roster(tmp_path / "roster.csv",
                          [("p1", LONG, "ann@example.org", "teacher", "North")])
    checked = CliRunner().invoke(main, ["roster", "check", str(roster)])
    assert checked.exit_code == 0, checked.output
    warning = next(line for line in checked.stdout.splitlines() if "too long" in line)
    assert "the cover shows 'Annabelle-Marguerite Hubert Blaine Wolfeschlegel" in warning
    assert warning.rstrip().endswith("…'")
    assert checked.stdout.strip().splitlines()[-1] == f"{roster}: OK — 1 person."
    assert "; 1 person" in checked.stdout
    made = CliRunner().invoke(main, ["personalize", "--roster", str(roster), "--out",
                                     str(tmp_path / "copies"), "--jobs", "1"])
    assert made.exit_code == 0, made.output
    assert warning in made.stderr
