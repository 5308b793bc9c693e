"""The follow-up side of the command line: `guidepdf status` (and, as they land, `remind`).
Parses options, calls guidepdf.followup, prints. Kept beside cli.py, as mailcli.py is, so
the follow-up commands change without touching the others."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import click

DEFAULT_SUMMARY = Path("summary") / "summary.json"
DEFAULT_RETURNED = Path("returned")
REMIND_JOURNAL = "reminded.jsonl"  # beside the roster, as send's sent.jsonl


def followup_inputs(command):  # type: ignore[no-untyped-def]
    """The options that say where a rollout's records are, shared by status and remind."""
    for option in reversed((
        click.option("--roster", "roster_path", required=True,
                     type=click.Path(path_type=Path), help="The roster the guides went to."),
        click.option("--content", "content_dir", type=click.Path(path_type=Path),
                     help="Content the guides were made from (default: the one guidepdf.toml "
                     "names, else ./content, else the shipped sample content)."),
        click.option("--journal", "journal_path", type=click.Path(path_type=Path),
                     help="send's journal (default: sent.jsonl beside the roster)."),
        click.option("--summary", "summary_path", type=click.Path(path_type=Path),
                     default=DEFAULT_SUMMARY, show_default=True,
                     help="summary.json of the last collect."),
        click.option("--returned", "returned_dir", type=click.Path(path_type=Path),
                     default=DEFAULT_RETURNED, show_default=True,
                     help="The folder collect read (and fetch saved into, with its "
                     "fetched.jsonl)."),
        click.option("--reminders", "reminders_path", type=click.Path(path_type=Path),
                     help=f"The follow-up journal (default: {REMIND_JOURNAL} beside the "
                     "roster)."),
    )):
        command = option(command)
    return command


def load_status(roster_path: Path, content_dir: Path | None, journal_path: Path | None,
                summary_path: Path, returned_dir: Path, reminders_path: Path | None):  # type: ignore[no-untyped-def]
    """(content, roster, status) for the options above; exits 2 on unusable input."""
    from guidepdf.cli import EXIT_CONTENT, _collect_roster, _load
    from guidepdf.followup import build_status
    from guidepdf.followup.status import StatusInputError

    content = _load(content_dir)
    roster = _collect_roster(roster_path, content)
    try:
        status = build_status(
            roster, content, summary=summary_path,
            send_journal=journal_path or roster_path.parent / "sent.jsonl",
            returned_dir=returned_dir,
            reminders=reminders_path or roster_path.parent / REMIND_JOURNAL)
    except StatusInputError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)
    return content, roster, status


@click.command()
@followup_inputs
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where status.csv and status.json go (default: beside summary.json).")
def status(roster_path: Path, content_dir: Path | None, journal_path: Path | None,
           summary_path: Path, returned_dir: Path, reminders_path: Path | None,
           out_dir: Path | None) -> None:
    """Where each person on the roster stands: sent, returned, what was read, the
    problem (none, no reply, reply without the form, blank copy, mostly blank, flattened or
    printed to PDF, password, unreadable, another role's guide, unknown sender), and the
    reminders sent. Prints a table and writes status.csv and status.json."""
    from guidepdf.errors import os_problem
    from guidepdf.followup.statusfiles import counts_lines, table, write_status

    width = shutil.get_terminal_size((100, 24)).columns
    _, _, result = load_status(roster_path, content_dir, journal_path, summary_path,
                               returned_dir, reminders_path)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(table(result, width))
    for line in counts_lines(result):
        click.echo(textwrap.fill(line, width, subsequent_indent="  "))
    target = out_dir or summary_path.parent
    try:
        paths = write_status(result, target)
    except OSError as exc:
        click.echo(os_problem(target, exc, "the status files"), err=True)
        sys.exit(7)
    click.echo(f"Wrote {paths['status.csv']} and {paths['status.json']}.")
