"""The cover page: a full-bleed colour band with the guide title, then the organization,
edition and date, and a reserved line for the recipient of a personalized copy."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from guidepdf.content.labels import Labels
from guidepdf.content.model import Content, Role
from guidepdf.layout.logo import draw_logo
from guidepdf.layout.sections import guide_title, labels_for
from guidepdf.layout.tagging import marked
from guidepdf.layout.text import markup
from guidepdf.layout.theme import Theme

BAND_SHARE = 0.52  # of the page height, from the top
LOGO_BOX = (150.0, 64.0)  # the logo's room on the cover (width, height), right of the edition


def recipient_origin(theme: Theme) -> tuple[float, float]:
    """Page coordinates where a recipient's name is written (baseline of the first line)."""
    return theme.margin, theme.page_height * (1 - BAND_SHARE) - 104  # below edition and URL


def recipient_lines(labels: Labels, name: str, group: str) -> list[str]:
    """The cover lines of a personalized copy: "Prepared for NAME", then the group."""
    return [labels.text("guide.prepared_for", name=name)] + ([group] if group else [])


def name_room(labels: Labels, font: str, size: float, width: float) -> float:
    """How wide a name may be on the cover: the line's width less the label around it."""
    return width - stringWidth(recipient_lines(labels, "", "")[0], font, size)


class CoverBand(Flowable):
    """The band and everything on it; drawn from the top of the cover frame."""

    def __init__(self, content: Content, role: Role, theme: Theme,
                 recipient: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.content, self.role, self.theme, self.recipient = content, role, theme, recipient

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, avail_height

    def draw(self) -> None:
        t, c = self.theme, self.canv
        brand, fw = self.content.brand, self.content.framework
        # Work in page coordinates: this flowable fills the single cover frame.
        c.saveState()
        c.translate(-t.margin, -t.margin)
        band_bottom = t.page_height * (1 - BAND_SHARE)
        c.setFillColor(t.primary)
        c.rect(0, band_bottom, t.page_width, t.page_height - band_bottom, stroke=0, fill=1)
        c.setFillColor(t.accent)
        c.rect(0, band_bottom - 6, t.page_width, 6, stroke=0, fill=1)
        width = t.frame_width
        y = t.page_height - t.margin - 10
        for text, style in ((brand.organization.upper(), "cover_kicker"),
                            (guide_title(self.content, self.role), "cover_title"),
                            (fw.name, "cover_sub")):
            para = Paragraph(markup(text), _cover_style(t, style))
            _, h = para.wrap(width, t.page_height)
            if style == "cover_title":
                y = band_bottom + (t.page_height - band_bottom) * 0.62
            with marked(c, "H1" if style == "cover_title" else "P"):
                para.drawOn(c, t.margin, y - h)
            y -= h + 14
        body = t.style("body")
        y = band_bottom - 32
        if brand.logo is not None:  # on white, right of the edition lines
            draw_logo(c, brand.logo, t.page_width - t.margin - LOGO_BOX[0],
                      band_bottom - 22 - LOGO_BOX[1], *LOGO_BOX, align="right")
        for text in (brand.edition, brand.url):
            para = Paragraph(markup(text), body)
            _, h = para.wrap(width, 100)
            with marked(c, "P"):
                para.drawOn(c, t.margin, y - h)
            y -= h + 2
        if self.recipient:
            x, base = recipient_origin(t)
            with marked(c, "P"):
                draw_recipient(c, labels_for(self.content, t), t.fonts.bold, t.fonts.regular,
                               t.text, x, base, *self.recipient)
        para = Paragraph(markup(brand.attribution), t.style("small"))
        _, h = para.wrap(width, 200)
        with marked(c, "P"):
            para.drawOn(c, t.margin, t.margin)
        c.restoreState()


def draw_recipient(c, labels: Labels, bold: str, regular: str,  # type: ignore[no-untyped-def]
                   color: colors.Color, x: float, y: float, name: str, group: str) -> None:
    """Write the recipient lines at (x, y); shared by build and by personalize's overlay."""
    c.setFillColor(color)
    for i, line in enumerate(recipient_lines(labels, name, group)):
        c.setFont(bold if i == 0 else regular, 13 if i == 0 else 11)
        c.drawString(x, y - i * 17, line[:120])


def _cover_style(theme: Theme, name: str):  # type: ignore[no-untyped-def]
    if name == "cover_kicker":
        return theme.style("cover_sub").clone("kicker", fontName=theme.fonts.bold,
                                              fontSize=11, leading=14)
    return theme.style(name)
