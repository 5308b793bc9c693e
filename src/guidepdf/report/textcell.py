"""Runs of plain text (one font and colour each, each run starting a line) -> a table-cell
flowable that breaks its lines the way reportlab's Paragraph does and draws them in one text
object.

Most of the time of the answers PDF went to Paragraph: its markup parser (every answer with a
line break in it went through it), its fragment machinery for breaking lines, and its drawing
of fragment lines. An answer cell needs none of it: a run of words in one font, greedy lines.
A TextCell breaks lines by Paragraph's own rule for a one-font paragraph (a word goes on the
line when the line with it, less the space shrinkage the style allows, fits the width), so the
rows are as high and break across pages where they did. What it cannot break by that rule
alone (a word wider than the cell, which Paragraph hyphenates or cuts) it hands to the
Paragraph `fallback` makes, which then does everything for the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable

# whitespace Paragraph treats otherwise than str.split does (no-break space) or that its
# markup parser might (tabs, form feeds, Unicode spaces), and the soft hyphen it breaks at:
# a run holding any of these is laid out by Paragraph
_UNUSUAL = re.compile(r"[^\S \n]|\xad")


class Run(NamedTuple):
    """Text starting on a line of its own; whitespace between words is one space."""

    text: str
    font: str
    color: Color


class Line(NamedTuple):
    text: str
    font: str
    color: Color
    spaces: int = 0  # between its words
    shrink: float = 0.0  # narrower than its words' width: each space gives width / spaces


def usable(text: str) -> bool:
    """Whether a TextCell lays out `text` as Paragraph would (given its words fit)."""
    return _UNUSUAL.search(text) is None


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}  # (font, size) -> word -> width


def _widths(font: str, size: float) -> dict[str, float]:
    found = _WIDTHS.get((font, size))
    if found is None:
        found = _WIDTHS[(font, size)] = {}
    elif len(found) > 50_000:  # bounded: words from thousands of answers
        found.clear()
    return found


def break_lines(runs: Sequence[Run], size: float, width: float, shrinkage: float
                ) -> list[Line] | None:
    """The lines of `runs` in `width`, by Paragraph's rule for one font (breakLines, kind 0):
    None when a word is wider than the width (Paragraph hyphenates or cuts it)."""
    lines: list[Line] = []
    for run in runs:
        words = run.text.split()
        if not words:  # an empty line (two line breaks in a row), as Paragraph keeps it
            lines.append(Line("", run.font, run.color))
            continue
        font = getFont(run.font)
        known = _widths(run.font, size)
        space = font.stringWidth(" ", size)
        shrink = shrinkage * space
        line: list[str] = []
        current = -space
        for word in words:
            word_width = known.get(word)
            if word_width is None:
                word_width = known[word] = font.stringWidth(word, size)
            if word_width > width:
                return None
            new = current + space + word_width
            if new > width + shrink * len(line) and line:
                lines.append(_line(line, run, current, width))
                line, current = [word], word_width
            else:
                line.append(word)
                current = new
        lines.append(_line(line, run, current, width))
    return lines


def _line(words: list[str], run: Run, used: float, width: float) -> Line:
    over = used - width
    return Line(" ".join(words), run.font, run.color, len(words) - 1,
                over if over > 1e-8 and len(words) > 1 else 0.0)


class TextCell(Flowable):
    """Runs of text in `style`'s size and leading (each run's own font and colour), left
    aligned, the first baseline one font size below the top as in a Paragraph; splits
    between lines as a Paragraph does (at least two lines on the first part)."""

    def __init__(self, runs: Sequence[Run], style: ParagraphStyle,
                 fallback: Callable[[], Flowable], lines: list[Line] | None = None) -> None:
        super().__init__()
        self.runs = tuple(runs)
        self.style = style
        self.fallback = fallback
        self._lines = lines
        self._fixed = lines is not None  # a part of a split cell keeps its lines
        self._broken_at: float | None = None
        self._para: Flowable | None = None
        if lines is not None:  # read by a table before it wraps the part (Paragraph's too)
            self.height = len(lines) * style.leading

    def _layout(self, width: float) -> bool:
        """Lines for `width`; False once the cell is the fallback Paragraph's."""
        if self._para is not None:
            return False
        if self._fixed or self._broken_at == width:
            return True
        style = self.style
        lines = break_lines(self.runs, style.fontSize, width, style.spaceShrinkage)
        if lines is None:
            self._para = self.fallback()
            return False
        self._lines, self._broken_at = lines, width
        return True

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if not self._layout(avail_width):
            self.width, self.height = self._para.wrap(avail_width, avail_height)
            return self.width, self.height
        self.width, self.height = avail_width, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # the lines of the last wrap, as Paragraph splits the lines it has: a table passes
        # its column's width here, and its cell's width (less the padding) to wrap
        if self._broken_at is not None:
            avail_width = self._broken_at
        if not self._layout(avail_width):
            return self._para.split(avail_width, avail_height)
        room = int(avail_height / self.style.leading)
        if room <= 1:  # Paragraph leaves no line alone at the foot of a page
            return []
        lines = self._lines
        if len(lines) <= room:
            return [self]
        return [TextCell(self.runs, self.style, self.fallback, lines[:room]),
                TextCell(self.runs, self.style, self.fallback, lines[room:])]

    def minWidth(self) -> float:
        if self._para is not None:
            return self._para.minWidth()
        size = self.style.fontSize
        return max((getFont(run.font).stringWidth(word, size)
                    for run in self.runs for word in run.text.split()), default=0.0)

    def draw(self) -> None:
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        canv, style = self.canv, self.style
        canv.saveState()
        text = canv.beginText(0, self.height - style.fontSize)
        font: str | None = None
        color: Color | None = None
        for line in self._lines:
            if line.font != font:
                font = line.font
                text.setFont(font, style.fontSize, style.leading)
            if line.color != color:
                color = line.color
                text.setFillColor(color)
            if line.shrink:  # as Paragraph fits a line its spaces may shrink to fit
                text.setWordSpace(-line.shrink / line.spaces)
                text.textLine(line.text)
                text.setWordSpace(0)
            else:
                text.textLine(line.text)
        canv.drawText(text)
        canv.restoreState()
