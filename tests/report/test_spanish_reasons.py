"""A collect with the Spanish edition says why each file was set aside in Spanish, in the
summary, the workbook and rejected.csv, while summary.json keeps each reason's stable code
beside its words (for programs, whatever the edition)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pikepdf
import pypdfium2 as pdfium

from guidepdf.content import load_content
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.paths import default_content_dir
from guidepdf.report import collect
from guidepdf.samplefill import fill, form_values


def _text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(" ".join(doc[i].get_textpage().get_text_range().split())
                        for i in range(len(doc)))
    finally:
        doc.close()


def test_spanish_reasons_in_every_output(tmp_path: Path) -> None:
    es = load_content(default_content_dir() / "editions" / "es")
    blank = build_guide(es, es.role("coach"), GuideOptions())
    returned = tmp_path / "devueltos"
    returned.mkdir()
    values = form_values("coach", respondent={"name": "Lucía Pérez",
                                              "email": "lucia@example.org"},
                         answers={"q1": ("Queremos observar clases juntos.", "")})
    (returned / "lucia.pdf").write_bytes(fill(blank, values))
    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(blank)) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secreto", owner="secreto"))
    (returned / "con-clave.pdf").write_bytes(locked.getvalue())
    (returned / "roto.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Cat")
    (returned / "zip.pdf").write_bytes(b"PK\x03\x04" + bytes(200))
    (returned / "vacio.pdf").write_bytes(b"")

    result = collect(returned, tmp_path / "resumen", content=es, jobs=1)

    wanted = {
        "con-clave.pdf": ("password", "está protegido con contraseña"),
        "zip.pdf": ("not_pdf", "no es un PDF (un archivo ZIP"),
        "vacio.pdf": ("empty_file", "archivo vacío (0 bytes)"),
    }
    data = json.loads(result.files["summary.json"].read_text(encoding="utf-8"))
    rejected = {Path(r["file"]).name: r for r in data["rejected"]}
    assert set(rejected) == {*wanted, "roto.pdf"}, rejected
    for name, (code, words) in wanted.items():
        assert rejected[name]["code"] == code, rejected[name]
        assert rejected[name]["reason"].startswith(words), rejected[name]
    assert rejected["roto.pdf"]["code"] in ("damaged", "no_fields"), rejected["roto.pdf"]
    summary = _text(result.files["summary.pdf"].read_bytes())
    for _, words in wanted.values():
        assert words in summary, words
    # (a damaged file's reason quotes qpdf's own English words in its detail; ours are not)
    for english in ("password", "not a PDF", "empty file", "beyond repair"):
        assert english not in summary, english
    book = openpyxl.load_workbook(result.files["responses.xlsx"], read_only=True)
    cells = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                     for c in row if c)
    book.close()
    for _, words in wanted.values():
        assert words in cells, words
    csv_text = (result.out_dir / "rejected.csv").read_text(encoding="utf-8")
    assert "está protegido con contraseña" in csv_text
