"""People's text (names, answers) draws with real glyphs in any script, in the right order:
each name rendered by PDFium matches a reference rendering of the same string made by an
independent engine (Pillow with libraqm: FriBiDi + HarfBuzz) from the same font file."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, features
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from guidepdf.layout import cjkfont, peopletext
from guidepdf.layout.theme import register_font
from guidepdf.paths import shipped_fonts_dir

FONTS = shipped_fonts_dir()
SIZE = 24  # points; rendered at 2 px per point
NAMES = {  # name -> the font file that must draw it (None: the CJK collection)
    "arabic": ("محمد عبد الله", "fallback/NotoSansArabic-Regular.ttf"),
    "hebrew": ("שרה כהן", "fallback/NotoSansHebrew-Regular.ttf"),
    "hindi": ("प्रिया शर्मा", "fallback/NotoSansDevanagari-Regular.ttf"),
    "thai": ("สมชาย ใจดี", "fallback/NotoSansThai-Regular.ttf"),
    "vietnamese": ("Nguyễn Thị Minh Khai", "NotoSans-Regular.ttf"),
    "vietnamese_nfd": ("Nguye\u0302\u0303n Thi\u0323", "NotoSans-Regular.ttf"),
    "greek": ("Γιώργος Παπαδόπουλος", "NotoSans-Regular.ttf"),
    "chinese": ("王小明", None),
    "japanese": ("山田たろう", None),
    "korean": ("김민준", None),
}


def _base() -> str:
    return register_font(FONTS / "NotoSans-Regular.ttf")


def _ink(image: Image.Image) -> Image.Image:
    """The image as black-on-white, cropped to its ink."""
    grey = image.convert("L").point(lambda v: 255 if v > 160 else 0)
    box = ImageChops.invert(grey).getbbox()
    assert box is not None, "nothing was drawn"
    return grey.crop(box)


def _pdfium(text: str) -> Image.Image:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(520, 60), invariant=1)
    peopletext.draw_text(canvas, 10, 20, text, _base(), SIZE)
    canvas.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        return document[0].render(scale=2).to_pil()
    finally:
        document.close()


def _reference(text: str, font_file: str | None) -> Image.Image:
    if font_file is None:
        source = cjkfont.source()
        assert source is not None
        index = {"JP": 0, "KR": 1, "SC": 2}[cjkfont.face_for(text)]
        index = cjkfont._face_index(source, cjkfont.face_for(text)) or index
        font = ImageFont.truetype(str(source), SIZE * 2, index=index,
                                  layout_engine=ImageFont.Layout.RAQM)
    else:
        font = ImageFont.truetype(str(FONTS / font_file), SIZE * 2,
                                  layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (1100, 130), 255)
    ImageDraw.Draw(image).text((20, 20), text, font=font, fill=0)
    return image


def _similarity(a: Image.Image, b: Image.Image) -> float:
    """How much of each crop's ink lies within 2 px of the other's (the smaller of the two
    shares), the crops scaled to the same size: 1.0 for the same drawing, whatever the
    anti-aliasing; a box, a lost mark or a reversed word leaves ink far from the other's."""
    b = b.resize(a.size)
    ink_a = ImageChops.invert(a).point(lambda v: 255 if v > 127 else 0)
    ink_b = ImageChops.invert(b).point(lambda v: 255 if v > 127 else 0)

    def within(x: Image.Image, y: Image.Image) -> float:
        near = y.filter(ImageFilter.MaxFilter(5))
        return ImageChops.darker(x, near).histogram()[255] / max(1, x.histogram()[255])

    return min(within(ink_a, ink_b), within(ink_b, ink_a))


@pytest.mark.skipif(not (features.check("raqm") and features.check("fribidi")),
                    reason="Pillow without libraqm or FriBiDi (.ci/run installs libfribidi0)")
@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_name_renders_like_the_reference(script: str) -> None:
    """Drawn by guidepdf and rendered by PDFium, the name has the reference rendering's
    size and shape (joined, reordered, right to left): an empty box, a missing mark or a
    reversed word would not match."""
    text, font_file = NAMES[script]
    if font_file is None and cjkfont.source() is None:
        pytest.skip("no CJK font installed (guidepdf[cjk])")
    ours, reference = _ink(_pdfium(text)), _ink(_reference(text, font_file))
    assert abs(ours.width - reference.width) <= max(4, reference.width * 0.04)
    assert abs(ours.height - reference.height) <= 4
    assert _similarity(ours, reference) > 0.95
    assert peopletext.missing_glyphs(text, _base()) == []


@pytest.mark.skipif(not (features.check("raqm") and features.check("fribidi")),
                    reason="Pillow without libraqm or FriBiDi (.ci/run installs libfribidi0)")
def test_a_reversed_word_does_not_match() -> None:
    """The comparison tells order apart: Hebrew drawn left to right is not the reference."""
    text, font_file = NAMES["hebrew"]
    ours = _ink(_pdfium(text))
    wrong = _ink(_reference("\u202d" + text + "\u202c", font_file))  # forced left to right
    assert _similarity(ours, wrong) < 0.8


def test_characters_no_font_has_are_reported() -> None:
    """Emoji and a script with no fallback font are missing; letters are not."""
    assert peopletext.missing_glyphs("Ali 😀 ሰላም", _base()) == ["😀", "ሰ", "ላ", "ም"]
    assert peopletext.missing_glyphs("Ελένη Иван José", _base()) == []


