"""Team pages: one PDF per school or team with exactly its members, each member's answers
side by side per question, the team's IC levels, room for agreed actions; names safe on
every OS; tagged like the summary; written by collect --teams."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.readmany import Outcome
from guidepdf.report.aggregate import aggregate
from guidepdf.report.collect import write_team_pages
from guidepdf.report.model import Summary
from guidepdf.report.teampages import ACTION_ROWS, build_team_pdf, teams
from guidepdf.samplefill import fill, form_values
from tests.accessibility.checker import check_pdf
from tests.layout.pdfcheck import page_texts
from tests.report.conftest import make_plan

FORMS = [  # (name, role, group, answers, IC levels)
    ("Ana", "coach", "North High", {"q1": ("Ana reflects on q1", "Ana first step q1"),
                                    "q2": ("", "Ana first step q2")},
     {"ep1": "L1", "ep2": "L2"}),
    ("Oleg", "teacher", "North High", {"q1": ("Oleg reflects on q1", "")}, {}),
    ("Ben", "coach", "north high", {"q1": ("Ben in lower case", "")}, {"ep1": "L3"}),
    ("Cleo", "coach", "../../etc/passwd", {"q1": ("Cleo reflects", "")}, {}),
    ("Dev", "coach", "CON", {"q1": ("Dev reflects", "")}, {}),
    ("Eve", "coach", "", {"q1": ("Eve has no team", "")}, {}),
]


@pytest.fixture
def summary(content: Content) -> Summary:
    plans = [make_plan(content, role, f"{name}.pdf", name=name, group=group, answers=answers,
                       ic=ic) for name, role, group, answers, ic in FORMS]
    return aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                     content, None, source="returned")


def test_teams_have_exactly_their_members_and_safe_file_names(summary: Summary) -> None:
    """Each group is a team (case kept: 'north high' is another team); a form without a
    group has no team; file names are safe and unique."""
    who = [r.who for r in summary.responses]
    found = [(t.name, t.file, [who[i] for i in t.members]) for t in teams(summary)]
    assert found == [("../../etc/passwd", "etc-passwd.pdf", ["Cleo"]),
                     ("CON", "con-file.pdf", ["Dev"]),
                     ("North High", "north-high.pdf", ["Ana", "Oleg"]),
                     ("north high", "north-high-2.pdf", ["Ben"])]


def test_a_team_page_holds_its_members_answers_and_nobody_elses(summary: Summary,
                                                                content: Content) -> None:
    """North High: both members named, every answer of theirs beside who wrote it under
    its question, blanks named, the coach's IC heatmap, the agreed-actions table; no other
    team's answers."""
    team = next(t for t in teams(summary) if t.name == "North High")
    pdf = build_team_pdf(summary, team, content)
    pages = page_texts(pdf, squeeze=True)
    every = " ".join(pages)
    assert "North High" in pages[0] and "2 people returned a guide" in pages[0]
    for text in ("Ana reflects on q1", "Ana first step q1", "Ana first step q2",
                 "Oleg reflects on q1", "What we wrote: Coaches", "What we wrote: Teachers",
                 "Where we are: Coaches", "Our agreed actions"):
        assert text in every, text
    for text in ("Ben in lower case", "Cleo reflects", "Dev reflects", "Eve has no team",
                 "Where we are: Teachers"):
        assert text not in every, text
    assert every.index("Ana reflects on q1") < every.index("Ana first step q1")
    # nobody here left blank a question that a teammate in the same role answered (the
    # Spanish test below names one who did)
    assert "Left blank by" not in every
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tables = [e for e in _elements(doc.Root.StructTreeRoot) if e.get("/S") == "/Table"]
        figures = [e for e in _elements(doc.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
        assert len(figures) == 1 and "ep1" in str(figures[0].Alt)
        actions = tables[-1]
        rows = [k for k in actions.K if isinstance(k, pikepdf.Dictionary)]
        assert len(rows) == 1 + ACTION_ROWS


def _elements(node: pikepdf.Object):  # type: ignore[no-untyped-def]
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def test_team_pages_are_tagged(summary: Summary, content: Content) -> None:
    """Clean for our PDF/UA checker, like the summary."""
    team = next(t for t in teams(summary) if t.name == "North High")
    assert check_pdf(build_team_pdf(summary, team, content)) == []


def test_written_into_teams_folder_by_collect(summary: Summary, content: Content,
                                              tmp_path: Path) -> None:
    """write_team_pages writes one file per team, and only those."""
    written = write_team_pages(summary, content, tmp_path / "teams")
    assert sorted(p.name for p in written) == sorted(p.name for p in
                                                     (tmp_path / "teams").iterdir())
    assert sorted(p.name for p in written) == ["con-file.pdf", "etc-passwd.pdf",
                                               "north-high-2.pdf", "north-high.pdf"]


def test_collect_teams_option(tmp_path: Path, guide: Callable[..., bytes]) -> None:
    """`collect --teams` writes summary/teams/<team>.pdf for real filled forms and says so;
    without it, no teams folder."""
    returned = tmp_path / "returned"
    returned.mkdir()
    for name, group in (("Ana", "North High"), ("Ben", "South Middle")):
        values = form_values("coach", respondent={"name": name, "group": group},
                             answers={"q1": (f"{name} wrote this", "")})
        (returned / f"{name}.pdf").write_bytes(fill(guide("coach"), values))
    out = tmp_path / "summary"
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out),
                                       "--teams", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "teams").iterdir()) == ["north-high.pdf",
                                                                 "south-middle.pdf"]
    assert f"2 team page(s) in {out / 'teams'}/" in result.output
    north = " ".join(page_texts((out / "teams" / "north-high.pdf").read_bytes(),
                                squeeze=True))
    assert "Ana wrote this" in north and "Ben wrote this" not in north
    plain = tmp_path / "plain"
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(plain),
                                       "--jobs", "1"])
    assert result.exit_code == 0 and not (plain / "teams").exists()


