"""Role questions -> the respondent block and the QUESTION | REFLECTIONS | FIRST STEPS table,
with form fields (fillable) or ruled lines (print), field names from formspec."""

from __future__ import annotations

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
from guidepdf.content.model import Role
from guidepdf.layout.fields import AnswerSpace
from guidepdf.layout.sections import para, role_phrase
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.text import markup
from guidepdf.layout.theme import Theme

ANSWER_HEIGHT = 150.0
RESPONDENT_HEIGHT = 20.0
INSTRUCTIONS = (
    "Work through these questions with colleagues who share your role. In REFLECTIONS, note "
    "what is in place today and what gets in the way; in FIRST STEPS, name the actions you "
    "will take first, who will take them and by when."
)


def respondent_block(role: Role, theme: Theme, fillable: bool) -> Table:
    """Name, email, school or team, date: two label/field pairs per row."""
    label = theme.style("cell").clone("label", fontName=theme.fonts.bold)
    cells = []
    for key in formspec.RESPONDENT_KEYS:
        text = formspec.RESPONDENT_LABELS[key]
        space = AnswerSpace(theme, RESPONDENT_HEIGHT, tooltip=text, multiline=False,
                            name=formspec.respondent_field(role.id, key) if fillable else None)
        cells += [para(markup(text), label), space]
    rows = [cells[0:4], cells[4:8]]
    w = theme.frame_width
    table = Table(rows, colWidths=[0.19 * w, 0.33 * w, 0.1 * w, 0.38 * w])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), theme.fonts.regular),  # not Helvetica (see table_tags)
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def reflection_section(role: Role, theme: Theme, fillable: bool) -> list[Flowable]:
    w = theme.frame_width
    th = theme.style("th")
    header = [Paragraph("QUESTION", th), Paragraph("REFLECTIONS", th),
              Paragraph("FIRST STEPS", th)]
    rows: list[list[Flowable]] = [header]
    for number, q in enumerate(role.questions, start=1):
        cells: list[Flowable] = [Paragraph(f"<b>{number}.</b> {markup(q.text)}",
                                           theme.style("cell"))]
        for column in formspec.COLUMNS:
            label = formspec.COLUMN_LABELS[column]
            name = formspec.answer_field(role.id, q.id, column) if fillable else None
            cells.append(AnswerSpace(theme, ANSWER_HEIGHT, name=name,
                                     tooltip=f"{label}: {q.text}"))
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
        para(markup(f"First steps for {role_phrase(role)}"), theme.style("h1"), "H1"),
        para(markup(INSTRUCTIONS), theme.style("body")),
        respondent_block(role, theme, fillable),
        Spacer(1, 10),
    ]
    return [*intro[:1], KeepTogether(intro[1:]), table]
