"""Text that came from people (names, groups, answers) -> drawn with real glyphs in any
script, in the right order: the small API the guide, the personalized copies and the summary
report draw people's text with.

- `draw_text(canvas, x, y, text, font, size)`: one line at a point (left, right or centred);
- `text_width(...)`, `fit_text(...)`: measuring, and shortening with an ellipsis;
- `label_strings(x, y, text, font, size)`: the same line as Strings for a chart Drawing;
- `people_paragraph(text, style)`: a flowable that wraps (at spaces, and between CJK
  characters), keeps line breaks, splits across pages, and puts a right-to-left paragraph on
  the right;
- `missing_glyphs(text, font)`: the characters no font has, for warnings (never a silent box).

Each line is drawn as the runs layout.shaping makes (fallback fonts, bidi order, HarfBuzz
shaping). A line whose glyphs do not spell its text one for one (shaped, reordered) is drawn
inside a /Span with /ActualText, so that copying, searching and extraction give the text as
typed.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from reportlab.graphics.shapes import String
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from guidepdf.layout import cjkfont, scripts, shaping

ELLIPSIS = "…"
EMBOLDEN = 0.035  # outline width, in font sizes, that makes a regular face look bold


def text_width(text: str, font: str, size: float) -> float:
    return shaping.line_width(_one_line(text), font, size)


def missing_glyphs(text: str, font: str) -> list[str]:
    """Characters of `text` that neither `font` nor any fallback font draws."""
    return scripts.missing(text, font)


def draw_text(canv: Canvas, x: float, y: float, text: str, font: str, size: float, *,
              align: str = "left", artifact: bool = False) -> float:
    """Draw one line of `text` with its baseline at y: starting at x (left), ending at x
    (right) or centred on x. Returns its width. The fill colour is the canvas's. In an
    artifact (a running header) no ActualText: that is marked content for real content."""
    line = _one_line(text)
    runs = shaping.line_runs(line, font, size)
    width = sum(r.width for r in runs)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    # the typed text for extraction where the glyphs do not spell it one for one, or where
    # it is drawn in pieces (one per font), which extraction may split with spaces
    actual = not artifact and (len(runs) > 1 or any(r.shaped or r.rtl for r in runs))
    if actual:
        canv._code.append(f"/Span <</ActualText <FEFF{_utf16(line)}>>> BDC")
    bold = scripts.chain_for(font).bold
    for run in runs:
        canv.setFont(run.font, size)
        if bold and not scripts.is_bold(run.font):  # CJK has no bold face: embolden it
            canv.saveState()
            canv.setStrokeColor(canv._fillColorObj)
            canv.setLineWidth(size * EMBOLDEN)
            canv.drawString(x, y, run.text, mode=2)  # fill and stroke
            canv.restoreState()
        else:
            canv.drawString(x, y, run.text)
        x += run.width
    if actual:
        canv._code.append("EMC")
    return width


def label_strings(x: float, y: float, text: str, font: str, size: float, *,
                  width: float | None = None, **kwargs: Any) -> list[String]:
    """A one-line label for a reportlab.graphics Drawing (a chart): `text` shortened to
    `width` if given, as one String per run (extra keywords, e.g. fillColor, go to each)."""
    line = fit_text(text, font, size, width) if width is not None else _one_line(text)
    out = []
    for run in shaping.line_runs(line, font, size):
        out.append(String(x, y, run.text, fontName=run.font, fontSize=size, **kwargs))
        x += run.width
    return out


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis (at its logical end) if wider than `width`."""
    line = _one_line(text)
    if text_width(line, font, size) <= width:
        return line
    low, high = 0, len(line)
    while low < high:  # the longest prefix that fits together with the ellipsis
        mid = (low + high + 1) // 2
        if text_width(line[:mid] + ELLIPSIS, font, size) <= width:
            low = mid
        else:
            high = mid - 1
    while low and unicodedata.category(line[low - 1]).startswith("M"):
        low -= 1  # never cut a letter from its marks
    return line[:low].rstrip() + ELLIPSIS


