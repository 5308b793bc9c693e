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
from guidepdf.layout.structure import tag_pdf
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import StructureRecorder, figure
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
    table_style,
    tagged,
)
from guidepdf.report.summary_pdf import CompactCanvas, new_document, plural
from guidepdf.safenames import unique_stem

ACTION_ROWS = 8  # ruled rows for the team's agreed actions
ACTION_ROW_HEIGHT = 34.0

# the team pages' words, together until they move to content/labels.yaml (issue 18a)
TEXT = {
    "title": "Team page",
    "heading": "{team}",
    "lead": "{members} returned a guide. This page gathers what each of you wrote, to "
            "plan the team's next steps together.",
    "members": "Who is on this page",
    "members_header": ("Name", "Role", "Email"),
    "ic": "Where we are: {title}",
    "ic_note": "How many of us chose each level for each outcome (level 1 is the ideal; "
               "the median is the middle level chosen).",
    "answers": "What we wrote: {title}",
    "question": "Question {number}",
    "blank": "Left blank by: {names}",
    "actions": "Our agreed actions",
    "actions_note": "Write down what the team agrees to do first: the action, who leads "
                    "it, and by when.",
    "actions_header": ("Action", "Who leads it", "By when", "Done"),
}


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
    title = f"{TEXT['title']}: {team.name}"
    buffer = io.BytesIO()
    doc = new_document(buffer, theme, content, title)
    members = [summary.responses[i] for i in team.members]
    story: list[Flowable] = [NextPageTemplate("body")]
    story += _opening(team, members, summary, theme)
    for ic in ic_summaries(members, content):
        names = {s.id: s.name for s in content.framework.standards}
        story.append(KeepTogether([
            heading(esc(TEXT["ic"].format(title=ic.title)), theme.style("h2"), "H2",
                    outline=TEXT["ic"].format(title=ic.title), level=0),
            tagged(esc(TEXT["ic_note"]), theme.style("small")),
            figure(charts.ic_heatmap(ic, content.labels, theme, theme.frame_width, names),
                   charts.heatmap_alt(ic, content.labels, names))]))
    for role in summary.roles:
        mine = [r for r in members if r.role == role.id]
        if mine:
            story.append(Deferred(_answers(role, mine, theme, content.labels)))
    story += _actions(theme)
    recorder = StructureRecorder()
    doc.build(story, canvasmaker=functools.partial(CompactCanvas, recorder=recorder))
    return tag_pdf(buffer.getvalue(), recorder, title=title, lang=content.brand.language)


def _opening(team: Team, members: list[Response], summary: Summary, theme: Theme
             ) -> list[Flowable]:
    titles = {r.id: r.title for r in summary.roles}
    rows = [[r.who, titles.get(r.role, r.role), r.email] for r in members]
    return [
        heading(esc(TEXT["heading"].format(team=team.name)), theme.style("h1"), "H1",
                outline=team.name, level=0),
        tagged(esc(TEXT["lead"].format(members=plural(len(members), "person"))),
               theme.style("lead")),
        heading(esc(TEXT["members"]), theme.style("h2"), "H2"),
        *chunked_table(TEXT["members_header"], rows, [0.34, 0.28, 0.38], theme,
                       header_cols=1),
        Spacer(1, 8),
    ]


def _answers(role: RoleSummary, members: list[Response], theme: Theme,
             labels: Labels) -> Iterator[Flowable]:
    yield PageBreak()
    yield heading(esc(TEXT["answers"].format(title=role.title)), theme.style("h1"), "H1",
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
            heading(esc(TEXT["question"].format(number=q.number)), theme.style("h2"), "H2",
                    outline=f"Q{q.number}. {q.text}", level=1),
            tagged(esc(q.text), theme.style("h3"), "H3"),
            answerrows.header(theme, labels, tags=tags)]
        rows = [answerrows.answer_row(r, a.reflections, a.first_steps, labels, theme, running,
                                      last=False, tags=tags)
                for r, cells in written for a in cells]
        rows[-1].last = True
        yield KeepTogether([*head, rows[0]])
        yield from rows[1:]
        if blank:
            names = ", ".join(r.who for r, _ in blank)
            yield Spacer(1, 4)
            yield tagged(esc(TEXT["blank"].format(names=names)), theme.style("small"))


def _actions(theme: Theme) -> list[Flowable]:
    """A table with a header and empty ruled rows to write the agreed actions in."""
    th = theme.style("th")
    rows: list[list[Flowable]] = [[Para(esc(h), th) for h in TEXT["actions_header"]]]
    rows += [[Para("", theme.style("cell")) for _ in TEXT["actions_header"]]
             for _ in range(ACTION_ROWS)]
    widths = [theme.frame_width * s for s in (0.52, 0.22, 0.16, 0.1)]
    table = Table(TableTags().rows(rows, header_rows=1), colWidths=widths,
                  rowHeights=[None] + [ACTION_ROW_HEIGHT] * ACTION_ROWS, repeatRows=1)
    style = table_style(theme, header=True, body=True)
    style.add("LINEAFTER", (0, 1), (-2, -1), 0.5, theme.rule)
    table.setStyle(style)
    return [PageBreak(),
            heading(esc(TEXT["actions"]), theme.style("h1"), "H1", outline=TEXT["actions"],
                    level=0),
            tagged(esc(TEXT["actions_note"]), theme.style("body")),
            table]
