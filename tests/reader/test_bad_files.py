"""Files that cannot be read as our forms get one clear `file: reason` each, never a
traceback; forms from another content version are read by question id with warnings."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from reportlab.pdfgen import canvas

from guidepdf import formspec
from guidepdf.cli import main
from guidepdf.content import Content, load_content
from guidepdf.errors import FormReadError
from guidepdf.read.reader import read_form
from tests.conftest import TOY
from tests.reader.forms import edit, set_raw, toy_form


def reason(data: bytes) -> str:
    with pytest.raises(FormReadError) as info:
        read_form(data, name="returned.pdf")
    assert str(info.value) == f"returned.pdf: {info.value.reason}"
    return str(info.value.reason)


def plain_pdf(with_form: bool = False) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 720, "Hello")
    if with_form:
        c.acroForm.textfield(name="FirstName", x=72, y=600, width=200, height=20)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_zero_bytes() -> None:
    """An empty file says so."""
    assert reason(b"") == "empty file (0 bytes)"


def test_html_saved_as_pdf() -> None:
    """A web page saved with a .pdf name is named for what it is."""
    assert reason(b"<!DOCTYPE html><html><body>Form</body></html>") == \
        "not a PDF (an HTML page)"


def test_other_bytes() -> None:
    """Any other non-PDF shows how it starts."""
    assert reason(b"PK\x03\x04 zip archive") == \
        "not a PDF (a ZIP archive — a Word, Excel or zipped file?)"


def test_truncated_beyond_repair(toy_content: Content) -> None:
    """A file cut to its first 300 bytes cannot be repaired and says so."""
    assert reason(toy_form(toy_content)[:300]).startswith("damaged beyond repair")


def test_flattened_form() -> None:
    """A PDF without any form fields (flattened or printed) is rejected with the reason."""
    assert reason(plain_pdf()) == ("no form fields (the form was flattened, printed to PDF or "
                                   "scanned); its answers cannot be read")


def test_pdf_that_is_not_ours() -> None:
    """A fillable PDF from another tool is not mistaken for a guide."""
    assert reason(plain_pdf(with_form=True)) == \
        "not a guidepdf form (1 field, none with guidepdf names)"


def test_real_password(toy_content: Content) -> None:
    """A file that needs a password to open gets a clear request instead."""
    enc = edit(toy_form(toy_content), lambda d: None,
               encryption=pikepdf.Encryption(user="hunter2", owner="owner", R=6))
    assert reason(enc) == "encrypted with a password; ask the sender for a copy without a " \
                          "password"


def test_another_content_version(tmp_path: Path, toy_content: Content) -> None:
    """A form from an older version (a question since removed, one since added) keeps every
    answer, maps by id, and lists the differences."""
    old_dir = tmp_path / "old"
    shutil.copytree(TOY, old_dir)
    role_file = old_dir / "roles" / "gardener.yaml"
    role_file.write_text(role_file.read_text(encoding="utf-8").replace(
        "  - id: water\n    text: How often will you water?\n",
        "  - id: weeds\n    text: Which weeds worry you?\n"), encoding="utf-8")
    old = load_content(old_dir)
    pdf = toy_form(old)
    pdf = edit(pdf, set_raw(formspec.answer_field("gardener", "weeds", "reflections"),
                            pikepdf.String("bindweed")))
    form = read_form(pdf, content=toy_content)
    assert form.answers["weeds"]["reflections"] == "bindweed"
    assert form.manifest is not None
    fp_old = formspec.fingerprint(old, old.role("gardener"))
    fp_new = formspec.fingerprint(toy_content, toy_content.role("gardener"))
    assert [str(w) for w in form.warnings] == [
        f"made from another version of the content (fingerprint {fp_old}, current {fp_new}); "
        "answers matched by question id",
        "question weeds is no longer in the content (answers kept)",
        "question water of the current content has no field in this form",
    ]


def test_read_command_over_a_folder(tmp_path: Path, toy_content: Content) -> None:
    """`guidepdf read` over 200 forms with 5 bad files writes 195 plans, names the 5 with
    their reasons, and exits 1."""
    returned = tmp_path / "returned"
    returned.mkdir()
    blank = toy_form(toy_content)
    dig = formspec.answer_field("gardener", "dig", "reflections")
    for i in range(195):
        (returned / f"form-{i:03d}.pdf").write_bytes(
            edit(blank, set_raw(dig, pikepdf.String(f"answer {i}"))))
    bad = {"empty.pdf": b"", "page.pdf": b"<html></html>", "cut.pdf": blank[:200],
           "flat.pdf": plain_pdf(), "other.pdf": plain_pdf(with_form=True)}
    for name, data in bad.items():
        (returned / name).write_bytes(data)
    (returned / "notes.txt").write_text("not a pdf, ignored")
    out = tmp_path / "plans"
    result = CliRunner().invoke(main, ["read", str(returned), "--out", str(out), "--format",
                                       "json", "--content", str(TOY)])
    assert result.exit_code == 1, result.output
    assert len(list(out.glob("*.json"))) == 195
    rejected = [line for line in result.output.splitlines() if line.startswith("rejected")]
    assert len(rejected) == 5
    assert f"rejected  {returned / 'empty.pdf'}: empty file (0 bytes)" in rejected
    assert f"rejected  {returned / 'page.pdf'}: not a PDF (an HTML page)" in rejected
    assert result.output.splitlines()[-1] == \
        f"Read 195 form(s) (0 with warnings), rejected 5; plans in {out}/"
    plan = (out / "form-007.json").read_text(encoding="utf-8")
    assert '"reflections": "answer 7"' in plan
