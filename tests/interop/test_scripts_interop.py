"""Answers typed in Arabic, Hebrew, Chinese, Japanese, Korean, Hindi, Vietnamese and Greek by
independent fillers (PDFium as Chrome types, pdf.js as Firefox saves, pdf-lib) read back
exactly; the appearance PDFium draws for them uses only our embedded field font."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pikepdf
import pytest

from guidepdf import formspec
from guidepdf.content import Content
from guidepdf.layout.fieldfont import FIELD_FONT_NAME
from guidepdf.read.reader import read_form
from tests.interop.fillers import FILLERS, FillerUnavailable, fill_pdfium

ROLE = "coach"
ANSWERS = {
    "arabic": "نخطط لاجتماع الفريق كل شهر لمراجعة التقدم معا",
    "hebrew": "נקבע פגישה חודשית עם הצוות",
    "chinese": "我们计划每个月与团队一起检查进度。",
    "japanese": "毎月チームで進み具合を確認します。",
    "korean": "매달 팀과 함께 진행 상황을 점검합니다.",
    "hindi": "हम हर महीने टीम के साथ प्रगति की समीक्षा करेंगे।",
    "vietnamese": "Chúng tôi sẽ họp nhóm mỗi tháng để xem lại tiến độ.",
    "greek": "Θα συναντιόμαστε κάθε μήνα ως ομάδα.",
}
NAMES = "محمد عبد الله · שרה כהן · 王小明 · 山田 太郎 · 김민준 · प्रिया शर्मा · Nguyễn · Γιώργος"


def _values(content: Content) -> dict[str, str]:
    questions = [q.id for q in content.role(ROLE).questions]
    scripts = sorted(ANSWERS)
    values = {}
    for i, script in enumerate(scripts):
        column = "reflections" if i % 2 == 0 else "first_steps"
        values[formspec.answer_field(ROLE, questions[i // 2], column)] = ANSWERS[script]
    values[formspec.respondent_field(ROLE, "name")] = NAMES
    return values


def _fill(filler: str, pdf: bytes, values: dict[str, str]) -> bytes:
    try:
        if filler == "pdfium":
            return fill_pdfium(pdf, values, typing=True)  # Chrome's keyboard path
        return FILLERS[filler](pdf, values)
    except FillerUnavailable as exc:  # pragma: no cover - only where a tool is missing
        pytest.skip(str(exc))


@pytest.mark.parametrize("filler", ["pdfium", "pdfjs", "pdflib"])
def test_answers_in_every_script_read_back_exactly(content: Content,
                                                   guide: Callable[..., bytes],
                                                   filler: str) -> None:
    """Every answer and the name come back as typed, character for character."""
    values = _values(content)
    form = read_form(_fill(filler, guide(ROLE), values), name=f"{filler}.pdf",
                     content=content)
    for name, expected in values.items():
        ref = formspec.parse_field_name(name)
        assert ref is not None
        got = form.answers[ref.key][ref.column] if ref.kind == "answer" \
            else form.respondent[ref.key]
        assert got == expected, name


def test_pdfium_draws_every_script_the_field_font_has_with_it(
        content: Content, guide: Callable[..., bytes]) -> None:
    """PDFium's appearances for Arabic, Hebrew, Hindi, Vietnamese and Greek answers use only
    the embedded field font (its letters are merged from the fallback fonts), so they show
    on any machine; CJK, which the field font lacks, is left to the viewer's own fonts."""
    values = _values(content)
    pdf = _fill("pdfium", guide(ROLE), values)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        streams = {str(a.get("/T", a.get("/Parent", {}).get("/T", ""))):
                   a.AP.N.read_bytes().decode("latin-1")
                   for p in doc.pages for a in p.obj.get("/Annots", [])
                   if "/AP" in a and isinstance(a.AP.get("/N"), pikepdf.Stream)}
    for name, text in values.items():
        if any(0x3000 <= ord(ch) <= 0xD7FF for ch in text):
            continue
        fonts = set(re.findall(r"(/[^\s/]+)\s+[\d.]+\s+Tf", streams[name]))
        assert fonts == {FIELD_FONT_NAME}, (text, fonts)
