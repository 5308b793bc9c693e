"""Render the README's page images from the shipped content (run: python examples/make_images.py)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from guidepdf.content import load_content
from guidepdf.layout import GuideOptions, build_guide

OUT = Path(__file__).parent / "images"


def main() -> None:
    content = load_content()
    pdf = build_guide(content, content.role("coach"), GuideOptions(mode="fillable"))
    doc = pdfium.PdfDocument(pdf)
    texts = [page.get_textpage().get_text_range() for page in doc]
    pages = {
        "cover": 0,
        "wheel": next(i for i, t in enumerate(texts) if "Learning Designs" in t and
                      "CONTENT" in t.upper()),
        "table": next(i for i, t in enumerate(texts) if "REFLECTIONS" in t),
    }
    OUT.mkdir(exist_ok=True)
    for name, index in pages.items():
        doc[index].render(scale=0.75, may_draw_forms=True).to_pil().save(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
