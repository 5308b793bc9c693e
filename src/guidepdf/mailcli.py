"""The mail side of the command line: `guidepdf fetch` and the IMAP options `collect` shares
with it. Parses options, calls guidepdf.mail, prints, maps FetchError to its exit code.
(Kept beside cli.py so the mail commands change without touching the others; the library
is imported inside the commands, so the CLI starts fast.)"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

IMAP_OPTIONS = ("imap", "user", "password_env", "token_cmd", "folder", "since", "starttls",
                "insecure", "cafile")


def imap_options(required: bool):  # type: ignore[no-untyped-def]
    """The options that say which mailbox to read, for `fetch` (required) and `collect`."""
    def decorate(command):  # type: ignore[no-untyped-def]
        for option in reversed((
            click.option("--imap", "imap", metavar="HOST[:PORT]", required=required,
                         help="IMAP server (TLS on port 993 unless --starttls)."),
            click.option("--user", "user", metavar="USER", help="Login name, usually the "
                         "mailbox's address."),
            click.option("--password-env", metavar="VAR",
                         help="Environment variable holding the password (or app password)."),
            click.option("--oauth2-token-cmd", "token_cmd", metavar="CMD",
                         help="Command that prints an OAuth2 access token (XOAUTH2 / "
                         "OAUTHBEARER), as for msmtp, mutt or isync."),
            click.option("--folder", default="INBOX", show_default=True,
                         help="Folder the replies are in."),
            click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
                         help="Only messages that arrived on or after this day."),
            click.option("--starttls", is_flag=True,
                         help="Connect in plain text and upgrade with STARTTLS (port 143)."),
            click.option("--insecure", is_flag=True,
                         help="Do not check the server's certificate (only on a network you "
                         "trust)."),
            click.option("--cafile", type=click.Path(exists=True, dir_okay=False),
                         help="Trust this certificate file (a server with an in-house "
                         "certificate)."),
        )):
            command = option(command)
        return command
    return decorate


def run_fetch(out_dir: Path, opts: dict[str, Any]) -> None:
    """Fetch with a progress bar and the final line; exit with FetchError's code."""
    from guidepdf.errors import FetchError
    from guidepdf.mail.fetch import fetch_mailbox
    from guidepdf.mail.imap import ImapSettings
    from guidepdf.progress import Progress

    if not opts.get("user"):
        raise click.UsageError("--user is needed with --imap (the mailbox's login name)")
    since = opts.get("since")
    day: date | None = since.date() if isinstance(since, datetime) else None
    bar = Progress("Fetching messages")  # the bar on a terminal, lines elsewhere
    try:
        settings = ImapSettings.parse(opts["imap"], opts["user"],
                                      password_env=opts.get("password_env"),
                                      token_command=opts.get("token_cmd"),
                                      folder=opts.get("folder") or "INBOX",
                                      starttls=bool(opts.get("starttls")),
                                      insecure=bool(opts.get("insecure")),
                                      cafile=opts.get("cafile"))
        result = fetch_mailbox(settings, out_dir, since=day, progress=bar)
    except FetchError as exc:
        bar.close()
        click.echo(str(exc), err=True)
        sys.exit(exc.exit_code)
    bar.close()
    for note in result.notes:
        click.echo(f"needs the sender  {note}")
    click.echo(result.describe())


@click.command()
@imap_options(required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("returned"), show_default=True,
              help="Folder the PDFs and the fetch journal (fetched.jsonl) go into.")
def fetch(out_dir: Path, **opts: Any) -> None:
    """Save every PDF attachment in a mailbox folder into OUT, read-only on the server.

    Run it again at any time: the journal in OUT remembers what was fetched, so only new
    messages are read, and an interrupted run goes on where it stopped. Exit codes: 3 login
    refused, 4 no such folder, 5 TLS or certificate problem, 6 connection failed or lost,
    7 OUT cannot be written."""
    run_fetch(out_dir, opts)
