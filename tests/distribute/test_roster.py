"""Reading and validating rosters: encodings, delimiters, header aliases, located problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute import read_roster
from guidepdf.errors import RosterError
from tests.distribute.conftest import PEOPLE, write_roster


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(("encoding", "delimiter", "label"), [
    ("utf-8", ",", "UTF-8"),
    ("utf-8-sig", ";", "UTF-8 with BOM"),
    ("cp1252", ";", "Windows-1252 (cp1252)"),
    ("utf-16", "\t", "UTF-16 LE"),
])
def test_spreadsheet_exports_are_detected(tmp_path: Path, content: Content, encoding: str,
                                          delimiter: str, label: str) -> None:
    """Excel and Sheets exports (BOM or not, cp1252, ';' or tab) read the same, and say so."""
    path = write_roster(tmp_path / "r.csv", PEOPLE, delimiter=delimiter, encoding=encoding)
    roster = read_roster(path, content.roles)
    assert roster.errors == []
    assert roster.encoding == label and roster.delimiter == delimiter
    assert [p.name for p in roster.people] == [row[1] for row in PEOPLE]
    assert roster.people[2].name == "Zoë Ångström"
    assert label in roster.describe() and "5 people" in roster.describe()


def test_headers_match_case_insensitively_with_aliases(tmp_path: Path,
                                                       content: Content) -> None:
    """'E-mail Address', 'Full Name', 'School' and 'Preferred language' find their fields."""
    path = write_roster(tmp_path / "r.csv", [["7", "Ann Lee", "ann@x.org", "Coach", "Lincoln",
                                              "es", "Ann"]],
                        header=["Staff ID", "Full Name", "E-mail Address", "ROLE", "School",
                                "Preferred language", "Nickname"])
    roster = read_roster(path, content.roles)
    person = roster.people[0]
    assert (person.id, person.name, person.email, person.role, person.group,
            person.language) == ("7", "Ann Lee", "ann@x.org", "coach", "Lincoln", "es")
    assert dict(person.extra) == {"nickname": "Ann"}
    assert roster.columns["email"] == "E-mail Address"


def test_first_and_last_name_columns_make_the_name(tmp_path: Path, content: Content) -> None:
    """Without a name column, 'First name' + 'Last name' are joined."""
    path = write_roster(tmp_path / "r.csv", [["1", "Ann", "Lee", "ann@x.org", "coach"]],
                        header=["id", "First name", "Last name", "email", "role"])
    assert read_roster(path, content.roles).people[0].name == "Ann Lee"


def test_excel_sep_line_and_blank_lines(tmp_path: Path, content: Content) -> None:
    """Excel's 'sep=;' first line sets the delimiter; blank lines are ignored but counted."""
    path = tmp_path / "r.csv"
    path.write_text("sep=;\nid;name;email;role\n\n1;Ann;ann@x.org;coach\n;;;\n\n"
                    "2;Bo;bo@x.org;nurse\n", encoding="utf-8")
    roster = read_roster(path, content.roles)
    assert [p.name for p in roster.people] == ["Ann"]
    assert [str(p) for p in roster.errors] == [
        "r.csv:7: unknown role 'nurse' — use one of: " + ", ".join(r.id for r in content.roles)]


