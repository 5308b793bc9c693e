"""Role questions -> the respondent block and the QUESTION | REFLECTIONS | FIRST STEPS table,
with form fields (fillable) or ruled lines (print), field names from formspec."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from guidepdf import formspec
from guidepdf.content.labels import Labels
from guidepdf.content.model import Role
from guidepdf.layout.fields import AnswerSpace
from guidepdf.layout.hyphenation import CellParagraph
from guidepdf.layout.sections import para, role_label
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.text import markup
from guidepdf.layout.theme import Theme

ANSWER_HEIGHT = 150.0
RESPONDENT_HEIGHT = 20.0


def respondent_block(labels: Labels, role: Role, theme: Theme, fillable: bool) -> Table:
    """Name, email, school or team, date: two label/field pairs per row."""
    label = theme.style("cell").clone("label", fontName=theme.fonts.bold)
    cells = []
    texts = [labels.text(f"guide.respondent_{key}") for key in formspec.RESPONDENT_KEYS]
    for key, text in zip(formspec.RESPONDENT_KEYS, texts, strict=True):
        space = AnswerSpace(theme, RESPONDENT_HEIGHT, tooltip=text, multiline=False,
                            name=formspec.respondent_field(role.id, key) if fillable else None)
        cells += [para(markup(text), label), space]
    rows = [cells[0:4], cells[4:8]]
    w = theme.frame_width

    def room(*names: str) -> float:  # a label column as wide as its longest label needs
        return max(stringWidth(n, label.fontName, label.fontSize) for n in names) + 12

    first = min(max(0.19 * w, room(texts[0], texts[2])), 0.3 * w)
    second = min(max(0.1 * w, room(texts[1], texts[3])), 0.3 * w)
    rest = w - first - second
    table = Table(rows, colWidths=[first, rest * 33 / 71, second, rest * 38 / 71])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), theme.fonts.regular),  # not Helvetica (see table_tags)
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def reflection_section(labels: Labels, role: Role, theme: Theme, fillable: bool
                       ) -> list[Flowable]:
    w = theme.frame_width
    th = theme.style("th")
    header = [Paragraph(labels.markup(f"guide.column_{key}"), th)
              for key in ("question", *formspec.COLUMNS)]
    rows: list[list[Flowable]] = [header]
    for number, q in enumerate(role.questions, start=1):
        cells: list[Flowable] = [CellParagraph(f"<b>{number}.</b> {markup(q.text)}",
                                           theme.style("cell"))]
        for column in formspec.COLUMNS:
            name = formspec.answer_field(role.id, q.id, column) if fillable else None
            cells.append(AnswerSpace(theme, ANSWER_HEIGHT, name=name,
                                     tooltip=labels.text(f"guide.field_{column}",
                                                         question=q.text)))
        rows.append(cells)
    rows = TableTags().rows(rows, header_rows=1, header_cols=1)
    table = Table(rows, colWidths=[0.3 * w, 0.35 * w, 0.35 * w], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), theme.fonts.regular),
        ("BACKGROUND", (0, 0), (-1, 0), theme.primary),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, theme.rule),
        ("BOX", (0, 0), (-1, -1), 0.5, theme.rule),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]))
    intro = [
        PageBreak(),
        para(role_label(labels, "guide.first_steps", role), theme.style("h1"), "H1"),
        para(labels.markup("guide.instructions"), theme.style("body")),
    ]
    if not fillable:  # on paper: print at actual size, or the writing spaces shrink
        intro.append(para(labels.markup("guide.print_instructions"), theme.style("small")))
    intro += [respondent_block(labels, role, theme, fillable), Spacer(1, 10)]
    return [*intro[:1], KeepTogether(intro[1:]), table]
