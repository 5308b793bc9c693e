"""Command line -> the public API. Parses options, calls the library, prints, and maps our
errors to the exit codes of guidepdf.exitcodes (one table for every command): an output
path that cannot be written is one sentence and 7, a bug is one line and 70, never a
traceback."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from guidepdf import __version__, exitcodes
from guidepdf.defaults import ANSWERS_PER_QUESTION
from guidepdf.followupcli import follow_up_of, remind, status
from guidepdf.mailcli import fetch, imap_options, run_fetch
from guidepdf.progress import Progress
from guidepdf.workspace import choose_content, init_workspace

if TYPE_CHECKING:
    from guidepdf.content import Content
    from guidepdf.distribute import Journal, Outgoing, Person, Roster
    from guidepdf.distribute.copyfolder import CopyFolder

# Heavy libraries (reportlab, pikepdf, openpyxl, fontTools) and our modules that import them are
# imported inside the commands that use them, so that --version and --help answer at once.
# tests/cli/test_startup.py holds this line.

EXIT_CONTENT = exitcodes.USAGE
DEFAULT_COPIES = Path("personalized")  # personalize's default --out: what send mails
EXIT_OTHER_CONTENT = exitcodes.OTHER_CONTENT  # collect: forms from another content version
EXIT_INTERRUPTED = exitcodes.INTERRUPTED
CONTENT_HELP = ("Content folder (default: the one guidepdf.toml names, else ./content, else "
                "the shipped sample content).")
EDITION_HELP = ("Use the content folder's edition CODE (its editions/CODE/ folder, e.g. es for "
                "the Spanish edition).")
_EDITION = "guidepdf.edition"  # where --edition leaves its value in the click context


def edition_option(command):  # type: ignore[no-untyped-def]
    """--edition CODE, for every command that takes --content; _content_dir reads it."""
    def remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            ctx.meta[_EDITION] = value

    return click.option("--edition", metavar="CODE", expose_value=False, callback=remember,
                        help=EDITION_HELP)(command)


def _content_dir(given: Path | None) -> Path:
    """The content folder to use (--content, guidepdf.toml, ./content, shipped; --edition),
    said on stderr; a guidepdf.toml or edition that cannot be used exits 2."""
    from guidepdf.errors import SettingsError

    ctx = click.get_current_context(silent=True)
    edition = ctx.meta.get(_EDITION) if ctx is not None else None
    try:
        choice = choose_content(given, edition=edition)
    except SettingsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(choice.describe(), err=True)
    return choice.path


def _load(content_dir: Path | None):  # type: ignore[no-untyped-def]
    from guidepdf.content import check_content

    content, errors = check_content(_content_dir(content_dir))
    if errors:
        for error in errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(errors)} problem(s) in the content; nothing was built.", err=True)
        sys.exit(EXIT_CONTENT)
    for warning in content.warnings:
        click.echo(str(warning), err=True)
    return content


def _reading_options(command):  # type: ignore[no-untyped-def]
    """--jobs, --timeout and --max-mb, shared by read and collect."""
    for option in reversed((
        click.option("--jobs", type=click.IntRange(1), default=None,
                     help="Worker processes reading forms; collect writes its outputs in as many "
                          "(default: number of cores)."),
        click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True,
                     help="Seconds one file may take before it is rejected."),
        click.option("--max-mb", type=click.IntRange(1), default=50, show_default=True,
                     help="Files larger than this are rejected unread."),
        click.option("--follow-links", is_flag=True,
                     help="Also read files that links in the folder point to outside it "
                          "(by default such links are listed as ignored)."),
    )):
        command = option(command)
    return command


class _Guarded(click.Group):
    """The command group: what a command raises becomes one line and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        from guidepdf.errors import BusyError, OutputError, os_problem

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except OutputError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exitcodes.OUTPUT)
        except BusyError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exitcodes.BUSY)
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            sys.exit(exitcodes.INTERRUPTED)
        except OSError as exc:  # a file or folder no check foresaw: still one sentence
            click.echo(os_problem(exc.filename or "(unnamed file)", exc), err=True)
            sys.exit(exitcodes.OUTPUT)
        except Exception as exc:
            _internal_error(exc)


