"""A TrueType font file -> an embedded Type0 (Identity-H) font for form fields, so that a
viewer or pypdf that redraws a field shows "José Nguyễn — Привет — Ελλάδα" correctly.

The font is subset to the scripts people type answers in (Latin with its extensions and
combining marks, Greek, Cyrillic, Vietnamese, common punctuation and symbols) — not to the
guide's own text, since answers are unknown when the guide is made — and the letters of
Arabic, Hebrew, Devanagari and Thai are merged in from the shipped fallback fonts. CJK needs
a field font that covers it (brand.yaml fonts.field_font; see content/FORMAT.md): the CJK
blocks are kept when that font has them.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pikepdf
from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

from guidepdf.paths import shipped_fonts_dir

# The resource name of the field font in /DR and every /DA. Not arbitrary: when PDFium (Chrome,
# Edge) redraws a field it gives an embedded /DA font the charset ANSI unless the font's name
# is Wingdings, Wingdings2, Wingdings3 or Webdings (then: Symbol), and it draws a character
# with that font only if the character's charset is the font's or the font is Symbol
# (CPDF_BAFontMap in core/fpdfdoc). Named anything else, our font drew only Latin-1: Greek,
# Cyrillic, Vietnamese went to unembedded system fonts PDFium picks per charset, which show
# nothing where they are not installed. The name is only a key into /DR (the font is still
# NotoSans, by its /BaseFont); other viewers look it up there.
FIELD_FONT_NAME = "/Webdings"

_RANGES = [
    (0x0020, 0x024F), (0x0300, 0x036F), (0x0370, 0x03FF), (0x0400, 0x052F),
    (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F),
    (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF), (0x2600, 0x26FF),
    # CJK punctuation, kana, ideographs, Hangul, full-width forms: kept only when the font
    # has them, i.e. when brand.yaml names a CJK font as field_font (see content/FORMAT.md)
    (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF),
]


# The letters of the scripts the shipped fallback fonts draw (fonts/fallback/), added to the
# field font where the brand's font lacks them, so that a viewer redrawing a typed answer has
# glyphs for them. Viewers do not shape form fields (PDFium, pdf.js draw Arabic letters
# unjoined), so presentation forms and conjuncts are left out: they would only add weight.
FALLBACK_RANGES = {
    "NotoSansArabic-Regular.ttf": [(0x0600, 0x06FF), (0x0750, 0x077F)],
    "NotoSansHebrew-Regular.ttf": [(0x0590, 0x05FF)],
    "NotoSansDevanagari-Regular.ttf": [(0x0900, 0x097F)],
    "NotoSansThai-Regular.ttf": [(0x0E00, 0x0E7F)],
}


def _cut(path: Path, unicodes: list[int]) -> TTFont:
    font = TTFont(str(path), recalcTimestamp=False)  # same input, same bytes
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def _with_fallbacks(font: TTFont) -> TTFont:
    """`font` merged with the fallback fonts' letters it does not have."""
    has = set(font.getBestCmap())
    parts = [font]
    folder = shipped_fonts_dir() / "fallback"
    for name, ranges in FALLBACK_RANGES.items():
        wanted = [u for lo, hi in ranges for u in range(lo, hi + 1) if u not in has]
        if wanted and (folder / name).is_file() and \
                TTFont(str(folder / name))["head"].unitsPerEm == font["head"].unitsPerEm:
            parts.append(_cut(folder / name, wanted))
    if len(parts) == 1:
        return font
    files = []
    for part in parts:
        buffer = io.BytesIO()
        part.save(buffer)
        files.append(io.BytesIO(buffer.getvalue()))
    merged = Merger().merge(files)
    merged.recalcTimestamp = False  # same input, same bytes: the brand font's dates
    merged["head"].created = font["head"].created
    merged["head"].modified = font["head"].modified
    return merged


@cache
def _subset(path: Path) -> tuple[bytes, dict[int, int], dict[int, int], dict[str, float]]:
    """(font bytes, gid -> unicode, gid -> width in 1/1000 em, metrics) for the subset."""
    font = _with_fallbacks(_cut(path, [u for lo, hi in _RANGES for u in range(lo, hi + 1)]))
    buffer = io.BytesIO()
    font.save(buffer)
    font = TTFont(io.BytesIO(buffer.getvalue()), recalcTimestamp=False)
    order = font.getGlyphOrder()
    gid_of = {name: gid for gid, name in enumerate(order)}
    scale = 1000 / font["head"].unitsPerEm
    to_unicode: dict[int, int] = {}
    for code, name in sorted(font.getBestCmap().items(), reverse=True):
        to_unicode[gid_of[name]] = code  # lowest code point wins for shared glyphs
    widths = {gid: round(font["hmtx"][name][0] * scale) for gid, name in enumerate(order)}
    head, os2, hhea = font["head"], font["OS/2"], font["hhea"]
    metrics = {
        "bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        "ascent": round(hhea.ascent * scale), "descent": round(hhea.descent * scale),
        "cap": round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
    }
    return buffer.getvalue(), to_unicode, widths, metrics


def _tounicode(to_unicode: dict[int, int]) -> bytes:
    lines = []
    items = sorted(to_unicode.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, code in chunk:
            text = chr(code).encode("utf-16-be").hex().upper()
            lines.append(f"<{gid:04X}> <{text}>")
        lines.append("endbfchar")
    body = "\n".join(lines)
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def field_font(pdf: pikepdf.Pdf, path: Path) -> pikepdf.Dictionary:
    """Add the Type0 font to `pdf` and return its (indirect) font dictionary."""
    data, to_unicode, widths, metrics = _subset(path)
    base = pikepdf.Name("/GPAAAA+" + path.stem.replace(" ", ""))
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=base, Flags=32,
        FontBBox=metrics["bbox"], ItalicAngle=0, Ascent=metrics["ascent"],
        Descent=metrics["descent"], CapHeight=metrics["cap"], StemV=80,
        FontFile2=pdf.make_stream(data)))
    w = pikepdf.Array([0, pikepdf.Array([widths[gid] for gid in range(len(widths))])])
    cid_font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=base,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                         Ordering=pikepdf.String("Identity"), Supplement=0),
        FontDescriptor=descriptor, DW=widths.get(0, 600), W=w,
        CIDToGIDMap=pikepdf.Name.Identity))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=base,
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[cid_font],
        ToUnicode=pdf.make_stream(_tounicode(to_unicode))))


def encode(path: Path, text: str) -> tuple[str, float]:
    """`text` as the field font's Identity-H codes (hex) and its width in 1/1000 em;
    characters the subset lacks become the .notdef glyph (0)."""
    _, _, widths, _ = _subset(path)
    gid_of = _gids(path)
    gids = [gid_of.get(ord(ch), 0) for ch in text]
    return "".join(f"{g:04X}" for g in gids), float(sum(widths.get(g, 0) for g in gids))


@cache
def _gids(path: Path) -> dict[int, int]:
    font = TTFont(io.BytesIO(_subset(path)[0]))
    cmap = font.getBestCmap()
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    return {code: order[name] for code, name in cmap.items()}
