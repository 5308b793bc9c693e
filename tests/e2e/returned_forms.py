"""A folder of 300 returned PDFs whose every answer is known: a roster of 280 people across
five roles (three with IC maps); personalized copies, plain guides with a typed email, plain
guides with only a typed name; 20 people who sent two forms; 10 who sent none; 5 walk-ins
not on the roster; one person who filled another role's guide; two roster people who share
a name; formula-like and multi-line answers; 5 broken files and 2 stray non-PDF files.

Forms are filled with guidepdf.samplefill (values only: the viewer draws them) in worker
processes, given every role's guide and copy template built once (tests/guides.py).
`make_returned` writes the folder and returns the ground truth.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
from reportlab.pdfgen.canvas import Canvas

from guidepdf.content.model import Content
from guidepdf.distribute import Personalizer
from guidepdf.distribute.personalize import Template
from guidepdf.distribute.roster import Person
from guidepdf.sampleanswers import sample_response
from guidepdf.samplefill import fill, form_values, pdf_date
from tests import guides

ROLES = ("teacher", "coach", "principal", "system-central-office", "superintendent")
GROUPS = ("Riverside Elementary", "Harbor Middle", "Lakeview High", "Northgate Academy",
          "Cedar Grove", "")
FIRST = ("Ana", "Ben", "Chloé", "Dmitri", "Elena", "Farah", "Grace", "Hiro", "Inés", "Jonas",
         "Kwame", "Laila", "Marta", "Nuno", "Olga", "Priya")
LAST = ("Okafor", "Castillo", "Dubois", "Volkov", "Rossi", "Haddad", "Kim", "Tanaka",
        "Herrera", "Lindqvist", "Mensah", "Rahimi", "Nowak", "Ramírez", "Brennan", "Shah", "Li",
        "Demir")
SPECIAL_NAMES = ("Αθηνά Παπαδοπούλου", "Олег Петров", "Nguyễn Thị Lan", "Zoë Ångström")
FORMULAS = ('=HYPERLINK("http://evil.example/x","click me")', "+SUM(A1:A9)",
            "-3 weeks behind plan", "@channel please read", "\tindented by a tab",
            "\rstarts with a carriage return", "=1+2")
BROKEN = {  # file -> a phrase its rejection reason must contain
    "broken/empty.pdf": "empty file",
    "broken/saved-web-page.pdf": "not a PDF (an HTML page)",
    "broken/scanned.pdf": "no form fields",
    "broken/other-form.pdf": "not a guidepdf form",
    "broken/locked.pdf": "encrypted with a password",
}
STRAY = ("notes.txt", "batch-2/photo.jpg")
START = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


@dataclass
class Form:
    """One readable returned form as it was filled."""

    source: str
    role: str
    typed: dict[str, str]
    answers: dict[str, tuple[str, str]]
    ic: dict[str, str | None]
    ic_notes: dict[str, str]
    modified: str
    mtime: float
    recipient: Person | None = None  # personalized copy for this roster person


@dataclass
class Truth:
    people: list[Person]
    forms: list[Form] = field(default_factory=list)
    kept: dict[str, str | None] = field(default_factory=dict)  # kept source -> roster id
    matched_by: dict[str, str | None] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)  # source -> warnings
    codes: dict[str, list[str]] = field(default_factory=dict)  # source -> their codes
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # kept, dropped, who
    missing: list[Person] = field(default_factory=list)

    def form(self, source: str) -> Form:
        return next(f for f in self.forms if f.source == source)


def roster_people() -> list[Person]:
    rng = random.Random(11)
    names = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(names)
    names = list(SPECIAL_NAMES) + names
    people = []
    for i in range(280):
        name = "Alex Kim" if i in (40, 41) else names[i]  # two people share a name
        role = ROLES[i % len(ROLES)] if i % 9 else "coach"
        group = GROUPS[i % len(GROUPS)]
        people.append(Person(i + 2, f"r{i + 1:03d}", name, f"person{i + 1:03d}@example.org",
                             role, group))
    return people


def roster_csv(people: list[Person]) -> str:
    lines = ["id,name,email,role,group"]
    lines += [f"{p.id},{p.name},{p.email},{p.role},{p.group}" for p in people]
    return "\n".join(lines) + "\n"


class _Answers:
    """Sample responses, with a formula-like cell in about a third of the forms."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.rng = random.Random(2024)
        self.formula = 0

    def __call__(self, role_id: str) -> tuple[dict[str, tuple[str, str]],
                                              dict[str, str | None], dict[str, str]]:
        sample = sample_response(self.content.role(role_id), self.rng, ic_rate=0.5)
        answers = dict(sample.answers)
        if self.rng.random() < 0.3:
            qid = self.rng.choice(list(answers))
            text = FORMULAS[self.formula % len(FORMULAS)]
            self.formula += 1
            refl, steps = answers[qid]
            answers[qid] = (text, steps) if self.formula % 2 else (refl, text)
        return answers, dict(sample.ic), dict(sample.ic_notes)


@dataclass(frozen=True)
class _Job:
    path: Path
    role: str
    recipient: Person | None  # personalized copy for this person, else the plain guide
    values: dict[str, str]
    saved: datetime
    mtime: float


_WORKER: dict[str, object] = {}


def _start_worker(content: Content, plain: dict[str, bytes], templates: list[Template]) -> None:
    """Each worker gets the guides and the copy templates built once, by the parent."""
    _WORKER["plain"] = plain
    _WORKER["personalizer"] = Personalizer(content, templates=templates)


