"""A folder of returned PDFs (+ optional roster, content) -> summary.json, responses.csv,
ic_levels.csv, responses.xlsx, rejected.csv, summary.pdf and answers.pdf in an output
folder (and, asked for, a team page per school or team in teams/), each written
atomically, side by side in processes (report.outputs).
Reads forms in worker processes and keeps each one's plan, never the PDF; the answers wait
on disk (report.spool), so memory stays flat from hundreds of forms to tens of thousands."""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from guidepdf import formspec
from guidepdf.atomic import replacing, write_bytes, write_chunks
from guidepdf.content import load_content
from guidepdf.content.labels import Labels
from guidepdf.content.model import Content
from guidepdf.defaults import ANSWERS_PER_QUESTION
from guidepdf.distribute.roster import Roster, read_roster_apart
from guidepdf.errors import OutputError
from guidepdf.folderlock import holding
from guidepdf.mail.inputs import gather
from guidepdf.read.readmany import scan
from guidepdf.read.readpool import Limits, default_jobs, read_paths
from guidepdf.report import outputs, summary_json, tables
from guidepdf.report.aggregate import Aggregator, Form, pack
from guidepdf.report.apart import read_apart
from guidepdf.report.model import NO_GROUP, FollowUpState, Summary

OUTPUTS = ("summary.json", "responses.csv", "ic_levels.csv", "responses.xlsx", "rejected.csv",
           "summary.pdf", "answers.pdf")
TEAMS = "teams"  # the folder of team pages (collect --teams): teams/<team>.pdf
# The order outputs start in when written side by side: the longest first.
_BY_COST = ("answers.pdf", "responses.xlsx", "summary.pdf", "summary.json", "responses.csv",
            "ic_levels.csv", "rejected.csv")

# what writes the outputs, imported while the forms are read (a second or so of reportlab,
# fonts and XlsxWriter that the reading processes, forked before, do not carry)
_WRITERS = ("guidepdf.report.summary_pdf", "guidepdf.report.xlsx")
_TEAM_WRITERS = ("guidepdf.report.teampages",)

Progress = Callable[[int, int], None]  # (files read so far, PDF files in all)


@dataclass(frozen=True)
class CollectResult:
    summary: Summary
    out_dir: Path
    files: dict[str, Path]  # output name -> path written
    # seconds of wall time: "read" (reading and aggregating), then each output by name (those
    # written side by side overlap), and "outputs" for all of them
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    other_content: tuple[str, ...] = ()  # forms made from another version of the content

    def other_content_warning(self) -> str:
        """A plain sentence when forms were made from other content, else ''."""
        if not self.other_content:
            return ""
        n = len(self.other_content)
        shown = ", ".join(self.other_content[:5]) + (f" and {n - 5} more" if n > 5 else "")
        return (f"WARNING: {n} form(s) were made from another version of the content than "
                f"the one used here ({shown}); their answers were matched by question id "
                "and may sit under the wrong question. Run collect again with --content "
                "set to the folder the guides were built from.")

    def describe(self) -> str:
        """One line for the end of a run."""
        t = self.summary.totals
        parts = [f"Collected {t.responses} form(s) from {t.files} PDF file(s)"]
        if t.expected is not None:
            parts.append(f"{t.returned} of {t.expected} expected people returned one, "
                         f"{t.missing} not yet, {t.not_on_roster} not on the roster")
        parts.append(f"{t.duplicates} duplicate(s), {t.rejected} rejected")
        if t.messages:
            parts.append(f"{t.messages} mail message(s) read, {t.without_attachment} "
                         "without an attachment")
        if t.ignored:
            parts.append(f"{t.ignored} non-PDF file(s) ignored")
        if TEAMS in self.files:
            teams = [g for g in self.summary.groups if g.forms and g.name != NO_GROUP]
            loose = sum(g.forms for g in self.summary.groups if g.name == NO_GROUP)
            parts.append(f"{len(teams)} team page(s) in {self.files[TEAMS]}/"
                         + (f" ({loose} form(s) without a school or team have none)"
                            if loose else ""))
        return "; ".join(parts) + f" — summary in {self.out_dir}/"