def _streams(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return b"".join(c.read_bytes() for page in doc.pages
                        for c in (page.Contents if isinstance(page.Contents, pikepdf.Array)
                                  else [page.Contents]))


def test_a_team_page_speaks_its_edition_and_draws_any_script() -> None:
    """Built from the Spanish edition for a school whose name is Arabic and members whose
    names are Hebrew and Greek: every heading, the count and the blanks line in Spanish,
    none of the English team-page words; the school's name as the first heading (shaped,
    its text as ActualText) and in the outline; the names drawn with real glyphs."""
    from guidepdf.content import load_content
    from guidepdf.paths import default_content_dir

    es = load_content(default_content_dir() / "editions" / "es")
    school, sara, giorgos = "مدرسة النور", "שרה כהן", "Γιώργος Παπαδόπουλος"
    plans = [make_plan(es, "coach", "a.pdf", name=sara, group=school,
                       answers={"q1": ("Reflexión de Sara", "Primer paso de Sara")},
                       ic={"ep1": "L2"}),
             make_plan(es, "coach", "b.pdf", name=giorgos, group=school,
                       answers={"q1": ("", ""), "q2": ("Reflexión de Giorgos", "")})]
    summary = aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                        es, None, source="returned")
    (team,) = teams(summary)
    pdf = build_team_pdf(summary, team, es)
    every = " ".join(page_texts(pdf, squeeze=True))
    for text in ("2 personas entregaron su guía", "Quiénes aparecen en esta página",
                 "Acciones que acordamos", "Quién la encabeza", "Sin responder (1)",
                 "Pregunta 1", "Reflexión de Sara", "Reflexión de Giorgos", giorgos):
        assert text in every, text
    for english in ("Team page", "returned a guide", "Who is on this page", "Where we are",
                    "What we wrote", "Our agreed actions", "Who leads it", "Left blank",
                    "Question 1"):
        assert english not in every, english
    streams = _streams(pdf)
    for shaped in (school, sara):
        assert f"/ActualText <FEFF{shaped.encode('utf-16-be').hex().upper()}>".encode() \
            in streams, shaped
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        # the last page (the actions) holds no name but the running header's and footer's
        # title, which names the school: drawn with the Arabic font
        fonts = [str(f.BaseFont) for f in doc.pages[-1].Resources.Font.values()]
        assert any("NotoSansArabic" in f for f in fonts), fonts
        outline = [str(item.title) for item in doc.open_outline().root]
        assert outline[0] == school
        assert str(doc.docinfo.Title) == f"Página del equipo: {school}"
        assert str(doc.Root.Lang) == "es"
    assert check_pdf(pdf) == []
