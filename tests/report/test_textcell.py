"""report.textcell lays out an answer row's cells as the Paragraphs it stands in for
(answerrows' old cells, made now only as its fallback): the same lines at every width, the
same spacing on lines that use the style's space shrinkage, the same glyph positions when
drawn; what it cannot do the same way it leaves to the Paragraph."""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from guidepdf.content import Content
from guidepdf.layout.theme import Theme, make_theme
from guidepdf.report import answerrows
from guidepdf.report.model import Response
from guidepdf.report.pdfparts import PRINT_LINES, Para, answer_text
from guidepdf.report.textcell import TextCell

WIDTHS = (38.0, 91.3, 186.56, 302.0)
WORDS = ("a", "to", "we", "the", "plan", "staff", "weekly", "coaching", "observation,",
         "(leadership", "team)", "&", "<b>", "R&D", "“quoted”", "l’école", "Núñez", "—",
         "1.", "2024-25", "professional", "learning", "mmmmmmm", "iiiiiiii", "WWW")


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        lines = []
        for _ in range(rng.choice((1, 1, 2, 3, 6))):
            kind = rng.random()
            if kind < 0.08:
                lines.append("")  # a blank line between two
            elif kind < 0.12:
                lines.append("   ")  # a line of spaces
            else:
                sep = rng.choice((" ", " ", "  "))
                lines.append(sep.join(rng.choices(WORDS, k=rng.randint(1, 40))))
        text = "\n".join(lines)
        if rng.random() < 0.1:
            text = f"  {text}\n  "  # edge spaces, a last line of spaces
        texts.append(text)
    return texts


def _para_lines(p: Flowable) -> list[tuple[str, float]]:
    """(text, unused width) per line of a wrapped Paragraph (one fragment or many)."""
    out = []
    for line in p.blPara.lines:
        if hasattr(line, "words"):
            text = "".join(getattr(f, "text", "") for f in line.words)
            out.append((" ".join(text.split()), line.extraSpace))
        else:
            out.append((" ".join(line[1]), line[0]))
    return out


def _cell_lines(cell: TextCell) -> list[tuple[str, float]]:
    return [(line.text, -line.shrink) for line in cell._lines]


def _same(ours: list[tuple[str, float]], theirs: list[tuple[str, float]]) -> bool:
    """Same texts; the same negative unused width where Paragraph shrinks the spaces."""
    if [t for t, _ in ours] != [t for t, _ in theirs]:
        return False
    return all(abs(a - b) < 1e-6 if b < -1e-8 and " " in text else a == 0
               for (text, a), (_, b) in zip(ours, theirs, strict=True))


@pytest.fixture(scope="module")
def theme(content: Content) -> Theme:
    return make_theme(content.brand, "letter", "")


def test_answer_cells_break_like_the_paragraph(theme: Theme) -> None:
    style = theme.style("cell")
    shrunk = 0
    for text in _texts(1, 400):
        cell = answerrows.answer_cell(text, style, theme)
        for width in WIDTHS:
            para = answer_text(text, style, theme)
            assert cell.wrap(width, 1e6) == para.wrap(width, 1e6), (text, width)
            if cell._para is not None:  # a word wider than the cell: Paragraph's to break
                assert max(len(w) for w in text.split()) > 1
                cell = answerrows.answer_cell(text, style, theme)
                continue
            assert _same(_cell_lines(cell), _para_lines(para)), (text, width)
            shrunk += sum(1 for line in cell._lines if line.shrink)
    assert shrunk > 20  # the shrinkage rule was exercised, not just the plain greedy rule


def test_who_cells_break_like_the_paragraph(theme: Theme, content: Content) -> None:
    labels = content.labels
    rng = random.Random(2)
    for n in range(150):
        who = " ".join(rng.choices(WORDS, k=rng.randint(1, 6)))
        group = " ".join(rng.choices(WORDS, k=rng.randint(0, 5)))
        r = Response(role="coach", name=who, email="", group=group, date="",
                     source=f"{n}.pdf", modified="", roster_id=None, matched_by=None,
                     on_roster=rng.choice((True, False, None)), warnings=(), answers=())
        cell = answerrows.who_cell(r, labels, theme)
        assert isinstance(cell, TextCell)
        for width in WIDTHS[1:]:
            para = answerrows._who_para(r, labels, theme)
            assert cell.wrap(width, 1e6) == para.wrap(width, 1e6), (who, group, width)
            assert _same(_cell_lines(cell), _para_lines(para)), (who, group, width)


