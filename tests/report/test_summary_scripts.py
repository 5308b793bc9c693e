"""A summary of forms from people whose names and answers are in Arabic, Hebrew, Chinese,
Japanese, Korean, Hindi, Vietnamese and Greek draws every one with real glyphs: embedded
fallback fonts, the typed text as ActualText where glyphs are shaped or reordered, and the
text itself where they are not."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from guidepdf.content import Content
from guidepdf.distribute.roster import Person, Roster
from guidepdf.layout import cjkfont, peopletext
from guidepdf.read.readmany import Outcome
from guidepdf.report.aggregate import aggregate
from guidepdf.report.summary_pdf import build_summary_pdf
from tests.report.conftest import make_plan

# name, group, reflections, first steps; shaped: drawn with HarfBuzz (RTL or complex)
PEOPLE = [
    ("محمد عبد الله", "مدرسة النور", "نخطط لاجتماع الفريق كل شهر لمراجعة التقدم معا.",
     "نبدأ بتحديد هدف واحد مشترك", True),
    ("שרה כהן", "בית ספר הדר", "נקבע פגישה חודשית עם הצוות.", "נתחיל במטרה אחת", True),
    ("王小明", "北京第一中学", "我们计划每个月与团队一起检查进度。", "先确定一个共同目标",
     False),
    ("山田 太郎", "東京学校", "毎月チームで進み具合を確認します。", "まず共通の目標を決めます",
     False),
    ("김민준", "서울 학교", "매달 팀과 함께 진행 상황을 점검합니다.", "먼저 공동 목표를 정합니다",
     False),
    ("प्रिया शर्मा", "दिल्ली स्कूल", "हम हर महीने टीम के साथ प्रगति की समीक्षा करेंगे।",
     "पहले एक साझा लक्ष्य तय करेंगे", True),
    ("Nguyễn Thị Minh Khai", "Trường Hà Nội", "Chúng tôi sẽ họp nhóm mỗi tháng.",
     "Trước hết chọn một mục tiêu chung", False),
    ("Γιώργος Παπαδόπουλος", "Σχολείο Αθηνών", "Θα συναντιόμαστε κάθε μήνα ως ομάδα.",
     "Ξεκινάμε με έναν κοινό στόχο", False),
]


@pytest.fixture(scope="module")
def summary_pdf(content: Content) -> bytes:
    people = [Person(i + 2, f"p{i}", name, f"p{i}@example.org", "coach", group)
              for i, (name, group, *_) in enumerate(PEOPLE)]
    outcomes = []
    for person, (*_, reflections, first_steps, _) in zip(people, PEOPLE, strict=True):
        plan = make_plan(content, "coach", f"{person.id}.pdf", recipient=person,
                         answers={"q1": (reflections, first_steps)})
        outcomes.append((Outcome(Path(plan.source), plan, ""), plan.source, 0.0))
    missing = Person(20, "m1", "فاطمة الزهراء", "f@example.org", "teacher", "مدرسة")
    roster = Roster(Path("roster.csv"), (*people, missing), (), "UTF-8", ",")
    return build_summary_pdf(aggregate(outcomes, content, roster, source="returned"), content)


def _texts(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_every_script_has_an_embedded_font(summary_pdf: bytes) -> None:
    """The fallback fonts the names need are in the PDF, embedded."""
    with pikepdf.open(io.BytesIO(summary_pdf)) as pdf:
        fonts = {}
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts[str(font.BaseFont).split("+")[-1]] = \
                    "/FontFile2" in font.get("/FontDescriptor", {})
    wanted = ["NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari"]
    if cjkfont.source() is not None:
        wanted += ["NotoSansCJKsc", "NotoSansCJKjp", "NotoSansCJKkr"]
    for family in wanted:
        found = [f for name, f in fonts.items() if name.lower().startswith(family.lower())]
        assert found, f"no {family} font in the summary"
        assert all(found)


def test_shaped_names_and_answers_carry_their_text(summary_pdf: bytes) -> None:
    """Names, groups and answers drawn with shaped glyphs (Arabic, Hebrew, Hindi) are in
    the page streams as ActualText, exactly as typed."""
    with pikepdf.open(io.BytesIO(summary_pdf)) as pdf:
        streams = b"".join(page.Contents.read_bytes() if isinstance(page.Contents, pikepdf.Stream)
                           else b"".join(c.read_bytes() for c in page.Contents)
                           for page in pdf.pages)
    for name, group, reflections, first_steps, shaped in PEOPLE:
        if not shaped:
            continue
        for text in (name, group, reflections, first_steps):
            code = "FEFF" + text.encode("utf-16-be").hex().upper()
            assert f"/ActualText <{code}>".encode() in streams, text


def test_unshaped_names_and_answers_read_back_as_text(summary_pdf: bytes) -> None:
    """Greek, Vietnamese and (with the CJK fonts) Chinese, Japanese and Korean names and
    answers are drawn glyph for character: PDFium reads them back as typed."""
    texts = _texts(summary_pdf)
    for name, group, reflections, first_steps, shaped in PEOPLE:
        if shaped or (cjkfont.is_cjk(ord(name[0])) and cjkfont.source() is None):
            continue
        for text in (name, group, reflections, first_steps):
            assert text in texts


def test_no_name_or_answer_needs_a_font_we_lack(content: Content) -> None:
    """Every character of the roster's names and answers has a font (never a box)."""
    from guidepdf.layout.theme import make_theme

    theme = make_theme(content.brand)
    for name, group, reflections, first_steps, _ in PEOPLE:
        for text in (name, group, reflections, first_steps):
            if cjkfont.source() is None and any(cjkfont.is_cjk(ord(c)) for c in text):
                continue
            assert peopletext.missing_glyphs(text, theme.fonts.regular) == []
            assert peopletext.missing_glyphs(text, theme.fonts.bold) == []
