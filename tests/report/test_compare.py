"""Growth over time: two summaries of the same people -> levels then and now, matched by
roster id else email, moves toward or away from the ideal, people and outcomes seen once,
exactly; in growth.json, growth.xlsx and growth.pdf; `guidepdf compare` and
`collect --baseline`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.compare import compare, compare_summaries
from guidepdf.compare.growth import AWAY, ONLY_NOW, ONLY_THEN, SAME, TOWARD, move
from guidepdf.content import Content
from guidepdf.distribute.roster import Roster
from guidepdf.read.readmany import Outcome
from guidepdf.report import summary_json
from guidepdf.report.aggregate import aggregate
from guidepdf.samplefill import fill, form_values
from tests.layout.pdfcheck import page_texts
from tests.report.conftest import PEOPLE, make_plan


def _write(path: Path, content: Content, roster: Roster, forms: list, edit=None) -> Path:
    plans = [make_plan(content, "coach", f"{name}.pdf", **kw) for name, kw in forms]
    summary = aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                        content, roster, source=path.stem)
    data = json.loads(summary_json.dumps(summary))
    if edit is not None:
        edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _later_map(data: dict) -> None:
    """The later content version: a new outcome zz9 (Xia rated it), no re2."""
    m = data["ic"][0]
    m["outcomes"] = [o for o in m["outcomes"] if o["id"] != "re2"]
    m["outcomes"].append({**m["outcomes"][0], "id": "zz9", "outcome": "A new outcome"})
    for r in data["responses"]:
        if r["name"] == "Xia":
            r["ic"].append({"outcome_id": "zz9", "level": "L1", "notes": ""})


@pytest.fixture
def pair(tmp_path: Path, content: Content, roster: Roster) -> tuple[Path, Path]:
    ana, ben = PEOPLE[0], PEOPLE[1]
    earlier = _write(tmp_path / "autumn.json", content, roster, [
        ("ana", {"recipient": ana, "ic": {"ep1": "L3", "ep2": "L2", "cai1": "NA"}}),
        ("ben", {"email": "ben@example.org", "ic": {"ep1": "L2", "ep2": "L2"}}),
        ("zed", {"name": "Zed", "email": "zed@example.org", "ic": {"ep1": "L4"}}),
        ("yan", {"name": "Yan", "email": "yan@example.org", "ic": {"ep1": "L1"}}),
        ("none", {"name": "Nob", "email": "nob@example.org"}),  # no IC: not assessed
    ])
    later = _write(tmp_path / "spring.json", content, roster, [
        ("ana", {"recipient": ana, "email": "ana.new@example.org",
                 "ic": {"ep1": "L1", "ep2": "L3", "cai1": "L2"}}),
        ("ben", {"recipient": ben, "ic": {"ep1": "L2", "ep2": "L1"}}),
        ("zed", {"name": "Zed", "email": "ZED@Example.org", "ic": {"ep1": "L4"}}),
        ("xia", {"name": "Xia", "email": "xia@example.org", "group": "North High",
                 "ic": {"ep1": "L2"}}),
    ], edit=_later_map)
    return earlier, later


def _moves(toward: int, same: int, away: int, then: int, now: int) -> dict[str, int]:
    return {TOWARD: toward, SAME: same, AWAY: away, ONLY_THEN: then, ONLY_NOW: now}


def test_moves() -> None:
    """A lower level number is toward the ideal; NA and blank are 'assessed once'."""
    assert [move("L3", "L1"), move("L1", "L2"), move("L2", "L2"), move("NA", "L2"),
            move("L2", None), move(None, "NA")] == [TOWARD, AWAY, SAME, ONLY_NOW, ONLY_THEN,
                                                    None]


def test_people_are_matched_by_roster_id_else_email(pair: tuple[Path, Path]) -> None:
    """Ana (new email, same roster id) and Ben by roster id, Zed by email (any case); Yan
    only then, Xia only now; Nob marked no outcome, so is not counted."""
    g = compare(*pair)
    assert (g.matched, g.only_then, g.only_now) == (3, 1, 1)
    assert (g.earlier.people, g.later.people) == (4, 4)
    people = {p.who: p for p in g.people}
    assert {w: (p.matched_by, p.seen) for w, p in people.items()} == {
        "Ana Núñez": ("roster id", "both"), "Ben Okafor": ("roster id", "both"),
        "Zed": ("email", "both"), "Xia": ("", "now"), "Yan": ("", "then")}
    assert people["Ana Núñez"].levels == (("ep1", "L3", "L1"), ("ep2", "L2", "L3"),
                                          ("cai1", "NA", "L2"))
    assert people["Ana Núñez"].moves == _moves(1, 0, 1, 0, 1)
    assert (people["Ana Núñez"].then_median, people["Ana Núñez"].now_median) == (2.5, 2)


def test_each_side_is_named_by_its_folder_and_the_days_its_forms_came_back(
        tmp_path: Path, content: Content, roster: Roster) -> None:
    """Both collects read a folder called "returned": the growth page names each side by
    its collect folder and the first and last day a kept form came back (the message's
    date for mail, else the form's ModDate; an unreadable one is left out)."""
    (tmp_path / "autumn-2026").mkdir()
    (tmp_path / "spring-2027").mkdir()

    def by_mail(data: dict) -> None:
        data["responses"][1]["origin"] = {"date": "2027-03-20T08:15:00+01:00"}
        data["responses"][2]["modified"] = "not a date"

    _write(tmp_path / "autumn-2026" / "summary.json", content, roster, [
        ("ana", {"name": "Ana", "email": "a@example.org", "ic": {"ep1": "L3"},
                 "modified": "D:20261014093000Z"}),
        ("ben", {"name": "Ben", "email": "b@example.org", "ic": {"ep1": "L2"},
                 "modified": "D:20261014160000Z"}),
    ])
    later = _write(tmp_path / "spring-2027" / "summary.json", content, roster, [
        ("ana", {"name": "Ana", "email": "a@example.org", "ic": {"ep1": "L1"},
                 "modified": "D:20270302110000Z"}),
        ("ben", {"name": "Ben", "email": "b@example.org", "ic": {"ep1": "L2"},
                 "modified": "D:20261014160000Z"}),  # a viewer kept our date: mail decides
        ("cy", {"name": "Cy", "email": "c@example.org", "ic": {"ep1": "L2"}}),
    ], edit=by_mail)
    g, files = compare_summaries(tmp_path / "autumn-2026", tmp_path / "spring-2027",
                                 tmp_path / "growth", content)
    assert (g.earlier.name, g.earlier.first_day, g.earlier.last_day) == (
        "autumn-2026", "2026-10-14", "2026-10-14")
    assert (g.later.name, g.later.first_day, g.later.last_day) == (
        "spring-2027", "2027-03-02", "2027-03-20")
    first = page_texts(files["growth.pdf"].read_bytes(), squeeze=True)[0]
    assert ("From autumn-2026 (forms returned 2026-10-14) to spring-2027 (forms returned "
            "2027-03-02 to 2027-03-20)") in first, first
    saved = json.loads(files["growth.json"].read_text(encoding="utf-8"))
    assert saved["later"]["first_day"] == "2027-03-02" and saved["earlier"]["name"] == \
        "autumn-2026"
    # a summary.json given by another name is called by that name, undated if nothing is
    undated = _write(tmp_path / "old.json", content, roster, [
        ("ana", {"name": "Ana", "email": "a@example.org", "ic": {"ep1": "L3"},
                 "modified": ""})])
    g = compare(undated, later)
    assert (g.earlier.name, g.earlier.first_day) == ("old", "")


def test_changes_per_outcome_role_group_and_everyone(pair: tuple[Path, Path]) -> None:
    """Counts then and now of everyone assessed, medians, and the moves, exactly."""
    g = compare(*pair)
    ep1 = next(c for c in g.outcomes if c.id == "ep1")
    assert (ep1.then, ep1.now) == ({"L3": 1, "L2": 1, "L4": 1, "L1": 1},
                                   {"L1": 1, "L2": 2, "L4": 1})
    assert (ep1.then_median, ep1.now_median, ep1.moves) == (2.5, 2.0, _moves(1, 2, 0, 1, 1))
    ep2 = next(c for c in g.outcomes if c.id == "ep2")
    assert ep2.moves == _moves(1, 0, 1, 0, 0)
    cai1 = next(c for c in g.outcomes if c.id == "cai1")
    assert (cai1.then, cai1.now, cai1.moves) == ({"NA": 1}, {"L2": 1}, _moves(0, 0, 0, 0, 1))
    assert g.overall.moves == _moves(2, 2, 1, 1, 3)  # Xia's zz9 is only now too
    assert [(c.id, c.moves) for c in g.roles] == [("coach", _moves(2, 2, 1, 1, 3))]
    groups = {c.id: c.moves for c in g.groups}
    assert groups == {"North High": _moves(1, 0, 1, 0, 3), "South Middle": _moves(1, 1, 0, 0, 0),
                      "(no group)": _moves(0, 1, 0, 1, 0)}


def test_an_outcome_in_one_version_only_is_listed(pair: tuple[Path, Path]) -> None:
    """zz9 is only in the later map (Xia rated it), re2 only in the earlier one."""
    g = compare(*pair)
    assert [(role, o.id, o.earlier, o.later) for role, o in g.only_in_one] == [
        ("coach", "zz9", False, True), ("coach", "re2", True, False)]
    zz9 = next(c for c in g.outcomes if c.id == "zz9")
    assert (zz9.label, zz9.now, zz9.moves[ONLY_NOW]) == ("A new outcome", {"L1": 1}, 1)


def test_growth_files(pair: tuple[Path, Path], content: Content, tmp_path: Path) -> None:
    """growth.json holds the same numbers and every person; growth.xlsx a row per person
    and outcome; growth.pdf the table and a chart per role."""
    g, files = compare_summaries(*pair, tmp_path / "growth", content)
    data = json.loads(files["growth.json"].read_text(encoding="utf-8"))
    assert (data["matched"], data["only_then"], data["only_now"]) == (3, 1, 1)
    assert data["overall"]["moves"] == _moves(2, 2, 1, 1, 3)
    ana = next(p for p in data["people"] if p["roster_id"] == "p1")
    assert ana["levels"][0] == {"outcome_id": "ep1", "then": "L3", "now": "L1",
                                "change": "toward"}
    wb = openpyxl.load_workbook(files["growth.xlsx"])
    rows = list(wb["people"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(p.levels) for p in g.people) == 9
    assert ("coach", "Ana Núñez", "ana.new@example.org", "North High", "p1", "roster id",
            "ep1", "L3", "L1", "toward the ideal") in rows
    assert next(wb["change"].iter_rows(max_row=1, values_only=True))[:4] == (
        "Scope", "Role", "Id", "Label")
    every = " ".join(page_texts(files["growth.pdf"].read_bytes(), squeeze=True))
    assert "3 people were assessed both times" in every
    assert "Everyone 7 2 8 2 2 2 1 4" in every


def test_growth_files_speak_the_edition(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """With the Spanish edition growth.pdf and growth.xlsx are in Spanish (headings, table
    headers, the chart's words, the sheets, how people were matched, the change), with no
    word of the English growth texts; growth.json keeps its codes, for programs."""
    from guidepdf.content import load_content
    from guidepdf.paths import default_content_dir

    es = load_content(default_content_dir() / "editions" / "es")
    _, files = compare_summaries(*pair, tmp_path / "growth", es)
    every = " ".join(page_texts(files["growth.pdf"].read_bytes(), squeeze=True))
    for text in ("Avance en el tiempo", "3 personas se autoevaluaron las dos veces",
                 "Cómo se movieron las personas", "Todas las personas 7 2 8 2 2 2 1 4",
                 "Hacia el ideal", "Mediana antes", "Por escuela o equipo", "(sin grupo)",
                 "Resultados que solo existen en una", "la posterior",
                 "ep1: antes N1 1, N2 1, N3 1, N4 1 (mediana 2.5); ahora N1 1"):  # chart's alt
        assert text in every, text
    for english in ("Growth over time", "were assessed both times", "How people moved",
                    "Everyone", "Toward", "Median then", "By school or team", "(no group)",
                    "Only in", "earlier", "then L1", "(median "):
        assert english not in every, english
    wb = openpyxl.load_workbook(files["growth.xlsx"])
    assert wb.sheetnames == ["cambio", "personas"]
    head = next(wb["personas"].iter_rows(max_row=1, values_only=True))
    assert head[:3] == ("Función", "Nombre", "Correo electrónico") and head[-1] == "Cambio"
    rows = list(wb["personas"].iter_rows(min_row=2, values_only=True))
    assert ("coach", "Ana Núñez", "ana.new@example.org", "North High", "p1", "id en la lista",
            "ep1", "L3", "L1", "hacia el ideal") in rows
    scopes = {r[0] for r in wb["cambio"].iter_rows(min_row=2, values_only=True)}
    assert scopes == {"todas las personas", "función", "resultado", "escuela o equipo"}
    data = json.loads(files["growth.json"].read_text(encoding="utf-8"))
    assert data["overall"]["kind"] == "all" and "toward" in data["overall"]["moves"]


def test_cli_compare_and_collect_baseline(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """`guidepdf compare` takes files or collect folders and names the files it wrote; a
    file that is not a summary exits 2 with the reason."""
    folder = tmp_path / "autumn-summary"
    folder.mkdir()
    (folder / "summary.json").write_bytes(pair[0].read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", str(folder), str(pair[1]), "--out",
                                       str(out)])
    assert result.exit_code == 0, result.output
    assert "3 matched, 1 only then, 1 only now" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["growth.json", "growth.pdf",
                                                     "growth.xlsx"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 9, "responses": []}')
    result = CliRunner().invoke(main, ["compare", str(bad), str(pair[1]), "--out",
                                       str(out)])
    assert result.exit_code == 2
    assert f"{bad}: summary.json schema 9; this guidepdf reads schema 1" in result.output
    result = CliRunner().invoke(main, ["compare", str(tmp_path / "nothing"), str(pair[1])])
    assert result.exit_code == 2 and "no such file" in result.output
    cut = tmp_path / "cut.json"
    cut.write_text(pair[0].read_text(encoding="utf-8")[:300], encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(cut), str(pair[1]), "--out",
                                       str(out)])
    assert result.exit_code == 2 and f"{cut}: not valid JSON" in result.output


def test_collect_baseline_writes_growth_beside_the_summary(pair: tuple[Path, Path],
                                                           tmp_path: Path,
                                                           guide: Callable[..., bytes]
                                                           ) -> None:
    """`collect --baseline EARLIER/summary.json` compares the new summary with it: Ana's
    real returned form (typed email) is matched to her earlier self by email."""
    returned = tmp_path / "returned"
    returned.mkdir()
    values = form_values("coach", respondent={"name": "Ana", "email": "ana@example.org"},
                         ic={"ep1": "L2"})
    (returned / "ana.pdf").write_bytes(fill(guide("coach"), values))
    out = tmp_path / "summary"
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out),
                                       "--baseline", str(pair[0]), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "1 matched, 3 only then, 0 only now" in result.output
    data = json.loads((out / "growth.json").read_text(encoding="utf-8"))
    ana = next(p for p in data["people"] if p["seen"] == "both")
    assert (ana["matched_by"], ana["levels"][0]["then"], ana["levels"][0]["now"]) == (
        "email", "L3", "L2")
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out),
                                       "--baseline", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "missing.json: no such file" in result.output