def test_every_bad_row_is_reported_at_once_with_its_line(tmp_path: Path,
                                                          content: Content) -> None:
    """Missing fields, bad and duplicate emails, duplicate ids and unknown roles, each with
    the line number, in line order; a quoted cell spanning two lines counts both."""
    path = tmp_path / "roster.csv"
    path.write_text(
        "id,name,email,role\n"                      # 1
        "1,Ann Lee,ann@example.org,coach\n"         # 2
        "2,,bo@example.org,teacher\n"               # 3
        '3,"Cy\nDee",cy@example,Coahc\n'            # 4-5
        "4,Eve,ANN@example.org,teacher\n"           # 6
        "1,Fay,fay@example.org,principal\n"         # 7
        "5,Gus,mailto:gus@example.org,teacher\n"    # 8
        "6,Hal,hal@example.org,teacher,extra\n",    # 9
        encoding="utf-8")
    roster = read_roster(path, content.roles)
    assert [str(p) for p in roster.errors] == [
        "roster.csv:3: missing name — every row needs an id, a name, an email address and a "
        "role",
        "roster.csv:4: name contains a line break (U+000A) — remove it; a cell must hold one "
        "line of text",
        "roster.csv:4: email 'cy@example' is malformed — write one address such as "
        "name@school.org",
        "roster.csv:4: unknown role 'Coahc' — did you mean 'coach'?",
        "roster.csv:6: duplicate email 'ANN@example.org' (also on line 2) — each person needs "
        "their own address; one person with two roles needs two addresses or two runs",
        "roster.csv:7: duplicate id '1' (also on line 2) — give every person their own id",
        "roster.csv:8: email 'mailto:gus@example.org' starts with 'mailto:' — keep only the "
        "address",
        "roster.csv:9: row has 5 cells but the header has 4 — a value containing commas must "
        "be in double quotes",
    ]
    assert [p.id for p in roster.people] == ["1"]


def test_roles_match_ids_and_titles(tmp_path: Path, content: Content) -> None:
    """A role may be written as its id, title or short title, in any case."""
    coach = content.role("coach")
    rows = [["1", "A", "a@x.org", "COACH"], ["2", "B", "b@x.org", coach.title],
            ["3", "C", "c@x.org", coach.short_title.lower()]]
    path = write_roster(tmp_path / "r.csv", rows, header=["id", "name", "email", "role"])
    assert [p.role for p in read_roster(path, content.roles).people] == ["coach"] * 3


def test_international_domain_is_stored_in_ascii(tmp_path: Path, content: Content) -> None:
    """An address at an internationalized domain is kept in its IDNA (ASCII) form."""
    path = write_roster(tmp_path / "r.csv", [["1", "Jürgen", "j@bücher.de", "coach"]],
                        header=["id", "name", "email", "role"])
    assert read_roster(path, content.roles).people[0].email == "j@xn--bcher-kva.de"


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04rest", "this is an Excel workbook, not a CSV file"),
    (b"", "the roster is empty"),
    (b"\n\n", "the roster is empty"),
    (b"who,where\n1,a@x.org\n", "the header has no id, name, email, role column"),
    (b"id,nmae,email,role\n", "is 'nmae' meant to be the name column?"),
    (b"\xef\xbb\xbfid,name,email,role\n1,Jos\xe9,j@x.org,coach\n",
     "r.csv:2: the file starts with a UTF-8 with BOM mark but is not valid"),
])
def test_unusable_files_raise_one_clear_error(tmp_path: Path, data: bytes,
                                              message: str) -> None:
    """A workbook, an empty file or a header without our columns raises RosterError."""
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    with pytest.raises(RosterError, match=message):
        read_roster(path)


def test_a_header_with_no_people_is_an_error(tmp_path: Path) -> None:
    """A roster with only a header says there is nobody on it."""
    path = write_roster(tmp_path / "r.csv", [])
    assert [p.problem for p in read_roster(path).errors] == ["the roster has no people in it"]


def test_roster_check_command_prints_the_report(tmp_path: Path) -> None:
    """`guidepdf roster check` prints what it detected, each problem, and exits 2 on errors."""
    path = write_roster(tmp_path / "roster.csv", [*PEOPLE, ("p6", "Al", "al@x", "coach", "")],
                        delimiter=";", encoding="utf-8-sig")
    result = CliRunner().invoke(main, ["roster", "check", str(path)])
    assert result.exit_code == 2
    assert lines(result.stderr)[0].startswith("Content: ")
    out = lines(result.stdout)
    assert out[0].startswith("roster.csv: UTF-8 with BOM, semicolon-separated (';')")
    assert out[1] == ("roster.csv:7: email 'al@x' is malformed — write one address such as "
                      "name@school.org")
    assert out[-1].startswith("1 error(s) in ")