def _internal_error(exc: Exception) -> None:
    """A bug: one line naming it, the traceback in a file (GUIDEPDF_DEBUG=1: raise it)."""
    import os
    import tempfile
    import traceback

    if os.environ.get("GUIDEPDF_DEBUG"):
        raise exc
    details = "".join(traceback.format_exception(exc))
    where = ""
    try:
        fd, name = tempfile.mkstemp(prefix="guidepdf-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"guidepdf {__version__}\n{' '.join(sys.argv)}\n\n{details}")
        where = f"; the details are in {name}"
    except OSError:
        pass
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    click.echo(f"guidepdf: internal error ({type(exc).__name__}: {first}) — this is a bug in "
               f"guidepdf, please report it{where}", err=True)
    sys.exit(exitcodes.INTERNAL)


@click.group(cls=_Guarded)
@click.version_option(__version__, prog_name="guidepdf")
def main() -> None:
    """Role-specific action guide PDFs: build, distribute, read back, summarize."""


@main.command()
@click.argument("content_dir", required=False, type=click.Path(path_type=Path))
@edition_option
def check(content_dir: Path | None) -> None:
    """Validate a content folder and report every problem at once."""
    from guidepdf.content import check_content

    content, errors = check_content(_content_dir(content_dir))
    for error in errors:
        click.echo(str(error))
    if errors:
        click.echo(f"{len(errors)} problem(s) found.")
        sys.exit(EXIT_CONTENT)
    assert content is not None
    for warning in content.warnings:
        click.echo(str(warning))
    warned = f", {len(content.warnings)} warning(s) above" if content.warnings else ""
    click.echo(f"{content.root}: OK — {len(content.roles)} roles, "
               f"{len(content.framework.standards)} standards, "
               f"{sum(len(r.questions) for r in content.roles)} questions{warned}.")


@main.command()
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--edition", metavar="CODE",
              help="Make the working folder use this edition (e.g. es) of the content.")
def init(folder: Path, edition: str | None) -> None:
    """Make FOLDER (default: the current folder) a working folder: a copy of the sample
    content to edit, and a guidepdf.toml that every command run in FOLDER finds."""
    from guidepdf.errors import SettingsError

    try:
        settings, content = init_workspace(folder, edition)
    except SettingsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(f"Made {content}/ (the content: edit its YAML files) and {settings}.")
    used = content / "editions" / edition if edition else content
    click.echo(f"Every guidepdf command run in {folder} or below it now uses {used}/; "
               "try `guidepdf check`, then `guidepdf build`.")


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help=CONTENT_HELP)
@edition_option
@click.option("--role", "roles", multiple=True, help="Role id to build (repeatable; default all).")
@click.option("--mode", type=click.Choice(["fillable", "print", "both"]), default="both",
              show_default=True)
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--part", type=click.Choice(["all", "icmap"]), default="all", show_default=True,
              help="The whole guide, or only the IC map pages (roles that have a map).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("guides"),
              show_default=True)