def _run_job(job: _Job) -> None:
    """Fill one form (in a worker process)."""
    if job.recipient is not None:
        base = _WORKER["personalizer"].copy(job.recipient)  # type: ignore[attr-defined]
    else:
        base = _WORKER["plain"][job.role]  # type: ignore[index]
    job.path.parent.mkdir(parents=True, exist_ok=True)
    job.path.write_bytes(fill(base, job.values, modified=job.saved, appearances="viewer"))
    os.utime(job.path, (job.mtime, job.mtime))


def make_returned(content: Content, folder: Path, workers: int = 2) -> Truth:
    """Write 300 PDFs and 2 stray files under `folder` (filled by `workers` processes);
    return what they say."""
    people = roster_people()
    truth = Truth(people)
    answers_for = _Answers(content)
    jobs: list[_Job] = []
    rng = random.Random(7)
    missing = set(range(5, 280, 28))  # 10 people
    duplicated = sorted(set(range(3, 280, 14)) - missing)[:20]

    def plan(source: str, role_id: str, typed: dict[str, str], saved: datetime,
             recipient: Person | None = None) -> None:
        answers, ic, notes = answers_for(role_id)
        values = form_values(role_id, respondent=typed, answers=answers, ic=ic, ic_notes=notes)
        mtime = START.timestamp() + 30 * (len(jobs) + 1)
        jobs.append(_Job(folder / source, role_id, recipient, values, saved, mtime))
        truth.forms.append(Form(source, role_id, dict(typed), answers, ic, notes,
                                pdf_date(saved), mtime, recipient))

    for i, person in enumerate(people):
        if i in missing:
            truth.missing.append(person)
            continue
        batch = f"batch-{i % 3 + 1}"
        saved = START + timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 9))
        date = f"{saved:%Y-%m-%d}"
        role_id, how = person.role, i % 10
        if i == 41:  # the second "Alex Kim", plain guide, name only: cannot be matched
            how = 9
        if i == 17:  # filled another role's guide, typed their email
            role_id, how = ("teacher" if person.role != "teacher" else "coach"), 6
        recipient: Person | None = None
        if how <= 5:
            typed = {"name": person.name if how % 2 else "", "date": date}
            recipient, matched = person, "recipient"
        elif how <= 7:
            typed = {"name": person.name, "email": person.email.upper(), "group": "Typed",
                     "date": date}
            matched = "email"
        else:
            typed = {"name": "  " + person.name.lower() + " ", "date": date}
            matched = "name"
        source = f"{batch}/{person.id}-{role_id}.pdf"
        if i in duplicated:
            older = f"{batch}/{person.id}-draft.pdf"
            same_date = duplicated.index(i) % 5 == 0  # then the file time decides
            plan(older, role_id, typed, saved if same_date else saved - timedelta(days=1),
                 recipient)
            truth.duplicates.append((source, older, ""))
        plan(source, role_id, typed, saved, recipient)
        if i == 41:
            truth.kept[source] = None
            truth.matched_by[source] = None
            truth.notes[source] = [f"the name {typed['name'].strip()!r} belongs to 2 people "
                                   "on the roster, so it was not used to match this form"]
            truth.codes[source] = ["name_shared"]
            truth.missing.append(person)
            continue
        truth.kept[source] = person.id
        truth.matched_by[source] = matched
        if role_id != person.role:
            truth.notes[source] = [f"the roster lists this person as '{person.role}' but the "
                                   f"form is the '{role_id}' guide"]
            truth.codes[source] = ["roster_role"]
    truth.missing.sort(key=lambda p: p.line)
    for n in range(5):  # walk-ins, not on the roster
        typed = {"name": f"Visitor {n + 1}", "email": f"visitor{n + 1}@elsewhere.example",
                 "group": "Guests", "date": "2026-10-07"}
        source = f"walk-ins/visitor-{n + 1}.pdf"
        plan(source, ROLES[n], typed, START + timedelta(days=2))
        truth.kept[source] = None
        truth.matched_by[source] = None
    plain = {role: guides.built(role) for role in ROLES}
    maker = Personalizer(content, build=guides.build_cached)
    templates = [maker.template(role) for role in ROLES]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker,
                             initargs=(content, plain, templates)) as pool:
        list(pool.map(_run_job, jobs, chunksize=8))
    _broken(folder)
    for name in STRAY:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"not a pdf\n")
    return truth


def _broken(folder: Path) -> None:
    (folder / "broken").mkdir(parents=True, exist_ok=True)
    (folder / "broken/empty.pdf").write_bytes(b"")
    (folder / "broken/saved-web-page.pdf").write_bytes(b"<!DOCTYPE html><html>...</html>")
    buffer = io.BytesIO()
    c = Canvas(buffer, invariant=1)
    c.drawString(72, 720, "a scanned page")
    c.save()
    (folder / "broken/scanned.pdf").write_bytes(buffer.getvalue())
    buffer = io.BytesIO()
    c = Canvas(buffer, invariant=1)
    c.acroForm.textfield(name="favourite_colour", x=72, y=600, width=200, height=20)
    c.showPage()
    c.save()
    (folder / "broken/other-form.pdf").write_bytes(buffer.getvalue())
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        pdf.save(folder / "broken/locked.pdf",
                 encryption=pikepdf.Encryption(user="secret", owner="secret"))
