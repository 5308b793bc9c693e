"""guidepdf.samplefill: what it fills, the reader reads back; what it fills, PDFium shows."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest

from guidepdf import formspec
from guidepdf.content import Content
from guidepdf.read.reader import read_form
from guidepdf.samplefill import UnknownFieldError, fill, form_values

ANSWERS = {"q1": ("=HYPERLINK(\"http://x\")\nsecond line", "- a dash first"),
           "q2": ("Zoë Łódź Αθηνά Олег", "")}


@pytest.mark.parametrize("appearances", ["pypdf", "viewer"])
def test_values_read_back_exactly(guide: Callable[..., bytes], content: Content,
                                  appearances: str) -> None:
    """Text (multi-line, formula-like, non-Latin), IC choices and notes, and the ModDate
    come back from guidepdf's reader as they were filled."""
    values = form_values("coach", respondent={"name": "Αθηνά Παπαδοπούλου", "date": "today"},
                         answers=ANSWERS, ic={"ep1": "L2", "ep2": "NA", "cai1": None},
                         ic_notes={"ep1": "notes ü"})
    pdf = fill(guide("coach"), values, modified=datetime(2026, 10, 5, 9, 30, tzinfo=UTC),
               appearances=appearances)
    form = read_form(pdf, content=content)
    assert form.warnings == []
    assert form.respondent["name"] == "Αθηνά Παπαδοπούλου"
    for qid, (refl, steps) in ANSWERS.items():
        assert form.answers[qid] == {"reflections": refl, "first_steps": steps}
    assert (form.ic["ep1"], form.ic["ep2"], form.ic["cai1"]) == ("L2", "NA", None)
    assert form.ic_notes["ep1"] == "notes ü"
    assert form.modified == "D:20261005093000Z"


def test_radio_value_is_a_name_and_one_widget_is_on(guide: Callable[..., bytes]) -> None:
    """The radio group's /V is a name and exactly the chosen widget shows its on-state."""
    pdf = fill(guide("coach"), {formspec.ic_field("coach", "ep1"): "L3"})
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        group = next(f for f in doc.Root.AcroForm.Fields
                     if str(f.get("/T", "")) == formspec.ic_field("coach", "ep1"))
        assert str(group.V) == "/L3" and isinstance(group.V, pikepdf.Name)
        assert [str(k.AS) for k in group.Kids].count("/L3") == 1
        assert {str(k.AS) for k in group.Kids} == {"/L3", "/Off"}


def test_unknown_field_is_refused(guide: Callable[..., bytes]) -> None:
    """A value for a field the PDF lacks raises, naming the field."""
    with pytest.raises(UnknownFieldError, match="coach__q99__reflections"):
        fill(guide("coach"), {"coach__q99__reflections": "x"})
    with pytest.raises(ValueError, match="appearances"):
        fill(guide("coach"), {}, appearances="magic")


def _field_ink(pdf: bytes, name: str) -> int:
    """Dark pixels PDFium draws inside the field's rectangle, border excluded (forms
    initialised)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/T") == name:
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                doc = pdfium.PdfDocument(pdf)
                doc.init_forms()
                try:
                    image = doc[index].render(scale=2, may_draw_forms=True).to_pil()
                finally:
                    doc.close()
                height = float(page.mediabox.height)
                inset = 4  # points: leave the field's border out
                box = (int((x0 + inset) * 2), int((height - y1 + inset) * 2),
                       int((x1 - inset) * 2), int((height - y0 - inset) * 2))
                gray = image.convert("L").crop(box)
                return sum(gray.histogram()[:128])
    raise KeyError(name)


@pytest.mark.parametrize("appearances", ["pypdf", "viewer"])
def test_pdfium_renders_the_answers(guide: Callable[..., bytes], appearances: str) -> None:
    """Rendered by PDFium, a filled answer box has ink in it; a blank one has none."""
    name = formspec.answer_field("coach", "q1", "reflections")
    blank = _field_ink(guide("coach"), name)
    values = {name: "We protect time for coaching cycles.\nSecond line of the answer."}
    filled = _field_ink(fill(guide("coach"), values, appearances=appearances), name)
    assert blank < 20 < filled
