"""The brand's logo (content.model.Logo) -> drawn in a box on a canvas or as a flowable,
its aspect kept, tagged as a Figure whose /Alt is the logo's alt text. PNG and JPEG through
reportlab's image support, SVG as vector shapes through svglib."""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from guidepdf.content.images import load_svg
from guidepdf.content.model import Logo
from guidepdf.layout.tagging import Element, marked


@functools.lru_cache(maxsize=8)
def _source(path: Path):  # type: ignore[no-untyped-def]
    """(kind, object, width, height): an SVG Drawing or a raster ImageReader."""
    if path.suffix.lower() == ".svg":
        drawing = load_svg(path)
        if drawing is None:  # check_content refuses such a file before a build gets here
            raise ValueError(f"{path}: not an SVG image svglib can read")
        return "svg", drawing, float(drawing.width), float(drawing.height)
    image = ImageReader(str(path))
    width, height = image.getSize()
    return "raster", image, float(width), float(height)


def fitted(logo: Logo, max_width: float, max_height: float) -> tuple[float, float]:
    """The logo's drawn size in the box, aspect kept."""
    _, _, width, height = _source(logo.path)
    scale = min(max_width / width, max_height / height)
    return width * scale, height * scale


def draw_logo(canv, logo: Logo, x: float, y: float, max_width: float,  # type: ignore[no-untyped-def]
              max_height: float, *, align: str = "left") -> tuple[float, float]:
    """Draw the logo with its lower edge at y, in a max_width × max_height box starting at x
    (align "right": ending at x + max_width); return its (width, height)."""
    kind, source, width, height = _source(logo.path)
    w, h = fitted(logo, max_width, max_height)
    left = x + max_width - w if align == "right" else x
    with marked(canv, Element("Figure", alt=logo.alt)):
        if kind == "svg":
            canv.saveState()
            canv.translate(left, y)
            canv.scale(w / width, h / height)
            # the drawing starts in the canvas's font, not in Helvetica: a logo without text
            # must not put an unembedded standard font into the PDF (PDF/UA)
            source.initialFontName, source.initialFontSize = canv._fontname, canv._fontsize
            renderPDF.draw(source, canv, 0, 0)
            canv.restoreState()
        else:
            canv.drawImage(source, left, y, w, h, mask="auto")
    return w, h


class LogoFlowable(Flowable):
    """The logo in the story, at most max_width × max_height, aligned left or right."""

    def __init__(self, logo: Logo, max_width: float, max_height: float,
                 align: str = "left") -> None:
        super().__init__()
        self.logo, self.max_width, self.max_height, self.align = logo, max_width, max_height, \
            align

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.box = min(self.max_width, avail_width)
        _, h = fitted(self.logo, self.box, self.max_height)
        self.width, self.height = avail_width, h  # the whole line: aligned within it
        return self.width, self.height

    def draw(self) -> None:
        x = self.width - self.box if self.align == "right" else 0.0
        draw_logo(self.canv, self.logo, x, 0, self.box, self.max_height, align=self.align)
