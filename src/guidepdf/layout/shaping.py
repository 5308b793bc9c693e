"""One line of text people wrote + a base font -> its runs in the order they are drawn, left
to right: each run in one font of the base font's chain (layout.scripts), in one direction,
and shaped by HarfBuzz where the script needs it (Arabic joining, Indic reordering, marks).

Right-to-left order comes from the Unicode bidirectional algorithm (python-bidi): the line's
embedding levels, then runs reversed as rule L2 says. Each run is shaped by HarfBuzz (through
reportlab's own shaping support, uharfbuzz) with its direction set, so HarfBuzz returns its
glyphs already in visual order and mirrors brackets in right-to-left runs. reportlab draws a
shaped run (a ShapedStr) with the glyph offsets HarfBuzz gave; glyphs with no character of
their own (joining forms, conjuncts) get private-use codes from reportlab, and whoever draws a
shaped line gives its logical text as ActualText (layout.peopletext).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz
from bidi import algorithm as uba
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from guidepdf.layout import scripts

_RTL_CLASSES = {"R", "AL", "AN", "RLE", "RLO", "RLI"}
FEATURES = {"kern": True, "liga": True}


@dataclass(frozen=True)
class Run:
    """Part of a line in one font and one direction; `text` is a ShapedStr when shaped."""

    font: str
    text: str
    width: float  # points, at the size the line was made for
    rtl: bool = False

    @property
    def shaped(self) -> bool:
        return isinstance(self.text, ShapedStr)


def is_rtl(text: str) -> bool:
    """Whether a paragraph's base direction is right to left (its first strong letter)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@lru_cache(maxsize=8192)
def line_runs(text: str, base: str, size: float) -> tuple[Run, ...]:
    """The runs of one line (no line breaks in `text`) drawn in `base` or its fallbacks."""
    chain = scripts.chain_for(base)
    if _plain(text, base):
        return (Run(base, text, pdfmetrics.stringWidth(text, base, size)),)
    fonts = [f or base for f in scripts.fonts_for(text, chain)]
    levels, order = _bidi(text)
    runs: list[Run] = []
    start = 0
    while start < len(order):
        first = order[start]
        rtl = levels[first] % 2 == 1
        end = start + 1
        step = -1 if rtl else 1
        while end < len(order) and order[end] == order[end - 1] + step \
                and fonts[order[end]] == fonts[first] and levels[order[end]] % 2 == rtl:
            end += 1
        low, high = min(order[start], order[end - 1]), max(order[start], order[end - 1])
        runs.append(_run(text[low:high + 1], fonts[first], size, rtl))
        start = end
    return tuple(runs)


def line_width(text: str, base: str, size: float) -> float:
    return sum(run.width for run in line_runs(text, base, size))


_PLAIN_CHARS: dict[str, set[str]] = {}  # base font -> characters found plain in it so far


def _plain(text: str, base: str) -> bool:
    """Text the base font draws character by character, left to right. Each distinct
    character is looked at once per font (a summary asks this of thousands of answers:
    character by character it cost 0.65 ms an answer)."""
    known = _PLAIN_CHARS.get(base)
    if known is None:
        known = _PLAIN_CHARS[base] = set()
    chars = set(text)
    if chars <= known:
        return True
    cmap = scripts._cmap(base)
    for ch in chars - known:
        if ord(ch) not in cmap or scripts._complex(ord(ch)) \
                or unicodedata.bidirectional(ch) in _RTL_CLASSES:
            return False
        known.add(ch)
    return True


def _bidi(text: str) -> tuple[list[int], list[int]]:
    """(embedding level of each character, logical indices in visual order)."""
    if not any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text):
        return [0] * len(text), list(range(len(text)))
    storage = uba.get_empty_storage()
    base_level = 1 if is_rtl(text) else 0
    storage["base_level"] = base_level
    storage["base_dir"] = ("L", "R")[base_level]
    uba.get_embedding_levels(text, storage, False, False)
    for index, entry in enumerate(storage["chars"]):
        entry["index"] = index
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)  # rules L1 and L2, on this one line
    levels = [base_level] * len(text)  # explicit controls (removed by X9) keep the base
    order = []
    for entry in storage["chars"]:
        levels[entry["index"]] = entry["level"]
        order.append(entry["index"])
    return levels, order


def _run(text: str, font: str, size: float, rtl: bool) -> Run:
    ttf = pdfmetrics.getFont(font)
    if getattr(ttf, "shapable", False) and (rtl or any(scripts._complex(ord(c)) for c in text)):
        shaped = _shape(text, font, size, rtl)
        return Run(font, shaped, sum(d.x_advance for d in shaped.__shapeData__) * size / 1000,
                   rtl)
    # not shaped: drop format characters (LRM, ZWJ …) a font draws as boxes; at least the order
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    shown = text[::-1] if rtl else text
    return Run(font, shown, pdfmetrics.stringWidth(shown, font, size), rtl)


PRIVATE = 0xE000  # a glyph with no character of its own is drawn as U+E000 + its glyph id


def _private(ttf: object, hb_font: object, gid: int, advance: int) -> int:
    """The private-use character reportlab draws glyph `gid` as: U+E000 + gid, the same in
    every process whatever was drawn before (reportlab's own numbering goes by first use,
    which would make the same copy's bytes depend on the copies made before it)."""
    face = ttf.face  # type: ignore[attr-defined]
    code = PRIVATE + gid
    if code > 0xF8FF or face.charToGlyph.get(code, gid) != gid:  # beyond the area, or taken
        return int(ttf.hbAddPrivate(  # type: ignore[attr-defined]
            hb_font.glyph_to_string(gid), gid, advance))  # type: ignore[attr-defined]
    if code not in face.charToGlyph:
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = ttf.pdfScale(face.hmetrics[gid][0])  # type: ignore[attr-defined]
    return code


def _shape(text: str, font: str, size: float, rtl: bool) -> ShapedStr:
    """`text` shaped by HarfBuzz in `font`, as reportlab's ShapedStr (its glyphs as
    characters of the font, private-use ones for glyphs no character maps to)."""
    ttf = pdfmetrics.getFont(font)
    hb_font = ttf.hbFont(size)
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    uharfbuzz.shape(hb_font, buf, FEATURES)
    chars, data = [], []
    face = ttf.face
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        mapped = face.glyphToChar.get(gid)
        code = mapped[0] if mapped else _private(ttf, hb_font, gid, pos.x_advance)
        chars.append(chr(code))
        data.append(ShapeData(info.cluster, ttf.pdfScale(pos.x_advance),
                              ttf.pdfScale(pos.y_advance), ttf.pdfScale(pos.x_offset),
                              ttf.pdfScale(pos.y_offset), face.charWidths.get(code, 0)))
    return ShapedStr("".join(chars), shapeData=data)
