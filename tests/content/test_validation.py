"""`guidepdf check` reports every content problem, located and with a fix, in exact words."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import check_content


def problems(folder: Path) -> list[str]:
    _, errors = check_content(folder)
    return [str(e) for e in errors]


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ROLE = "roles/gardener.yaml"
CASES = [
    ("yaml syntax error", ROLE, "holders: People", "holders: [People",
     "content/roles/gardener.yaml:6:13: YAML syntax error: expected ',' or ']', but got "
     "':' — check the indentation and quoting on this line and the one before"),
    ("unknown key", ROLE, "short_title:", "short_titel:",
     "content/roles/gardener.yaml:4:1: unknown key 'short_titel' in role — did you mean "
     "'short_title'?"),
    ("missing key", ROLE, "holders: People who look after a garden.\n", "",
     "content/roles/gardener.yaml:1:1: missing required key 'holders' in role — add "
     "'holders:' to this mapping"),
    ("wrong type", ROLE, "order: 1", "order: first",
     "content/roles/gardener.yaml:2:8: 'order' must be a whole number, not text — write a "
     "number such as 3, without quotes"),
    ("duplicate question id", ROLE, "id: water", "id: dig",
     "content/roles/gardener.yaml:19:9: duplicate question id 'dig' (first used at line 17) "
     "— give each question its own id"),
    ("unknown category", ROLE, "  soil:", "  soyl:",
     "content/roles/gardener.yaml:11:3: responsibilities filed under unknown category "
     "'soyl' — did you mean 'soil'?"),
    ("no questions", ROLE, "questions:\n  - id: dig\n    text: Where will you dig first?\n"
     "  - id: water\n    text: How often will you water?\n", "questions: []\n",
     "content/roles/gardener.yaml:16:12: role 'gardener' has no questions — add at least one "
     "item under 'questions:' with an id and a text"),
    ("character the font lacks", ROLE, "Where will you dig first?",
     "Where will you dig first 漢?",
     "content/roles/gardener.yaml:18:11: character '漢' (U+6F22) cannot be drawn with font "
     "NotoSans-Regular.ttf — replace the character, or choose a font in brand.yaml that has "
     "it"),
    ("duplicate key", ROLE, "holders: People", "title: Again\nholders: People",
     "content/roles/gardener.yaml:5:1: duplicate key 'title' (first at line 3) — keep one of "
     "them; YAML would silently use the last"),
    ("alias", ROLE, "title: Gardeners", "title: &t Gardeners\nshort_title2: *t",
     "content/roles/gardener.yaml:4:15: YAML anchors and aliases are not supported — write "
     "the repeated text out in full"),
    ("python tag", ROLE, "title: Gardeners", "title: !!python/object:os.system ls",
     "content/roles/gardener.yaml:3:8: unsupported YAML tag '!!python/object:os.system' — "
     "remove the tag; content is plain text, lists and mappings"),
    ("invalid id", ROLE, "id: dig", "id: Dig Here",
     "content/roles/gardener.yaml:17:9: 'Dig Here' is not a valid question id — use lowercase "
     "letters and digits joined by single '-' or '_', e.g. 'equity-practices' or 'q3'"),
    ("bad colour", "framework.yaml", 'color: "#6b3e26"', 'color: "brown"',
     "content/framework.yaml:9:12: 'brown' is not a colour — write it as \"#rrggbb\", in "
     "quotes"),
    ("role id differs from file", ROLE, "id: gardener", "id: gardner",
     "content/roles/gardener.yaml:1:5: role id 'gardner' does not match the file name "
     "'gardener.yaml' — rename the file or change the id so they agree"),
    ("standard in unknown category", "framework.yaml", "category: light", "category: lite",
     "content/framework.yaml:27:15: standard filed under unknown category 'lite' — did you "
     "mean 'light'?"),
    ("empty text", ROLE, "title: Gardeners", "title:",
     "content/roles/gardener.yaml:3:7: 'title' is empty — write the text, or remove the key "
     "if optional"),
    ("tab indentation", ROLE, "  soil:", "\tsoil:",
     "content/roles/gardener.yaml:11:1: YAML syntax error: found character '\\t' that cannot "
     "start any token — indent with spaces, not tabs"),
    ("list expected", "framework.yaml", "foundations:\n  - Plants need care.\n"
     "  - Gardeners learn by doing.", "foundations: Plants need care.",
     "content/framework.yaml:29:14: 'foundations' must be a list, not text — write each item "
     "on its own line starting with '- '"),
    ("duplicate standard id", "framework.yaml", "id: mulch", "id: compost",
     "content/framework.yaml:20:9: duplicate standard id 'compost' (first used at line 16) — "
     "give each standard its own id"),
    ("unknown font", "brand.yaml", "bold: NotoSans-Bold.ttf", "bold: NotoSans-Blod.ttf",
     "content/brand.yaml:16:9: font file 'NotoSans-Blod.ttf' not found in fonts/ — did you "
     "mean 'NotoSans-Bold.ttf'?"),
    ("text colour too light", "brand.yaml", 'muted: "#555555"', 'muted: "#9aa5b1"',
     "content/brand.yaml:22:10: colour 'muted' #9aa5b1 has a contrast of 2.5:1 with white "
     "(text on white pages); WCAG 2.1 AA asks 4.5:1 of text (1.4.3) — use a darker colour, "
     'e.g. "#6f7780" (4.53:1)'),
    ("white text on a light category colour", "framework.yaml", 'color: "#6b3e26"',
     'color: "#e0a070"',
     "content/framework.yaml:9:12: category colour #e0a070 has a contrast of 2.22:1 with "
     "white (headings on white, white text on it in the wheel); WCAG 2.1 AA asks 4.5:1 of "
     'text (1.4.3) — use a darker colour, e.g. "#996d4c" (4.51:1)'),
    ("white text on a light standard colour", "framework.yaml", 'color: "#8a5a3c"',
     'color: "#ffd700"',
     "content/framework.yaml:23:12: standard colour #ffd700 has a contrast of 1.4:1 with "
     "white (headings on white, white text on it in the wheel); WCAG 2.1 AA asks 4.5:1 of "
     'text (1.4.3) — use a darker colour, e.g. "#8b7500" (4.52:1)'),
    ("unknown field font", "brand.yaml", "italic: NotoSans-Italic.ttf",
     "italic: NotoSans-Italic.ttf\n  field_font: NotoSansCJK.ttf",
     "content/brand.yaml:18:15: font file 'NotoSansCJK.ttf' not found in fonts/ — did you "
     "mean 'NotoSans-Bold.ttf'?"),
]


@pytest.mark.parametrize(("case", "name", "old", "new", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_problem_has_its_exact_message(toy_dir: Path, case: str, name: str, old: str,
                                            new: str, expected: str) -> None:
    """A single defect yields exactly one message: path:line:col: problem — hint."""
    edit(toy_dir, name, old, new)
    assert problems(toy_dir) == [expected]


def test_file_not_utf8_is_located(toy_dir: Path) -> None:
    """A file saved in Latin-1 is reported with the line and column of the first bad byte."""
    path = toy_dir / ROLE
    path.write_bytes(path.read_bytes().replace(b"Gardeners", b"Jard\xe9niers", 1))
    assert problems(toy_dir) == [
        "content/roles/gardener.yaml:3:12: file is not valid UTF-8 (byte 0xe9) — save the "
        "file with UTF-8 encoding"]


def test_ic_row_with_wrong_level_count(toy_dir: Path) -> None:
    """An IC outcome whose level count differs from the map's is located and explained."""
    (toy_dir / "icmaps").mkdir()
    (toy_dir / "icmaps" / "gardener.yaml").write_text(
        "role: gardener\ntitle: Toy map\nintroduction: How to use it.\n"
        "levels: [Best, Middle, Start]\nblocks:\n  - standard: compost\n    outcomes:\n"
        "      - id: c1\n        outcome: Compost is turned.\n        levels: [Weekly, Monthly]\n",
        encoding="utf-8")
    assert problems(toy_dir) == [
        "content/icmaps/gardener.yaml:10:17: outcome 'c1' has 2 level descriptions but the map "
        "has 3 levels — write one entry per level, in order; use ~ for a cell left blank on "
        "purpose"]