def test_clipped_answers_end_with_the_note_in_italics(theme: Theme) -> None:
    style = theme.style("cell")
    text = "\n".join(f"line {n}" for n in range(PRINT_LINES + 5))
    cell = answerrows.answer_cell(text, style, theme)
    para = answer_text(text, style, theme)
    assert cell.wrap(186.56, 1e6) == para.wrap(186.56, 1e6)
    assert _same(_cell_lines(cell), _para_lines(para))
    assert cell._lines[-1].font == theme.fonts.italic
    assert cell._lines[-1].color == theme.muted
    assert "more characters not printed here" in " ".join(t for t, _ in _cell_lines(cell))


@pytest.mark.parametrize("text", ["tab\tseparated", "no\xa0break space", "soft\xadhyphen",
                                  "em\u2003space", "Привет мир 你好"])
def test_what_a_text_cell_would_not_show_alike_stays_a_paragraph(theme: Theme,
                                                                  text: str) -> None:
    cell = answerrows.answer_cell(text, theme.style("cell"), theme)
    assert not isinstance(cell, TextCell)


def test_a_word_wider_than_the_cell_goes_to_the_paragraph(theme: Theme) -> None:
    style = theme.style("cell")
    text = "a cell with " + "unbreakablewordthatistoolong" * 3 + " in it"
    cell = answerrows.answer_cell(text, style, theme)
    assert isinstance(cell, TextCell)
    assert cell.wrap(120, 1e6) == answer_text(text, style, theme).wrap(120, 1e6)
    assert cell._para is not None
    parts = cell.split(120, 3 * style.leading)
    assert len(parts) == 2 and all(isinstance(p, Para) for p in parts)


def test_split_keeps_two_lines_at_least_and_the_lines_it_has(theme: Theme) -> None:
    style = theme.style("cell")
    cell = answerrows.answer_cell("\n".join(f"line {n}" for n in range(10)), style, theme)
    cell.wrap(186.56, 1e6)
    assert cell.split(196.56, 1.5 * style.leading) == []  # one line would be an orphan
    assert cell.split(196.56, 20 * style.leading) == [cell]
    # a table passes its column's width to split, not the cell's: the lines stay
    first, rest = cell.split(999, 3.5 * style.leading)
    assert [line.text for line in first._lines] == ["line 0", "line 1", "line 2"]
    assert [line.text for line in rest._lines] == [f"line {n}" for n in range(3, 10)]
    assert (first.height, rest.height) == (3 * style.leading, 7 * style.leading)
    assert rest.wrap(186.56, 1e6) == (186.56, 7 * style.leading)


def _glyphs(pdf: bytes, page: int) -> list[tuple[str, float, float]]:
    doc = pdfium.PdfDocument(pdf)
    text = doc[page].get_textpage()
    out = []
    for i in range(text.count_chars()):
        ch = text.get_text_range(i, 1)
        if ch.strip():
            left, bottom, _, _ = text.get_charbox(i, loose=False)
            out.append((ch, left, bottom))
    return out


def test_drawn_glyphs_sit_where_the_paragraph_draws_them(theme: Theme) -> None:
    """Each text on a page of its own, as a TextCell and as the Paragraph: every glyph at
    the same place (to within 0.05 point: the Paragraph of a many-line answer positions
    its lines by other arithmetic)."""
    style = theme.style("cell")
    texts = [t for t in _texts(3, 60) if t.strip()][:25]
    buffers = []
    for make in (lambda t: answerrows.answer_cell(t, style, theme),
                 lambda t: answer_text(t, style, theme)):
        buffer = io.BytesIO()
        canvas = Canvas(buffer)
        for text in texts:
            flowable = make(text)
            _, height = flowable.wrap(186.56, 1e6)
            flowable.drawOn(canvas, 72, 780 - height)
            canvas.showPage()
        canvas.save()
        buffers.append(buffer.getvalue())
    for page in range(len(texts)):
        ours, theirs = _glyphs(buffers[0], page), _glyphs(buffers[1], page)
        assert ours and [c for c, _, _ in ours] == [c for c, _, _ in theirs], texts[page]
        assert all(abs(a[1] - b[1]) < 0.05 and abs(a[2] - b[2]) < 0.05
                   for a, b in zip(ours, theirs, strict=True)), texts[page]
