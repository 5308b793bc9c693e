"""Brand + paper -> the visual theme: registered fonts, colours, page geometry, paragraph
styles. Everything that decides how a guide looks is here, nothing about what it says."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics

from guidepdf.content.model import Brand
from guidepdf.layout.ttfont import QuickTTFont

PAPERS = {"letter": LETTER, "a4": A4}


@cache
def register_font(path: Path) -> str:
    """Register a TrueType font once per process; the name is derived from the file's bytes."""
    digest = hashlib.sha1(path.read_bytes()).hexdigest()[:8]
    name = f"{path.stem}-{digest}"
    pdfmetrics.registerFont(QuickTTFont(name, str(path)))
    return name


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str


@dataclass(frozen=True)
class Theme:
    paper: str
    page_width: float
    page_height: float
    margin: float
    fonts: Fonts
    primary: colors.Color
    accent: colors.Color
    text: colors.Color
    muted: colors.Color
    rule: colors.Color
    tint: colors.Color  # a light wash of the primary colour for table headers and panels
    hyphenation: str = ""  # pyphen's language for breaking long words in table cells; "": none

    @property
    def frame_width(self) -> float:
        return self.page_width - 2 * self.margin

    def style(self, name: str) -> ParagraphStyle:
        return _styles(self)[name]

    def landscape(self) -> Theme:
        """The same theme on the paper turned sideways (for the IC map pages)."""
        return replace(self, page_width=max(self.page_width, self.page_height),
                       page_height=min(self.page_width, self.page_height))


def make_theme(brand: Brand, paper: str = "letter", hyphenation: str = "") -> Theme:
    """The theme for `brand` on `paper`; `hyphenation` (a pyphen language such as "es")
    lets table cells break long words at their syllables."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}; use one of {', '.join(PAPERS)}")
    width, height = PAPERS[paper]
    primary = colors.HexColor(brand.colors.primary)
    fonts = Fonts(register_font(brand.fonts.regular), register_font(brand.fonts.bold),
                  register_font(brand.fonts.italic))
    pdfmetrics.registerFontFamily(fonts.regular, normal=fonts.regular, bold=fonts.bold,
                                  italic=fonts.italic, boldItalic=fonts.bold)
    return Theme(
        paper=paper, page_width=width, page_height=height, margin=0.75 * inch, fonts=fonts,
        primary=primary, accent=colors.HexColor(brand.colors.accent),
        text=colors.HexColor(brand.colors.text), muted=colors.HexColor(brand.colors.muted),
        rule=colors.HexColor(brand.colors.rule),
        tint=colors.Color(*(1 - 0.1 * (1 - c) for c in primary.rgb())),
        hyphenation=hyphenation,
    )


@cache
def _styles(theme: Theme) -> dict[str, ParagraphStyle]:
    f = theme.fonts
    body = ParagraphStyle("body", fontName=f.regular, fontSize=10.5, leading=14.5,
                          textColor=theme.text, spaceAfter=7)
    styles = {
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, fontName=f.italic, fontSize=11.5,
                               leading=16, textColor=theme.muted, spaceAfter=10),
        "h1": ParagraphStyle("h1", parent=body, fontName=f.bold, fontSize=20, leading=25,
                             textColor=theme.primary, spaceBefore=4, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=body, fontName=f.bold, fontSize=13.5, leading=18,
                             textColor=theme.primary, spaceBefore=10, spaceAfter=5),
        "h3": ParagraphStyle("h3", parent=body, fontName=f.bold, fontSize=11, leading=15,
                             spaceBefore=6, spaceAfter=2),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3,
                                 spaceAfter=4),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11.5,
                                textColor=theme.muted, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12.5, spaceAfter=0),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=8, leading=10,
                                     spaceAfter=0),
        "th": ParagraphStyle("th", parent=body, fontName=f.bold, fontSize=9, leading=11,
                             textColor=colors.white, spaceAfter=0),
        "cover_title": ParagraphStyle("cover_title", parent=body, fontName=f.bold, fontSize=32,
                                      leading=38, textColor=colors.white, spaceAfter=0),
        "cover_sub": ParagraphStyle("cover_sub", parent=body, fontSize=15, leading=20,
                                    textColor=colors.white, spaceAfter=0),
        "center_small": ParagraphStyle("center_small", parent=body, fontSize=8.5, leading=11,
                                       alignment=TA_CENTER, textColor=theme.muted),
    }
    # in a table cell, a word too wide for the cell breaks at a syllable when the edition
    # names a hyphenation language (layout.hyphenation.CellParagraph reads this)
    for name in ("cell", "cell_small"):
        styles[name].cellHyphenation = theme.hyphenation
    return styles
