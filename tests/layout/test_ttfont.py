"""layout.ttfont.QuickTTFont splits text into subsets exactly as reportlab's TTFont does,
whatever comes in what order: new characters, a no-break space, other scripts, a second
subset, bytes, nothing; and a built document is the same to the byte."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from guidepdf.layout.ttfont import QuickTTFont

FONT = Path(__file__).parents[2] / "fonts" / "NotoSans-Regular.ttf"


class _Doc:
    """A stand-in for the PDFDocument a font keeps its subsets per (any weak-referable
    object will do)."""


def _texts() -> list[str | bytes]:
    latin = "The quick brown fox jumps over the lazy dog, 123 times."
    more = "".join(chr(c) for c in range(0x100, 0x250))  # past one subset's 256 codes
    return [latin, latin, "", "café naïve — “quoted”", latin + "\u00a0non-breaking",
            "Олег Петров", "Ελληνικά", more, latin, "café", more[::-1], b"bytes too",
            "x" * 50, latin.upper(), more[:40] + latin]


def test_split_string_is_the_same_as_reportlabs() -> None:
    plain, quick = TTFont("plain-check", str(FONT)), QuickTTFont("quick-check", str(FONT))
    doc_a, doc_b = _Doc(), _Doc()
    for text in _texts():
        assert quick.splitString(text, doc_b) == plain.splitString(text, doc_a), text
    assert quick.state[doc_b].assignments == plain.state[doc_a].assignments
    assert quick.state[doc_b].subsets == plain.state[doc_a].subsets


def test_lines_of_known_characters_take_the_quick_way() -> None:
    """After a line has given its characters codes, a line of the same characters is
    split without reportlab's per-character loop (which this test replaces with a failure)."""
    quick, doc = QuickTTFont("quick-check2", str(FONT)), _Doc()
    quick.splitString("abcdefghij klmnop", doc)

    def fail(*args: object) -> None:
        raise AssertionError("took reportlab's way")

    original = TTFont.splitString
    TTFont.splitString = fail  # type: ignore[method-assign]
    try:
        assert quick.splitString("bead fig jab", doc) == [(0, bytes(
            quick.state[doc].assignments[ord(c)] for c in "bead fig jab"))]
    finally:
        TTFont.splitString = original  # type: ignore[method-assign]


def test_a_page_drawn_with_either_font_is_the_same() -> None:
    def page(cls: type[TTFont], name: str) -> bytes:
        pdfmetrics.registerFont(cls(name, str(FONT)))
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1)
        for i, text in enumerate(t for t in _texts() if isinstance(t, str)):
            canvas.setFont(name, 9)
            canvas.drawString(40, 800 - 14 * i, text)
        canvas.save()
        return buffer.getvalue().replace(name.encode(), b"FONT")
    assert page(TTFont, "page-plain") == page(QuickTTFont, "page-quick")