def collect(returned_dir: str | Path, out_dir: str | Path, roster: str | Path | Roster | None
            = None, content: Content | None = None, progress: Progress | None = None,
            paper: str = "letter", say: Callable[[str], None] | None = None,
            jobs: int | None = None, limits: Limits | None = None,
            pdf_answers: int | None = ANSWERS_PER_QUESTION, teams: bool = False,
            follow_up: Callable[[Summary, Roster | None], FollowUpState | None] | None = None,
            follow_links: bool = False) -> CollectResult:
    """Read every PDF under `returned_dir` (recursively), reconcile with `roster` if given,
    and write the summary files into `out_dir`. Bad files are rejected, never fatal.
    `progress(done, total)` follows the reading; `say(text)` names each file as it is
    written. Files are read by `jobs` worker processes (default: one per core) within
    `limits`, and the outputs are written by as many processes side by side; the result
    does not depend on `jobs`, to the byte. Answers wait in a spool file in
    `out_dir` (unnamed, gone when the run ends), so memory does not grow with the number
    of forms. summary.pdf shows at most `pdf_answers` answers per question (None: all).
    With `teams`, each school or team also gets its page: `out_dir`/teams/<team>.pdf.
    `follow_up(summary, roster)`, if given, says where the follow-up stands
    (guidepdf.followup works it out from its journal); it goes into summary.json and the
    PDF's first page. It runs where the forms are read.

    The roster is not kept here once the forms are read: the process reading them has its
    own copy, and every process writing an output is forked from this one (6.4 MiB at
    21,000 people). Hand it over with no other reference to it (the command line pops it
    from a one-item list), or it stays as long as that reference does.

    Raises RosterError for a roster that cannot be read at all, NotADirectoryError when
    `returned_dir` is not a folder.
    """
    returned_dir, out_dir = Path(returned_dir), Path(out_dir)
    if not returned_dir.is_dir():
        raise NotADirectoryError(f"{returned_dir}: not a folder of returned forms")
    content = content or load_content()
    if roster is not None and not isinstance(roster, Roster):
        roster = read_roster_apart(roster, content.roles)
    with holding(out_dir, "collect", "the summary folder"):  # one run at a time
        began = time.perf_counter()
        other: list[str] = []
        # in a process of its own (report.apart): the per-form records the reading makes
        # and frees would otherwise stay in this process, which the outputs are forked from
        def reading(shown: Progress | None) -> Summary:
            summary = read_folder(returned_dir, content, roster, shown, exclude=out_dir,
                                  jobs=jobs, limits=limits, spool_dir=out_dir,
                                  other_content=other, follow_links=follow_links)
            if follow_up is None:
                return summary
            return replace(summary, followup=follow_up(summary, roster))

        summary, other = read_apart(
            reading, progress, extra=lambda: other,
            meanwhile=lambda: _load(_WRITERS + (_TEAM_WRITERS if teams else ())))
        roster = None  # the reading's: see above
        timings = {"read": time.perf_counter() - began}
        files = _write_outputs(summary, content, out_dir, paper, say, pdf_answers, jobs=jobs,
                               timings=timings, teams=teams)
    return CollectResult(summary, out_dir, files, timings, tuple(other))


def read_folder(returned_dir: Path, content: Content, roster: Roster | None = None,
                progress: Progress | None = None, exclude: Path | None = None,
                jobs: int | None = None, limits: Limits | None = None,
                spool_dir: Path | None = None, other_content: list[str] | None = None,
                follow_links: bool = False) -> Summary:
    """Read the folder's forms into a Summary, in worker processes, aggregating in file
    order as results stream in; files under `exclude` (the output folder, when it is inside
    the returned folder) are not looked at. The names of forms whose manifest says they
    were made from other content than `content` are appended to `other_content`. Links
    out of `returned_dir` are followed only with `follow_links` (readmany.scan)."""
    walk = scan([returned_dir], follow_links=follow_links)
    pdfs, others, ignored = walk.pdfs, walk.others, walk.ignored
    del walk  # its Paths: ~8 MiB at 20,000 files, for the whole reading
    if exclude is not None:
        skip = exclude.resolve()
        # each file's real path, only where one can lead there: the output folder is inside
        # the returned one, or links are followed (0.5 s at 20,000 files, before any is read)
        if follow_links or skip.is_relative_to(returned_dir.resolve()):
            pdfs = [p for p in pdfs if not p.resolve().is_relative_to(skip)]
            others = [p for p in others if not p.resolve().is_relative_to(skip)]
        ignored = [(p, r) for p, r in ignored if not p.absolute().is_relative_to(
            exclude.absolute())]
    agg = Aggregator(content, roster, source=returned_dir.resolve().name,
                     spool_dir=spool_dir)
    for path, reason in ignored:  # links out of the folder, pipes, devices: never opened
        agg.ignore(path.relative_to(returned_dir).as_posix(), reason)
    # mail files (.eml, .mbox) give their PDF attachments, written to a work folder that
    # goes when reading is done; fetched PDFs get their origin from the fetch journal
    with _work_folder(spool_dir) as work:
        found = gather(pdfs, others, Path(work),
                       shown=lambda p: p.relative_to(returned_dir).as_posix())
        del pdfs, others
        for path in found.others:
            agg.ignore(path.relative_to(returned_dir).as_posix())
        for shown, reason in found.rejected:
            agg.reject(shown, reason)
        for note in found.without_pdf:
            agg.no_attachment(note.source, note.origin)
        agg.messages = found.messages
        files, names, origins = found.files, found.names, found.origins
        prints: dict[str, str] = {}
        # each form packed where it was read (aggregate.pack): cheaper to send and keep
        outcomes = read_paths(files, content=content, jobs=jobs, limits=limits, names=names,
                              pack=pack)
        for done, (file, shown, origin, read) in enumerate(
                zip(files, names, origins, outcomes, strict=True), start=1):
            try:
                mtime = os.stat(file).st_mtime
            except OSError:
                mtime = 0.0
            agg.add(read, shown, mtime, origin)  # a Form, or the Outcome of a rejected file
            if other_content is not None and isinstance(read, Form) \
                    and _from_other_content(read.role, read.fingerprint, content, prints):
                other_content.append(shown)
            if progress is not None:
                progress(done, len(files))
    return agg.finish(jobs=jobs or default_jobs())


