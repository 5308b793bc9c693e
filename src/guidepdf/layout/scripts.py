"""A base font (the brand's) -> the chain of fonts that draws text people wrote in any script,
and for each character of a text the font of that chain that draws it.

The chain is the base font, then the shipped Noto fallbacks (fonts/fallback/: Arabic, Hebrew,
Devanagari, Thai), then Noto Sans CJK when it is installed (see layout.cjkfont). A character
no font of the chain has is reported by `missing`, so that callers warn instead of drawing an
empty box. Marks, joiners, spaces and punctuation stay in the font of the letters around them
when that font has them, so that a run of Arabic or Devanagari is shaped as one piece.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics

from guidepdf.layout import cjkfont
from guidepdf.layout.theme import register_font
from guidepdf.paths import shipped_fonts_dir

FALLBACKS = ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansThai")
_JOINERS = {0x200C, 0x200D, 0x034F}  # ZWNJ, ZWJ, CGJ: belong to the letters they join


@dataclass(frozen=True)
class Chain:
    """Registered reportlab font names, in order of preference; CJK faces come last and are
    chosen per text (kana: Japanese, Hangul: Korean, else the chain's default face)."""

    base: str
    fonts: tuple[str, ...]
    bold: bool

    def covers(self, font: str, ch: str) -> bool:
        return ord(ch) in _cmap(font)


@cache
def _cmap(font: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def is_bold(font: str) -> bool:
    """Whether a registered TrueType font is a bold face (by its PostScript name)."""
    name = pdfmetrics.getFont(font).face.name
    text = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    return "Bold" in text or "Black" in text or "Heavy" in text


@cache
def chain_for(base: str) -> Chain:
    """The chain for text drawn in `base` (a registered font name): bold fallbacks for a
    bold base font, regular ones otherwise."""
    bold = is_bold(base)
    folder = shipped_fonts_dir() / "fallback"
    names = [base]
    for family in FALLBACKS:
        path = folder / f"{family}-{'Bold' if bold else 'Regular'}.ttf"
        if path.is_file():
            names.append(register_font(path))
    return Chain(base, tuple(names), bold)


def fonts_for(text: str, chain: Chain) -> list[str | None]:
    """The font that draws each character of `text` (None: no font of the chain has it)."""
    cjk_face = cjkfont.face_for(text) if any(cjkfont.is_cjk(ord(ch)) for ch in text) else None
    out: list[str | None] = []
    previous: str | None = None
    for ch in text:
        code = ord(ch)
        font: str | None = None
        if previous is not None and _follows(ch) and chain.covers(previous, ch):
            font = previous
        else:
            font = next((f for f in chain.fonts if code in _cmap(f)), None)
            if font is None and cjk_face is not None:
                font = cjkfont.font_for(cjk_face, code)
        if font is None and previous is not None and (
                unicodedata.category(ch)[0] == "M" or unicodedata.category(ch) == "Cf"):
            font = previous  # a mark no font has: let the letter's font draw what it can
        out.append(font)
        if font is not None and (previous is None or not (ch.isspace() or _neutral(ch))):
            previous = font  # letters set the run's font; neutrals only begin one
    return out


def _follows(ch: str) -> bool:
    """Marks and joiners go with the letter before them; spaces, digits and punctuation may
    (so that "محمد علي" or "(२०२४)" stays in one run)."""
    return unicodedata.category(ch).startswith("M") or ord(ch) in _JOINERS or _neutral(ch) \
        or ch.isspace()


def _neutral(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PNSZ" or ord(ch) in _JOINERS


def missing(text: str, base: str) -> list[str]:
    """The characters of `text` (once each, in order) that no font of `base`'s chain draws:
    they would be boxes. Spaces and controls are never missing."""
    chain = chain_for(base)
    fonts = fonts_for(text, chain)
    seen: dict[str, None] = {}
    for ch, font in zip(text, fonts, strict=True):
        if font is None and not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf"):
            seen.setdefault(ch)
    return list(seen)


def _complex(code: int) -> bool:
    return (0x0590 <= code <= 0x08FF or 0x0900 <= code <= 0x0DFF or 0x0E00 <= code <= 0x0EFF
            or 0x0300 <= code <= 0x036F or 0x1AB0 <= code <= 0x1AFF or 0x1DC0 <= code <= 0x1DFF
            or 0x20D0 <= code <= 0x20FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF
            or code in _JOINERS or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF)
