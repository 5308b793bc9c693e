"""Content + role + mode + paper -> the finished guide as PDF bytes (no file I/O here)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from guidepdf import formspec
from guidepdf.content.model import Content, Role
from guidepdf.layout import sections
from guidepdf.layout.cover import CoverBand
from guidepdf.layout.fields import HiddenField
from guidepdf.layout.finish import finish
from guidepdf.layout.icmap import icmap_section
from guidepdf.layout.reflection_table import reflection_section, respondent_block
from guidepdf.layout.tagging import StructureRecorder, artifact
from guidepdf.layout.theme import Theme, make_theme

MODES = ("fillable", "print")
PARTS = ("all", "icmap")  # the whole guide, or only the role's IC map pages


@dataclass(frozen=True)
class GuideOptions:
    mode: str = "fillable"
    paper: str = "letter"
    recipient: formspec.Recipient | None = None
    prefill_name: bool = False
    part: str = "all"


def _header_footer(title: str, content: Content, theme: Theme):  # type: ignore[no-untyped-def]
    """(header, footer) page callbacks: the header is drawn when a page begins, the footer
    when it ends, so that text extraction meets them before and after the page's content.
    Both are pagination artifacts: screen readers skip them."""

    def header(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        t = theme
        top = t.page_height - t.margin + 18
        with _running_style(canvas, t), artifact(canvas, "Pagination", "Header"):
            canvas.drawString(t.margin, top, title)
            canvas.drawRightString(t.page_width - t.margin, top, content.framework.name)
            canvas.line(t.margin, top - 5, t.page_width - t.margin, top - 5)

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        t = theme
        bottom = t.margin - 26
        with _running_style(canvas, t), artifact(canvas, "Pagination", "Footer"):
            canvas.line(t.margin, bottom + 11, t.page_width - t.margin, bottom + 11)
            canvas.drawString(t.margin, bottom, content.brand.footer)
            canvas.drawRightString(t.page_width - t.margin, bottom, str(doc.page))

    return header, footer


@contextmanager
def _running_style(canvas, theme: Theme) -> Iterator[None]:  # type: ignore[no-untyped-def]
    canvas.saveState()
    canvas.setStrokeColor(theme.rule)
    canvas.setLineWidth(0.6)
    canvas.setFont(theme.fonts.regular, 8)
    canvas.setFillColor(theme.muted)
    try:
        yield
    finally:
        canvas.restoreState()


def build_guide(content: Content, role: Role, options: GuideOptions | None = None) -> bytes:
    """Lay out one role's guide and return the PDF bytes; same input, same bytes."""
    options = options or GuideOptions()
    if options.mode not in MODES:
        raise ValueError(f"unknown mode {options.mode!r}; use one of {', '.join(MODES)}")
    if options.part not in PARTS:
        raise ValueError(f"unknown part {options.part!r}; use one of {', '.join(PARTS)}")
    if options.part == "icmap" and role.icmap is None:
        raise ValueError(f"role '{role.id}' has no IC map (content/icmaps/{role.id}.yaml)")
    theme = make_theme(content.brand, options.paper, content.labels.hyphenation)
    wide = theme.landscape()
    fillable = options.mode == "fillable"
    only_icmap = options.part == "icmap"
    labels = content.labels.for_paper(options.paper)
    title = role.icmap.title if only_icmap and role.icmap else \
        sections.guide_title(content, role)
    buffer = io.BytesIO()
    first = wide if only_icmap else theme
    doc = BaseDocTemplate(
        buffer, pagesize=(first.page_width, first.page_height), title=title,
        author=content.brand.organization, subject=content.framework.name,
        creator=f"guidepdf {formspec.__version__}", producer="guidepdf (reportlab)",
        keywords=labels.text("pdf.keywords", role_id=role.id,
                             mode=labels.text(f"pdf.mode_{options.mode}")),
        invariant=1, displayDocTitle=1,
        lang=content.brand.language, initialFontName=theme.fonts.regular,  # not Helvetica
        leftMargin=theme.margin, rightMargin=theme.margin,
        topMargin=theme.margin, bottomMargin=theme.margin,
    )
    frame = Frame(theme.margin, theme.margin, theme.frame_width,
                  theme.page_height - 2 * theme.margin, id="main", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    wide_frame = Frame(wide.margin, wide.margin, wide.frame_width,
                       wide.page_height - 2 * wide.margin, id="landscape", leftPadding=0,
                       rightPadding=0, topPadding=0, bottomPadding=0)
    wide_header, wide_footer = _header_footer(title, content, wide)
    landscape = PageTemplate("landscape", frames=[wide_frame], onPage=wide_header,
                             onPageEnd=wide_footer, pagesize=(wide.page_width, wide.page_height))
    if only_icmap:
        doc.addPageTemplates([landscape])
    else:
        header, footer = _header_footer(title, content, theme)
        doc.addPageTemplates([
            PageTemplate("cover", frames=[frame]),
            PageTemplate("body", frames=[frame], onPage=header, onPageEnd=footer,
                         pagesize=(theme.page_width, theme.page_height)),
            landscape,
        ])
    recipient = options.recipient
    # prefilled values are written by finish(): reportlab's own appearance code can only
    # draw Latin-1 and would fail on "Zoë Ångström" or "Иван"
    prefill = {formspec.respondent_field(role.id, key): getattr(recipient, key)
               for key in ("name", "email", "group")} \
        if recipient and options.prefill_name and fillable else {}
    manifest = formspec.manifest_for(content, role, recipient) if fillable else None
    story: list[Flowable] = []
    if only_icmap:
        story += icmap_section(labels, content.framework, role, wide, fillable,
                               intro=[respondent_block(labels, role, wide, fillable)])
        manifest = replace(manifest, questions={}) if manifest else None
    else:
        story += [
            NextPageTemplate("body"),
            CoverBand(content, role, theme,
                      (recipient.name, recipient.group) if recipient else None),
        ]
        story += sections.introduction(content, role, theme)
        story += sections.framework(content, theme)
        story += sections.improvement_chain(content, theme)
        story += sections.foundations(content, theme)
        story += sections.standards(content, theme)
        story += sections.responsibilities(content, role, theme)
        story += reflection_section(labels, role, theme, fillable)
        if role.icmap is not None:
            story += [NextPageTemplate("landscape"), PageBreak()]
            story += icmap_section(labels, content.framework, role, wide, fillable)
    if manifest is not None:
        story.append(HiddenField(formspec.MANIFEST_FIELD, manifest.to_json(),
                                 labels.text("guide.manifest_tooltip")))
    if not only_icmap:
        story += sections.back_page(content, role, theme)
    recorder = StructureRecorder()
    doc.build(story, canvasmaker=recorder.canvasmaker)
    return finish(buffer.getvalue(), content, manifest, recorder.root, title, prefill)
