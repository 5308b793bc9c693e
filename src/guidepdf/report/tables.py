"""Summary -> responses.csv, ic_levels.csv and rejected.csv (UTF-8 with BOM, cells escaped
against formula injection, line breaks kept inside quoted cells), and the rows that the
workbook (report.xlsx: a sheet per role, a status sheet, an IC sheet) is made of. Bytes, or a
stream written piece by piece; no files named here."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from guidepdf.content.labels import Labels, shipped_labels
from guidepdf.content.labelset import LABELS
from guidepdf.report.aggregate import IGNORED_REASON
from guidepdf.report.model import QuestionSummary, Response, Summary

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767
TRUNCATED = " … [truncated: the full text is in summary.json]"
SHEET_HEADER = ("Name", "Email", "School or team", "Roster id", "On roster", "Question no.",
                "Question id", "Question", "Reflections", "First steps", "File")  # role sheets
MAIL_HEADER = ("Matched by", "Came from", "Sender", "Message date", "Subject")
RESPONSE_HEADER = ("Role", *SHEET_HEADER, *MAIL_HEADER)  # responses.csv
REJECTED_HEADER = ("File", "Reason")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def escape_cell(text: str) -> str:
    """Text a spreadsheet will show as text: a leading =, +, -, @, tab or CR gets a '."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _yes_no(value: bool | None, labels: Labels | None = None) -> str:
    """The CSV's fixed yes/no, or the edition's words for the workbook (`labels`)."""
    if value is None:
        return ""
    if labels is None:
        return "yes" if value else "no"
    return labels.text("xlsx.yes" if value else "xlsx.no")


def _how(resp: Response) -> tuple[str, str, str, str, str]:
    """How a response was matched and where it came from: the last five columns."""
    o = resp.origin
    return (resp.matched_by or "", resp.came_from, o.sender if o else "",
            o.date if o else "", o.subject if o else "")


def response_rows(summary: Summary) -> Iterator[tuple[str, ...]]:
    """One row per kept response × question, in the summary's order, each cell escaped
    (escape_cell): a response's own cells and a question's once, not on each of its rows."""
    e = escape_cell
    questions = {(r.id, q.id): (e(str(q.number)), e(q.text))
                 for r in summary.roles for q in r.questions}
    titles = {r.id: r.title for r in summary.roles}
    for resp in summary.responses:
        first = (e(titles.get(resp.role, resp.role)), e(resp.name), e(resp.email),
                 e(resp.group), e(resp.roster_id or ""), _yes_no(resp.on_roster))
        last = (e(resp.source), *(e(c) for c in _how(resp)))
        for a in resp.answers:
            number, text = questions.get((resp.role, a.question_id), ("", ""))
            yield (*first, number, e(a.question_id), text, e(a.reflections),
                   e(a.first_steps), *last)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[str]],
               batch: int = 500, escaped: bool = False) -> Iterator[bytes]:
    """The CSV file as UTF-8 pieces (BOM first), `batch` rows at a time; each cell escaped
    (escape_cell) unless the rows come `escaped`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(row if escaped else [escape_cell(c) for c in row])
        if n % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def responses_csv_chunks(summary: Summary) -> Iterator[bytes]:
    return csv_chunks(RESPONSE_HEADER, response_rows(summary), escaped=True)


def responses_csv(summary: Summary) -> bytes:
    return b"".join(responses_csv_chunks(summary))


def rejected_csv(summary: Summary) -> bytes:
    return b"".join(csv_chunks(REJECTED_HEADER, ((r.file, r.reason)
                                                 for r in summary.rejected)))


# --- rows shared by the CSV files and the workbook ------------------------------------

def answer_rows(resp: Response, questions: dict[tuple[str, str], QuestionSummary],
                labels: Labels | None = None) -> Iterator[list[str | int | None]]:
    """A response's rows in its role's sheet: one per question, without the role column."""
    on_roster = _yes_no(resp.on_roster, labels)
    for a in resp.answers:
        q = questions.get((resp.role, a.question_id))
        yield [resp.name, resp.email, resp.group, resp.roster_id or "",
               on_roster, q.number if q else None, a.question_id,
               q.text if q else "", a.reflections, a.first_steps, resp.source]


def response_rows_for(summary: Summary, role_id: str) -> Iterator[list[str | int | None]]:
    questions = {(r.id, q.id): q for r in summary.roles if r.id == role_id
                 for q in r.questions}
    for resp in summary.responses:
        if resp.role == role_id:
            yield from answer_rows(resp, questions)


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique (case-insensitive)."""
    base = _SHEET_BAD.sub("-", text).strip("' ")[:31] or "Sheet"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def responses_xlsx(summary: Summary, header_fill: str = "1F3F6B",
                   paper: str = "letter", labels: Labels | None = None) -> bytes:
    """The workbook as bytes, deterministic (fixed timestamps); see report.xlsx."""
    out = io.BytesIO()
    write_responses_xlsx(summary, out, header_fill, paper, labels)
    return out.getvalue()


