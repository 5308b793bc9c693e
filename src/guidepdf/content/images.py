"""An image file named in content (the brand's logo) -> what is wrong with it, if anything:
the kinds we draw (PNG, JPEG, SVG), a size cap checked before reading, and a decode that
proves the file is what its name says. Nothing is kept; layout.logo draws the file."""

from __future__ import annotations

import logging
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024  # a logo is a few hundred KB at most; a bigger one is a mistake
KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}


def image_problem(path: Path) -> tuple[str, str] | None:
    """(problem, hint) when `path` is not a logo we can draw, else None."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        return (f"'{path.name}' is not a PNG, JPEG or SVG file",
                "save the logo as .png, .jpg or .svg")
    try:
        if not path.is_file():
            return (f"logo file '{path.name}' not found", "put the file in the content "
                    "folder (e.g. images/logo.png) and give its path from there")
        size = path.stat().st_size
        if size > MAX_BYTES:
            return (f"logo file '{path.name}' is {size / 1048576:.1f} MB; the limit is "
                    f"{MAX_BYTES // 1048576} MB", "export it smaller (a logo prints well at "
                    "600 pixels wide)")
        return _svg_problem(path) if kind == "SVG" else _raster_problem(path, kind)
    except OSError as exc:
        return (f"logo file '{path.name}' cannot be read ({exc.strerror or exc})",
                "check that the file exists and that you may read it")


def _raster_problem(path: Path, kind: str) -> tuple[str, str] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
            found, (width, height) = image.format, image.size
    except (UnidentifiedImageError, SyntaxError, ValueError) as exc:
        return (f"logo file '{path.name}' is not a readable {kind} image ({exc})",
                "open it in an image editor and export it again")
    if found != kind:
        return (f"logo file '{path.name}' is named .{path.suffix[1:]} but holds a {found} "
                "image", f"rename it to .{found.lower()} or export it as {kind}")
    if width < 1 or height < 1 or width * height > 40_000_000:
        return (f"logo file '{path.name}' is {width}×{height} pixels",
                "export it at a size between 1 and a few thousand pixels a side")
    return None


def load_svg(path: Path):  # type: ignore[no-untyped-def]
    """The SVG as a reportlab Drawing, or None when svglib cannot read it."""
    from svglib.svglib import svg2rlg

    quiet = logging.getLogger("svglib.svglib")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # its parse errors come back to us as None
    try:
        return svg2rlg(str(path))
    except Exception:  # svglib raises lxml's and its own errors for malformed files
        return None
    finally:
        quiet.setLevel(level)


def _svg_problem(path: Path) -> tuple[str, str] | None:
    drawing = load_svg(path)
    if drawing is None:
        return (f"logo file '{path.name}' is not an SVG image svglib can read",
                "open it in a vector editor and save it again as plain SVG")
    if drawing.width <= 0 or drawing.height <= 0:
        return (f"logo file '{path.name}' has no width or height",
                "give the <svg> element a viewBox or width and height")
    if b"<text" in path.read_bytes():
        return (f"logo file '{path.name}' has text in it, which would be drawn in a font "
                "the PDF does not embed", "convert the text to outlines (paths) in your "
                "vector editor")
    return None
