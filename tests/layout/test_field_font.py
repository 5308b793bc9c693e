"""Form fields carry an embedded Unicode font, so redrawn answers show every character."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from guidepdf import formspec
from guidepdf.content import Content, load_content
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.layout.fieldfont import FIELD_FONT_NAME

ANSWER = "José Nguyễn — Привет — Ελλάδα"


def test_default_resources_hold_an_embedded_type0_font(guide: Callable[..., bytes]) -> None:
    """/DR has a Type0 Identity-H font with ToUnicode and an embedded TrueType file, and every
    text field's /DA uses it."""
    with pikepdf.open(io.BytesIO(guide("coach"))) as pdf:
        acroform = pdf.Root.AcroForm
        font = acroform.DR.Font[FIELD_FONT_NAME]
        assert font.Subtype == "/Type0" and font.Encoding == "/Identity-H"
        assert "/ToUnicode" in font
        assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor
        text_fields = [f for f in acroform.Fields if f.get("/FT") == "/Tx"]
        assert text_fields
        assert all(str(f.DA).startswith(f"{FIELD_FONT_NAME} ") for f in text_fields)


def _regenerated(content: Content, guide: Callable[..., bytes]) -> tuple[bytes, str]:
    name = formspec.answer_field("teacher", content.role("teacher").questions[0].id,
                                 "reflections")
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(guide("teacher")))
    writer.update_page_form_field_values(None, {name: ANSWER}, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), name


def test_pypdf_redraw_encodes_every_character(content: Content,
                                              guide: Callable[..., bytes]) -> None:
    """pypdf's regenerated appearance uses our font and its codes map back to the answer:
    no character fell back to '?'."""
    pdf, name = _regenerated(content, guide)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        widget = next(a for p in doc.pages for a in p.obj.get("/Annots", [])
                      if str(a.get("/T", "")) == name)
        stream = widget.AP.N.read_bytes().decode("latin-1")
        font = doc.Root.AcroForm.DR.Font[FIELD_FONT_NAME]
        tounicode = font.ToUnicode.read_bytes().decode("ascii")
    assert FIELD_FONT_NAME in stream
    cmap = {int(g, 16): chr(int(u, 16)) for g, u in
            re.findall(r"<([0-9A-F]{4})> <([0-9A-F]{4})>", tounicode)}
    codes = re.search(r"<([0-9a-fA-F]+)> Tj", stream)
    assert codes is not None
    hexes = codes.group(1)
    shown = "".join(cmap[int(hexes[i:i + 4], 16)] for i in range(0, len(hexes), 4))
    assert shown == ANSWER


def test_redrawn_answer_renders_as_text(content: Content, guide: Callable[..., bytes]) -> None:
    """Flattened by PDFium, the redrawn field yields the answer's text back, glyph for glyph."""
    pdf, _ = _regenerated(content, guide)
    with pikepdf.open(io.BytesIO(pdf)) as doc:  # keep pypdf's appearance, as Acrobat would
        doc.Root.AcroForm.NeedAppearances = False
        out = io.BytesIO()
        doc.save(out)
    document = pdfium.PdfDocument(out.getvalue())
    try:
        for page in document:
            if "REFLECTIONS" in page.get_textpage().get_text_range():
                assert pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_PRINT) == \
                    pdfium_c.FLATTEN_SUCCESS
                break
        buf = io.BytesIO()
        document.save(buf)
    finally:
        document.close()
    flat = pdfium.PdfDocument(buf.getvalue())
    texts = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in flat)
    assert ANSWER in texts


def test_brand_can_choose_the_field_font(toy_dir: Path) -> None:
    """`fonts.field_font` in brand.yaml picks the font fields draw answers with; without it
    the regular font is used."""
    brand = toy_dir / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        "  italic: NotoSans-Italic.ttf\n",
        "  italic: NotoSans-Italic.ttf\n  field_font: NotoSans-Bold.ttf\n"), encoding="utf-8")
    content = load_content(toy_dir)
    assert content.brand.fonts.for_fields.name == "NotoSans-Bold.ttf"
    pdf = build_guide(content, content.roles[0], GuideOptions())
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert str(doc.Root.AcroForm.DR.Font[FIELD_FONT_NAME].BaseFont).endswith("NotoSans-Bold")


GREEK_CYRILLIC = "Ελληνικά: Καλημέρα — Русский: Привет, мир — Nguyễn"


def test_pdfium_redraws_greek_and_cyrillic_with_the_field_font(
        content: Content, guide: Callable[..., bytes]) -> None:
    """Typed into a field by PDFium (Chrome's viewer), Greek and Cyrillic are drawn with our
    embedded field font, not with unembedded system fonts PDFium picks per script (which
    draw nothing where they are not installed), and render as the answer's text."""
    from tests.interop.fillers import fill_pdfium

    name = formspec.answer_field("teacher", content.role("teacher").questions[0].id,
                                 "reflections")
    pdf = fill_pdfium(guide("teacher"), {name: GREEK_CYRILLIC}, typing=True)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        widget = next(a for p in doc.pages for a in p.obj.get("/Annots", [])
                      if str(a.get("/T", "")) == name)
        stream = widget.AP.N.read_bytes().decode("latin-1")
        fonts = set(re.findall(r"(/[^\s/]+)\s+[\d.]+\s+Tf", stream))
    assert fonts == {FIELD_FONT_NAME}
    document = pdfium.PdfDocument(pdf)
    try:
        document.init_forms()
        for page in document:
            if GREEK_CYRILLIC[:8] not in page.get_textpage().get_text_range():
                assert pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_PRINT) in (
                    pdfium_c.FLATTEN_SUCCESS, pdfium_c.FLATTEN_NOTHINGTODO)
        buf = io.BytesIO()
        document.save(buf)
    finally:
        document.close()
    flat = pdfium.PdfDocument(buf.getvalue())
    texts = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in flat)
    assert GREEK_CYRILLIC in texts