def build(content_dir: Path | None, roles: tuple[str, ...], mode: str, paper: str, part: str,
          out_dir: Path) -> None:
    """Build guide PDFs (every role, both modes, by default) into OUT."""
    from guidepdf.build import plan_builds, run_builds

    content = _load(content_dir)
    try:
        jobs = plan_builds(content, list(roles), mode, paper, part)
    except KeyError as exc:
        known = ", ".join(r.id for r in content.roles)
        raise click.UsageError(f"unknown role id(s): {exc.args[0]} (known: {known})") from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with Progress("Building guides", len(jobs)) as bar:
        paths = list(run_builds(content, jobs, out_dir,
                                on_done=lambda job, path: bar.advance(item=path.name)))
    click.echo(f"Wrote {len(paths)} PDF(s) to {out_dir}/")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("plans"),
              show_default=True)
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help="Content the forms were made from. " + CONTENT_HELP)
@edition_option
@_reading_options
def read(inputs: tuple[Path, ...], fmt: str, out_dir: Path, content_dir: Path | None,
         jobs: int | None, timeout: float, max_mb: int, follow_links: bool) -> None:
    """Read filled guides (files or folders; PDFs, and mail saved as .eml or .mbox) into
    one plan file per form."""
    import dataclasses
    import tempfile

    from guidepdf.atomic import write_text
    from guidepdf.folderlock import holding
    from guidepdf.mail.files import mail_kind
    from guidepdf.mail.inputs import gather
    from guidepdf.read.readmany import scan
    from guidepdf.read.readpool import MB, Limits, read_paths
    from guidepdf.safenames import printable, unique_stem

    content = _load(content_dir)
    say = content.labels.note  # reasons and warnings in the edition's words
    walk = scan(inputs, follow_links=follow_links)
    pdfs, others = walk.pdfs, walk.others
    for path, why in walk.ignored:
        click.echo(f"ignored   {printable(str(path))}: {say(why)}")
    if not pdfs and not any(mail_kind(p) for p in others):
        shown = ", ".join(str(p) for p in others[:3]) or ", ".join(str(p) for p in inputs)
        click.echo(f"No PDF files to read in {shown} — nothing was read; name the returned "
                   "forms (.pdf, or mail saved as .eml/.mbox) or the folder that holds them.",
                   err=True)
        sys.exit(1)
    ok = warned = rejected = 0
    names: set[str] = set()
    with holding(out_dir, "read", "the folder for the plans"), \
            tempfile.TemporaryDirectory(prefix="guidepdf-mail-") as work:
        found = gather(pdfs, others, Path(work))  # attachments of mail files, origins
        for shown, reason in found.rejected:
            rejected += 1
            click.echo(f"rejected  {printable(shown)}: {printable(say(reason))}")
        outcomes = read_paths(found.files, content=content, jobs=jobs, names=found.names,
                              limits=Limits(seconds=timeout, max_bytes=max_mb * MB))
        for shown, origin, outcome in zip(found.names, found.origins, outcomes, strict=True):
            if outcome.plan is None:
                rejected += 1
                click.echo(f"rejected  {printable(shown)}: "
                           f"{printable(say(outcome.reason or ''))}")
                continue
            plan = outcome.plan
            came = ""
            if origin is not None:
                plan = dataclasses.replace(plan, extra={**plan.extra,
                                                        "origin": origin.to_dict()})
                came = f" (from {origin.describe()})"
            stem = outcome.path.stem if origin is None else shown.removesuffix(".pdf")
            name = unique_stem(stem, names)
            text = plan.to_yaml() if fmt == "yaml" else plan.to_json()
            write_text(out_dir / f"{name}.{fmt}", text)
            if plan.warnings:
                warned += 1
                click.echo(f"warnings  {printable(shown + came)}: " +
                           printable("; ".join(say(w) for w in plan.warnings)))
            else:
                ok += 1
                click.echo(f"ok        {printable(shown + came)}")
    click.echo(f"Read {ok + warned} form(s) ({warned} with warnings), rejected {rejected}; "
               f"plans in {out_dir}/")
    if rejected:
        sys.exit(1)



# --- distribute: roster check, personalize, send ------------------------------------------

def _read_roster_or_exit(path: Path, content: Content) -> Roster:
    """Read a roster with a progress bar; a roster that cannot be read at all exits 2."""
    from guidepdf.distribute import read_roster_apart
    from guidepdf.errors import RosterError

    bar = Progress("Reading roster")
    try:
        return read_roster_apart(path, content.roles, progress=bar)
    except RosterError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)
    finally:
        bar.close()


def _roster(path: Path, content: Content, paper: str = "letter", *,
            report: bool = False) -> Roster:
    """Read a roster, print what was detected and every problem (to stdout when the report
    is the point, else to stderr); exit 2 on errors."""
    from guidepdf.distribute import cover_problems

    roster = _read_roster_or_exit(path, content)
    problems = sorted([*roster.problems, *cover_problems(content, roster, paper)],
                      key=lambda p: (p.line, p.severity != "error"))
    click.echo(roster.describe(), err=not report)
    for problem in problems:
        click.echo(str(problem), err=not report)
    if roster.errors:
        click.echo(f"{len(roster.errors)} error(s) in {path}; nothing was done.",
                   err=not report)
        sys.exit(EXIT_CONTENT)
    return roster


@main.group()
def roster() -> None:
    """Check a roster of people (CSV: id, name, email, role, optional group, language)."""


@roster.command("check")
@click.argument("roster_path", metavar="ROSTER", type=click.Path(path_type=Path))
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help="Content whose roles the roster names. " + CONTENT_HELP)
@edition_option
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
def roster_check(roster_path: Path, content_dir: Path | None, paper: str) -> None:
    """Report every problem in ROSTER at once, each with its line number."""
    people = _roster(roster_path, _load(content_dir), paper, report=True).people
    click.echo(f"{roster_path}: OK — {_people(len(people))}.")


