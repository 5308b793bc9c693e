"""One role's IC summary + content + theme -> the summary PDF's IC pages: the outcome ×
level heatmap, the median level per standard and per group as a shaded table, and a key
of the outcomes' wording."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Table

from guidepdf.content.labels import Labels
from guidepdf.content.model import Content
from guidepdf.layout.hyphenation import CellParagraph
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import figure
from guidepdf.layout.theme import Theme
from guidepdf.report import charts
from guidepdf.report.model import NO_GROUP, ICSummary
from guidepdf.report.pdfparts import chunked_table, esc, heading, table_style, tagged

GROUPS_PER_TABLE = 4


def _standard_names(content: Content) -> dict[str, str]:
    return {s.id: s.name for s in content.framework.standards}


def group_name(labels: Labels, name: str) -> str:
    """A group as the report shows it: the edition's words for people with no group."""
    return labels.text("report.no_group") if name == NO_GROUP else name


def _shade(value: float | None, levels: int, theme: Theme) -> colors.Color:
    """Closer to level 1 (the ideal) -> deeper primary; no data -> white."""
    if value is None or levels < 2:
        return colors.white
    return charts.mix(colors.white, theme.primary, (levels - value) / (levels - 1) * 0.75 + 0.1)


def ic_section(ic: ICSummary, content: Content, theme: Theme) -> list[Flowable]:
    names = _standard_names(content)
    labels = content.labels
    out: list[Flowable] = [
        PageBreak(),
        heading(labels.markup("report.ic_heading", title=ic.title), theme.style("h1"), "H1",
                outline=labels.text("report.ic_outline", title=ic.title), level=0),
        tagged(labels.markup("report.ic_lead", n=ic.respondents), theme.style("body")),
        figure(charts.ic_heatmap(ic, labels, theme, theme.frame_width, names),
               charts.heatmap_alt(ic, labels, names)),
    ]
    out += _medians(ic, labels, theme)
    rows = [[o.id, o.outcome, charts.median_text(labels, o.median)] for o in ic.outcomes]
    out.append(heading(labels.markup("report.ic_outcomes"), theme.style("h2"), "H2"))
    out += chunked_table([labels.text(f"report.ic_col_{c}") for c in ("id", "outcome",
                                                                       "median")],
                         rows, [0.08, 0.8, 0.12], theme, numeric_from=2, header_cols=1)
    return out


def _medians(ic: ICSummary, labels: Labels, theme: Theme) -> list[Flowable]:
    if not ic.standards:
        return []
    levels = len(ic.levels)
    out: list[Flowable] = []
    groups = list(ic.groups)
    chunks = [groups[i:i + GROUPS_PER_TABLE] for i in range(0, len(groups), GROUPS_PER_TABLE)]
    th, cell = theme.style("th").clone("th_small", fontSize=7.5, leading=9), \
        theme.style("cell_small")
    centred = cell.clone("cell_centre", alignment=1)
    th_centre = th.clone("th_centre", alignment=1)
    for n, chunk in enumerate(chunks or [[]]):
        header = [Paragraph(labels.markup("report.ic_col_standard"), th),
                  Paragraph(labels.markup("report.ic_col_all"), th_centre)]
        header += [Paragraph(labels.markup("report.ic_col_group",
                                           group=group_name(labels, g.name), n=g.respondents),
                             th_centre) for g in chunk]
        data: list[list[Flowable]] = [header]
        shades = []
        for row, s in enumerate(ic.standards, start=1):
            values = [s.median, *(g.by_standard.get(s.id) for g in chunk)]
            cells: list[Flowable] = [CellParagraph(esc(s.name), cell)]
            for col, v in enumerate(values, start=1):
                fill, ink = charts.readable(_shade(v, levels, theme), theme.text)
                shades.append(("BACKGROUND", (col, row), (col, row), fill))
                text = esc(charts.median_text(labels, v))
                cells.append(Paragraph(f"<font color='{ink.hexval().replace('0x', '#')}'>"
                                       f"{text}</font>", centred))
            data.append(cells)
        first = theme.frame_width * 0.34
        rest = (theme.frame_width - first) / (len(chunk) + 1)
        data = TableTags().rows(data, header_rows=1, header_cols=1)
        table = Table(data, colWidths=[first] + [rest] * (len(chunk) + 1), repeatRows=1)
        style = table_style(theme, header=True, body=True)
        for command in shades:
            style.add(*command)
        table.setStyle(style)
        title = labels.text("report.ic_medians")
        if len(chunks) > 1:
            title = labels.text("report.ic_medians_part", title=title, part=n + 1,
                                parts=len(chunks))
        out.append(KeepTogether([heading(esc(title), theme.style("h2"), "H2"), table]))
    return out
