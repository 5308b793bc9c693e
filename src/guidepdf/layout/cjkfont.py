"""Noto Sans CJK (an OpenType collection with PostScript outlines, 15-20 MB) -> reportlab
fonts for Chinese, Japanese and Korean text, each embedded with only the glyphs a document
uses.

reportlab embeds TrueType outlines only. Converting a whole CJK face takes long and makes a
20 MB font, so each face is registered as a stub: a TrueType font with the face's character
map and advance widths but empty outlines (reportlab measures and lays out text with it), and
when reportlab writes a document's subset the outlines of just those glyphs are converted from
the PostScript (CFF) outlines (fontTools' cu2qu) into the subset.

Where the collection comes from: the optional package `noto-cjk-sans-otc`
(`pip install "guidepdf[cjk]"`), or any Noto Sans CJK .ttc/.otf file named by the environment
variable GUIDEPDF_CJK_FONT (e.g. Debian's fonts-noto-cjk,
/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc). Without either, CJK text is reported
as missing by layout.scripts.
"""

from __future__ import annotations

import hashlib
import io
import os
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont as FTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

ENV = "GUIDEPDF_CJK_FONT"
FACES = {"ja": "JP", "ko": "KR", "zh-hans": "SC", "zh-hant": "TC"}
DEFAULT_FACE = "SC"
_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x31FF),
           (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F),
           (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
           (0x20000, 0x2FA1F))


def is_cjk(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _RANGES)


def face_for(text: str) -> str:
    """The face for a text: Japanese with kana, Korean with Hangul, else Simplified Chinese
    (Han characters alone do not tell the language)."""
    if any(0x3040 <= ord(ch) <= 0x30FF or 0x31F0 <= ord(ch) <= 0x31FF for ch in text):
        return "JP"
    if any(0xAC00 <= ord(ch) <= 0xD7AF or 0x1100 <= ord(ch) <= 0x11FF for ch in text):
        return "KR"
    return DEFAULT_FACE


def source() -> Path | None:
    """The CJK collection in use, or None when none is installed."""
    named = os.environ.get(ENV)
    if named:
        path = Path(named)
        return path if path.is_file() else None
    try:
        import noto_cjk_sans_otc  # type: ignore[import-not-found]  # the [cjk] extra
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


def font_for(face: str, code: int) -> str | None:
    """The registered reportlab font that draws character `code` in a CJK face (JP, KR, SC,
    TC); None when no CJK collection is installed or the face lacks the character. A face is
    registered in blocks of 4,096 code points, each made the first time it is needed (a whole
    face would take seconds to prepare)."""
    path = source()
    if path is None or not is_cjk(code):
        return None
    face_data = _source(path, face)
    if face_data is None or code not in face_data[1]:
        return None
    return _block_font(path, face, code >> BLOCK_BITS)


BLOCK_BITS = 12


@cache
def _source(path: Path, face: str) -> tuple[FTFont, dict[int, str], Any] | None:
    index = _face_index(path, face)
    if index is None:
        return None
    src = FTFont(io.BytesIO(_bytes(path)), fontNumber=index, lazy=True)
    return src, src.getBestCmap(), src.getGlyphSet()  # font_for asks only for CJK


@cache
def _block_font(path: Path, face: str, block: int) -> str:
    data = _source(path, face)
    assert data is not None
    src, cmap, glyphs = data
    low, high = block << BLOCK_BITS, (block + 1) << BLOCK_BITS
    stub, names = _stub(src, {c: n for c, n in cmap.items() if low <= c < high}, block)
    digest = hashlib.sha1(f"{path}:{face}".encode()).hexdigest()[:6]
    name = f"NotoSansCJK{face}-{block:02X}-{digest}"
    ttf = TTFont(name, io.BytesIO(stub), shapable=False)
    ttf.face.__class__ = _ConvertingFace
    ttf.face.source_glyphs = glyphs  # type: ignore[attr-defined]
    ttf.face.stub_names = names  # type: ignore[attr-defined]
    ttf.face.filename = name  # reportlab names the embedded file object after it
    pdfmetrics.registerFont(ttf)
    return name


@cache
def _bytes(path: Path) -> bytes:
    """The collection, read once per process (its faces read glyphs from it lazily)."""
    return path.read_bytes()


def _face_index(path: Path, face: str) -> int | None:
    if not _bytes(path).startswith(b"ttcf"):
        return 0
    from fontTools.ttLib import TTCollection

    fonts = TTCollection(io.BytesIO(_bytes(path)), lazy=True).fonts
    wanted = f"Noto Sans CJK {face}"
    for i, f in enumerate(fonts):
        if str(f["name"].getDebugName(1)) == wanted:
            return i
    return 0 if fonts else None


def _stub(src: FTFont, cmap: dict[int, str], block: int) -> tuple[bytes, list[str]]:
    """A TrueType font with the characters `cmap` maps, `src`'s metrics and empty outlines,
    and the source glyph name of each of its glyphs."""
    order = [".notdef", *sorted(set(cmap.values()) - {".notdef"}, key=src.getGlyphID)]
    hmtx = src["hmtx"]
    empty = Glyph()
    builder = FontBuilder(src["head"].unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf({name: empty for name in order}, calcGlyphBounds=False)
    builder.setupHorizontalMetrics({name: (hmtx[name][0], 0) for name in order})
    hhea, os2, head = src["hhea"], src["OS/2"], src["head"]
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    family = str(src["name"].getDebugName(1))
    builder.setupNameTable({"familyName": family, "styleName": "Regular",
                            # a PostScript name per block: reportlab names a subset's
                            # descriptor after it, and two blocks must not share one
                            "psName": family.replace(" ", "") + f"B{block:02X}-Regular"})
    builder.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                     usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent,
                     sCapHeight=getattr(os2, "sCapHeight", hhea.ascent), fsType=0,
                     usWeightClass=os2.usWeightClass)
    builder.setupPost(keepGlyphNames=False)  # names are kept here, not in the stub
    stub = builder.font
    stub["head"].xMin, stub["head"].yMin = head.xMin, head.yMin
    stub["head"].xMax, stub["head"].yMax = head.xMax, head.yMax
    stub.recalcBBoxes = False  # the outlines are empty: keep the source's bounding box
    # the source's dates, not the clock's: the same text must embed the same bytes in any
    # run or worker (fontTools stamps `modified` with the time of saving otherwise)
    stub["head"].created, stub["head"].modified = head.created, head.modified
    stub.recalcTimestamp = False
    out = io.BytesIO()
    stub.save(out)
    return out.getvalue(), order


class _ConvertingFace(TTFontFace):
    """A stub face whose subsets get their outlines from the PostScript source."""

    source_glyphs: Any
    stub_names: list[str]

    def makeSubset(self, subset: list[int]) -> bytes:
        data = super().makeSubset(subset)
        glyph_map = [0]  # the subset's glyphs, as reportlab numbers them (no composites here)
        seen = {0}
        for code in subset:
            gid = self.charToGlyph.get(code, 0)
            if gid not in seen:
                seen.add(gid)
                glyph_map.append(gid)
        font = FTFont(io.BytesIO(data), recalcTimestamp=False)  # the stub's dates, as _stub
        glyf = font["glyf"]
        order = font.getGlyphOrder()
        for new, old in enumerate(glyph_map):
            pen = TTGlyphPen(None)
            self.source_glyphs[self.stub_names[old]].draw(
                Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
            glyf[order[new]] = pen.glyph()
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()
