"""Content model -> the flowables of each guide section, in reading order. One function per
section type; the reflection table and IC map have modules of their own."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from guidepdf.content.model import Content, Role
from guidepdf.layout.chain import chain
from guidepdf.layout.text import markup
from guidepdf.layout.theme import Theme
from guidepdf.layout.wheel import wheel


def role_phrase(role: Role) -> str:
    """The role title as it reads inside a sentence ("Coaches" -> "coaches")."""
    return role.title[0].lower() + role.title[1:]


def guide_title(role: Role) -> str:
    return f"Action guide for {role_phrase(role)}"


def _bullets(items: tuple[str, ...] | list[str], theme: Theme) -> ListFlowable:
    style = theme.style("bullet")
    return ListFlowable(
        [ListItem(Paragraph(markup(t), style)) for t in items],
        bulletType="bullet", start="•", bulletFontName=theme.fonts.bold,
        bulletColor=theme.accent, leftIndent=14, bulletFontSize=9,
    )


def introduction(content: Content, role: Role, theme: Theme) -> list[Flowable]:
    flow: list[Flowable] = [
        Paragraph(markup(f"Why the standards matter to {role_phrase(role)}"), theme.style("h1")),
        Paragraph(markup(role.holders), theme.style("lead")),
    ]
    flow += [Paragraph(markup(p), theme.style("body")) for p in role.introduction]
    return flow


def framework(content: Content, theme: Theme) -> list[Flowable]:
    fw = content.framework
    size = min(theme.frame_width, theme.page_height * 0.5)
    flow: list[Flowable] = [
        PageBreak(),
        Paragraph(markup(fw.name), theme.style("h1")),
        Paragraph(markup(fw.overview), theme.style("body")),
        Spacer(1, 6),
        _centered(wheel(fw, theme, size), theme),
        Spacer(1, 10),
    ]
    for cat in fw.categories:
        head = _category_style(theme, cat.color)
        flow.append(KeepTogether([Paragraph(markup(cat.name), head),
                                  Paragraph(markup(cat.description), theme.style("body"))]))
    return flow


def _category_style(theme: Theme, color: str) -> ParagraphStyle:
    style = theme.style("h3").clone(f"h3-{color}")
    style.textColor = colors.HexColor(color)
    return style


def _centered(drawing: Flowable, theme: Theme) -> Table:
    t = Table([[drawing]], colWidths=[theme.frame_width])
    t.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def improvement_chain(content: Content, theme: Theme) -> list[Flowable]:
    fw = content.framework
    return [
        CondPageBreak(theme.page_height * 0.3),
        Paragraph("How the standards lead to results", theme.style("h2")),
        chain(fw.chain, theme, theme.frame_width),
        Spacer(1, 8),
        Paragraph(markup(fw.chain_note), theme.style("body")),
    ]


def foundations(content: Content, theme: Theme) -> list[Flowable]:
    return [
        CondPageBreak(theme.page_height * 0.25),
        Paragraph("Foundations", theme.style("h2")),
        _bullets(content.framework.foundations, theme),
    ]


def standards(content: Content, theme: Theme) -> list[Flowable]:
    fw = content.framework
    flow: list[Flowable] = [PageBreak(), Paragraph(markup(fw.name), theme.style("h1")),
                            Paragraph(markup(f"{fw.lead} …"), theme.style("lead"))]
    for cat in fw.categories:
        flow.append(Paragraph(markup(cat.name.upper()), _category_style(theme, cat.color)))
        for std in fw.standards_in(cat.id):
            name_style = theme.style("h3").clone(f"std-{std.id}")
            name_style.textColor = colors.HexColor(std.color)
            name_style.leftIndent = 10
            body = theme.style("body").clone("std-body")
            body.leftIndent = 10
            flow.append(KeepTogether([Paragraph(markup(std.name), name_style),
                                      Paragraph(markup(f"… {std.summary}"), body)]))
    return flow


def responsibilities(content: Content, role: Role, theme: Theme) -> list[Flowable]:
    flow: list[Flowable] = [
        CondPageBreak(theme.page_height * 0.45),
        Paragraph(markup(f"Key responsibilities for {role_phrase(role)}"), theme.style("h1")),
    ]
    for cat_id, items in role.responsibilities:
        cat = content.framework.category(cat_id)
        flow.append(CondPageBreak(90))
        flow.append(Paragraph(markup(cat.name), _category_style(theme, cat.color)))
        flow.append(_bullets(items, theme))
    return flow


def back_page(content: Content, role: Role, theme: Theme) -> list[Flowable]:
    brand = content.brand
    others = [r for r in content.roles if r.id != role.id]
    flow: list[Flowable] = [NextPageTemplate("body"), PageBreak(),
                            Paragraph("More guides in this series", theme.style("h2"))]
    if others:
        flow.append(_bullets([guide_title(r) for r in others], theme))
    flow.append(Paragraph("Resources", theme.style("h2")))
    for res in brand.resources:
        flow.append(Paragraph(f"<b>{markup(res.title)}</b> — {markup(res.description)}",
                              theme.style("bullet")))
    flow.append(Paragraph("Contact", theme.style("h2")))
    flow += [Paragraph(markup(line), theme.style("body").clone("contact", spaceAfter=1))
             for line in brand.contact.splitlines() if line.strip()]
    flow.append(Paragraph(markup(brand.url), theme.style("body")))
    flow += [Spacer(1, 16), Paragraph(markup(brand.attribution), theme.style("small"))]
    return flow
