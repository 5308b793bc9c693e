"""The replies a coordinator's mailbox holds after a distribution: 300 messages from 250
people on a roster, written as their mail programs write them — personalized copies
filled with sample answers (samplefill), drafts followed by a final version, forwards,
replies without an attachment, the same file sent twice, Outlook's winmail.dat, a Word
file renamed .pdf — plus the same attachments "saved by hand" into a folder."""

from __future__ import annotations

import csv
import io
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
from tests.mail import messages as m

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
    forwarded: list[str] = field(default_factory=list)  # sender addresses inside forwards

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
    """A person's copy filled with a fresh sample response, saved at a given time."""

    def __init__(self, content: Content, seed: int = 16) -> None:
        self.content, self.rng = content, random.Random(seed)
        self.personalizer = Personalizer(content)
        self.fields: dict[str, set[str]] = {}

    def __call__(self, person: Person, saved: datetime, typed_name: bool = True) -> bytes:
        copy = self.personalizer.copy(person)
        response = sample_response(self.content.role(person.role), self.rng)
        typed = {"name": person.name if typed_name else "", "date": f"{saved:%Y-%m-%d}"}
        values = form_values(person.role, respondent=typed, answers=response.answers,
                             ic=response.ic, ic_notes=response.ic_notes)
        present = self.fields.setdefault(person.role, field_names(copy))
        return fill(copy, {k: v for k, v in values.items() if k in present}, modified=saved,
                    appearances="viewer")


def build_corpus(content: Content, people_count: int = 250, seed: int = 16) -> Corpus:
    """300 messages from 250 people (see the module docstring for what is in them)."""
    people = demo_people(content, people_count, seed)
    corpus = Corpus(people, roster_csv(people))
    filler = Filler(content, seed)
    rng = random.Random(seed)
    saved_n = 0

    def keep(filename: str, data: bytes) -> None:
        nonlocal saved_n
        if any(data == d for _, d in corpus.hand_saved[-3:]):  # the same file twice
            return
        saved_n += 1
        corpus.hand_saved.append((f"{saved_n:03d}-{filename}", data))

    for i, p in enumerate(people):
        style = m.STYLES[i % len(m.STYLES)]
        when = START + timedelta(hours=i, minutes=rng.randint(0, 50))
        subject = f"Re: Your action guide ({p.role})"
        filename = "Évaluation – guide.pdf" if i % 17 == 4 else f"{p.role}-guide.pdf"
        if i % 25 == 3:  # never answers
            continue
        if i % 20 == 7:  # says it will come later, then nothing
            corpus.messages.append(m.no_attachment(p.name, p.email, COORDINATOR, when,
                                                   subject))
            corpus.without_pdf += 1
            continue
        if i % 45 == 13:  # Outlook in rich-text mode: the PDF is hidden in winmail.dat
            pdf = filler(p, when - timedelta(minutes=5))
            corpus.messages.append(m.outlook(p.name, p.email, COORDINATOR, when, subject,
                                             [(filename, pdf)], rich_text=True))
            corpus.tnef += 1
            continue
        if i % 6 == 1 or i % 13 == 2:  # a draft first, the complete form days later
            draft_at = when - timedelta(days=2)
            draft = filler(p, draft_at - timedelta(minutes=3))
            corpus.messages.append(style(p.name, p.email, COORDINATOR, draft_at, subject,
                                         [(filename, draft)]))
            keep(filename, draft)
        pdf = filler(p, when - timedelta(minutes=4), typed_name=i % 3 != 0)
        if i % 50 == 9:  # a colleague forwards the reply (Thunderbird, as attachment)
            inner = m.gmail(p.name, p.email, "principal@district.test", when, subject,
                            [(filename, pdf)])
            corpus.messages.append(m.thunderbird_forward(
                "Dana Principal", "principal@district.test", COORDINATOR,
                when + timedelta(hours=1), subject, inner))
            corpus.forwarded.append(p.email)
        else:
            corpus.messages.append(style(p.name, p.email, COORDINATOR, when, subject,
                                         [(filename, pdf)]))
        keep(filename, pdf)
        if i % 40 == 5:  # sends the very same file again the next day
            corpus.messages.append(style(p.name, p.email, COORDINATOR,
                                         when + timedelta(days=1), subject + " (again)",
                                         [(filename, pdf)]))
        if i % 60 == 11:  # a Word file renamed .pdf, with the real one
            corpus.messages.append(m.gmail(p.name, p.email, COORDINATOR,
                                           when + timedelta(minutes=30), "my notes",
                                           [("notes.pdf", NOT_A_PDF)]))
            keep("notes.pdf", NOT_A_PDF)
    return corpus
