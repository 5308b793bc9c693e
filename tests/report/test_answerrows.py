"""report.answerrows draws a whole answer row itself, not as a platypus Table: it must be
the Table it stands for to the byte (the same height, the same drawing operators), for
every kind of cell (text cells, Paragraph fallbacks, names in other scripts drawn by
layout.peopletext, the "not on the roster" note), tagged or not; and a row that does not
fit splits as that Table does."""

from __future__ import annotations

import io
import random

import pytest
from reportlab.pdfgen.canvas import Canvas

from guidepdf.content import Content
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.theme import Theme, make_theme
from guidepdf.report import answerrows
from guidepdf.report.model import Response
from tests.report.test_textcell import _texts

NAMES = ("Ana Núñez", "Dr. Patricia Okonkwo-Whitfield", "محمد الأحمد", "王小明", "Lee",
         "x" * 90, "Anne-Marie Saint-Exupéry de la Tour")
GROUPS = ("", "Lincoln Elementary", "Escuela Primaria Benito Juárez", "מחוז צפון")


@pytest.fixture(scope="module")
def theme(content: Content) -> Theme:
    return make_theme(content.brand, "letter", "")


def _rows(content: Content, theme: Theme, count: int, tagged: bool
          ) -> list[answerrows.AnswerRow]:
    rng = random.Random(7 + tagged)
    texts = _texts(3, 2 * count)
    running = answerrows.Running("Coach", 1)
    rows = []
    for n in range(count):
        r = Response(role="coach", name=rng.choice(NAMES), email="", group=rng.choice(GROUPS),
                     date="", source=f"{n}.pdf", modified="", roster_id=None,
                     matched_by=None, on_roster=rng.choice((True, False, None)), warnings=(),
                     answers=())
        reflections = texts[2 * n] if rng.random() > 0.05 else "word" * 30  # no break
        rows.append(answerrows.answer_row(r, reflections, texts[2 * n + 1], content.labels,
                                          theme, running, last=False,
                                          tags=TableTags() if tagged else None))
    return rows


def _drawn(draw) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    canv = Canvas(buf, invariant=1, pageCompression=0)
    draw(canv)
    canv.showPage()
    canv.save()
    return buf.getvalue()


@pytest.mark.parametrize("tagged", [False, True])
def test_a_row_is_drawn_as_its_table_would_be(content: Content, theme: Theme,
                                              tagged: bool) -> None:
    kinds = set()
    for row in _rows(content, theme, 120, tagged):
        table = row.as_table()
        old = answerrows.AnswerRow(row.cells, row.running, last=False, who=row.who,
                                   theme=theme, labels=content.labels, table=table)

        def ours(canv: Canvas, row: answerrows.AnswerRow = row) -> None:
            row.wrapOn(canv, theme.frame_width, 700)
            row.drawOn(canv, 40, 60)

        def platypus(canv: Canvas, old: answerrows.AnswerRow = old) -> None:
            old.wrapOn(canv, theme.frame_width, 700)
            old.drawOn(canv, 40, 60)

        mine, theirs = _drawn(ours), _drawn(platypus)
        assert (row.width, row.height) == (table._width, table._height)
        assert mine == theirs, row.who
        kinds.update(type(getattr(f, "flowable", f)).__name__ for c in row.cells
                     for f in (c if isinstance(c, list) else [c]))
        kinds.update("list" for c in row.cells if isinstance(c, list))
    assert {"TextCell", "Para", "list"} <= kinds, kinds  # every kind of cell was compared


def test_a_row_too_tall_for_the_page_splits_as_its_table(content: Content,
                                                         theme: Theme) -> None:
    split = 0
    for row in _rows(content, theme, 60, True):
        row.wrapOn(None, theme.frame_width, 700)
        if row.height < 60:
            continue
        parts = row.split(theme.frame_width, row.height / 2)
        table_parts = row.as_table().split(theme.frame_width, row.height / 2)
        assert len(parts) == len(table_parts)
        if len(parts) == 2:
            split += 1
            assert parts[0].continues and not parts[0].continued
            assert parts[1].continued and not parts[1].continues
            heights = [p.wrap(theme.frame_width, 700)[1] for p in parts]
            assert heights == [t.wrap(theme.frame_width, 700)[1] for t in table_parts]
    assert split >= 5


def test_a_break_below_the_last_line_moves_a_line_or_the_row(content: Content,
                                                              theme: Theme) -> None:
    """A break that every line fits above (only the cells' bottom padding below it) would
    leave a continuation holding nothing but "(continued)": the row breaks higher, so that
    every part holds text, or moves to the next page whole."""
    short = Response(role="coach", name="王小明", email="", group="", date="", source="1.pdf",
                     modified="", roster_id=None, matched_by=None, on_roster=True,
                     warnings=(), answers=())
    one_line = answerrows.answer_row(short, "Monthly.", "A goal.", content.labels, theme,
                                     answerrows.Running("Coach", 1), last=False,
                                     tags=TableTags())
    broken = 0
    for row in [one_line, *_rows(content, theme, 60, True)]:
        row.wrapOn(None, theme.frame_width, 700)
        parts = row.split(theme.frame_width, row.height - answerrows.PADDING / 2)
        for part in parts:
            assert any(part.table._cellvalues[0]), row.who  # no part without text
        if row is one_line:
            assert parts == []  # moves to the next page whole
        elif parts:
            broken += 1
            assert len(parts) == 2
    assert broken  # taller rows break above their last line
