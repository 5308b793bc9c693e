"""Returned forms and replies of every kind follow-up tells apart, made for one person as
people really produce them: a form filled in (pypdf), the copy sent back untouched, one
answer typed, a filled copy printed to PDF (no fields left), a filled copy saved with a
password, a damaged file, another role's guide, a reply with nothing attached — each as
the mail message (Gmail's shape) that brings it back."""

from __future__ import annotations

import io
from datetime import datetime

import pikepdf

from guidepdf.content import Content
from guidepdf.distribute import Personalizer
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.roster import Person
from guidepdf.samplefill import fill, form_values
from tests import guides
from tests.mail import messages

KINDS = ("good", "blank", "mostly_blank", "flattened", "password", "damaged", "other_role",
         "no_attachment", "nothing")


def answers_for(content: Content, role_id: str, share: float = 1.0
                ) -> dict[str, tuple[str, str]]:
    questions = content.role(role_id).questions
    n = max(1, round(len(questions) * share)) if share else 0
    return {q.id: (f"We will start with {q.id} in our team meetings.",
                   f"First step for {q.id}: agree on a date.") for q in questions[:n]}


def filled(content: Content, role_id: str, copy: bytes, email: str = "",
           share: float = 1.0) -> bytes:
    """`copy` with `share` of its questions answered (and every IC outcome at L2)."""
    role = content.role(role_id)
    ic = {o.id: "L2" for o in role.icmap.outcomes} if role.icmap and share == 1.0 else {}
    values = form_values(role_id, respondent={"email": email} if email else None,
                         answers=answers_for(content, role_id, share), ic=ic)
    return fill(copy, values, appearances="viewer")


def flattened(pdf: bytes) -> bytes:
    """What 'Print to PDF' leaves of a filled form: the pages, no fields."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        del doc.Root["/AcroForm"]
        for page in doc.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def locked(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        out = io.BytesIO()
        doc.save(out, encryption=pikepdf.Encryption(user="our-secret", owner="o", R=6))
        return out.getvalue()


class Returns:
    """Makes what each person sends back, from their personalized copy."""

    def __init__(self, content: Content, people: list[Person]) -> None:
        self.content = content
        self.personalizer = Personalizer(content, build=guides.build_cached)
        self.names = assign_filenames(people)

    def copy(self, person: Person) -> bytes:
        return self.personalizer.copy(person)

    def pdf(self, kind: str, person: Person) -> bytes | None:
        copy = self.copy(person)
        role = person.role
        if kind == "good":
            return filled(self.content, role, copy)
        if kind == "blank":
            return copy
        if kind == "mostly_blank":
            return filled(self.content, role, copy, share=0.12)
        if kind == "flattened":
            return flattened(filled(self.content, role, copy))
        if kind == "password":
            return locked(filled(self.content, role, copy))
        if kind == "damaged":
            return copy[: len(copy) // 3]
        if kind == "other_role":
            other = "teacher" if role != "teacher" else "coach"
            return filled(self.content, other, guides.built(other), email=person.email)
        return None

    def message(self, kind: str, person: Person, when: datetime,
                to: str = "coordinator@district.test") -> bytes | None:
        """The reply that brings `kind` back (None for 'nothing')."""
        subject = f"Re: Your {person.role} guide"
        if kind == "nothing":
            return None
        if kind == "no_attachment":
            return messages.no_attachment(person.name, person.email, to, when, subject)
        pdf = self.pdf(kind, person)
        assert pdf is not None
        return messages.gmail(person.name, person.email, to, when, subject,
                              [(self.names[person.id], pdf)])
