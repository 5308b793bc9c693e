"""Framework -> the wheel drawing: categories on the inner ring, standards on the outer ring,
real vector text, colours from content. Sized to the frame width it is given."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Group, String, Wedge
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit

from guidepdf.content.model import Framework
from guidepdf.layout.theme import Theme


def _label(group: Group, text: str, cx: float, cy: float, font: str, size: float,
           max_width: float, color: colors.Color) -> None:
    """Centre a wrapped label on (cx, cy)."""
    lines = simpleSplit(text, font, size, max_width)
    leading = size * 1.18
    top = cy + (len(lines) - 1) * leading / 2 - size * 0.35
    for i, line in enumerate(lines):
        group.add(String(cx, top - i * leading, line, fontName=font, fontSize=size,
                         fillColor=color, textAnchor="middle"))


def wheel(framework: Framework, theme: Theme, size: float) -> Drawing:
    """A square drawing `size` points wide."""
    d = Drawing(size, size, initialFontName=theme.fonts.regular)  # not Helvetica
    g = Group()
    c = size / 2
    r_outer, r_inner, r_core = size * 0.49, size * 0.30, size * 0.14
    white = colors.white
    gap = colors.white
    n = len(framework.standards)
    step = 360.0 / n
    start = 90.0  # first standard begins at 12 o'clock, going clockwise
    angles: dict[str, list[float]] = {}
    for i, std in enumerate(framework.standards):
        a1 = start - (i + 1) * step
        a0 = start - i * step
        g.add(Wedge(c, c, r_outer, a1, a0, radius1=r_inner, fillColor=colors.HexColor(std.color),
                    strokeColor=gap, strokeWidth=1.5))
        angles.setdefault(std.category, []).extend([a1, a0])
        mid = math.radians((a0 + a1) / 2)
        rm = (r_outer + r_inner) / 2
        chord = 2 * rm * math.sin(math.radians(step / 2))
        _label(g, std.name, c + rm * math.cos(mid), c + rm * math.sin(mid), theme.fonts.bold,
               max(6.5, size * 0.021), min(chord, r_outer - r_inner) * 0.92, white)
    for cat in framework.categories:
        if cat.id not in angles:
            continue
        a1, a0 = min(angles[cat.id]), max(angles[cat.id])
        g.add(Wedge(c, c, r_inner, a1, a0, radius1=r_core, fillColor=colors.HexColor(cat.color),
                    strokeColor=gap, strokeWidth=2))
        mid = math.radians((a0 + a1) / 2)
        rm = (r_inner + r_core) / 2
        _label(g, cat.name.upper(), c + rm * math.cos(mid), c + rm * math.sin(mid),
               theme.fonts.bold, max(6, size * 0.018), (r_inner - r_core) * 0.9, white)
    g.add(Circle(c, c, r_core - 1, fillColor=white, strokeColor=theme.rule, strokeWidth=1))
    _label(g, framework.name, c, c, theme.fonts.bold, max(7, size * 0.022), r_core * 1.6,
           theme.primary)
    d.add(g)
    return d
