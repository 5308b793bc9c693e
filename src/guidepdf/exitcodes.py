"""The one table of exit codes every command follows (the README's "Exit codes" lists the
same rows; tests/cli/test_exit_codes.py checks that they agree)."""

from __future__ import annotations

OK = 0
SOME_FAILED = 1  # done, but some inputs were rejected or some items failed (each listed)
USAGE = 2  # bad content, roster, settings or options: nothing was done
LOGIN = 3  # the mail server refused the login
FOLDER = 4  # no such mailbox folder
TLS = 5  # TLS or certificate problem
CONNECTION = 6  # cannot connect, or the connection dropped
OUTPUT = 7  # an output file or folder cannot be written
OTHER_CONTENT = 8  # collect: forms made from another version of the content
BUSY = 9  # the output folder is in use by another run that is still going
INTERNAL = 70  # a bug in guidepdf (EX_SOFTWARE): one line, the details in a file
INTERRUPTED = 130  # Ctrl-C, as a shell reports it

TABLE = {
    OK: "done",
    SOME_FAILED: "done, but some inputs were rejected or some items failed (each is listed)",
    USAGE: "bad content, roster, settings or options; nothing was done",
    LOGIN: "the mail server refused the login",
    FOLDER: "no such mailbox folder",
    TLS: "TLS or certificate problem",
    CONNECTION: "cannot connect to the server, or the connection dropped",
    OUTPUT: "an output file or folder cannot be written",
    OTHER_CONTENT: "forms were made from another version of the content",
    BUSY: "the output folder is in use by another run that is still going",
    INTERNAL: "internal error (a bug in guidepdf)",
    INTERRUPTED: "interrupted (Ctrl-C)",
}
