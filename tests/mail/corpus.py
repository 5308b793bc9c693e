"""The replies a coordinator's mailbox holds after a distribution: 300 messages from 250
people on a roster, written as their mail programs write them — personalized copies
filled with sample answers (by samplefill's pypdf, and for some people by PDFium as Chrome
drives it, pdf.js as Firefox saves, or pdftk: FILLERS), drafts followed by a final
version, forwards, replies without an attachment, the blank copy sent back unchanged, the
same file sent twice, Outlook's winmail.dat, a Word file renamed .pdf — plus the same
attachments "saved by hand" into a folder."""

from __future__ import annotations

import csv
import io
import multiprocessing
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from guidepdf.content.model import Content
from guidepdf.demo import demo_people
from guidepdf.distribute.personalize import Personalizer
from guidepdf.distribute.roster import Person
from guidepdf.sampleanswers import sample_response
from guidepdf.samplefill import field_names, fill, form_values
from tests.interop.fillers import fill_pdfium, fill_pdfjs, fill_pdftk
from tests.mail import messages as m

# who fills a person's one form, by their place on the roster: one in twelve each by PDFium,
# pdf.js and pdftk, the rest by pypdf (places 1 and 7 are drafted, so always pypdf)
FILLERS = ("pypdf", "pypdf", "pdfium", "pypdf", "pdfjs", "pypdf", "pypdf", "pypdf", "pypdf",
           "pdftk", "pypdf", "pypdf")
COORDINATOR = "Professional Learning <pl@district.test>"
START = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
NOT_A_PDF = b"PK\x03\x04" + b"word/document.xml" + bytes(range(256)) * 8


@dataclass
class Corpus:
    people: list[Person]
    roster_csv: str
    messages: list[bytes] = field(default_factory=list)
    hand_saved: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, bytes)
    without_pdf: int = 0  # messages with no attachment at all
    tnef: int = 0
    blank: list[str] = field(default_factory=list)  # roster ids who sent the copy back blank
    forwarded: list[str] = field(default_factory=list)  # sender addresses inside forwards
    # filler -> the forms it filled: (roster id, the PDF, the field values it was given)
    by_filler: dict[str, list[tuple[str, bytes, dict[str, str]]]] = field(
        default_factory=dict)

    def write_hand_saved(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.hand_saved:
            (folder / name).write_bytes(data)
        return folder

    def write_roster(self, path: Path) -> Path:
        path.write_text(self.roster_csv, encoding="utf-8")
        return path


def roster_csv(people: list[Person]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "email", "role", "group"])
    for p in people:
        writer.writerow([p.id, p.name, p.email, p.role, p.group])
    return out.getvalue()


