"""The follow-up side of the command line: `guidepdf status` and `guidepdf remind`.
Parses options, calls guidepdf.followup, prints. Kept beside cli.py, as mailcli.py is, so
the follow-up commands change without touching the others."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import click

from guidepdf.progress import Progress

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


def follow_up_of(roster_path: Path | None, content, returned_dir: Path):  # type: ignore[no-untyped-def]
    """For collect: (summary, roster) -> the follow-up state, when the roster has a
    follow-up journal beside it (None: nobody reminded yet, nothing to add). collect
    calls it in the process reading the forms, with the roster that reading matched them
    to (report.collect)."""
    if roster_path is None or not (roster_path.parent / REMIND_JOURNAL).is_file():
        return None

    def state(summary, roster):  # type: ignore[no-untyped-def]
        from guidepdf.followup.status import build_status, followup_state

        return followup_state(build_status(
            roster, content, summary=summary, send_journal=roster.path.parent / "sent.jsonl",
            returned_dir=returned_dir, reminders=roster.path.parent / REMIND_JOURNAL))

    return state


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


def mail_out_options(command):  # type: ignore[no-untyped-def]
    """Where the messages go and how, as for `guidepdf send`."""
    for option in reversed((
        click.option("--from", "sender", required=True,
                     help='Sender, e.g. "Lakeshore <guides@x.org>" (as for send).'),
        click.option("--copies", "copies_dir", type=click.Path(path_type=Path),
                     help="The copies `personalize` wrote, attached as they are [default: "
                     "./personalized when it exists; else each copy is made again]."),
        click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter",
                     show_default=True, help="Paper of copies made again (not with --copies)."),
        click.option("--prefill/--no-prefill", default=False, show_default=True,
                     help="Prefill copies made again (not with --copies)."),
        click.option("--outbox", type=click.Path(path_type=Path),
                     help="Write .eml drafts here instead of sending (journaled as drafted)."),
        click.option("--smtp", metavar="HOST:PORT", help="Send through this SMTP server."),
        click.option("--starttls", "security", flag_value="starttls",
                     help="Upgrade with STARTTLS."),
        click.option("--ssl", "security", flag_value="ssl", help="Connect with TLS (SMTPS)."),
        click.option("--user", help="SMTP login name."),
        click.option("--password-env", metavar="VAR",
                     help="Environment variable holding the password."),
        click.option("--oauth2-token-cmd", "token_cmd", metavar="CMD",
                     help="Command printing an OAuth2 access token (XOAUTH2 / OAUTHBEARER)."),
        click.option("--dry-run", is_flag=True,
                     help="Show who would get which message; send nothing."),
        click.option("--rate", metavar="N/min", help="At most N messages per minute "
                     "(or N/s, N/h)."),
        click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True),
        click.option("--backoff", type=click.FloatRange(0), default=2.0, show_default=True,
                     help="Seconds before the first retry; doubled each time."),
        click.option("--timeout", "smtp_timeout", type=click.FloatRange(0.1), default=60.0,
                     show_default=True, help="Seconds the server may take for any one answer."),
        click.option("--deadline", type=click.FloatRange(1), default=None,
                     help="Seconds the whole run may take; it stops cleanly then."),
        click.option("--resend-uncertain", is_flag=True,
                     help="Also send messages the server may already have (listed as "
                     "'uncertain') — only once you know they did not arrive."),
    )):
        command = option(command)
    return command


@click.command()
@followup_inputs
@mail_out_options
@click.option("--round", "round_name", default="1", show_default=True, metavar="NAME",
              help="The reminder round: each person gets at most one reminder per round; "
              "name a new round to remind again on purpose.")
@click.option("--min-days", type=click.FloatRange(0), default=3, show_default=True,
              help="Leave out people reminded less than this many days ago (any round).")
@click.option("--receipts", is_flag=True,
              help="Instead of reminders: one short receipt to each person whose form was "
              "read (once per form).")
def remind(roster_path: Path, content_dir: Path | None, journal_path: Path | None,
           summary_path: Path, returned_dir: Path, reminders_path: Path | None, sender: str,
           copies_dir: Path | None, paper: str, prefill: bool, outbox: Path | None,
           smtp: str | None, security: str | None, user: str | None,
           password_env: str | None, token_cmd: str | None, dry_run: bool, rate: str | None,
           retries: int, backoff: float, smtp_timeout: float, deadline: float | None,
           resend_uncertain: bool, round_name: str, min_days: float, receipts: bool) -> None:
    """Remind each person on the roster without a usable form, saying what went wrong
    (no reply, a reply without the form, the blank copy, mostly blank, flattened or printed
    to PDF, password, damaged, another role's guide) and how to fix it, with their copy
    attached again — or, when they had started, the copy they sent, so nothing they typed
    is lost. With --receipts, thank each person whose form was read instead.

    The texts are content/messages.yaml. Every message is journaled (reminded.jsonl beside
    the roster) as `send` journals: run it again after an interruption and nobody gets a
    second message; a second run of the same round sends none. Exit codes as for send:
    0 done, 1 some failed, uncertain or not attempted, 2 bad input, nothing sent."""
    from datetime import UTC, datetime

    from guidepdf.cli import EXIT_CONTENT, EXIT_INTERRUPTED, _copy_folder
    from guidepdf.distribute import Journal, Personalizer, SmtpSettings, send_all, write_outbox
    from guidepdf.distribute.mail import parse_sender
    from guidepdf.distribute.send import parse_rate
    from guidepdf.errors import SendError
    from guidepdf.followup.remind import DRAFTED, Composer, compose, plan, sent_message_ids

    if outbox and smtp:
        raise click.UsageError("use either --outbox (write .eml files) or --smtp (send)")
    if not (outbox or smtp or dry_run):
        raise click.UsageError("say where the mail goes: --outbox DIR, --smtp HOST:PORT, "
                               "or --dry-run")
    content, roster, status = load_status(roster_path, content_dir, journal_path,
                                          summary_path, returned_dir, reminders_path)
    for note in status.notes:
        click.echo(f"note: {note}", err=True)
    if content.messages is None:
        click.echo(f"{content.root}/messages.yaml: not found — remind needs the messages it "
                   "sends; copy messages.yaml from the sample content (guidepdf init makes "
                   "a folder with one) and edit it", err=True)
        sys.exit(EXIT_CONTENT)
    people = list(roster.people)
    send_journal = journal_path or roster_path.parent / "sent.jsonl"
    journal_file = reminders_path or roster_path.parent / REMIND_JOURNAL
    what = "receipt" if receipts else "reminder"
    try:
        settings = SmtpSettings.parse(smtp, security or "none", user, password_env,
                                      timeout=smtp_timeout,
                                      token_command=token_cmd) if smtp else None
        per_minute = parse_rate(rate) if rate else None
        from_addr = parse_sender(sender)
        readonly = Journal(journal_file, readonly=True)
        todo, skipped = plan(status, people, receipts=receipts, round_name=round_name,
                             min_days=min_days, now=datetime.now(UTC), journal=readonly)
        copies = _copy_folder(copies_dir, content, people) if todo and not receipts \
            else None
        if copies is not None:
            copies.check(f"run guidepdf personalize --roster {roster_path} --out "
                         f"{copies.folder} again, then remind")
            make_copy = copies.read
        else:
            make_copy = Personalizer(content, paper=paper, prefill=prefill).copy
        composer = Composer(content, content.messages, people, from_addr, make_copy,
                            round_name=round_name, sent_ids=sent_message_ids(send_journal),
                            returned_dir=returned_dir)
        items = compose(composer, todo, receipts=receipts)
        for skip in skipped:
            click.echo(f"left out  {skip.person.name} <{skip.person.email}>: {skip.reason}")
        if dry_run:
            _dry_run(items, readonly, what)
            return
        if outbox:
            written = 0
            with Journal(journal_file) as journal:
                def fresh():  # type: ignore[no-untyped-def]
                    for item in items:
                        if not journal.is_sent(item):
                            yield item

                def wrote(event: str, item, detail: str) -> None:  # type: ignore[no-untyped-def]
                    nonlocal written
                    journal.record(item, DRAFTED, str(outbox))
                    written += 1

                write_outbox(fresh(), outbox, on_event=wrote)
            click.echo(f"Wrote {written} {what}(s) to {outbox}/ as drafts — nothing was sent; "
                       "send them from your mail program.")
            return
        assert settings is not None
        with Journal(journal_file) as journal, Progress(f"Sending {what}s", len(todo)) as bar:
            result = send_all(items, settings, journal, rate_per_minute=per_minute,
                              retries=retries, backoff=backoff, deadline=deadline,
                              resend_uncertain=resend_uncertain,
                              on_event=lambda event, item, detail: _said(event, item, bar))
    except SendError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)
    except KeyboardInterrupt:
        click.echo(f"\nInterrupted. Run the same command again to send the rest: the "
                   f"journal ({journal_file}) makes sure nobody gets a second {what}.",
                   err=True)
        sys.exit(EXIT_INTERRUPTED)
    for person, reason in result.failed:
        click.echo(f"failed  {person.name} <{person.email}> (line {person.line}): {reason}")
    for person, reason in result.uncertain:
        click.echo(f"uncertain  {person.name} <{person.email}> (line {person.line}): the "
                   f"server may have delivered it — {reason}")
    if result.uncertain:
        click.echo(f"{len(result.uncertain)} {what}(s) may have reached the server and were "
                   "not sent again; run again with --resend-uncertain once you know they "
                   "did not arrive.")
    click.echo(f"{what}s: " + result.summary(len(todo)) + f" — journal: {journal_file}")
    if result.failed or result.aborted or result.uncertain:
        sys.exit(1)


def _said(event: str, item, bar: Progress) -> None:  # type: ignore[no-untyped-def]
    if event != "retry":
        bar.advance(item=f"{event} {item.person.email}")


def _dry_run(items, journal, what: str) -> None:  # type: ignore[no-untyped-def]
    todo = skip = 0
    for item in items:
        done = journal.is_sent(item)
        todo, skip = todo + (not done), skip + done
        state = "already sent" if done else "would send"
        attached = f"{item.filename} ({len(item.attachment) // 1024} KB, {item.attached})" \
            if item.attached else "no attachment"
        click.echo(f"{state}  {item.message['To']}  {item.problem}  {attached}  "
                   f"Subject: {item.message['Subject']}")
    click.echo(f"dry run: would send {todo} {what}(s), skip {skip} (already sent); nothing "
               "was sent.")
