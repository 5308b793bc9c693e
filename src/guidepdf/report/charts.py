"""Numbers from the summary + the theme -> reportlab.graphics Drawings: labelled bar rows
(response rates, frequent terms), the answer-length histogram and the IC level heatmap.
Vector shapes and real text in the guides' fonts and colours; no file I/O."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from guidepdf.content.contrast import TEXT_RATIO, contrast
from guidepdf.content.labels import Labels
from guidepdf.layout.peopletext import label_strings
from guidepdf.layout.theme import Theme
from guidepdf.report.model import UNANSWERED, ICSummary

ELLIPSIS = "…"
ROW = 17.0  # height of one bar row
LEGEND_HEIGHT = 16.0


@dataclass(frozen=True)
class Bar:
    label: str
    fraction: float  # 0..1, the bar's length
    caption: str  # printed after the bar, e.g. "12 of 15 (80%)"


def bars_alt(labels: Labels, title: str, bars: Sequence[Bar]) -> str:
    """A bar chart's alternative text: its title, then each bar's label and caption."""
    items = labels.template("report.alt_separator").join(
        labels.text("report.alt_item", label=b.label, caption=b.caption) for b in bars)
    return labels.text("report.alt_list", title=title, items=items)


def heatmap_alt(ic: ICSummary, labels: Labels,
                standard_names: dict[str, str] | None = None) -> str:
    """The IC heatmap's alternative text: per outcome (under its standard), how many people
    chose each level, and the median."""
    names = standard_names or {}
    cols = heat_columns(ic, labels)
    rows = []
    previous = None
    for o in ic.outcomes:
        counts = labels.join(f"{heading} {labels.number(o.counts.get(key, 0))}"
                             for key, heading in cols)
        median = labels.text("report.ic_alt_none") if o.median is None else \
            median_text(labels, o.median)
        row = labels.text("report.ic_alt_row", outcome=o.id, counts=counts, median=median)
        if o.standard != previous and names.get(o.standard, o.standard):
            row = labels.join([names.get(o.standard, o.standard), row])
        previous = o.standard
        rows.append(row)
    return labels.text("report.ic_alt",
                       rows=labels.template("report.alt_separator").join(rows))


def median_text(labels: Labels, value: float | None) -> str:
    """A median level (1, 2.5) with the edition's decimal separator; the 'none' mark."""
    if value is None:
        return labels.template("format.none")
    return labels.number(value, 0 if value == int(value) else 1)


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis to fit `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + ELLIPSIS, font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def mix(a: colors.Color, b: colors.Color, t: float) -> colors.Color:
    """The colour a fraction t of the way from a to b."""
    t = max(0.0, min(1.0, t))
    return colors.Color(*(x + (y - x) * t for x, y in zip(a.rgb(), b.rgb(), strict=True)))


def _hex(color: colors.Color) -> str:
    return "#" + color.hexval()[2:]


def readable(fill: colors.Color, dark: colors.Color) -> tuple[colors.Color, colors.Color]:
    """(fill, ink) for a number written on a shaded cell: white or `dark`, whichever stands
    out more, and where neither reaches WCAG's 4.5:1 the fill lightened until `dark` does
    (the guides hold their colours to that ratio; the report does too)."""
    white = colors.white
    on_white = contrast(_hex(fill), "#ffffff")
    on_dark = contrast(_hex(fill), _hex(dark))
    if max(on_white, on_dark) >= TEXT_RATIO:
        return (fill, white) if on_white >= on_dark else (fill, dark)
    low, high = 0.0, 1.0  # how far towards white: the least that makes `dark` readable
    for _ in range(20):
        mid = (low + high) / 2
        if contrast(_hex(mix(fill, white, mid)), _hex(dark)) >= TEXT_RATIO:
            high = mid
        else:
            low = mid
    return mix(fill, white, high), dark


def caption_width(bars: Sequence[Bar], theme: Theme, least: float, size: float = 8.5,
                  most_share: float = 0.4) -> float:
    """A caption column for `bars` as bar_rows draws them: room for the widest caption
    (cut with an ellipsis only past `most_share` of the frame), never less than `least`
    (the column of the charts it should line up with)."""
    widest = max((stringWidth(b.caption, theme.fonts.bold, size) for b in bars), default=0)
    return max(least, min(widest + 6, theme.frame_width * most_share))


def bar_rows(bars: Sequence[Bar], theme: Theme, width: float, *,
             color: colors.Color | None = None, label_share: float = 0.34,
             size: float = 8.5, row: float = ROW, caption_width: float | None = None
             ) -> Drawing:
    """One row per bar: label on the left, a track with the bar, the caption after it.
    Give `caption_width` to line up the tracks of several charts."""
    font, bold = theme.fonts.regular, theme.fonts.bold
    label_w = width * label_share
    caption_w = caption_width if caption_width is not None else \
        max((stringWidth(b.caption, bold, size) for b in bars), default=0) + 6
    track_x, track_w = label_w + 6, max(20.0, width - label_w - 6 - caption_w)
    height = row * len(bars)
    base = (row - size) / 2 + 1.5  # text baseline within a row
    d = Drawing(width, height, initialFontName=theme.fonts.regular)  # not Helvetica
    for i, bar in enumerate(bars):
        y = height - row * (i + 1)
        for label in label_strings(0, y + base, bar.label, font, size, width=label_w,
                                   fillColor=theme.text):  # a group or a term: any script
            d.add(label)
        d.add(Rect(track_x, y + 3, track_w, row - 6, fillColor=theme.tint, strokeColor=None))
        length = track_w * max(0.0, min(1.0, bar.fraction))
        if length > 0:
            d.add(Rect(track_x, y + 3, length, row - 6, fillColor=color or theme.primary,
                       strokeColor=None))
        d.add(String(track_x + track_w + 6, y + base,
                     fit(bar.caption, bold, size, caption_w - 6), fontName=bold,
                     fontSize=size, fillColor=theme.text))
    return d


def _legend(d: Drawing, items: list[tuple[str, colors.Color]], theme: Theme, x: float,
            y: float) -> None:
    font, size = theme.fonts.regular, 8.0
    for name, color in items:
        d.add(Rect(x, y, 9, 9, fillColor=color, strokeColor=None))
        d.add(String(x + 13, y + 1.5, name, fontName=font, fontSize=size,
                     fillColor=theme.text))
        x += 13 + stringWidth(name, font, size) + 16


HEAT_ROW = 15.0
HEAT_HEADER = 30.0


def heat_columns(ic: ICSummary, labels: Labels) -> list[tuple[str, str]]:
    """(count key, column heading) for the heatmap: each level, then NA, then blank."""
    cols = [(f"L{i}", f"L{i}") for i in range(1, len(ic.levels) + 1)]
    return [*cols, ("NA", labels.text("report.ic_not_assessed")),
            (UNANSWERED, labels.text("report.ic_blank"))]


def ic_heatmap(ic: ICSummary, labels: Labels, theme: Theme, width: float,
               standard_names: dict[str, str] | None = None) -> Drawing:
    """Outcomes × levels: each cell shaded by how many respondents chose it (the fullest cell
    darkest), with the count written in; the standard's name labels its first outcome."""
    font, bold, size = theme.fonts.regular, theme.fonts.bold, 7.5
    names = standard_names or {}
    cols = heat_columns(ic, labels)
    label_w = width * 0.42
    cell_w = (width - label_w) / (len(cols) + 1)  # the last column is the median
    height = HEAT_HEADER + HEAT_ROW * len(ic.outcomes)
    d = Drawing(width, height, initialFontName=theme.fonts.regular)  # not Helvetica
    for j, (_, heading) in enumerate([*cols, ("", labels.text("report.ic_median"))]):
        x = label_w + cell_w * (j + 0.5)
        d.add(String(x, height - 12, heading, fontName=bold, fontSize=size,
                     fillColor=theme.text, textAnchor="middle"))
    for j, level in enumerate(ic.levels[:len(cols) - 2]):
        x = label_w + cell_w * (j + 0.5)
        d.add(String(x, height - 23, fit(_short_level(level), font, 6.5, cell_w - 2),
                     fontName=font, fontSize=6.5, fillColor=theme.muted, textAnchor="middle"))
    darkest = max((o.counts.get(k, 0) for o in ic.outcomes for k, _ in cols), default=0) or 1
    previous = None
    for i, outcome in enumerate(ic.outcomes):
        y = height - HEAT_HEADER - HEAT_ROW * (i + 1)
        if outcome.standard != previous:
            if i:
                d.add(Line(0, y + HEAT_ROW, width, y + HEAT_ROW, strokeColor=theme.rule,
                           strokeWidth=0.6))
            label = names.get(outcome.standard, outcome.standard) or ""
            d.add(String(0, y + 4, fit(label, bold, size, label_w - 34), fontName=bold,
                         fontSize=size, fillColor=theme.text))
            previous = outcome.standard
        d.add(String(label_w - 6, y + 4, outcome.id, fontName=font, fontSize=size,
                     fillColor=theme.muted, textAnchor="end"))
        for j, (key, _) in enumerate(cols):
            count = outcome.counts.get(key, 0)
            share = count / darkest  # shades span the map's range: the fullest cell is darkest
            base = theme.primary if key.startswith("L") else theme.muted
            fill, ink = readable(mix(colors.white, base, share * 0.95) if count
                                 else colors.white, theme.text)
            x = label_w + cell_w * j
            d.add(Rect(x + 0.5, y + 0.5, cell_w - 1, HEAT_ROW - 1, fillColor=fill,
                       strokeColor=theme.rule, strokeWidth=0.3))
            if count:
                d.add(String(x + cell_w / 2, y + 4, labels.number(count), fontName=font,
                             fontSize=size, fillColor=ink, textAnchor="middle"))
        median = median_text(labels, outcome.median)
        d.add(String(label_w + cell_w * (len(cols) + 0.5), y + 4, median, fontName=bold,
                     fontSize=size, fillColor=theme.text, textAnchor="middle"))
    return d


def _short_level(label: str) -> str:
    """'Level 1 (ideal)' -> 'ideal'; 'Level 2' (a word and a number, in any language) -> ''
    (the column says L2); short labels as they are."""
    if "(" in label and label.endswith(")"):
        return label[label.index("(") + 1:-1]
    if re.fullmatch(r"[^\W\d_]+\s*\d+", label.strip()):  # "Level 2", "Nivel 2", "Niveau 2"
        return ""
    return label if len(label) <= 10 else ""