def _from_other_content(role: str, fingerprint: str, content: Content,
                        prints: dict[str, str]) -> bool:
    """Whether a read form's manifest names a content fingerprint other than `content`'s
    (forms without a manifest cannot tell and are not counted)."""
    if not fingerprint:
        return False
    if role not in prints:
        try:
            prints[role] = formspec.fingerprint(content, content.role(role))
        except KeyError:  # a role this content does not have
            prints[role] = ""
    return fingerprint != prints[role]


def write_outputs(summary: Summary, content: Content, out_dir: Path, paper: str = "letter",
                  say: Callable[[str], None] | None = None,
                  pdf_answers: int | None = ANSWERS_PER_QUESTION, jobs: int | None = 1,
                  timings: dict[str, float] | None = None, teams: bool = False
                  ) -> dict[str, Path]:
    """Write every output file atomically, each made from the same Summary, in up to `jobs`
    processes side by side (None: one per core); re-running overwrites them in place.
    With `teams`, the team pages too (the folder is the "teams" entry of the result).
    The files are replaced as one set (report.outputs.run_as_set: complete.json lists it).
    `timings`, if given, gets each output's seconds and "outputs" for them all."""
    with holding(out_dir, "collect", "the summary folder"):
        return _write_outputs(summary, content, out_dir, paper, say, pdf_answers, jobs,
                              timings, teams)


def _write_outputs(summary: Summary, content: Content, out_dir: Path, paper: str,
                   say: Callable[[str], None] | None, pdf_answers: int | None,
                   jobs: int | None, timings: dict[str, float] | None,
                   teams: bool = False) -> dict[str, Path]:
    """write_outputs, in a folder this run holds."""
    paths = {name: out_dir / name for name in OUTPUTS}
    from guidepdf.report.summary_pdf import build_summary_pdf

    fill = content.brand.colors.primary.lstrip("#")
    writers: dict[str, Callable[[Path], None]] = {
        "summary.json": lambda p: write_chunks(p, (c.encode("utf-8")
                                                   for c in summary_json.chunks(summary))),
        "responses.csv": lambda p: write_chunks(p, tables.responses_csv_chunks(summary)),
        "ic_levels.csv": lambda p: write_chunks(p, tables.ic_levels_csv_chunks(summary)),
        "responses.xlsx": lambda p: _write_xlsx(p, summary, fill, paper,
                                                content.labels.for_paper(paper)),
        "rejected.csv": lambda p: write_bytes(p, tables.rejected_csv(summary)),
        "summary.pdf": lambda p: write_bytes(p, build_summary_pdf(summary, content, paper,
                                                                  pdf_answers, "summary")),
        "answers.pdf": lambda p: write_bytes(p, build_summary_pdf(summary, content, paper,
                                                                  pdf_answers, "answers")),
    }
    order = list(_BY_COST)
    if teams:
        paths[TEAMS] = out_dir / TEAMS
        writers[TEAMS] = lambda p: write_team_pages(summary, content, p, paper)
        order.insert(0, TEAMS)  # the longest: every member's answers, team by team
    tasks = [outputs.Task(name, paths[name], writers[name]) for name in order]
    began = time.perf_counter()
    seconds = outputs.run_as_set(tasks, out_dir, jobs or default_jobs(),
                                 on_start=lambda task: say(f"Writing {task.path}") if say
                                 else None)
    if timings is not None:
        timings.update(seconds)
        timings["outputs"] = time.perf_counter() - began
    return {name: paths[name] for name in (*OUTPUTS, *([TEAMS] if teams else []))}


def write_team_pages(summary: Summary, content: Content, folder: Path,
                     paper: str = "letter") -> list[Path]:
    """Every team's page into `folder` (made if need be), each file atomically."""
    from guidepdf.report.teampages import team_pdfs

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in team_pdfs(summary, content, paper):
        write_bytes(folder / name, data)
        written.append(folder / name)
    return written


def _load(modules: tuple[str, ...]) -> None:
    for name in modules:
        importlib.import_module(name)


def _write_xlsx(path: Path, summary: Summary, fill: str, paper: str,
                labels: Labels) -> None:
    with replacing(path) as handle:
        tables.write_responses_xlsx(summary, handle, fill, paper, labels)


@contextlib.contextmanager
def _work_folder(folder: Path | None) -> Iterator[str]:
    """A temporary folder in `folder` for mail attachments; OutputError if it cannot be
    made there (a read-only or full summary folder)."""
    try:
        work = tempfile.TemporaryDirectory(dir=folder, prefix=".guidepdf-mail-")
    except OSError as exc:
        raise OutputError(folder or tempfile.gettempdir(), exc, "the summary folder") from None
    with work as name:
        yield name