class Filler:
    """A person's copy filled with a sample response (seeded by `seed`), saved at a given
    time."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.personalizer = Personalizer(content)
        self.fields: dict[str, set[str]] = {}

    def __call__(self, person: Person, saved: datetime, typed_name: bool = True,
                 seed: int = 0, filler: str = "pypdf") -> bytes:
        return self.filled(person, saved, typed_name, seed, filler)[0]

    def filled(self, person: Person, saved: datetime, typed_name: bool = True,
               seed: int = 0, filler: str = "pypdf") -> tuple[bytes, dict[str, str]]:
        """(the filled copy, the values filled in)."""
        copy = self.personalizer.copy(person)
        if seed < 0:  # the copy as it was sent: returned without filling anything in
            return copy, {}
        response = sample_response(self.content.role(person.role), random.Random(seed))
        typed = {"name": person.name if typed_name else "", "date": f"{saved:%Y-%m-%d}"}
        values = form_values(person.role, respondent=typed, answers=response.answers,
                             ic=response.ic, ic_notes=response.ic_notes)
        if person.role not in self.fields:
            self.fields[person.role] = field_names(copy)
        present = self.fields[person.role]
        values = {k: v for k, v in values.items() if k in present}
        if filler != "pypdf":
            return OTHER_FILLERS[filler](copy, values), values
        return fill(copy, values, modified=saved, appearances="viewer"), values


# Viewers that keep our ModDate: used only for a person's one form (a draft and a final
# form saved by hand are told apart by ModDate; by mail the message date decides)
OTHER_FILLERS = {"pdfium": fill_pdfium, "pdfjs": fill_pdfjs, "pdftk": fill_pdftk}


_FILLER: Filler | None = None  # set before the pool forks, used by its workers
# person, saved at, name typed?, answers' seed[, filler (pypdf unless named)]
Job = tuple[Person, datetime, bool, int] | tuple[Person, datetime, bool, int, str]


def _fill(job: Job) -> tuple[bytes, dict[str, str]]:
    assert _FILLER is not None
    return _FILLER.filled(*job)


def fill_all(content: Content, jobs: list[Job], workers: int = 2) -> list[bytes]:
    """Fill many copies on every core; the role templates are built once, before the
    worker processes fork."""
    return [pdf for pdf, _values in fill_all_with_values(content, jobs, workers)]


def fill_all_with_values(content: Content, jobs: list[Job], workers: int = 2
                         ) -> list[tuple[bytes, dict[str, str]]]:
    """fill_all, each form with the values it was filled with."""
    global _FILLER
    _FILLER = Filler(content)
    for role in sorted({job[0].role for job in jobs}):
        _FILLER.personalizer.template(role)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_fill, jobs, chunksize=8)
    finally:
        _FILLER = None


def build_corpus(content: Content, people_count: int = 250, seed: int = 16) -> Corpus:
    """300 messages from 250 people (see the module docstring for what is in them)."""
    people = demo_people(content, people_count, seed)
    corpus = Corpus(people, roster_csv(people))
    rng = random.Random(seed)
    jobs: list[Job] = []
    # (style, name, address, when, subject, [(filename, job index or bytes)], options)
    plan: list[tuple] = []
    hand: list[tuple[str, int | bytes]] = []  # hand-saved, in order; same file twice once

    def form(p: Person, saved: datetime, typed_name: bool = True, filler: str = "pypdf"
             ) -> int:
        jobs.append((p, saved, typed_name, seed * 100003 + len(jobs), filler))
        return len(jobs) - 1

    for i, p in enumerate(people):
        style = m.STYLES[i % len(m.STYLES)]
        when = START + timedelta(hours=i, minutes=rng.randint(0, 50))
        subject = f"Re: Your action guide ({p.role})"
        filename = "Évaluation – guide.pdf" if i % 17 == 4 else f"{p.role}-guide.pdf"
        if i % 25 == 3:  # never answers
            continue
        if i % 20 == 7:  # says it will come later, then nothing
            plan.append((m.no_attachment, p.name, p.email, when, subject, None, {}))
            corpus.without_pdf += 1
            continue
        if i % 45 == 13:  # Outlook in rich-text mode: the PDF is hidden in winmail.dat
            plan.append((m.outlook, p.name, p.email, when, subject,
                         [(filename, form(p, when - timedelta(minutes=5)))],
                         {"rich_text": True}))
            corpus.tnef += 1
            continue
        drafted = i % 6 == 1 or i % 13 == 2
        if drafted:  # a draft first, the complete form days later
            draft_at = when - timedelta(days=2)
            draft = form(p, draft_at - timedelta(minutes=3))
            plan.append((style, p.name, p.email, draft_at, subject, [(filename, draft)], {}))
            hand.append((filename, draft))
        final = form(p, when - timedelta(minutes=4), typed_name=i % 3 != 0,
                     filler="pypdf" if drafted else FILLERS[i % len(FILLERS)])
        if i % 23 == 8 and not drafted:  # replies with the blank copy attached, unchanged
            # (after a draft, the blank copy's ModDate — ours, kept — would lose to the
            # draft's when saved by hand, while its later message wins by mail: see
            # test_match for that difference)
            jobs[final] = (p, when, False, -1)
            corpus.blank.append(p.id)
        if i % 50 == 9:  # a colleague forwards the reply (Thunderbird, as attachment)
            plan.append(("forward", p.name, p.email, when, subject, [(filename, final)], {}))
            corpus.forwarded.append(p.email)
        else:
            plan.append((style, p.name, p.email, when, subject, [(filename, final)], {}))
        hand.append((filename, final))
        if i % 40 == 5:  # sends the very same file again the next day
            plan.append((style, p.name, p.email, when + timedelta(days=1),
                         subject + " (again)", [(filename, final)], {}))
        if i % 60 == 11:  # a Word file renamed .pdf, as well as the real one
            plan.append((m.gmail, p.name, p.email, when + timedelta(minutes=30), "my notes",
                         [("notes.pdf", NOT_A_PDF)], {}))
            hand.append(("notes.pdf", NOT_A_PDF))
    filled = fill_all_with_values(content, jobs)
    pdfs = [pdf for pdf, _values in filled]
    for job, (pdf, values) in zip(jobs, filled, strict=True):
        if job[3] >= 0:
            corpus.by_filler.setdefault(job[4] if len(job) > 4 else "pypdf", []).append(
                (job[0].id, pdf, values))

    def data(ref: int | bytes) -> bytes:
        return ref if isinstance(ref, bytes) else pdfs[ref]

    for style, name, addr, when, subject, attached, options in plan:
        if attached is None:
            corpus.messages.append(style(name, addr, COORDINATOR, when, subject))
            continue
        files = [(f, data(ref)) for f, ref in attached]
        if style == "forward":
            inner = m.gmail(name, addr, "principal@district.test", when, subject, files)
            corpus.messages.append(m.thunderbird_forward(
                "Dana Principal", "principal@district.test", COORDINATOR,
                when + timedelta(hours=1), subject, inner))
        else:
            corpus.messages.append(style(name, addr, COORDINATOR, when, subject, files,
                                         **options))
    corpus.hand_saved = [(f"{n:03d}-{f}", data(ref)) for n, (f, ref) in
                         enumerate(hand, start=1)]
    return corpus