@main.command()
@click.option("--roster", "roster_path", required=True, type=click.Path(path_type=Path))
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help=CONTENT_HELP)
@edition_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("personalized"),
              show_default=True)
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--prefill/--no-prefill", default=False, show_default=True,
              help="Fill in each person's name, email and group on the form.")
@click.option("--jobs", type=click.IntRange(1), default=None,
              help="Worker processes making copies (default: number of cores).")
def personalize(roster_path: Path, content_dir: Path | None, out_dir: Path, paper: str,
                prefill: bool, jobs: int | None) -> None:
    """Write one personalized fillable guide per person on the roster into OUT."""
    from guidepdf.distribute import personalize_roster
    from guidepdf.errors import PersonalizeError

    content = _load(content_dir)
    people = _roster(roster_path, content, paper).people
    failed: PersonalizeError | None = None
    with Progress("Personalizing", len(people)) as bar:
        try:
            paths = personalize_roster(content, people, out_dir, paper=paper, prefill=prefill,
                                       jobs=jobs, on_done=lambda person, path: bar.advance(),
                                       on_failed=lambda person, reason: bar.advance())
        except PersonalizeError as exc:
            failed, paths = exc, exc.written
    if failed:
        click.echo(str(failed), err=True)
    click.echo(f"Wrote {len(paths)} personalized PDF(s) to {out_dir}/")
    if failed:
        click.echo(f"{len(failed.failed)} PDF(s) could not be made (listed above).",
                   err=True)
        sys.exit(exitcodes.OUTPUT if failed.unwritable else exitcodes.SOME_FAILED)


@main.command()
@click.option("--roster", "roster_path", required=True, type=click.Path(path_type=Path))
@click.option("--from", "sender", required=True, help='Sender, e.g. "Lakeshore <guides@x.org>".')
@click.option("--subject", help="Subject; may use $name-style placeholders [default: the "
              "edition's mail.subject label].")
@click.option("--body", "body_path", type=click.Path(path_type=Path),
              help="UTF-8 text file; $name / ${name} placeholders, $$ for a dollar sign "
              "[default: the edition's mail.body label].")
@click.option("--content", "content_dir", type=click.Path(path_type=Path), help=CONTENT_HELP)
@edition_option
@click.option("--copies", "copies_dir", type=click.Path(path_type=Path),
              help="Mail the copies `personalize` wrote into this folder, as they are "
              "[default: ./personalized when it exists; else send makes each copy itself].")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True,
              help="Paper of the copies send makes itself (not with --copies).")
@click.option("--prefill/--no-prefill", default=False, show_default=True,
              help="Prefill the copies send makes itself (not with --copies).")
@click.option("--outbox", "outbox", type=click.Path(path_type=Path),
              help="Write .eml files here instead of sending.")
@click.option("--smtp", "smtp", metavar="HOST:PORT", help="Send through this SMTP server.")
@click.option("--starttls", "security", flag_value="starttls", help="Upgrade with STARTTLS.")
@click.option("--ssl", "security", flag_value="ssl", help="Connect with TLS (SMTPS).")
@click.option("--user", help="SMTP login name.")
@click.option("--password-env", metavar="VAR", help="Environment variable holding the password.")
@click.option("--oauth2-token-cmd", "token_cmd", metavar="CMD",
              help="Command printing an OAuth2 access token (SASL XOAUTH2 / OAUTHBEARER).")
@click.option("--dry-run", is_flag=True, help="Show what would be sent to whom; send nothing.")
@click.option("--rate", metavar="N/min", help="At most N messages per minute (or N/s, N/h).")
@click.option("--journal", "journal_path", type=click.Path(path_type=Path),
              help="Send journal [default: sent.jsonl beside the roster].")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True)
@click.option("--backoff", type=click.FloatRange(0), default=2.0, show_default=True,
              help="Seconds before the first retry; doubled each time.")
@click.option("--timeout", "smtp_timeout", type=click.FloatRange(0.1), default=60.0,
              show_default=True, help="Seconds the server may take for any one answer.")
@click.option("--deadline", type=click.FloatRange(1), default=None,
              help="Seconds the whole run may take; it stops cleanly then (run it again "
              "to send the rest).")
