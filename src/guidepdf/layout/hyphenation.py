"""Paragraph markup + a narrow width -> lines where a word too wide for the width breaks at a
syllable, with a hyphen (pyphen's dictionaries), instead of being cut anywhere.

Only such words are hyphenated: every word that fits on a line of its own wraps whole, so
the text a reader copies or a screen reader speaks keeps its words. (reportlab's own
hyphenation splits any word that crosses the end of a line, to fill it.) A style asks for
it with `cellHyphenation = "es"` (see layout.theme); paragraphs in table cells are made as
CellParagraph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

Hyphenator = Callable[[str], Iterator[tuple[str, str]]]


@cache
def _dictionary(language: str) -> Hyphenator:
    import pyphen  # loaded only by editions that hyphenate

    return pyphen.Pyphen(lang=language).iterate


@cache
def _only_too_wide(language: str, font: str, size: float, width: float) -> Hyphenator:
    """pyphen's (head, tail) splits of a word wider than `width`; none for other words."""
    pairs = _dictionary(language)

    def split(word: str) -> Iterator[tuple[str, str]]:
        if stringWidth(word, font, size) <= width:
            return iter(())
        return pairs(word)

    return split


_STYLES: dict[tuple[int, float], ParagraphStyle] = {}


def _hyphenating(style: ParagraphStyle, width: float) -> ParagraphStyle:
    key = (id(style), round(width, 2))
    found = _STYLES.get(key)
    if found is None:
        if len(_STYLES) > 512:
            _STYLES.clear()
        found = style.clone(f"{style.name}-hy", hyphenationLang=_only_too_wide(
            style.cellHyphenation, style.fontName, style.fontSize, width),
            hyphenationMinWordLength=4, uriWasteReduce=0, embeddedHyphenation=0)
        found._source = style  # keeps id(style) from being reused while the entry lives
        _STYLES[key] = found
    return found


class CellParagraph(Paragraph):
    """A Paragraph whose too-wide words break at a syllable when its style names a
    language in `cellHyphenation`."""

    def breakLines(self, width):  # type: ignore[no-untyped-def]
        language = getattr(self.style, "cellHyphenation", "")
        if not language:
            return super().breakLines(width)
        widest = max(width) if isinstance(width, list | tuple) else width
        original = self.style
        self.style = _hyphenating(original, widest)
        try:
            return super().breakLines(width)
        finally:
            self.style = original
