"""report.pdfparts.plain_para makes a paragraph of people's text without reportlab's
markup parser: the same words, the same lines at every width, the same plain text as the
escaped-markup Paragraph it stands in for."""

from __future__ import annotations

import pytest

from guidepdf.content import Content
from guidepdf.layout.theme import make_theme
from guidepdf.report.pdfparts import Para, answer_text, esc, plain_para

TEXTS = [
    "Common planning time, every week.",
    "Tom & Jerry <b>not bold</b> &amp; not an entity &lt;",
    "  runs   of\tspaces and\ttabs  ",
    "nbsp\xa0between and\xa0 after",
    "Ünïcode — “quotes” ‘x’ … Núñez",
    "one-very-long-hyphenated-word-that-must-wrap-somewhere-in-a-narrow-cell " * 3,
]


def _lines(p: Para, width: float) -> list[str]:
    """The text of each line as laid out (a one-fragment paragraph keeps words per line,
    a many-fragment one the fragments of each line)."""
    p.wrap(width, 10_000)
    out = []
    for line in p.blPara.lines:
        if hasattr(line, "words"):
            text = "".join(getattr(f, "text", "") for f in line.words)
        else:
            text = " ".join(line[1])
        out.append(" ".join(text.split()))
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_plain_para_breaks_like_the_markup_paragraph(content: Content, text: str) -> None:
    theme = make_theme(content.brand, "letter", "")
    for style_name in ("cell", "body"):
        style = theme.style(style_name)
        fast, parsed = plain_para(text, style), Para(esc(text), style)
        assert fast.getPlainText() == parsed.getPlainText()
        for width in (60, 140, 400):
            assert _lines(fast, width) == _lines(parsed, width), (style_name, width)
            assert fast.wrap(width, 10_000) == parsed.wrap(width, 10_000)


def test_answers_with_line_breaks_or_nothing_keep_the_markup_path(content: Content) -> None:
    theme = make_theme(content.brand, "letter", "")
    style = theme.style("cell")
    two = answer_text("first line\nsecond line", style, theme)
    assert [_lines(two, 400)] == [["first line", "second line"]]
    assert answer_text("   ", style, theme).getPlainText() == "—"
    assert plain_para("   ", style).getPlainText() == ""


def test_styles_made_per_row_do_not_pile_up(content: Content) -> None:
    """answerrows clones a style for each row whose name is in another script; the
    fragment cache stays bounded, and a paragraph is right after the cache is cleared."""
    from guidepdf.report import pdfparts

    style = make_theme(content.brand, "letter", "").style("cell")
    for n in range(2000):
        para = plain_para(f"answer {n}", style.clone(f"row{n}"))
    assert len(pdfparts._FRAGS) <= 513
    assert para.getPlainText() == "answer 1999"
