"""Guides filled by independent implementations (PDFium, pdf.js, pdf-lib, pdftk, pypdf) read
back exactly with our reader, agree with pypdf as a second reader, and still show answers."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache

import pypdf
import pypdfium2 as pdfium
import pytest

from guidepdf import formspec
from guidepdf.content import Content
from guidepdf.read.reader import read_form
from tests.interop.fillers import FillerUnavailable, fill_pdfium

from .fillers import FILLERS

ROLE = "principal"
LONG = "\n".join(f"Line {i:03d}: " + "we will plan, teach, review and adjust. " * 2
                 for i in range(59))[:5000]
NON_LATIN = "José Nguyễn — Привет — Ελλάδα — مرحبا — 日本語 — 😀"
MULTILINE = "First we meet as a team.\n\nThen we agree on one goal.\nLast: review in May."


def answers_for(content: Content) -> dict[str, str]:
    q = [x.id for x in content.role(ROLE).questions]
    a = formspec.answer_field
    return {
        a(ROLE, q[0], "reflections"): MULTILINE,
        a(ROLE, q[0], "first_steps"): NON_LATIN,
        a(ROLE, q[1], "reflections"): "",  # deliberately empty
        a(ROLE, q[1], "first_steps"): LONG,
        a(ROLE, q[2], "reflections"): "Plain ASCII answer with (parentheses) and \\ slash",
        formspec.respondent_field(ROLE, "name"): "Zoë Ångström",
        formspec.respondent_field(ROLE, "email"): "zoe@example.org",
    }


@cache
def filled(filler: str, pdf: bytes, values_key: tuple[tuple[str, str], ...]) -> bytes:
    values = dict(values_key)
    try:
        if filler == "pdfium":
            # typing=True is Chrome's keyboard path; pasting loses characters beyond the BMP
            return fill_pdfium(pdf, values, typing=True)
        return FILLERS[filler](pdf, values)
    except FillerUnavailable as exc:  # pragma: no cover - only where a tool is missing
        pytest.skip(str(exc))


FILLER_NAMES = ["pdfium", "pdfjs", "pdflib", "pdftk", "pypdf"]


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_every_answer_reads_back_exactly(content: Content, guide: Callable[..., bytes],
                                         filler: str) -> None:
    """Multi-line, non-Latin, empty and 5,000-character answers come back exactly."""
    values = answers_for(content)
    pdf = filled(filler, guide(ROLE), tuple(values.items()))
    form = read_form(pdf, name=f"{filler}.pdf", content=content)
    q = [x.id for x in content.role(ROLE).questions]
    assert form.role == ROLE
    assert form.answers[q[0]] == {"reflections": MULTILINE, "first_steps": NON_LATIN}
    assert form.answers[q[1]] == {"reflections": "", "first_steps": LONG}
    assert form.answers[q[2]]["reflections"] == values[formspec.answer_field(
        ROLE, q[2], "reflections")]
    assert all(form.answers[x] == {"reflections": "", "first_steps": ""} for x in q[3:])
    assert form.respondent["name"] == "Zoë Ångström"
    assert form.manifest is not None and form.manifest.role == ROLE
    assert len(LONG) == 5000
    # nothing odd about a form filled by a real viewer
    assert [w for w in map(str, form.warnings) if "manifest" in w or "version" in w] == []


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_pypdf_agrees_as_second_reader(content: Content, guide: Callable[..., bytes],
                                       filler: str) -> None:
    """pypdf, reading the same filled file, sees the same text values as our reader."""
    values = answers_for(content)
    pdf = filled(filler, guide(ROLE), tuple(values.items()))
    ours = read_form(pdf)
    fields = pypdf.PdfReader(io.BytesIO(pdf)).get_fields() or {}
    for name, expected in values.items():
        ref = formspec.parse_field_name(name)
        assert ref is not None
        theirs = fields[name].get("/V")
        theirs = "" if theirs is None else str(theirs).replace("\r\n", "\n").replace("\r", "\n")
        mine = ours.answers[ref.key][ref.column] if ref.kind == "answer" \
            else ours.respondent[ref.key]
        assert mine == theirs == expected


def _ink_in_rect(pdf: bytes, name: str) -> int:
    """Dark pixels inside the widget of field `name` when PDFium renders the page with forms."""
    doc = pdfium.PdfDocument(pdf)
    try:
        doc.init_forms()
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        for index, page in enumerate(reader.pages):
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                if annot.get("/T") == name or (annot.get("/Parent") is not None and
                                               annot["/Parent"].get_object().get("/T") == name):
                    x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                    scale = 2
                    image = doc[index].render(scale=scale, may_draw_forms=True).to_pil()
                    height = image.height
                    box = (int(x0 * scale) + 3, int(height - y1 * scale) + 3,
                           int(x1 * scale) - 3, int(height - y0 * scale) - 3)
                    crop = image.crop(box).convert("L")
                    return sum(crop.histogram()[:140])
        raise KeyError(name)
    finally:
        doc.close()


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_filled_answers_are_visible(content: Content, guide: Callable[..., bytes],
                                    filler: str) -> None:
    """After filling, the answer box shows ink where the blank box showed none: the
    appearance exists (or is regenerated) and shows the value."""
    values = answers_for(content)
    blank = guide(ROLE)
    pdf = filled(filler, blank, tuple(values.items()))
    name = formspec.answer_field(ROLE, content.role(ROLE).questions[0].id, "reflections")
    assert _ink_in_rect(blank, name) == 0
    assert _ink_in_rect(pdf, name) > 150