def plain(text: str, font: str) -> bool:
    """Whether `font` alone draws `text` left to right, glyph for character (then an ordinary
    reportlab Paragraph shows it as well as `people_paragraph` does, and faster)."""
    return shaping._plain(text.replace("\n", " "), font)


class PeopleParagraph(Flowable):
    """A paragraph of people's text in `style` (font, size, leading, colour, alignment)."""

    def __init__(self, text: str, style: ParagraphStyle, lines: list[str] | None = None
                 ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._lines = lines
        self._fixed = lines is not None  # the part of a split paragraph keeps its lines
        self._width = -1.0
        self.rtl = shaping.is_rtl(text)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._fixed and avail_width != self._width:
            self._lines = break_lines(self.text, self.style.fontName, self.style.fontSize,
                                      avail_width)
        self._width = self.width = avail_width
        assert self._lines is not None
        self.height = len(self._lines) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        assert self._lines is not None
        fit = int(avail_height // self.style.leading)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        return [PeopleParagraph(self.text, self.style, self._lines[:fit]),
                PeopleParagraph(self.text, self.style, self._lines[fit:])]

    def draw(self) -> None:
        s = self.style
        canv = self.canv
        canv.saveState()
        canv.setFillColor(s.textColor)
        y = self.height - (s.leading - s.fontSize) / 2 - s.fontSize * 0.88
        for line in self._lines or []:
            right = s.alignment == TA_RIGHT or (self.rtl and s.alignment != TA_CENTER)
            if s.alignment == TA_CENTER:
                draw_text(canv, self.width / 2, y, line, s.fontName, s.fontSize, align="center")
            elif right:
                draw_text(canv, self.width, y, line, s.fontName, s.fontSize, align="right")
            else:
                draw_text(canv, 0, y, line, s.fontName, s.fontSize)
            y -= s.leading
        canv.restoreState()


def people_paragraph(text: str, style: ParagraphStyle) -> Flowable:
    """A flowable for `text` in `style`: a plain Paragraph when the style's font draws it as
    it is, else a PeopleParagraph."""
    if plain(text, style.fontName):
        from reportlab.platypus import Paragraph

        from guidepdf.layout.text import markup

        return Paragraph("<br/>".join(markup(line) for line in text.split("\n")), style)
    return PeopleParagraph(text, style)


def break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (a word wider than that is cut);
    line breaks in the text are kept."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines += _break(paragraph, font, size, width) or [""]
    return lines


def _break(paragraph: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in _tokens(paragraph):
        if current and shaping.line_width((current + token).rstrip(), font, size) > width:
            lines.append(current.rstrip())
            current = ""
        current += token
        if shaping.line_width(current.rstrip(), font, size) > width:
            head, current = _cut(current, font, size, width)
            lines += head
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def _cut(text: str, font: str, size: float, width: float) -> tuple[list[str], str]:
    """A token wider than the line, cut between characters (never before a mark)."""
    lines = []
    while shaping.line_width(text.rstrip(), font, size) > width and len(text) > 1:
        low, high = 1, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            if shaping.line_width(text[:mid], font, size) <= width:
                low = mid
            else:
                high = mid - 1
        while low > 1 and unicodedata.category(text[low]).startswith("M"):
            low -= 1
        lines.append(text[:low])
        text = text[low:]
    return lines, text


def _tokens(text: str) -> list[str]:
    """Pieces a line may break after: words with their trailing spaces, and single CJK
    characters (CJK text has no spaces between words)."""
    tokens: list[str] = []
    current = ""
    for ch in text:
        if cjkfont.is_cjk(ord(ch)) and unicodedata.category(ch) not in ("Pe", "Po", "Pf"):
            if current:
                tokens.append(current)
            current = ch
            continue
        if current and current[-1].isspace() and not ch.isspace():
            tokens.append(current)
            current = ""
        current += ch
    if current:
        tokens.append(current)
    return tokens


def _one_line(text: str) -> str:
    return " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


__all__ = ["ELLIPSIS", "PeopleParagraph", "break_lines", "draw_text", "fit_text",
           "label_strings", "missing_glyphs", "people_paragraph", "plain", "text_width"]