def write_responses_xlsx(summary: Summary, target: BinaryIO, header_fill: str = "1F3F6B",
                         paper: str = "letter", labels: Labels | None = None) -> None:
    """The workbook into `target`, streamed (report.xlsx, with XlsxWriter), in the words of
    `labels` (default: the shipped English ones)."""
    from guidepdf.report import xlsx  # xlsx builds on the rows defined here

    xlsx.write_responses_xlsx(summary, target, header_fill, paper,
                              labels if labels is not None else shipped_labels())


THEMES_COLUMNS = ("role", "question_no", "question", "rank", "theme", "words", "people",
                  "quote", "by", "quote_2", "by_2", "who_used_it")


def theme_rows(summary: Summary, who: Sequence[str], labels: Labels
               ) -> Iterator[list[str | int | None]]:
    """The themes sheet: per role its themes across questions, then each question's; `who`
    names every response by its index (Response.who)."""
    for role in summary.roles:
        scopes = [(None, labels.text("xlsx.all_questions"), role.themes)]
        scopes += [(q.number, q.text, q.themes) for q in role.questions]
        for number, text, themes in scopes:
            for rank, t in enumerate(themes, start=1):
                quotes = [(q.text, q.who) for q in t.quotes[:2]]
                quotes += [("", "")] * (2 - len(quotes))
                yield [role.title, number, text, rank, t.phrase, t.words, t.count,
                       quotes[0][0], quotes[0][1], quotes[1][0], quotes[1][1],
                       labels.text("xlsx.note_separator").join(
                           who[i] for i in t.people if i < len(who))]


STATUS_COLUMNS = ("status", "name", "email", "role", "group", "roster_id", "file", "note")


def headers(labels: Labels, columns: Sequence[str]) -> tuple[str, ...]:
    """A workbook sheet's header row in the edition's words."""
    return tuple(labels.text(f"xlsx.col_{c}") for c in columns)


def response_status_row(r: Response, labels: Labels) -> tuple[str, ...]:
    """A kept response's row in the status sheet."""
    say = labels.text
    status = say("xlsx.status_not_on_roster" if r.on_roster is False
                 else "xlsx.status_returned")
    came = [say("xlsx.note_matched_by", how=_how_matched(labels, r.matched_by))] \
        if r.matched_by else []
    if r.origin is not None:
        o = r.origin
        when = f", {o.date[:16].replace('T', ' ')}" if o.date else ""
        came.append(say("xlsx.note_came_by_mail",
                        origin=(o.sender or say("xlsx.unknown_sender")) + when))
    return (status, r.name, r.email, r.role, r.group, r.roster_id or "", r.source,
            labels.template("xlsx.note_separator").join([*came, *r.warnings]))


def _how_matched(labels: Labels, code: str) -> str:
    key = f"xlsx.how_{code}"
    return labels.text(key) if key in LABELS else code.replace("_", " ")


def status_rows(summary: Summary, labels: Labels | None = None) -> Iterator[tuple[str, ...]]:
    """Everyone and everything: returned, not on roster, not yet returned, duplicate,
    rejected, ignored — with the file and a note."""
    labels = labels if labels is not None else shipped_labels()
    watch = KeptDetails(summary)
    for r in summary.responses:
        watch.see(r)
        yield response_status_row(r, labels)
    yield from status_rows_after_responses(summary, watch.details, labels)


def status_rows_after_responses(summary: Summary, kept: dict[str, tuple[str, str, str]],
                                labels: Labels) -> Iterator[tuple[str, ...]]:
    """The status rows that follow the kept responses: missing people, duplicates,
    rejected and ignored files. A duplicate names the email, role and group of the form
    that was kept (`kept`, gathered by KeptDetails while the responses went by)."""
    say = labels.text
    for m in summary.missing:
        yield (say("xlsx.status_missing"), m.name, m.email, m.role, m.group, m.id, "", "")
    for d in summary.duplicates:
        email, role, group = kept.get(d.kept, ("", "", ""))
        yield (say("xlsx.status_duplicate"), d.person, email, role, group, d.roster_id or "",
               d.dropped, say("xlsx.note_kept", reason=d.reason, kept=d.kept))
    for rej in summary.rejected:
        yield (say("xlsx.status_rejected"), "", "", "", "", "", rej.file, rej.reason)
    for entry in summary.ignored:
        name, _, reason = entry.partition(IGNORED_REASON)
        yield (say("xlsx.status_ignored"), "", "", "", "", "", name,
               reason or say("xlsx.note_not_pdf"))
    for n in summary.without_attachment:
        yield (say("xlsx.status_no_attachment"), n.sender_name, n.sender, "", "",
               n.roster_id or "", n.source, f"{n.date} {n.subject}".strip())