@click.option("--resend-uncertain", is_flag=True,
              help="Also send the messages the server may already have (listed as "
              "'uncertain' by an earlier run) — only once you know they did not arrive.")
def send(roster_path: Path, sender: str, subject: str | None, body_path: Path | None,
         content_dir: Path | None, copies_dir: Path | None, paper: str, prefill: bool,
         outbox: Path | None,
         smtp: str | None, security: str | None, user: str | None, password_env: str | None,
         dry_run: bool, rate: str | None, journal_path: Path | None, retries: int,
         backoff: float, smtp_timeout: float, deadline: float | None,
         resend_uncertain: bool, token_cmd: str | None = None) -> None:
    """Email each person on the roster their personalized guide (or write an outbox).

    Subject and body may use $placeholders (${name} next to letters, $$ for a dollar sign):
    $id $name $email $role $role_title $role_phrase $group $language $filename, and every
    other roster column by its header in lower case with '_' for spaces ("First name" ->
    $first_name). Without --subject and --body, the edition's mail.subject and mail.body
    labels are the message.
    Sending is journaled (sent.jsonl beside the roster): run it again after an interruption
    and it sends only to those who have not had their copy. A message the server may have
    (the connection broke after the whole message went out) is listed as 'uncertain' and
    sent again only with --resend-uncertain."""
    from guidepdf.distribute import (
        Journal,
        Personalizer,
        SmtpSettings,
        prepare_outgoing,
        send_all,
        write_outbox,
    )
    from guidepdf.distribute.mail import parse_sender
    from guidepdf.distribute.send import parse_rate
    from guidepdf.errors import SendError
    from guidepdf.safenames import printable

    if outbox and smtp:
        raise click.UsageError("use either --outbox (write .eml files) or --smtp (send)")
    if not (outbox or smtp or dry_run):
        raise click.UsageError("say where the mail goes: --outbox DIR, --smtp HOST:PORT, "
                               "or --dry-run")
    content = _load(content_dir)
    people = list(_roster(roster_path, content, paper).people)
    journal_path = journal_path or roster_path.parent / "sent.jsonl"
    try:
        settings = SmtpSettings.parse(smtp, security or "none", user, password_env,
                                      timeout=smtp_timeout,
                                      token_command=token_cmd) if smtp else None
        per_minute = parse_rate(rate) if rate else None
        template = _mail_template(content, subject, body_path)
        copies = _copy_folder(copies_dir, content, people)
        hint = (f"run guidepdf personalize --roster {roster_path} --out {copies.folder} "
                "again (with the options you want), then send") if copies else ""
        items = prepare_outgoing(Personalizer(content, paper=paper, prefill=prefill), people,
                                 template, parse_sender(sender), copies=copies, hint=hint)
        if copies is not None:
            _check_copy_options(copies)
        if dry_run:
            _dry_run(items, Journal(journal_path, readonly=True), settings is not None)
            return
        if outbox:
            with Progress("Writing messages", len(people)) as bar:
                paths = write_outbox(items, outbox, on_event=lambda *a: bar.advance())
            click.echo(f"Wrote {len(paths)} message(s) to {outbox}/ — nothing was sent.")
            return
        assert settings is not None
        counts: Counter[str] = Counter()

        def sending(event: str, item: Outgoing, detail: str) -> None:
            counts[event] += 1
            if event != "retry":
                bar.advance(item=f"{event} {item.person.email}")

        with Journal(journal_path) as journal, Progress("Sending", len(people)) as bar:
            result = send_all(items, settings, journal, rate_per_minute=per_minute,
                              retries=retries, backoff=backoff, deadline=deadline,
                              resend_uncertain=resend_uncertain, on_event=sending)
    except SendError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)
    except KeyboardInterrupt:
        done = counts["sent"] + counts["skipped"] + counts["failed"] + counts["uncertain"]
        click.echo(f"\nInterrupted: {counts['sent']} message(s) sent in this run, "
                   f"{counts['skipped']} had been sent before, {counts['failed']} failed, "
                   f"{counts['uncertain']} uncertain, {len(people) - done} not sent yet. Run "
                   f"the same command again to send the rest: the journal ({journal_path}) "
                   "skips everyone who has their copy, and lists a message cut off after it "
                   "went out as uncertain instead of sending it again.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    for person, reason in result.failed:
        click.echo(f"failed  {printable(person.name)} <{person.email}> (line {person.line}): "
                   f"{printable(reason)}")
    for person, reason in result.uncertain:
        click.echo(f"uncertain  {printable(person.name)} <{person.email}> (line "
                   f"{person.line}): the server may have delivered it — {printable(reason)}")
    if result.uncertain:
        click.echo(f"{len(result.uncertain)} message(s) may have reached the server and "
                   "were not sent again; ask those people (or the mail server's log) whether "
                   "they arrived, then run again with --resend-uncertain to send the ones "
                   "that did not.")
    if result.new_version:
        click.echo(f"{len(result.new_version)} person(s) had been sent an earlier version of "
                   "their guide; they were sent the current one.")
    if result.resent_uncertain:
        click.echo(f"{len(result.resent_uncertain)} uncertain message(s) were sent again, as "
                   "asked (same Message-ID, so most mail programs show one copy).")
    click.echo(result.summary(len(people)) + f" — journal: {journal_path}")
    if result.failed or result.aborted or result.uncertain:
        sys.exit(1)


def _copy_folder(given: Path | None, content: Content,
                 people: list[Person]) -> CopyFolder | None:
    """The folder of copies to mail (--copies, else ./personalized if it exists), said on
    stderr; None: send makes the copies itself."""
    from guidepdf.distribute.copyfolder import CopyFolder  # imports pikepdf

    folder = given or (DEFAULT_COPIES if DEFAULT_COPIES.is_dir() else None)
    if folder is None:
        click.echo("Copies: made by send itself (no ./personalized folder; run "
                   "`guidepdf personalize` first to look at them before they go)", err=True)
        return None
    click.echo(f"Copies: {folder}/ (as personalize wrote them)", err=True)
    return CopyFolder(folder, content, people)


def _check_copy_options(copies: CopyFolder) -> None:
    """--paper or --prefill typed with a folder of copies must agree with the copies."""
    ctx = click.get_current_context()
    explicit = {name for name in ("paper", "prefill")
                if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE}
    if not explicit:
        return
    papers = {c.paper for c in copies.found.values()}
    prefilled = any(c.prefilled for c in copies.found.values())
    if "paper" in explicit and papers != {ctx.params["paper"]}:
        raise click.UsageError(f"--paper {ctx.params['paper']}: the copies in "
                               f"{copies.folder}/ are on {', '.join(sorted(papers))} paper; "
                               "run personalize again with the paper you want")
    if "prefill" in explicit and prefilled != ctx.params["prefill"]:
        state = "prefilled" if prefilled else "not prefilled"
        raise click.UsageError(f"the copies in {copies.folder}/ are {state}; run personalize "
                               "again with the --prefill setting you want")


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _mail_template(content: Content, subject: str | None,  # type: ignore[no-untyped-def]
                   body_path: Path | None):
    """--subject and --body, or the edition's mail.subject and mail.body labels."""
    from guidepdf.distribute import MailTemplate
    from guidepdf.distribute.mail import from_label

    labels = content.labels
    return MailTemplate(subject if subject is not None else from_label(labels, "mail.subject"),
                        _read_body(body_path) if body_path is not None else
                        from_label(labels, "mail.body"),
                        body_path.name if body_path is not None else "labels.yaml mail.body")


def _read_body(path: Path) -> str:
    from guidepdf.errors import SendError

    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SendError(f"{path}: the body is not UTF-8 text — save it as UTF-8") from None
    except OSError as exc:
        raise SendError(f"{path}: cannot read the body ({exc.strerror})") from None


def _dry_run(items: Iterable[Outgoing], journal: Journal, sending: bool) -> None:
    todo = skip = 0
    for item in items:
        done = journal.is_sent(item)
        todo, skip = todo + (not done), skip + done
        state = "already sent" if done else "uncertain (may have arrived)" \
            if journal.is_uncertain(item) else "would send"
        click.echo(f"{state}  {item.message['To']}  "
                   f"{item.filename} ({len(item.attachment) // 1024} KB)  "
                   f"Subject: {item.message['Subject']}")
    via = "" if sending else " (no --smtp given)"
    click.echo(f"dry run: would send {todo}, skip {skip} (already sent){via}; nothing was sent.")


# --- collect and demo ----------------------------------------------------------------------

class _WritingBar:
    """collect's `say("Writing PATH")` calls -> the 'Writing the summary' progress (the
    reading progress ends at the first of them)."""

    def __init__(self, reading: Progress, extra: int = 0) -> None:
        from guidepdf.report.collect import OUTPUTS  # imports reportlab

        self.reading = reading
        self.bar = Progress("Writing the summary", len(OUTPUTS) + extra)
        self.count = 0

    def __call__(self, text: str) -> None:
        self.reading.close()
        self.bar.update(self.count, item=text.removeprefix("Writing "))
        self.count += 1

    def close(self) -> None:
        if self.count:
            self.bar.update(self.count, item="done")
        self.bar.close()


class _AnswerLimit(click.ParamType):
    """A whole number of answers, or 'all' (None)."""

    name = "N|all"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int | None:
        if value is None or isinstance(value, int):
            return value
        text = str(value).strip().lower()
        if text == "all":
            return None
        if text.isdigit():
            return int(text)
        self.fail(f"{value!r} is not a number of answers or 'all'", param, ctx)


def _collect_roster(path: Path, content: Content) -> Roster:
    """A roster for reconciliation: unreadable, or with errors in rows, exits 2."""
    roster = _read_roster_or_exit(path, content)
    for problem in roster.problems:
        click.echo(str(problem), err=True)
    if roster.errors:
        click.echo(f"{len(roster.errors)} error(s) in {path}; fix them so every form can be "
                   "matched. Nothing was collected.", err=True)
        sys.exit(EXIT_CONTENT)
    return roster


@main.command()
@click.argument("returned_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--roster", "roster_path", type=click.Path(path_type=Path),
              help="The roster the forms were sent to: lists who has not returned one.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("summary"),
              show_default=True)
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help="Content the forms were made from. " + CONTENT_HELP)
@edition_option
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--pdf-answers", type=_AnswerLimit(), default=str(ANSWERS_PER_QUESTION),
              show_default=True, help="At most this many answers per question in "
              "answers.pdf, spread evenly through them ('all' for every one). The CSV, XLSX "
              "and JSON always hold every answer.")
