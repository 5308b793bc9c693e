"""Summary + content -> one PDF per school or team, the page a team prints for its planning
meeting: who is in it, the team's IC levels as a small heatmap per role, every member's
REFLECTIONS and FIRST STEPS side by side for each question, and ruled space for the actions
the team agrees on. Tagged like summary.pdf (layout.tagging, layout.structure). No file
I/O: `team_pdfs` yields (file name, bytes) and collect writes them."""

from __future__ import annotations

import functools
import io
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
)

from guidepdf.content.labels import Labels
from guidepdf.content.model import Content
from guidepdf.layout.structure import embedding_recorder
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import Tagged, figure
from guidepdf.layout.theme import Theme, make_theme
from guidepdf.report import answerrows, charts
from guidepdf.report.aggregate import ic_summaries
from guidepdf.report.model import NO_GROUP, Response, RoleSummary, Summary
from guidepdf.report.pdfparts import (
    Deferred,
    Para,
    chunked_table,
    esc,
    heading,
    name_list,
    person_heading,
    person_text,
    table_style,
    tagged,
)
from guidepdf.report.summary_pdf import CompactCanvas, new_document
from guidepdf.safenames import unique_stem

ACTION_ROWS = 8  # ruled rows for the team's agreed actions
ACTION_ROW_HEIGHT = 34.0

@dataclass(frozen=True)
class Team:
    name: str
    file: str  # "<safe name>.pdf", unique within the run
    members: tuple[int, ...]  # indices into summary.responses, in the summary's order


def teams(summary: Summary) -> list[Team]:
    """Every school or team with at least one kept form, alphabetically (case-blind), each
    with a file name safe on every OS; forms without a group have no team page."""
    found: dict[str, array[int]] = {}
    for n, r in enumerate(summary.responses):
        if r.group and r.group != NO_GROUP:
            found.setdefault(r.group, array("q")).append(n)
    taken: set[str] = set()
    out = []
    for name in sorted(found, key=lambda g: (g.casefold(), g)):
        out.append(Team(name, unique_stem(name, taken) + ".pdf", tuple(found[name])))
    return out


def team_pdfs(summary: Summary, content: Content, paper: str = "letter"
              ) -> Iterator[tuple[str, bytes]]:
    """(file name, PDF bytes) for every team, one team at a time."""
    for team in teams(summary):
        yield team.file, build_team_pdf(summary, team, content, paper)


def build_team_pdf(summary: Summary, team: Team, content: Content,
                   paper: str = "letter") -> bytes:
    """One team's pages; the same summary gives the same bytes."""
    theme = make_theme(content.brand, paper)
    labels = content.labels.for_paper(paper)
    title = labels.text("team.title", team=team.name)
    buffer = io.BytesIO()
    doc = new_document(buffer, theme, content, title)
    members = [summary.responses[i] for i in team.members]
    story: list[Flowable] = [NextPageTemplate("body")]
    story += _opening(team, members, summary, theme, labels)
    names = {s.id: s.name for s in content.framework.standards}
    for ic in ic_summaries(members, content):
        story.append(KeepTogether([
            heading(labels.markup("team.ic", title=ic.title), theme.style("h2"), "H2",
                    outline=labels.text("team.ic", title=ic.title), level=0),
            tagged(labels.markup("team.ic_note"), theme.style("small")),
            figure(charts.ic_heatmap(ic, labels, theme, theme.frame_width, names),
                   charts.heatmap_alt(ic, labels, names))]))
    for role in summary.roles:
        mine = [r for r in members if r.role == role.id]
        if mine:
            story.append(Deferred(_answers(role, mine, theme, labels)))
    story += _actions(theme, labels)
    recorder = embedding_recorder(title=title, lang=content.brand.language)
    doc.build(story, canvasmaker=functools.partial(CompactCanvas, recorder=recorder))
    return buffer.getvalue()


def _opening(team: Team, members: list[Response], summary: Summary, theme: Theme,
             labels: Labels) -> list[Flowable]:
    titles = {r.id: r.title for r in summary.roles}
    rows = [[r.who, titles.get(r.role, r.role), r.email] for r in members]
    header = [labels.text(f"report.col_{c}") for c in ("name", "role", "email")]
    return [
        person_heading(team.name, theme.style("h1"), "H1", outline=team.name, level=0),
        tagged(labels.markup("team.lead", n=len(members)), theme.style("lead")),
        heading(labels.markup("team.members"), theme.style("h2"), "H2"),
        *chunked_table(header, rows, [0.34, 0.28, 0.38], theme, header_cols=1),
        Spacer(1, 8),
    ]


def _answers(role: RoleSummary, members: list[Response], theme: Theme,
             labels: Labels) -> Iterator[Flowable]:
    yield PageBreak()
    yield heading(labels.markup("team.answers", title=role.title), theme.style("h1"), "H1",
                  outline=role.title, level=0)
    for q in role.questions:
        written, blank = [], []
        for r in members:
            cells = [a for a in r.answers if a.question_id == q.id
                     and (a.reflections.strip() or a.first_steps.strip())]
            (written if cells else blank).append((r, cells))
        if not written:
            continue
        tags = TableTags()
        running = answerrows.Running(role.title, q.number)
        head: list[Flowable] = [
            heading(labels.markup("report.question", number=q.number), theme.style("h2"),
                    "H2", outline=labels.text("report.question_outline", number=q.number,
                                              text=q.text), level=1),
            tagged(esc(q.text), theme.style("h3"), "H3"),
            answerrows.header(theme, labels, tags=tags)]
        rows = [answerrows.answer_row(r, a.reflections, a.first_steps, labels, theme, running,
                                      last=False, tags=tags)
                for r, cells in written for a in cells]
        rows[-1].last = True
        yield KeepTogether([*head, rows[0]])
        yield from rows[1:]
        if blank:
            names = name_list([r.who for r, _ in blank], labels)
            yield Spacer(1, 4)
            yield Tagged(person_text(labels.text("report.left_blank", n=len(blank),
                                                 names=names), theme.style("small")), "P")


def _actions(theme: Theme, labels: Labels) -> list[Flowable]:
    """A table with a header and empty ruled rows to write the agreed actions in."""
    th = theme.style("th")
    header = [labels.markup(f"team.col_{c}") for c in ("action", "leads", "by_when", "done")]
    rows: list[list[Flowable]] = [[Para(h, th) for h in header]]
    rows += [[Para("", theme.style("cell")) for _ in header] for _ in range(ACTION_ROWS)]
    widths = [theme.frame_width * s for s in (0.52, 0.22, 0.16, 0.1)]
    table = Table(TableTags().rows(rows, header_rows=1), colWidths=widths,
                  rowHeights=[None] + [ACTION_ROW_HEIGHT] * ACTION_ROWS, repeatRows=1)
    style = table_style(theme, header=True, body=True)
    style.add("LINEAFTER", (0, 1), (-2, -1), 0.5, theme.rule)
    table.setStyle(style)
    return [PageBreak(),
            heading(labels.markup("team.actions"), theme.style("h1"), "H1",
                    outline=labels.text("team.actions"), level=0),
            tagged(labels.markup("team.actions_note"), theme.style("body")),
            table]