# --- IC levels: the IC sheet and ic_levels.csv ----------------------------------------

IC_COLUMNS = ("role", "name", "group", "outcome_id", "outcome", "level",
              "level_description", "notes", "file")
SHEET_COLUMNS = ("name", "email", "group", "roster_id", "on_roster", "question_no",
                 "question_id", "question", "reflections", "first_steps", "file")
IC_CSV_HEADER = ("Role", "Name", "Email", "School or team", "Roster id", "On roster",
                 "Outcome id", "Outcome", "Level", "Level description", "Notes", "File")


class ICRows:
    """Each kept response's IC rows, one per outcome: none unless its role has a map and it
    chose some level. For ic_levels.csv (`csv`: every cell escaped, fixed English) or the
    IC sheet (`sheet`, in the workbook's words when given `labels`). What repeats — a map's
    title and outcome texts, a level's description — is made once, not on every row."""

    def __init__(self, summary: Summary, labels: Labels | None = None,
                 escaped: bool = False) -> None:
        e = escape_cell if escaped else _same
        self._e = e
        self._labels = labels
        not_assessed = e(labels.text("xlsx.not_assessed") if labels else "not assessed")
        self._maps: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {}
        for m in summary.ic:
            described: dict[str, str] = {"NA": not_assessed}  # level -> description
            for index, text in enumerate(m.levels):
                described[f"L{index + 1}"] = e(text)
            self._maps[m.role] = (e(m.title), {o.id: e(o.outcome) for o in m.outcomes},
                                  described)

    def _of(self, resp: Response) -> tuple[str, dict[str, str], dict[str, str]] | None:
        icmap = self._maps.get(resp.role)
        if icmap is None or not any(c.level for c in resp.ic):
            return None
        return icmap

    def csv(self, resp: Response) -> Iterator[tuple[str, ...]]:
        """Title, name, email, group, roster id, on roster, outcome id, outcome, level,
        level description, notes, file."""
        icmap = self._of(resp)
        if icmap is None:
            return
        title, texts, described = icmap
        e = self._e
        head = (title, e(resp.name), e(resp.email), e(resp.group), e(resp.roster_id or ""),
                _yes_no(resp.on_roster, self._labels))
        source = e(resp.source)
        for c in resp.ic:
            level = c.level or ""
            yield (*head, e(c.outcome_id), texts.get(c.outcome_id, ""), e(level),
                   _described(described, level), e(c.notes), source)

    def sheet(self, resp: Response) -> Iterator[list[str]]:
        """Title, name, group, outcome id, outcome, level, level description, notes, file."""
        icmap = self._of(resp)
        if icmap is None:
            return
        title, texts, described = icmap
        for c in resp.ic:
            level = c.level or ""
            yield [title, resp.name, resp.group, c.outcome_id, texts.get(c.outcome_id, ""),
                   level, _described(described, level), c.notes, resp.source]


def _same(text: str) -> str:
    return text


def _described(described: dict[str, str], level: str) -> str:
    """A level's description: "L3" (or "L03") by its number, "NA"; anything else has none."""
    found = described.get(level)
    if found is not None:
        return found
    if level.startswith("L") and level[1:].isdigit():
        try:
            return described.get(f"L{int(level[1:])}", "")
        except ValueError:  # digits int() does not read, such as "²"
            return ""
    return ""


def ic_levels_csv_chunks(summary: Summary) -> Iterator[bytes]:
    """ic_levels.csv: every IC level chosen in a kept form, one row per outcome."""
    rows = ICRows(summary, escaped=True)
    return csv_chunks(IC_CSV_HEADER, (row for resp in summary.responses
                                      for row in rows.csv(resp)), escaped=True)


def ic_levels_csv(summary: Summary) -> bytes:
    return b"".join(ic_levels_csv_chunks(summary))


class KeptDetails:
    """Shown each response once, remembers (email, role, group) of the forms that were kept
    over a duplicate — so the status rows need no second pass over the responses."""

    def __init__(self, summary: Summary) -> None:
        self.kept = {d.kept for d in summary.duplicates}
        self.details: dict[str, tuple[str, str, str]] = {}

    def see(self, r: Response) -> None:
        if r.source in self.kept:
            self.details[r.source] = (r.email, r.role, r.group)
