"""Helpers that look inside PDFs with independent tools (pypdf, pypdfium2)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
import pypdf
import pypdfium2 as pdfium


@dataclass(frozen=True)
class Widget:
    name: str
    tooltip: str
    flags: int
    page: int
    max_len: int | None


def widgets(pdf: bytes) -> list[Widget]:
    """Every widget annotation with its field's full name, in page and annotation order."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            node, parts = annot, []
            while node is not None:
                if "/T" in node:
                    parts.append(str(node["/T"]))
                node = node.get("/Parent")
                node = node.get_object() if node is not None else None
            found.append(Widget(".".join(reversed(parts)), str(annot.get("/TU", "")),
                                int(annot.get("/Ff", 0)), number,
                                int(annot["/MaxLen"]) if "/MaxLen" in annot else None))
    return found


def page_texts(pdf: bytes, *, squeeze: bool = False) -> list[str]:
    """Text of each page as PDFium extracts it; with `squeeze`, every run of whitespace
    (line breaks included) made one space."""
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in doc:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            texts.append(" ".join(text.split()) if squeeze else text)
            textpage.close()
            page.close()
        return texts
    finally:
        doc.close()


def render(pdf: bytes, page_index: int, scale: float = 0.6):  # type: ignore[no-untyped-def]
    """A PIL image of one page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[page_index]
        image = page.render(scale=scale, may_draw_forms=True).to_pil()
        page.close()
        return image
    finally:
        doc.close()


def objects_outside_page(pdf: bytes) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page number, bounds) of every page object that reaches past the media box."""
    doc = pdfium.PdfDocument(pdf)
    bad = []
    try:
        for number, page in enumerate(doc, start=1):
            width, height = page.get_size()
            for obj in page.get_objects(max_depth=2):
                left, bottom, right, top = obj.get_bounds()
                if left < -0.5 or bottom < -0.5 or right > width + 0.5 or top > height + 0.5:
                    bad.append((number, (left, bottom, right, top)))
            page.close()
    finally:
        doc.close()
    return bad


def encrypted_blank(*, owner: str, user: str) -> bytes:
    """A one-page PDF encrypted with AES-256 (R6) under these passwords."""
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(out, encryption=pikepdf.Encryption(owner=owner, user=user, R=6))
    return out.getvalue()
