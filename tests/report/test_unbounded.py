"""Work stays bounded by what is printed: a form with a 2 MB answer is summarized in
seconds (answers.pdf prints the start of each answer and says where the rest is; the CSV,
XLSX and JSON keep it whole), U+FFFE/U+FFFF in an answer are
written (as U+FFFD in the XLSX, which cannot carry them; as they are in CSV and JSON), and
content files, fonts and roster cells that are too big are refused with a sentence
before anything reads them whole."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time
from pathlib import Path

import openpyxl
import pikepdf
from click.testing import CliRunner

from guidepdf import exitcodes, formspec
from guidepdf.cli import main
from guidepdf.content import check_content
from guidepdf.report.pdfparts import PRINT_CHARS
from tests.layout.pdfcheck import page_texts
from tests.reader.forms import edit, set_raw, toy_form

TOY = Path(__file__).resolve().parents[1] / "data" / "toy_content"
DIG = formspec.answer_field("gardener", "dig", "reflections")
WATER = formspec.answer_field("gardener", "water", "reflections")


def test_a_two_megabyte_answer_is_summarized_in_seconds(tmp_path: Path,
                                                       toy_content: object) -> None:
    """collect of a form with a 2 MB answer (and one with U+FFFE/U+FFFF) finishes within
    a minute; answers.pdf prints PRINT_CHARS characters of it and says how many more there
    are and where; responses.csv and summary.json hold every character."""
    returned = tmp_path / "returned"
    returned.mkdir()
    blank = toy_form(toy_content)  # type: ignore[arg-type]
    huge = ("The compost heap needs turning. " * 62_500)[:1_999_000]
    odd = "keep \ufffe and \uffff as they are"
    (returned / "huge.pdf").write_bytes(edit(blank, set_raw(DIG, pikepdf.String(huge))))
    (returned / "odd.pdf").write_bytes(edit(blank, set_raw(WATER, pikepdf.String(odd))))
    out = tmp_path / "summary"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out),
                                       "--content", str(TOY), "--jobs", "2"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert elapsed < 60, f"collect took {elapsed:.0f} s"
    text = " ".join(page_texts((out / "answers.pdf").read_bytes()))
    more = len(huge.strip()) - PRINT_CHARS
    assert f"{more:,} more characters not printed here — the whole text is in " \
           "responses.xlsx, responses.csv and summary.json" in " ".join(text.split())
    limit = csv.field_size_limit(4_000_000)  # our reader of the CSV, not guidepdf's
    try:
        rows = list(csv.reader(io.StringIO((out / "responses.csv").read_text("utf-8-sig"))))
    finally:
        csv.field_size_limit(limit)
    assert huge.strip() in [cell for row in rows for cell in row]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    answers = [a for r in summary["responses"] for a in r["answers"]]
    assert any(a["reflections"] == huge.strip() for a in answers)
    book = openpyxl.load_workbook(out / "responses.xlsx", read_only=True)
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    book.close()
    assert odd.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd") in cells
    assert any(a["reflections"] == odd for a in answers)  # the JSON keeps them as they are


def test_a_fifty_megabyte_content_file_is_refused_unread(toy_dir: Path) -> None:
    """A 50 MB role file is refused from its size in well under a second, not parsed."""
    role = toy_dir / "roles" / "gardener.yaml"
    with open(role, "ab") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the test writes nothing
    started = time.monotonic()
    _, errors = check_content(toy_dir)
    assert time.monotonic() - started < 5
    assert [str(e) for e in errors] == [
        "content/roles/gardener.yaml: file is 50.0 MB; a content file may be at most 4 MB "
        "— content files are a few KB of text: check that this is the right file, or split "
        "it"]


def _with_font(toy_dir: Path, make: object) -> list[str]:
    """check_content of the toy content with its own fonts/ folder, the regular font
    replaced by what `make(path)` puts there."""
    fonts = toy_dir / "fonts"
    fonts.mkdir()
    shipped = Path(__file__).resolve().parents[2] / "fonts"
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"):
        shutil.copy(shipped / name, fonts / name)
    target = fonts / "NotoSans-Regular.ttf"
    target.unlink()
    make(target)  # type: ignore[operator]
    _, errors = check_content(toy_dir)
    return [str(e) for e in errors]


def test_bad_font_files_are_one_sentence_each(toy_dir: Path) -> None:
    """A truncated font, a text file named .ttf, a link to /dev/zero and a 2 GB (sparse)
    file: each is a located error with what is wrong, none read whole, none a traceback —
    and the link is not 'not found — did you mean' its own name."""
    shipped = Path(__file__).resolve().parents[2] / "fonts" / "NotoSans-Regular.ttf"
    where = "{}/brand.yaml:15:12: font file 'NotoSans-Regular.ttf' in fonts/ "
    fix = " — put a working TrueType (.ttf) font file there"
    cases = {
        "truncated": (lambda p: p.write_bytes(shipped.read_bytes()[:5000]), None),
        "text": (lambda p: p.write_text("this is not a font, it is a note\n"),
                 where + "is not a TrueType font file" + fix),
        "zero": (lambda p: p.symlink_to("/dev/zero"),
                 where + "is not a regular file (a folder, or a link to a device?)" + fix),
        "huge": (lambda p: (p.touch(), os.truncate(p, 2 * 1024 ** 3)),
                 where + "is 2,048 MB, more than the 64 MB a font file may be" + fix),
    }
    for name, (make, expected) in cases.items():
        folder = toy_dir.parent / name
        shutil.copytree(toy_dir, folder)
        started = time.monotonic()
        errors = _with_font(folder, make)
        assert time.monotonic() - started < 20, name
        assert len(errors) == 1, (name, errors)
        if expected is None:  # passes the first bytes; reportlab cannot load the rest
            assert errors[0].startswith("fonts/NotoSans-Regular.ttf: font file cannot be "
                                        "used ("), errors
            assert errors[0].endswith(" — replace it with a working TrueType (.ttf) font file")
        else:
            assert errors == [expected.format(name)], name


def test_check_refuses_a_question_too_long_for_a_page(toy_dir: Path) -> None:
    """`check` exits 2 for a question longer than fits in a reflection table row, naming
    the limit (build would otherwise fail in the layout)."""
    role = toy_dir / "roles" / "gardener.yaml"
    role.write_text(role.read_text().replace("Where will you dig first?", "Dig? " * 200))
    result = CliRunner().invoke(main, ["check", str(toy_dir)])
    assert result.exit_code == exitcodes.USAGE
    assert "question text is 999 characters; at most 500 fit in a row of the reflection " \
           "table on one page" in result.output


def test_a_roster_cell_over_the_csv_limit_is_a_sentence(tmp_path: Path) -> None:
    """A roster with a 200,000-character cell (or a quote never closed) is one line with its
    line number and exit 2, not the csv module's traceback."""
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,role\n1,Ann,ann@example.org,coach\n"
                      f"2,{'x' * 200_000},bo@example.org,coach\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["roster", "check", str(roster)])
    assert result.exit_code == exitcodes.USAGE, result.output
    assert "roster.csv:3: a cell is longer than the 131,072 characters a roster cell may " \
           "hold" in result.output
    assert "Traceback" not in result.output


def test_utf16_roster_without_a_mark_is_read(tmp_path: Path) -> None:
    """A UTF-16 LE roster saved without its byte order mark is read as UTF-16 (it used to
    be refused as 'NUL bytes')."""
    roster = tmp_path / "roster.csv"
    roster.write_bytes("id,name,email,role\n1,Zoë Ångström,zoe@example.org,coach\n"
                       .encode("utf-16-le"))
    result = CliRunner().invoke(main, ["roster", "check", str(roster)])
    assert result.exit_code == 0, result.output
    assert "UTF-16 LE without a byte order mark" in result.output
    assert "OK — 1 person" in result.output
