"""Growth + content (brand) -> growth.pdf bytes: who moved toward the ideal and who moved
away, per role a chart of each outcome's levels then and now (two stacked bars, level 1 the
darkest) with the medians, a table per role and one per school or team. Tagged like the
summary (layout.tagging). No file I/O."""

from __future__ import annotations

import functools
import io

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, Spacer

from guidepdf.compare.growth import AWAY, ONLY_NOW, ONLY_THEN, SAME, TOWARD, Change, Growth, Side
from guidepdf.content.labels import Labels
from guidepdf.content.model import Content
from guidepdf.layout.structure import embedding_recorder
from guidepdf.layout.tagging import figure
from guidepdf.layout.theme import Theme, make_theme
from guidepdf.report.charts import _legend, fit, mix
from guidepdf.report.icpages import group_name
from guidepdf.report.pdfparts import chunked_table, esc, heading, tagged
from guidepdf.report.summary_pdf import CompactCanvas, new_document

ROW = 13.0  # one bar (then or now) of the chart
GAP = 5.0  # between outcomes
SHARES = (0.3, 0.075, 0.095, 0.075, 0.095, 0.09, 0.09, 0.09, 0.09)  # the tables' columns

COLUMNS = ("n_then", "median_then", "n_now", "median_now", "toward", "same", "away", "once")


def _header(labels: Labels, first: str) -> list[str]:
    """A table's header: its first column (a label key), then the change's columns."""
    return [labels.text(first), *(labels.text(f"growth.col_{c}") for c in COLUMNS)]


def _median(value: float | None, labels: Labels) -> str:
    if value is None:
        return labels.text("format.none")
    return labels.number(value, 0 if float(value).is_integer() else 1)


def _row(label: str, c: Change, labels: Labels) -> list[str]:
    m, n = c.moves, labels.number
    return [label, n(sum(c.then.values())), _median(c.then_median, labels),
            n(sum(c.now.values())), _median(c.now_median, labels), n(m[TOWARD]), n(m[SAME]),
            n(m[AWAY]), n(m[ONLY_THEN] + m[ONLY_NOW])]


def shift_chart(outcomes: list[Change], levels: int, theme: Theme, width: float,
                labels: Labels) -> Drawing:
    """Paired stacked bars per outcome: then above now, each level a shade (L1 darkest)."""
    font, size = theme.fonts.regular, 7.5
    label_w, median_w = width * 0.12, 58.0
    bar_w = width - label_w - median_w - 8
    legend_h = 18.0
    height = legend_h + len(outcomes) * (2 * ROW + GAP)
    d = Drawing(width, height, initialFontName=font)
    shades = [mix(colors.white, theme.primary, 1 - i / max(1, levels) * 0.85)
              for i in range(levels)]
    _legend(d, [(labels.text("growth.level", number=i + 1), shades[i]) for i in range(levels)],
            theme, label_w, height - 12)
    y = height - legend_h
    for c in outcomes:
        for side, counts, median in (("then", c.then, c.then_median),
                                     ("now", c.now, c.now_median)):
            y -= ROW
            numbers = [counts.get(f"L{i + 1}", 0) for i in range(levels)]
            total = sum(numbers)
            if side == "then":
                d.add(String(0, y - 2, fit(c.id, font, size, label_w - 4), fontName=font,
                             fontSize=size, fillColor=theme.text))
            d.add(String(label_w - 4, y + 3, labels.text(f"growth.{side}"), fontName=font,
                         fontSize=6.5, fillColor=theme.muted, textAnchor="end"))
            x = label_w
            if not total:
                d.add(Rect(x, y + 1, bar_w, ROW - 2, fillColor=None, strokeColor=theme.rule,
                           strokeWidth=0.4))
            for i, n in enumerate(numbers):
                if n:
                    w = bar_w * n / total
                    d.add(Rect(x, y + 1, w, ROW - 2, fillColor=shades[i],
                               strokeColor=colors.white, strokeWidth=0.4))
                    x += w
            d.add(String(label_w + bar_w + 6, y + 3,
                         labels.text(f"growth.median_{side}", median=_median(median, labels)),
                         fontName=font, fontSize=size, fillColor=theme.text))
        y -= GAP
    return d