def test_every_problem_is_reported_at_once(toy_dir: Path) -> None:
    """Problems in several files come back together, sorted by file and line."""
    edit(toy_dir, ROLE, "short_title:", "short_titel:")
    edit(toy_dir, ROLE, "id: water", "id: dig")
    edit(toy_dir, "framework.yaml", "category: light", "category: lite")
    found = problems(toy_dir)
    assert [m.split(": ")[0] for m in found] == [
        "content/framework.yaml:27:15", "content/roles/gardener.yaml:4:1",
        "content/roles/gardener.yaml:19:9"]


def test_missing_framework_file(toy_dir: Path) -> None:
    """A content folder without framework.yaml says which file is missing."""
    (toy_dir / "framework.yaml").unlink()
    assert problems(toy_dir) == [
        "content/framework.yaml: file not found — every content folder needs brand.yaml, "
        "framework.yaml and roles/<id>.yaml files"]


def test_check_command_exit_codes(toy_dir: Path) -> None:
    """`guidepdf check` exits 0 on clean content and 2 with the messages on bad content."""
    runner = CliRunner()
    clean = runner.invoke(main, ["check", str(toy_dir)])
    assert clean.exit_code == 0, clean.output
    assert "OK — 1 roles, 3 standards, 2 questions." in clean.output
    edit(toy_dir, ROLE, "order: 1", "order: first")
    bad = runner.invoke(main, ["check", str(toy_dir)])
    assert bad.exit_code == 2
    assert "content/roles/gardener.yaml:2:8: 'order' must be a whole number" in bad.output
    assert bad.output.strip().endswith("1 problem(s) found.")


def test_a_hash_inside_unquoted_text_is_a_warning_with_the_fix(toy_dir) -> None:  # type: ignore[no-untyped-def]
    """'What is our #1 priority' unquoted: check warns at the '#', shows the text as read and
    says to quote it; a quoted one, a block and a comment after an id are left alone."""
    from guidepdf.content import check_content

    role_file = next((toy_dir / "roles").glob("*.yaml"))
    text = role_file.read_text(encoding="utf-8")
    first = text.index("text:", text.index("questions:"))
    end = text.index("\n", first)
    line = text[:first].count("\n") + 1
    indent = first - (text.rfind("\n", 0, first) + 1)
    text = text[:first] + "text: What is our #1 priority this year?" + text[end:]
    text = text.replace("questions:", "questions:  # the reflection table", 1)
    role_file.write_text(text, encoding="utf-8")
    content, errors = check_content(toy_dir)
    assert errors == [] and content is not None
    assert [str(w) for w in content.warnings] == [
        f"content/roles/{role_file.name}:{line}:{indent + 19}: warning: the text stops here: "
        "YAML reads '#1 priority this year?' as a comment, so the text is only 'What is our' "
        "— if the '#' belongs to the text, put the whole text in double quotes"]
    role_file.write_text(text.replace("text: What is our #1 priority this year?",
                                      'text: "What is our #1 priority this year?"'),
                         encoding="utf-8")
    content, errors = check_content(toy_dir)
    assert content is not None and content.warnings == ()
