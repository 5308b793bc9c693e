"""The improvement chain -> a left-to-right flow graphic of rounded boxes joined by arrows."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit

from guidepdf.content.labels import Labels
from guidepdf.layout.theme import Theme


def chain_alt(steps: tuple[str, ...], labels: Labels) -> str:
    """The graphic's alternative text, in the order a reader follows the arrows."""
    return labels.text("guide.chain_alt", n=len(steps),
                       steps=labels.template("guide.chain_then").join(steps))


def chain(steps: tuple[str, ...], theme: Theme, width: float) -> Drawing:
    n = len(steps)
    arrow = 14.0
    box_w = (width - (n - 1) * arrow) / n
    font, size = theme.fonts.bold, 8.5
    lines = [simpleSplit(s, font, size, box_w - 10) for s in steps]
    box_h = max(46.0, max(len(ls) for ls in lines) * size * 1.2 + 18)
    d = Drawing(width, box_h + 4, initialFontName=theme.fonts.regular)  # not Helvetica
    for i, step_lines in enumerate(lines):
        x = i * (box_w + arrow)
        shade = 0.55 + 0.45 * (i / max(1, n - 1))
        fill = colors.Color(*(c * shade + (1 - shade) * 0.15 for c in theme.primary.rgb()))
        if i == n - 1:
            fill = theme.accent
        d.add(Rect(x, 2, box_w, box_h, rx=6, ry=6, fillColor=fill, strokeColor=None))
        top = 2 + box_h / 2 + (len(step_lines) - 1) * size * 1.2 / 2 - size * 0.35
        for j, line in enumerate(step_lines):
            d.add(String(x + box_w / 2, top - j * size * 1.2, line, fontName=font,
                         fontSize=size, fillColor=colors.white, textAnchor="middle"))
        if i < n - 1:
            ax, ay = x + box_w + 2, 2 + box_h / 2
            d.add(Polygon([ax, ay + 6, ax + arrow - 4, ay, ax, ay - 6],
                          fillColor=theme.muted, strokeColor=None))
    return d