@click.option("--teams", is_flag=True, help="Also write a page per school or team into "
              "OUT/teams/<team>.pdf: every member's answers side by side, the team's IC "
              "levels and room for the actions it agrees on.")
@click.option("--baseline", type=click.Path(path_type=Path), help="An earlier summary.json "
              "(or its collect folder): also write OUT/growth.pdf, growth.xlsx and "
              "growth.json, each person's IC levels then and now (as `guidepdf compare`).")
@_reading_options
@imap_options(required=False)
def collect(returned_dir: Path, roster_path: Path | None, out_dir: Path,
            content_dir: Path | None, paper: str, pdf_answers: int | None, teams: bool,
            baseline: Path | None, jobs: int | None, timeout: float, max_mb: int,
            follow_links: bool, **imap: object) -> None:
    """Read every returned form under RETURNED_DIR and write summary.pdf, answers.pdf,
    summary.json, responses.csv, responses.xlsx and rejected.csv into OUT.

    RETURNED_DIR may hold PDFs and mail saved as files (.eml, .mbox). With --imap, the
    mailbox's PDF attachments are fetched into RETURNED_DIR first (as `guidepdf fetch`)."""
    from guidepdf.mail.files import mail_kind
    from guidepdf.read.readmany import scan
    from guidepdf.read.readpool import MB, Limits
    from guidepdf.report import collect as collect_forms
    from guidepdf.safenames import printable

    if imap.get("imap"):
        run_fetch(returned_dir, imap)
    elif not returned_dir.is_dir():
        raise click.BadParameter(f"{returned_dir}: folder does not exist",
                                 param_hint="RETURNED_DIR")
    content = _load(content_dir)
    if baseline is not None:
        _readable_summary(baseline)  # before any reading: a wrong path fails at once
    # handed to collect by pop(), so that nothing here holds it: collect keeps the roster
    # only while the forms are read, not in the processes it forks to write the outputs
    roster = [_collect_roster(roster_path, content) if roster_path else None]
    walk = scan([returned_dir], follow_links=follow_links)
    if not walk.pdfs and not any(mail_kind(p) for p in walk.others):
        click.echo(f"{returned_dir}: no PDF files in this folder or below it "
                   f"({len(walk.others)} other file(s)) — nothing was collected and "
                   f"{out_dir}/ was left as it was; check the folder name.", err=True)
        sys.exit(1)
    # only what is printed at the end: every file's Path (~8 MiB at 20,000 files) would
    # stay here while the forms are read, and in every process forked to write an output
    ignored = walk.ignored
    del walk
    bar = Progress("Reading forms")
    writing = _WritingBar(bar, extra=1 if teams else 0)
    try:
        result = collect_forms(returned_dir, out_dir, roster=roster.pop(), content=content,
                               progress=bar, paper=paper, say=writing, jobs=jobs,
                               limits=Limits(seconds=timeout, max_bytes=max_mb * MB),
                               pdf_answers=pdf_answers, teams=teams,
                               follow_links=follow_links,
                               follow_up=follow_up_of(roster_path, content, returned_dir))
    finally:
        bar.close()
        writing.close()
    for rejected in result.summary.rejected:
        click.echo(f"rejected  {printable(rejected.file)}: {printable(rejected.reason)}")
    for path, why in ignored:
        click.echo(f"ignored   {printable(path.relative_to(returned_dir).as_posix())}: "
                   f"{content.labels.note(why)}")
    click.echo(result.describe())
    if baseline is not None:
        _write_growth(baseline, out_dir / "summary.json", out_dir, content, paper)
    if result.other_content:
        click.echo(result.other_content_warning(), err=True)
        sys.exit(EXIT_OTHER_CONTENT)
    if result.summary.rejected:
        sys.exit(1)


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("demo"),
              show_default=True)