def test_roster_check_command_ok(roster_file: Path) -> None:
    """A clean roster exits 0 with a one-line summary."""
    result = CliRunner().invoke(main, ["roster", "check", str(roster_file)])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout)[-1] == f"{roster_file}: OK — 5 people."


def test_roster_check_unreadable_file(tmp_path: Path) -> None:
    """A missing roster file is one line and exit code 2, not a traceback."""
    result = CliRunner().invoke(main, ["roster", "check", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "cannot read the roster" in result.output


def test_a_roster_read_apart_is_the_roster_read_here(tmp_path: Path, content: Content) -> None:
    """read_roster_apart (the commands' reader: the rows it makes and frees stay out of
    the process that forks the readers and writers) gives the Roster read_roster gives,
    its problems too, with its progress shown here."""
    import os

    from guidepdf.distribute import read_roster_apart

    rows = [(f"p{i}", f"Person {i}", f"p{i}@example.org", "coach", "School A")
            for i in range(2500)]
    rows += [("bad", "Nobody", "not-an-address", "coach", "")]
    path = write_roster(tmp_path / "roster.csv", rows)
    calls: list[tuple[int, int, int]] = []
    apart = read_roster_apart(path, content.roles,
                              lambda done, total: calls.append((done, total, os.getpid())))
    here = read_roster(path, content.roles)
    assert apart == here and len(apart.people) == 2500 and len(apart.errors) == 1
    assert calls and all(pid == os.getpid() for _, _, pid in calls)
    assert calls[-1][0] <= calls[-1][1] == 2501


def test_a_roster_that_cannot_be_read_apart_raises_its_error_here(tmp_path: Path,
                                                                  content: Content) -> None:
    from guidepdf.distribute import read_roster_apart

    with pytest.raises(RosterError, match="cannot read the roster"):
        read_roster_apart(tmp_path / "absent.csv", content.roles)
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(RosterError) as apart:
        read_roster_apart(tmp_path / "empty.csv", content.roles)
    with pytest.raises(RosterError) as here:
        read_roster(tmp_path / "empty.csv", content.roles)
    assert str(apart.value) == str(here.value)


@pytest.mark.parametrize(("cell", "what"), [
    ("Ann\u202eLee", "a control character (U+202E)"),   # right-to-left override
    ("Ann\u2067Lee", "a control character (U+2067)"),   # first-strong isolate
    ("Ann\ue000Lee", "a control character (U+E000)"),   # private use
    ("Ann\u2028Lee", "a line break (U+2028)"),
    ("Ann\x07Lee", "a control character (U+0007)"),
])
def test_unsafe_characters_are_found_in_any_cell(tmp_path: Path, content: Content, cell: str,
                                                 what: str) -> None:
    """Every character a cell must not hold is reported, in a name and in a group; printable
    text from any script (and a no-break space) is not."""
    path = tmp_path / "r.csv"
    path.write_text("id,name,email,role,group\n"
                    f'1,"{cell}",a@x.org,coach,North\n'
                    f'2,Bo,b@x.org,coach,"{cell}"\n'
                    "3,Zoë Ω 山田\u00a0Jr,c@x.org,coach,Écoles\n", encoding="utf-8")
    roster = read_roster(path, content.roles)
    assert [str(p) for p in roster.errors] == [
        f"r.csv:2: name contains {what} — remove it; a cell must hold one line of text",
        f"r.csv:3: group contains {what} — remove it; a cell must hold one line of text"]
    assert [p.id for p in roster.people] == ["3"]


def test_a_role_named_by_two_roles_goes_to_the_first(tmp_path: Path, content: Content
                                                     ) -> None:
    """Where one role's title is another's id, the role listed first in the content wins,
    as it did before the names were looked up in a table."""
    from dataclasses import replace

    first, second = content.roles[0], content.roles[1]
    roles = [first, replace(second, title=first.id)]
    rows = [["1", "A", "a@x.org", first.id], ["2", "B", "b@x.org", second.id]]
    path = write_roster(tmp_path / "r.csv", rows, header=["id", "name", "email", "role"])
    assert [p.role for p in read_roster(path, roles).people] == [first.id, second.id]