def shift_alt(title: str, outcomes: list[Change], levels: int, labels: Labels) -> str:
    def counts(side: dict[str, int]) -> str:
        return labels.join([f"{labels.text('growth.level', number=i + 1)} "
                            f"{labels.number(side.get(f'L{i + 1}', 0))}" for i in range(levels)])

    parts = [labels.text("growth.alt_item", outcome=c.id, then=counts(c.then),
                         now=counts(c.now), median_then=_median(c.then_median, labels),
                         median_now=_median(c.now_median, labels)) for c in outcomes]
    return labels.text("growth.alt", title=title, items="; ".join(parts))


def _section(title: str, theme: Theme, outline: str | None = None) -> list[Flowable]:
    """A space and a level-two heading that starts an outline entry (`outline`, default
    the title)."""
    return [Spacer(1, 10), heading(esc(title), theme.style("h2"), "H2",
                                   outline=outline if outline is not None else title,
                                   level=0)]


def side_text(side: Side, labels: Labels) -> str:
    """"spring-2026 (forms returned 2026-03-02 to 2026-03-20)": the collect folder and the
    days its forms came back (the folder a summary was collected from is "returned" on
    both sides, so it tells the two apart only by its dates)."""
    name = side.name or side.source or side.path
    if not side.first_day:
        return name
    if side.first_day == side.last_day:
        return labels.text("growth.side_one_day", name=name, day=side.first_day)
    return labels.text("growth.side_dated", name=name, first=side.first_day,
                       last=side.last_day)


def build_growth_pdf(g: Growth, content: Content, paper: str = "letter") -> bytes:
    labels = content.labels.for_paper(paper)
    theme = make_theme(content.brand, paper, labels.hyphenation)
    title = labels.text("growth.title")
    buffer = io.BytesIO()
    doc = new_document(buffer, theme, content, title)
    story: list[Flowable] = [NextPageTemplate("body")]
    story.append(heading(esc(title), theme.style("h1"), "H1", outline=title, level=0))
    story.append(tagged(labels.markup("growth.from", earlier=side_text(g.earlier, labels),
                                      later=side_text(g.later, labels)),
                        theme.style("lead")))
    story.append(tagged(labels.markup("growth.lead", matched=labels.number(g.matched),
                                      then=labels.number(g.only_then),
                                      now=labels.number(g.only_now)), theme.style("body")))
    story.append(heading(labels.markup("growth.moves"), theme.style("h2"), "H2"))
    story += chunked_table(_header(labels, "report.col_role"),
                           [_row(labels.text("growth.everyone"), g.overall, labels),
                            *(_row(c.label, c, labels) for c in g.roles)],
                           SHARES, theme,
                           numeric_from=1, header_cols=1)
    for m in g.maps:
        mine = [c for c in g.outcomes if c.role == m.role]
        if not mine:
            continue
        levels = max(len(m.levels), 1)
        charts = [figure(shift_chart(part, levels, theme, theme.frame_width, labels),
                         shift_alt(m.title, part, levels, labels))
                  for part in (mine[start:start + 12]  # a chart never taller than a page
                               for start in range(0, len(mine), 12))]
        # the role's heading and note on the page its first chart starts
        story.append(KeepTogether([*_section(m.title, theme),
                                   tagged(labels.markup("growth.chart_note"),
                                          theme.style("small")), charts[0]]))
        story += charts[1:]
        texts = {o.id: o.text for o in m.outcomes}
        story += chunked_table(_header(labels, "growth.col_outcome"),
                               [_row(f"{c.id}  {texts.get(c.id, '')}", c, labels)
                                for c in mine],
                               SHARES, theme,
                               numeric_from=1, header_cols=1)
    if g.groups:
        story += _section(labels.text("growth.by_group"), theme)
        story += chunked_table(_header(labels, "report.col_group"),
                               [_row(group_name(labels, c.label), c, labels)
                                for c in g.groups],
                               SHARES, theme,
                               numeric_from=1, header_cols=1)
    if g.only_in_one:
        story += _section(labels.text("growth.one_version"), theme)
        rows = [[role, o.id, o.text,
                 labels.text("growth.only_earlier" if o.earlier else "growth.only_later")]
                for role, o in g.only_in_one]
        header = [labels.text(k) for k in ("report.col_role", "growth.col_outcome",
                                           "growth.col_wording", "growth.col_only_in")]
        story += chunked_table(header, rows,
                               [0.18, 0.12, 0.55, 0.15], theme, header_cols=1)
    recorder = embedding_recorder(title=title, lang=content.brand.language)
    doc.build(story, canvasmaker=functools.partial(CompactCanvas, recorder=recorder))
    return buffer.getvalue()