@click.option("--people", type=click.IntRange(1, 2000), default=30, show_default=True,
              help="People on the sample roster.")
@click.option("--seed", type=int, default=2026, show_default=True)
@edition_option
def demo(out_dir: Path, people: int, seed: int) -> None:
    """Run the whole round trip on sample data: build the guides, make a roster, fill its
    people's forms with sample answers, collect them and write the summary into OUT."""
    from guidepdf.demo import run_demo

    content = _load(None)
    filling, bar = Progress("Filling forms"), Progress("Reading forms")
    writing = _WritingBar(bar)
    try:
        result = run_demo(out_dir, people=people, seed=seed, content=content,
                          say=click.echo, progress=bar,
                          filling=filling, writing=writing)
    finally:
        for phase in (filling, bar, writing):
            phase.close()
    click.echo(result.collected.describe())
    files = result.collected.files
    click.echo(f"Open {files['summary.pdf']} to see the summary; every answer is in "
               f"{files['answers.pdf']}.")


def _readable_summary(path: Path) -> Path:
    """The summary.json at `path` (a file or a collect folder), else exit 2 saying why."""
    from guidepdf.compare.stream import summary_path
    from guidepdf.errors import CompareInputError

    try:
        return summary_path(path)
    except CompareInputError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)


def _write_growth(earlier: Path, later: Path, out_dir: Path, content: Content,
                  paper: str) -> None:
    from guidepdf.compare import compare_summaries
    from guidepdf.errors import CompareInputError

    try:
        growth, files = compare_summaries(earlier, later, out_dir, content, paper)
    except CompareInputError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_CONTENT)
    click.echo(f"Compared {growth.earlier.people} assessed then with {growth.later.people} "
               f"now: {growth.matched} matched, {growth.only_then} only then, "
               f"{growth.only_now} only now; {growth.overall.moves['toward']} rating(s) moved "
               f"toward the ideal, {growth.overall.moves['away']} away — "
               f"{files['growth.pdf']}, growth.xlsx, growth.json")


@main.command(name="compare")
@click.argument("earlier", type=click.Path(path_type=Path))
@click.argument("later", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("growth"),
              show_default=True)
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help="Content for the PDF's branding. " + CONTENT_HELP)
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
def compare_cmd(earlier: Path, later: Path, out_dir: Path, content_dir: Path | None,
                paper: str) -> None:
    """Compare two collections: EARLIER and LATER are summary.json files or the folders
    collect wrote them into. Writes growth.pdf, growth.xlsx and growth.json into OUT: per
    person, school or team, role and IC outcome, the level then and now and the change."""
    content = _load(content_dir)
    _readable_summary(earlier)
    _readable_summary(later)
    _write_growth(earlier, later, out_dir, content, paper)


main.add_command(fetch)
main.add_command(status)
main.add_command(remind)


if __name__ == "__main__":  # pragma: no cover
    main()