def test_a_right_to_left_paragraph_wraps_and_reads_on_the_right() -> None:
    """A long Arabic answer breaks into lines no wider than the column and is set flush
    right; a CJK answer without spaces breaks between characters."""
    style = ParagraphStyle("cell", fontName=_base(), fontSize=10, leading=13)
    arabic = peopletext.people_paragraph("نخطط للعمل مع الفريق كل شهر لمراجعة التقدم " * 4, style)
    _, height = arabic.wrap(200, 1000)
    assert height == 13 * len(arabic._lines) and len(arabic._lines) > 2
    assert all(peopletext.text_width(line, _base(), 10) <= 200 for line in arabic._lines)
    assert arabic.rtl
    chinese = peopletext.people_paragraph("我们计划在下学期与团队一起改进专业学习。" * 3, style)
    chinese.wrap(120, 1000)
    if cjkfont.source() is not None:
        assert len(chinese._lines) > 3
        assert "".join(chinese._lines) == "我们计划在下学期与团队一起改进专业学习。" * 3


def test_fit_text_never_cuts_a_mark_from_its_letter() -> None:
    """Shortened names end with an ellipsis after a whole letter."""
    name = "Nguye\u0302\u0303n Thi\u0323 Minh Khai"
    short = peopletext.fit_text(name, _base(), 12, 60)
    assert short.endswith(peopletext.ELLIPSIS)
    assert not short[:-1] or not short[-2].isspace()
    assert name.startswith(short[:-1])


def test_fallback_fonts_are_shipped_with_their_licence() -> None:
    """The fallback fonts and the OFL they are licensed under are in fonts/fallback/."""
    folder = Path(FONTS / "fallback")
    assert (folder / "OFL.txt").is_file()
    for family in ("Arabic", "Hebrew", "Devanagari", "Thai"):
        for weight in ("Regular", "Bold"):
            assert (folder / f"NotoSans{family}-{weight}.ttf").is_file()


def test_without_cjk_fonts_a_cjk_name_is_a_warning_that_says_how_to_fix_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no CJK font installed, roster check warns about a Chinese name (never a silent
    box) and names the install that fixes it; an Arabic name gives no warning."""
    from guidepdf.content import load_content
    from guidepdf.distribute import cover_problems, read_roster
    from guidepdf.paths import default_content_dir

    monkeypatch.setattr(cjkfont, "source", lambda: None)
    roster = tmp_path / "r.csv"
    roster.write_text("id,name,email,role,group\n1,王小明,w@x.org,coach,\n"
                      "2,محمد علي,m@x.org,coach,\n", encoding="utf-8")
    content = load_content(default_content_dir())
    problems = cover_problems(content, read_roster(roster, content.roles))
    assert [(p.line, p.severity) for p in problems] == [(2, "warning")]
    assert "王小明" in problems[0].problem and 'pip install "guidepdf[cjk]"' in problems[0].hint


def test_glyphs_without_a_character_get_the_same_code_in_every_process() -> None:
    """A conjunct or joining form is drawn as U+E000 + its glyph id, whatever was drawn
    before it, so the same name gives the same bytes in any worker process."""
    from reportlab.pdfbase import pdfmetrics

    from guidepdf.layout import shaping

    runs = shaping.line_runs("क्षत्रिय", _base(), 12)
    face = pdfmetrics.getFont(runs[0].font).face
    private = [ord(ch) for run in runs for ch in run.text if 0xE000 <= ord(ch) <= 0xF8FF]
    assert private, "a Devanagari conjunct has no character of its own"
    assert all(face.charToGlyph[code] == code - shaping.PRIVATE for code in private)


def test_plain_is_decided_per_character_whatever_was_seen_before() -> None:
    """`plain` remembers the characters it has found plain in a font; a string is still
    plain only when every one of its characters is (a plain string seen first does not
    make a right-to-left, combining or missing character plain)."""
    from guidepdf.layout import shaping

    base = _base()
    assert peopletext.plain("Ana Núñez & co.", base)
    for text in ("Ana שרה", "Nguye\u0302n", "Ana \u062f", "Ana 王", "Ana \u200f"):
        assert not peopletext.plain(text, base), text
        assert not shaping._plain(text, base), text
    assert peopletext.plain("Ana Núñez & co.", base)  # still, after the others


def test_a_cjk_name_embeds_the_same_bytes_at_any_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded CJK subset carries the source font's dates, not the clock's: a summary
    made a second later, or in another worker, is the same file."""
    source = cjkfont.source()
    if source is None:
        pytest.skip("no CJK font installed (guidepdf[cjk])")

    def drawn() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(520, 60), invariant=1)
        peopletext.draw_text(canvas, 10, 20, "王小明", _base(), SIZE)
        canvas.save()
        return buffer.getvalue()

    def stub() -> bytes:
        src = cjkfont._source(source, "SC")
        assert src is not None
        return cjkfont._stub(src[0], {0x738B: src[1][0x738B]}, 7)[0]

    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # fontTools' clock when set
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: 1_000_000_000.0)  # reportlab's invariant PDF has no clock
        first, first_stub = drawn(), stub()
        m.setattr(time, "time", lambda: 2_000_000_000.0)
        again, again_stub = drawn(), stub()
    assert again == first
    assert again_stub == first_stub
