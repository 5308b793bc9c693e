"""Rejected files in the Spanish edition: collect a folder holding a broken file, an
encrypted PDF, a Word file renamed .pdf and one good form; the reasons are the Spanish
labels read.<code> in summary.pdf (its extracted text), in responses.xlsx's status sheet and
in rejected.csv, and summary.json keeps each reason's stable code beside its words."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from guidepdf.content import load_content
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.paths import default_content_dir
from guidepdf.report import collect
from guidepdf.samplefill import fill, form_values
from tests.layout.pdfcheck import encrypted_blank, page_texts

ES = default_content_dir() / "editions" / "es"


def test_spanish_reasons_in_every_output(tmp_path: Path) -> None:
    es = load_content(ES)
    returned = tmp_path / "devueltos"
    returned.mkdir()
    guide = build_guide(es, es.role("coach"), GuideOptions(mode="fillable"))
    (returned / "bueno.pdf").write_bytes(fill(guide, form_values(
        "coach", respondent={"name": "Lucía Gómez", "email": "lucia@example.org"},
        answers={"q1": ("Reflexión de Lucía", "Primer paso de Lucía")})))
    (returned / "roto.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage\xff" * 40)
    (returned / "cifrado.pdf").write_bytes(encrypted_blank(owner="dueño", user="secreto"))
    (returned / "word.pdf").write_bytes(b"PK\x03\x04" + b"\x14\x00word/document.xml" * 10)
    out = tmp_path / "resumen"
    result = collect(returned, out, content=es, jobs=1)
    assert (result.summary.totals.read, result.summary.totals.rejected) == (1, 3)

    say = es.labels
    expected = {
        "cifrado.pdf": ("password", say.text("read.password")),
        "word.pdf": ("not_pdf", say.text("read.not_pdf", kind=say.text("read.kind_zip"))),
        "roto.pdf": ("damaged", say.text("read.damaged", detail="").removesuffix(" ()")),
    }
    # the words really are Spanish, not the English labels
    assert expected["cifrado.pdf"][1].startswith("está protegido con contraseña")
    assert expected["word.pdf"][1] == ("no es un PDF (un archivo ZIP; ¿un documento de Word "
                                       "o Excel, o un archivo comprimido?)")
    assert expected["roto.pdf"][1] == "está tan dañado que no se puede reparar"

    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    got = {r["file"]: (r["code"], r["reason"]) for r in data["rejected"]}
    assert set(got) == set(expected)
    for name, (code, words) in expected.items():
        assert got[name][0] == code, name
        assert got[name][1].startswith(words), (name, got[name][1])

    pdf_text = " ".join(page_texts((out / "summary.pdf").read_bytes(), squeeze=True))
    # a long reason may break at a hyphen inside a word in a narrow table cell
    joined = pdf_text.replace("- ", "").replace("\u00ad", "").replace("\x02", "")
    for name, (_, words) in expected.items():
        assert name in pdf_text
        assert " ".join(words.split()) in joined, (name, words)
    assert "encrypted with a password" not in pdf_text and "not a PDF" not in pdf_text

    book = openpyxl.load_workbook(out / "responses.xlsx", read_only=True)
    try:
        sheet = book[say.text("xlsx.sheet_status")]
        rows = [tuple(str(c) for c in row if c is not None)
                for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    for name, (_, words) in expected.items():
        (row,) = [r for r in rows if name in r]
        assert say.text("xlsx.status_rejected") in row, row
        assert any(cell.startswith(words) for cell in row), (name, row)

    csv_text = (out / "rejected.csv").read_text(encoding="utf-8")
    for _, words in expected.values():
        assert words in csv_text
