"""messages.yaml: the follow-up messages load from every content folder (an edition too),
and `guidepdf check` points at each unknown placeholder and missing message exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import check_content
from guidepdf.content.messages import REMINDER_KEYS
from guidepdf.followup.problems import REMINDABLE
from guidepdf.paths import default_content_dir

SHIPPED = default_content_dir() / "messages.yaml"


def with_messages(toy_dir: Path, text: str | None = None) -> Path:
    shutil.copy(SHIPPED, toy_dir / "messages.yaml")
    if text is not None:
        (toy_dir / "messages.yaml").write_text(text, encoding="utf-8")
    return toy_dir


def problems(folder: Path) -> list[str]:
    return [str(e) for e in check_content(folder)[1]]


def line_of(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first `needle` in `text`."""
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_the_shipped_messages_cover_every_problem_a_reminder_is_for(content) -> None:  # type: ignore[no-untyped-def]
    """One reminder per remindable problem, a receipt with and without an IC map."""
    assert REMINDER_KEYS == REMINDABLE
    messages = content.messages
    assert set(messages.reminders) == set(REMINDER_KEYS)
    assert "$answered" in messages.receipt.body and "$ic_marked" in messages.receipt_with_ic
    for browser in ("Preview", "Chrome", "Edge", "Firefox", "Acrobat Reader", "iPhone",
                    "Android"):
        assert browser in messages.saving_help


def test_an_unknown_placeholder_inside_a_block_is_located_exactly(toy_dir: Path) -> None:
    """A typo in a | block body: its own line and column, with a did-you-mean."""
    text = SHIPPED.read_text(encoding="utf-8").replace("Open it, type", "Open it, $nmae, type")
    with_messages(toy_dir, text)
    line, col = line_of(text, "$nmae")
    assert problems(toy_dir) == [
        f"content/messages.yaml:{line}:{col}: unknown placeholder $nmae — did you mean $name?"]


def test_a_placeholder_the_message_cannot_fill_is_an_error(toy_dir: Path) -> None:
    """$answered means nothing in a no-reply reminder: said, with what it can use."""
    text = SHIPPED.read_text(encoding="utf-8").replace(
        'subject: "Reminder: your $role_title guide"',
        'subject: "Reminder: ${answered} answers"')
    with_messages(toy_dir, text)
    line, col = line_of(text, "${answered}")
    found = problems(toy_dir)
    assert len(found) == 1 and found[0].startswith(
        f"content/messages.yaml:{line}:{col}: placeholder ${{answered}} has no value in a "
        "'no_reply' message — 'no_reply' messages cannot use it; they can use $id, $name")


def test_a_missing_message_and_a_lone_dollar_are_reported(toy_dir: Path) -> None:
    """A reminder left out is named at its mapping; '$ 5' asks for $$."""
    text = SHIPPED.read_text(encoding="utf-8")
    start, end = text.index("  password:\n"), text.index("  unreadable:\n")
    text = text[:start] + text[end:]
    text = text.replace("There is nothing more you need to do.\n\n    $sender_name\n  body_with",
                        "It cost you $ 5.\n\n    $sender_name\n  body_with")
    with_messages(toy_dir, text)
    line, col = line_of(text, "$ 5")
    reminders = line_of(text, "  no_reply:")
    assert problems(toy_dir) == [
        f"content/messages.yaml:{reminders[0]}:3: missing required key 'password' in "
        "reminders — add 'password:' to this mapping",
        f"content/messages.yaml:{line}:{col}: '$' is not followed by a placeholder name — "
        "write $$ for a dollar sign, or ${name} around a placeholder"]


def test_check_prints_message_problems_and_exits_2(toy_dir: Path) -> None:
    """The CLI shows the located problem; an unknown key gets a did-you-mean."""
    text = SHIPPED.read_text(encoding="utf-8").replace("saving_help: |", "saving_hlep: |")
    with_messages(toy_dir, text)
    result = CliRunner().invoke(main, ["check", str(toy_dir)])
    assert result.exit_code == 2
    line, _ = line_of(text, "saving_hlep")
    assert f"content/messages.yaml:{line}:1: unknown key 'saving_hlep' in messages — did " \
        "you mean 'saving_help'?" in result.output


def test_an_edition_folder_has_its_own_messages(toy_dir: Path, tmp_path: Path) -> None:
    """content/editions/<code>/ is a whole content folder: its messages.yaml is the one
    read for it; a folder without one has no messages (remind says so)."""
    edition = toy_dir / "editions" / "es"
    shutil.copytree(toy_dir, edition, ignore=shutil.ignore_patterns("editions"))
    text = SHIPPED.read_text(encoding="utf-8").replace(
        '"Reminder: your $role_title guide"', '"Recordatorio: su guía de $role_title"')
    (edition / "messages.yaml").write_text(text, encoding="utf-8")
    content, errors = check_content(edition)
    assert errors == [] and content is not None
    assert content.messages.reminder("no_reply").subject == \
        "Recordatorio: su guía de $role_title"
    plain, errors = check_content(toy_dir)
    assert errors == [] and plain is not None and plain.messages is None
