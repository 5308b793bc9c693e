"""The brand's logo: `check` refuses a logo file that is missing, too big, of another kind
than its name says, unreadable, outside the content folder or an SVG with live text, each at
brand.yaml:line:col; a good PNG or SVG is drawn on the cover, the back page and the summary,
tagged as a Figure with its alt text."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from guidepdf.content import check_content, load_content

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" '
       'height="100"><rect x="0" y="0" width="200" height="100" fill="#00c853"/></svg>')


def with_logo(folder: Path, file: str, alt: str = "Garden club logo") -> Path:
    brand = folder / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8")
                     + f"logo:\n  file: {file}\n  alt: {alt}\n", encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    _, errors = check_content(folder)
    return [str(e) for e in errors]


def line_of_logo_file(folder: Path) -> int:
    lines = (folder / "brand.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("  file:"))


def _touch(path: Path) -> Path:
    path.touch()
    return path


def png(path: Path, color: tuple[int, int, int] = (0, 200, 83)) -> None:
    Image.new("RGB", (120, 60), color).save(path, "PNG")


@pytest.mark.parametrize("case, make, expected", [
    ("missing", lambda d: None, "logo file 'logo.png' not found — put the file in the "
     "content folder (e.g. images/logo.png) and give its path from there"),
    ("not an image", lambda d: (d / "logo.png").write_text("<html>hello</html>"),
     "is not a readable PNG image"),
    ("wrong kind", lambda d: Image.new("RGB", (8, 8)).save(d / "logo.png", "JPEG"),
     "logo file 'logo.png' is named .png but holds a JPEG image — rename it to .jpeg or "
     "export it as PNG"),
    ("too big", lambda d: os.truncate(_touch(d / "logo.png"), 6 * 1024 * 1024),
     "logo file 'logo.png' is 6.0 MB; the limit is 5 MB"),
])
def test_a_bad_logo_is_located_with_a_fix(toy_dir: Path, case: str, make, expected: str
                                          ) -> None:
    make(toy_dir)
    with_logo(toy_dir, "logo.png")
    found = problems(toy_dir)
    assert len(found) == 1, found
    assert found[0].startswith(f"content/brand.yaml:{line_of_logo_file(toy_dir)}:9: "), found
    assert expected in found[0], found


def test_other_logo_problems(toy_dir: Path) -> None:
    """An SVG with text (a font the PDF would not embed), a path out of the folder, another
    file type, a logo without alt text."""
    (toy_dir / "words.svg").write_text(SVG.replace("</svg>", "<text>Club</text></svg>"))
    with_logo(toy_dir, "words.svg")
    assert "has text in it" in problems(toy_dir)[0]
    for name, expected in (("../outside.png", "is outside the content folder"),
                           ("logo.gif", "'logo.gif' is not a PNG, JPEG or SVG file")):
        folder = toy_dir.parent / name.replace("/", "_").replace(".", "_")
        shutil.copytree(toy_dir, folder)
        (folder / "brand.yaml").write_text((folder / "brand.yaml").read_text().split("logo:")[0])
        with_logo(folder, name)
        assert expected in problems(folder)[0]
    bare = toy_dir.parent / "bare"
    shutil.copytree(toy_dir, bare)
    (bare / "brand.yaml").write_text((bare / "brand.yaml").read_text().split("logo:")[0]
                                     + "logo:\n  file: words.svg\n")
    assert "missing required key 'alt' in logo" in problems(bare)[0]


def figures(pdf: bytes) -> list[str]:
    """The /Alt of every Figure in the structure tree."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
    return found


def green_pixels(pdf: bytes, page: int) -> int:
    """Pixels of the logo's pure green (#00c853) on a page, rendered by PDFium."""
    doc = pdfium.PdfDocument(pdf)
    image = doc[page].render(scale=1).to_pil().convert("RGB")
    data = image.tobytes()
    return sum(1 for i in range(0, len(data), 3)
               if data[i] < 40 and 180 < data[i + 1] < 220 and 60 < data[i + 2] < 110)


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_good_logo_is_drawn_and_tagged(toy_dir: Path, kind: str) -> None:
    from guidepdf.layout.document import build_guide
    from guidepdf.report.aggregate import aggregate
    from guidepdf.report.summary_pdf import build_summary_pdf

    if kind == "png":
        png(toy_dir / "logo.png")
    else:
        (toy_dir / "logo.svg").write_text(SVG)
    with_logo(toy_dir, f"logo.{kind}")
    assert problems(toy_dir) == []
    content = load_content(toy_dir)
    role = content.roles[0]
    guide = build_guide(content, role)
    pages = len(pdfium.PdfDocument(guide))
    assert green_pixels(guide, 0) > 500  # the cover
    assert green_pixels(guide, pages - 1) > 500  # the back page
    assert green_pixels(guide, 1) == 0
    assert figures(guide).count("Garden club logo") == 2
    summary = build_summary_pdf(aggregate([], content, None, source="returned"), content,
                                part="summary")
    assert green_pixels(summary, 0) > 200
    assert "Garden club logo" in figures(summary)


def test_the_summary_logo_sits_at_the_right(toy_dir: Path) -> None:
    """On the summary's first page the logo is drawn at the right edge of the frame."""
    from guidepdf.report.aggregate import aggregate
    from guidepdf.report.summary_pdf import build_summary_pdf

    png(toy_dir / "logo.png")
    content = load_content(with_logo(toy_dir, "logo.png"))
    pdf = build_summary_pdf(aggregate([], content, None, source="returned"), content,
                            part="summary")
    image = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("RGB")
    xs = [x for x in range(image.width) for y in range(0, image.height // 4, 4)
          if image.getpixel((x, y)) == (0, 200, 83)]
    assert xs and min(xs) > image.width / 2
