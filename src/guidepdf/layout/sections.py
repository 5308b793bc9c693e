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
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from guidepdf.content.labels import Labels
from guidepdf.content.model import Content, Role
from guidepdf.layout.chain import chain, chain_alt
from guidepdf.layout.logo import LogoFlowable
from guidepdf.layout.tagging import Tagged, TaggedList, figure
from guidepdf.layout.text import markup
from guidepdf.layout.theme import Theme
from guidepdf.layout.wheel import wheel


def labels_for(content: Content, theme: Theme) -> Labels:
    """The content's labels, with the texts for the theme's paper."""
    return content.labels.for_paper(theme.paper)


def role_values(role: Role) -> dict[str, str]:
    """The placeholders a role label may use: {role} in a sentence, {role_title} as written."""
    return {"role": role.phrase, "role_title": role.title}


def role_label(labels: Labels, key: str, role: Role) -> str:
    """A label naming the role, as Paragraph markup."""
    return labels.markup(key, **role_values(role))


def guide_title(content: Content, role: Role) -> str:
    """The guide's title (cover, running header, document title), plain text."""
    return content.labels.text("guide.title", **role_values(role))


def para(text: str, style: ParagraphStyle, role: str = "P") -> Tagged:
    """A Paragraph of Paragraph markup, tagged as `role` (P, H1, H2, H3, …)."""
    return Tagged(Paragraph(text, style), role)


def _bullets(items: tuple[str, ...] | list[str], theme: Theme) -> ListFlowable:
    style = theme.style("bullet")
    return TaggedList(
        [Paragraph(markup(t), style) for t in items],
        bulletType="bullet", start="•", bulletFontName=theme.fonts.bold,
        bulletColor=theme.accent, leftIndent=14, bulletFontSize=9,
    )


def introduction(content: Content, role: Role, theme: Theme) -> list[Flowable]:
    labels = labels_for(content, theme)
    flow: list[Flowable] = [
        para(role_label(labels, "guide.why_standards", role), theme.style("h1"), "H1"),
        para(markup(role.holders), theme.style("lead")),
    ]
    flow += [para(markup(p), theme.style("body")) for p in role.introduction]
    return flow


def framework(content: Content, theme: Theme) -> list[Flowable]:
    fw = content.framework
    size = min(theme.frame_width, theme.page_height * 0.5)
    flow: list[Flowable] = [
        PageBreak(),
        para(markup(fw.name), theme.style("h1"), "H1"),
        para(markup(fw.overview), theme.style("body")),
        Spacer(1, 6),
        _centered(figure(wheel(fw, theme, size), fw.wheel_alt), theme),
        Spacer(1, 10),
    ]
    for cat in fw.categories:
        head = _category_style(theme, cat.color)
        flow.append(KeepTogether([para(markup(cat.name), head, "H2"),
                                  para(markup(cat.description), theme.style("body"))]))
    return flow


def _category_style(theme: Theme, color: str) -> ParagraphStyle:
    style = theme.style("h3").clone(f"h3-{color}")
    style.textColor = colors.HexColor(color)
    return style


def _centered(drawing: Flowable, theme: Theme) -> Table:
    t = Table([[drawing]], colWidths=[theme.frame_width])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), theme.fonts.regular),
                           ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def improvement_chain(content: Content, theme: Theme) -> list[Flowable]:
    fw = content.framework
    labels = labels_for(content, theme)
    return [
        CondPageBreak(theme.page_height * 0.3),
        para(labels.markup("guide.how_standards_lead"), theme.style("h2"), "H2"),
        figure(chain(fw.chain, theme, theme.frame_width), chain_alt(fw.chain, labels)),
        Spacer(1, 8),
        para(markup(fw.chain_note), theme.style("body")),
    ]


def foundations(content: Content, theme: Theme) -> list[Flowable]:
    return [
        CondPageBreak(theme.page_height * 0.25),
        para(labels_for(content, theme).markup("guide.foundations"), theme.style("h2"), "H2"),
        _bullets(content.framework.foundations, theme),
    ]


def standards(content: Content, theme: Theme) -> list[Flowable]:
    fw = content.framework
    flow: list[Flowable] = [PageBreak(), para(markup(fw.name), theme.style("h1"), "H1"),
                            para(markup(f"{fw.lead} …"), theme.style("lead"))]
    for cat in fw.categories:
        flow.append(para(markup(cat.name.upper()), _category_style(theme, cat.color), "H2"))
        for std in fw.standards_in(cat.id):
            name_style = theme.style("h3").clone(f"std-{std.id}")
            name_style.textColor = colors.HexColor(std.color)
            name_style.leftIndent = 10
            body = theme.style("body").clone("std-body")
            body.leftIndent = 10
            flow.append(KeepTogether([para(markup(std.name), name_style, "H3"),
                                      para(markup(f"… {std.summary}"), body)]))
    return flow


def responsibilities(content: Content, role: Role, theme: Theme) -> list[Flowable]:
    flow: list[Flowable] = [
        CondPageBreak(theme.page_height * 0.45),
        para(role_label(labels_for(content, theme), "guide.responsibilities", role),
             theme.style("h1"), "H1"),
    ]
    for cat_id, items in role.responsibilities:
        cat = content.framework.category(cat_id)
        flow.append(CondPageBreak(90))
        flow.append(para(markup(cat.name), _category_style(theme, cat.color), "H2"))
        flow.append(_bullets(items, theme))
    return flow


def back_page(content: Content, role: Role, theme: Theme) -> list[Flowable]:
    brand = content.brand
    labels = labels_for(content, theme)
    others = [r for r in content.roles if r.id != role.id]
    flow: list[Flowable] = [NextPageTemplate("body"), PageBreak(),
                            para(labels.markup("guide.more_guides"), theme.style("h2"), "H2")]
    if others:
        flow.append(_bullets([guide_title(content, r) for r in others], theme))
    flow.append(para(labels.markup("guide.resources"), theme.style("h2"), "H2"))
    for res in brand.resources:
        flow.append(para(f"<b>{markup(res.title)}</b> — {markup(res.description)}",
                              theme.style("bullet")))
    flow.append(para(labels.markup("guide.contact"), theme.style("h2"), "H2"))
    flow += [para(markup(line), theme.style("body").clone("contact", spaceAfter=1))
             for line in brand.contact.splitlines() if line.strip()]
    flow.append(para(markup(brand.url), theme.style("body")))
    if brand.logo is not None:
        flow += [Spacer(1, 14), LogoFlowable(brand.logo, 160, 60)]
    flow += [Spacer(1, 16), para(markup(brand.attribution), theme.style("small"))]
    return flow
