"""Two summaries of the same people at two times -> growth over time: per IC outcome, role,
school or team and person the level then and now and the change, in growth.pdf,
growth.xlsx and growth.json.

    stream.py   summary.json (or a collect folder) -> its IC maps and assessed people, streamed
    growth.py   earlier + later -> Growth (people matched by roster id, else email)
    tables.py   Growth -> growth.json (streamed) and growth.xlsx (constant memory)
    pdf.py      Growth + content -> growth.pdf (a paired-bar chart per role, tables)
"""

from __future__ import annotations

from pathlib import Path

from guidepdf.atomic import remove_stale_temps, replacing, write_bytes, write_chunks
from guidepdf.compare.growth import Growth, compare
from guidepdf.content.model import Content

OUTPUTS = ("growth.pdf", "growth.xlsx", "growth.json")

__all__ = ["OUTPUTS", "Growth", "compare", "compare_summaries", "write_growth"]


def write_growth(growth: Growth, content: Content, out_dir: Path, paper: str = "letter"
                 ) -> dict[str, Path]:
    """growth.pdf, growth.xlsx and growth.json into `out_dir`, each atomically."""
    from guidepdf.compare import pdf, tables

    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir)
    paths = {name: out_dir / name for name in OUTPUTS}
    write_chunks(paths["growth.json"], (c.encode("utf-8") for c in tables.json_chunks(growth)))
    with replacing(paths["growth.xlsx"]) as handle:
        tables.write_xlsx(growth, handle, content.brand.colors.primary, paper, content.labels)
    write_bytes(paths["growth.pdf"], pdf.build_growth_pdf(growth, content, paper))
    return paths


def compare_summaries(earlier: str | Path, later: str | Path, out_dir: str | Path,
                      content: Content, paper: str = "letter") -> tuple[Growth, dict[str, Path]]:
    """Compare two summary.json files (or collect folders) and write the growth files into
    `out_dir`. Raises CompareInputError for a file that is not a readable summary.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    growth = compare(Path(earlier), Path(later), spool_dir=out_dir)
    return growth, write_growth(growth, content, out_dir, paper)
