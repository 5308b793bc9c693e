"""Growth + content (brand) -> growth.pdf bytes: who moved toward the ideal and who moved
away, per role a chart of each outcome's levels then and now (two stacked bars, level 1 the
darkest) with the medians, a table per role and one per school or team. Tagged like the
summary (layout.tagging). No file I/O."""

from __future__ import annotations

import functools
import io

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, NextPageTemplate, Spacer

from guidepdf.compare.growth import AWAY, ONLY_NOW, ONLY_THEN, SAME, TOWARD, Change, Growth
from guidepdf.content.model import Content
from guidepdf.layout.structure import tag_pdf
from guidepdf.layout.tagging import StructureRecorder, figure
from guidepdf.layout.theme import Theme, make_theme
from guidepdf.report.charts import _legend, fit, mix
from guidepdf.report.pdfparts import chunked_table, esc, heading, tagged
from guidepdf.report.summary_pdf import CompactCanvas, new_document

ROW = 13.0  # one bar (then or now) of the chart
GAP = 5.0  # between outcomes
SHARES = (0.3, 0.075, 0.095, 0.075, 0.095, 0.09, 0.09, 0.09, 0.09)  # the tables' columns

# the comparison's words, together until they move to content/labels.yaml (issue 18a)
TEXT = {
    "title": "Growth over time",
    "from": "From {earlier} to {later}",
    "lead": "{matched} people were assessed both times (matched by roster id, else by "
            "email); {then} only the first time and {now} only the second. Each outcome a "
            "person rated both times counts once below: toward the ideal means a lower "
            "level number (level 1 is the ideal).",
    "moves": "How people moved",
    "role": "{title}",
    "chart_note": "For each outcome, the upper bar is then and the lower bar now: the share "
                  "of people at each level, level 1 (the ideal) darkest. Medians on the right.",
    "by_group": "By school or team",
    "one_version": "Outcomes in only one of the two content versions",
    "then_label": "then", "now_label": "now",
    "header": ("Outcome", "n then", "Median then", "n now", "Median now", "Toward", "Same",
               "Away", "Once"),
    "role_header": ("Role", "n then", "Median then", "n now", "Median now", "Toward", "Same",
                    "Away", "Once"),
    "group_header": ("School or team", "n then", "Median then", "n now", "Median now",
                     "Toward", "Same", "Away", "Once"),
    "everyone": "Everyone",
}


def _median(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _row(label: str, c: Change) -> list[str]:
    m = c.moves
    return [label, str(sum(c.then.values())), _median(c.then_median), str(sum(c.now.values())),
            _median(c.now_median), str(m[TOWARD]), str(m[SAME]), str(m[AWAY]),
            str(m[ONLY_THEN] + m[ONLY_NOW])]


def shift_chart(outcomes: list[Change], levels: int, theme: Theme, width: float) -> Drawing:
    """Paired stacked bars per outcome: then above now, each level a shade (L1 darkest)."""
    font, size = theme.fonts.regular, 7.5
    label_w, median_w = width * 0.12, 58.0
    bar_w = width - label_w - median_w - 8
    legend_h = 18.0
    height = legend_h + len(outcomes) * (2 * ROW + GAP)
    d = Drawing(width, height, initialFontName=font)
    shades = [mix(colors.white, theme.primary, 1 - i / max(1, levels) * 0.85)
              for i in range(levels)]
    _legend(d, [(f"L{i + 1}", shades[i]) for i in range(levels)], theme, label_w,
            height - 12)
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
            d.add(String(label_w - 4, y + 3, TEXT[f"{side}_label"], fontName=font,
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
            d.add(String(label_w + bar_w + 6, y + 3, f"{side} {_median(median)}",
                         fontName=font, fontSize=size, fillColor=theme.text))
        y -= GAP
    return d


def shift_alt(title: str, outcomes: list[Change], levels: int) -> str:
    parts = []
    for c in outcomes:
        then = ", ".join(f"L{i + 1} {c.then.get(f'L{i + 1}', 0)}" for i in range(levels))
        now = ", ".join(f"L{i + 1} {c.now.get(f'L{i + 1}', 0)}" for i in range(levels))
        parts.append(f"{c.id}: then {then} (median {_median(c.then_median)}); now {now} "
                     f"(median {_median(c.now_median)})")
    return f"{title}, people at each level then and now. " + "; ".join(parts) + "."


def _section(title: str, theme: Theme, outline: str | None = None) -> list[Flowable]:
    """A space and a level-two heading that starts an outline entry (`outline`, default
    the title)."""
    return [Spacer(1, 10), heading(esc(title), theme.style("h2"), "H2",
                                   outline=outline if outline is not None else title,
                                   level=0)]


def build_growth_pdf(g: Growth, content: Content, paper: str = "letter") -> bytes:
    theme = make_theme(content.brand, paper)
    title = TEXT["title"]
    buffer = io.BytesIO()
    doc = new_document(buffer, theme, content, title)
    story: list[Flowable] = [NextPageTemplate("body")]
    story.append(heading(esc(title), theme.style("h1"), "H1", outline=title, level=0))
    story.append(tagged(esc(TEXT["from"].format(earlier=g.earlier.source or g.earlier.path,
                                                later=g.later.source or g.later.path)),
                        theme.style("lead")))
    story.append(tagged(esc(TEXT["lead"].format(matched=g.matched, then=g.only_then,
                                                now=g.only_now)), theme.style("body")))
    story.append(heading(esc(TEXT["moves"]), theme.style("h2"), "H2"))
    story += chunked_table(TEXT["role_header"], [_row(TEXT["everyone"], g.overall),
                                                  *(_row(c.label, c) for c in g.roles)],
                           SHARES, theme,
                           numeric_from=1, header_cols=1)
    for m in g.maps:
        mine = [c for c in g.outcomes if c.role == m.role]
        if not mine:
            continue
        levels = max(len(m.levels), 1)
        story += _section(TEXT["role"].format(title=m.title), theme, outline=m.title)
        story.append(tagged(esc(TEXT["chart_note"]), theme.style("small")))
        for start in range(0, len(mine), 12):  # a chart never taller than a page
            part = mine[start:start + 12]
            story.append(figure(shift_chart(part, levels, theme, theme.frame_width),
                                shift_alt(m.title, part, levels)))
        texts = {o.id: o.text for o in m.outcomes}
        story += chunked_table(TEXT["header"], [_row(f"{c.id}  {texts.get(c.id, '')}", c)
                                                for c in mine],
                               SHARES, theme,
                               numeric_from=1, header_cols=1)
    if g.groups:
        story += _section(TEXT["by_group"], theme)
        story += chunked_table(TEXT["group_header"], [_row(c.label, c) for c in g.groups],
                               SHARES, theme,
                               numeric_from=1, header_cols=1)
    if g.only_in_one:
        story += _section(TEXT["one_version"], theme)
        rows = [[role, o.id, o.text, "earlier" if o.earlier else "later"]
                for role, o in g.only_in_one]
        story += chunked_table(("Role", "Outcome", "Wording", "Only in"), rows,
                               [0.18, 0.12, 0.55, 0.15], theme, header_cols=1)
    story.append(Spacer(0, 0))
    recorder = StructureRecorder()
    doc.build(story, canvasmaker=functools.partial(CompactCanvas, recorder=recorder))
    return tag_pdf(buffer.getvalue(), recorder, title=title, lang=content.brand.language)
