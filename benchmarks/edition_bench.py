"""The Spanish edition against the English content (issue 18): build time of every guide and
of a summary, and how long words break in table cells with and without hyphenation.

    python benchmarks/edition_bench.py [--repeat 3] [--forms 40]

Guides: all 7 roles × fillable/print, English and Spanish built alternately (same machine
load), median of --repeat builds each. Summary: --forms filled forms per edition (answers in
the edition's language), summary.pdf + responses.xlsx built from the same Summary, median of
--repeat. Line breaking: every table-cell paragraph of the Spanish guides and summary, laid
out once with the edition's hyphenation and once without, counting words cut with no hyphen
(reportlab's splitLongWords: "interdisciplinari|edad") and words broken at a syllable.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from guidepdf import formspec
from guidepdf.content import Content, load_content
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.layout.hyphenation import CellParagraph
from guidepdf.paths import default_content_dir
from guidepdf.report.collect import read_folder
from guidepdf.report.summary_pdf import build_summary_pdf
from guidepdf.report.tables import write_responses_xlsx
from guidepdf.samplefill import fill, form_values

ANSWERS = {
    "en": ("We need protected time for peer observation and interdisciplinary feedback "
           "cycles; the schedule leaves none.", "Set up a monthly coaching cycle by March."),
    "es": ("Necesitamos tiempo protegido para la observación entre pares y ciclos de "
           "retroalimentación interdisciplinaria; el horario no deja ninguno.",
           "Calendarizar un ciclo mensual de acompañamiento pedagógico antes de marzo."),
}


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def guides(contents: dict[str, Content], repeat: int) -> None:
    print("| guide | English ms | Spanish ms | × time | English KiB | Spanish KiB |")
    print("|---|---:|---:|---:|---:|---:|")
    totals: Counter[str] = Counter()
    for role in contents["en"].roles:
        for mode in ("fillable", "print"):
            row = {}
            for code, content in contents.items():
                r = content.role(role.id)
                size = len(build_guide(content, r, GuideOptions(mode=mode)))
                options = GuideOptions(mode=mode)
                ms = median_ms(lambda c=content, r=r, o=options: build_guide(c, r, o), repeat)
                row[code] = (ms, size)
                totals[f"{code}-ms"] += ms
                totals[f"{code}-kib"] += size / 1024
            (en_ms, en_size), (es_ms, es_size) = row["en"], row["es"]
            print(f"| {role.id} {mode} | {en_ms:,.0f} | {es_ms:,.0f} | {es_ms / en_ms:.2f} | "
                  f"{en_size / 1024:,.0f} | {es_size / 1024:,.0f} |")
    print(f"| **all 14 guides** | {totals['en-ms']:,.0f} | {totals['es-ms']:,.0f} | "
          f"**{totals['es-ms'] / totals['en-ms']:.2f}** | {totals['en-kib']:,.0f} | "
          f"{totals['es-kib']:,.0f} |")


def summaries(contents: dict[str, Content], forms: int, repeat: int) -> None:
    print("\n| summary of forms | English ms | Spanish ms | × time |")
    print("|---|---:|---:|---:|")
    timing = {}
    for code, content in contents.items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            blanks = {r.id: build_guide(content, r) for r in content.roles}
            for n in range(forms):
                role = content.roles[n % len(content.roles)]
                values = form_values(role.id, respondent={"name": f"Person {n}"},
                                     answers={q.id: ANSWERS[code] for q in role.questions},
                                     ic={o.id: formspec.ic_level_value(n % 3)
                                         for o in role.icmap.outcomes} if role.icmap else {})
                (folder / f"f{n:03}.pdf").write_bytes(
                    fill(blanks[role.id], values, appearances="viewer"))
            summary = read_folder(folder, content, jobs=1)

            def both(s=summary, c=content) -> None:
                build_summary_pdf(s, c)
                write_responses_xlsx(s, io.BytesIO(), labels=c.labels)

            timing[code] = median_ms(both, repeat)
    print(f"| {forms} forms: summary.pdf + responses.xlsx | {timing['en']:,.0f} | "
          f"{timing['es']:,.0f} | {timing['es'] / timing['en']:.2f} |")


def line_breaking(spanish: Content) -> None:
    counts: Counter[str] = Counter()
    original = CellParagraph.breakLines

    def counting(self, width):  # type: ignore[no-untyped-def]
        result = original(self, width)
        counts["paragraphs"] += 1
        counts["cut"] += getattr(self, "_splitLongWordCount", 0)
        counts["hyphenated"] += getattr(self, "_hyphenations", 0)
        return result

    print("\n| Spanish guides, table cells | paragraphs laid out | words cut with no hyphen "
          "| words broken at a syllable |")
    print("|---|---:|---:|---:|")
    CellParagraph.breakLines = counting  # type: ignore[method-assign]
    try:
        for label, content in (("no hyphenation", replace(spanish, labels=_no_hyphens(spanish))),
                               ("hyphenation es (shipped)", spanish)):
            counts.clear()
            for role in content.roles:
                for mode in ("fillable", "print"):
                    for paper in ("letter", "a4"):
                        build_guide(content, role, GuideOptions(mode=mode, paper=paper))
            print(f"| {label} | {counts['paragraphs']:,} | {counts['cut']:,} | "
                  f"{counts['hyphenated']:,} |")
    finally:
        CellParagraph.breakLines = original  # type: ignore[method-assign]


def narrow_cells(spanish: Content) -> None:
    """Every Spanish question and IC level text in cells narrower than any shipped one (as
    a map with more levels, or a narrower paper, would make them): words cut with no
    hyphen, and broken at a syllable, without and with the edition's hyphenation."""
    from reportlab.lib.styles import ParagraphStyle

    from guidepdf.layout.theme import make_theme

    font = make_theme(spanish.brand).fonts.regular
    texts = [q.text for r in spanish.roles for q in r.questions]
    texts += [c for r in spanish.roles if r.icmap for o in r.icmap.outcomes for c in o.levels
              if c]
    print("\n| Spanish questions and IC levels (8.5 pt) | cell width pt | words cut, no "
          "hyphenation | words cut, es | words hyphenated, es |")
    print("|---|---:|---:|---:|---:|")
    for width in (40, 55, 70):
        found = {}
        for language in ("", "es"):
            style = ParagraphStyle("n", fontName=font, fontSize=8.5, leading=10.5)
            style.cellHyphenation = language
            cut = hyphenated = 0
            for text in texts:
                p = CellParagraph(text, style)
                p.wrap(width, 10_000)
                cut += p._splitLongWordCount
                hyphenated += p._hyphenations
            found[language] = (cut, hyphenated)
        print(f"| {len(texts):,} texts | {width} | {found[''][0]:,} | {found['es'][0]:,} | "
              f"{found['es'][1]:,} |")


def _no_hyphens(content: Content):  # type: ignore[no-untyped-def]
    texts = dict(content.labels.texts)
    texts["format.hyphenation"] = "none"
    return replace(content.labels, texts=texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--forms", type=int, default=40)
    args = parser.parse_args()
    contents = {"en": load_content(), "es": load_content(default_content_dir() / "editions"
                                                         / "es")}
    guides(contents, args.repeat)
    summaries(contents, args.forms, args.repeat)
    line_breaking(contents["es"])
    narrow_cells(contents["es"])


if __name__ == "__main__":
    main()
