"""An empty folder -> the whole round trip in it: fillable guides built, a sample roster,
each person's personalized copy filled with varied sample answers (samplefill, the same
filler the tests use), some duplicates, a walk-in not on the roster, a scan and a stray
file, then `collect` -> the summary. Deterministic for a given seed."""

from __future__ import annotations

import csv
import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from guidepdf.atomic import write_bytes, write_text
from guidepdf.build import plan_builds, run_builds
from guidepdf.content import load_content
from guidepdf.content.model import Content
from guidepdf.distribute import Personalizer, assign_filenames, read_roster
from guidepdf.distribute.roster import Person
from guidepdf.report.collect import CollectResult, Progress, collect
from guidepdf.safenames import slug
from guidepdf.sampleanswers import sample_response
from guidepdf.samplefill import field_names, fill, form_values

NAMES = (
    "Amara Okafor", "Nguyễn Thị Lan", "Chloé Dubois", "Олег Петров", "Elena Rossi",
    "Αθηνά Παπαδοπούλου", "Grace Kim", "Søren Dahl", "Inés Herrera", "Jonas Lindqvist",
    "Kwame Mensah", "Laila Rahimi", "Marta Nowak", "Ben Castillo", "Oliver Brennan",
    "Priya Raman", "Quinn O'Neill", "Rosa Álvarez", "Dmitri Volkov", "Tomás Ó Briain",
    "Ursula Becker", "Vikram Shah", "Wen Li", "Xóchitl Ramírez", "Yusuf Demir",
    "Zoë Ångström", "Farah Haddad", "Hiroshi Tanaka", "Łucja Wiśniewska", "Mateus Conceição",
    "Aoife Gallagher", "Bilal Qureshi", "Camille Laurent", "Dara Nwosu", "Eero Mäkinen",
    "Fatima Zahra Idrissi", "Gustavo Pereira", "Hana Novotná", "Ibrahim Sow", "Jana Horváthová",
)
SCHOOLS = ("Riverside Elementary", "Harbor Middle School", "Lakeview High School",
           "Northgate Academy", "Cedar Grove Elementary")
ROLE_WEIGHTS = {"teacher": 5, "coach": 4, "principal": 4, "system-central-office": 3,
                "external-partner": 2, "superintendent": 1, "state-commissioner": 1}
OFFICE = {"state-commissioner": "State education agency", "superintendent": "District office",
          "system-central-office": "District office", "external-partner": "Partner organizations"}
START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class DemoResult:
    out_dir: Path
    roster: Path
    returned: Path
    collected: CollectResult


def demo_people(content: Content, count: int = 30, seed: int = 2026) -> list[Person]:
    """`count` people across the content's roles, with schools, ids and example.org emails."""
    rng = random.Random(seed)
    roles = [r.id for r in content.roles]
    weights = [ROLE_WEIGHTS.get(r, 2) for r in roles]
    chosen = roles[:min(count, len(roles))]  # every role at least once
    chosen += rng.choices(roles, weights=weights, k=max(0, count - len(chosen)))
    people = []
    for i, role in enumerate(sorted(chosen, key=roles.index), start=1):
        name = NAMES[(i - 1) % len(NAMES)] if i <= len(NAMES) else f"Person {i}"
        local = slug(name, fallback="").replace("-", ".") or f"staff{i:03d}"
        group = OFFICE.get(role) or rng.choice(SCHOOLS)
        people.append(Person(i + 1, f"p{i:03d}", name, f"{local}@example.org", role, group))
    return people


def roster_csv(people: list[Person]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "name", "email", "role", "group"])
    for p in people:
        writer.writerow([p.id, p.name, p.email, p.role, p.group])
    return buffer.getvalue()


def scanned_page() -> bytes:
    """A PDF without form fields, like a filled guide printed to PDF or scanned."""
    buffer = io.BytesIO()
    c = Canvas(buffer, invariant=1)
    c.drawString(72, 720, "Scanned page 1 of a filled-in action guide")
    c.save()
    return buffer.getvalue()


def run_demo(out_dir: str | Path, people: int = 30, seed: int = 2026,
             content: Content | None = None, say: Callable[[str], None] | None = None,
             progress: Progress | None = None, appearances: str = "pypdf",
             filling: Progress | None = None,
             writing: Callable[[str], None] | None = None) -> DemoResult:
    """Build, distribute, fill and collect into `out_dir` (guides/, roster.csv, sent/,
    returned/, summary/); safe to run again over the same folder. `filling(done, total)`
    follows the people whose copies are made and filled, `progress` the reading of the
    forms, and `writing` is told each summary file as it is written."""
    content = content or load_content()
    roster_path, returned = prepare_demo(out_dir, people, seed, content, say, appearances,
                                         filling)
    roster = read_roster(roster_path, content.roles)
    collected = collect(returned, Path(out_dir) / "summary", roster=roster, content=content,
                        progress=progress, say=writing)
    return DemoResult(Path(out_dir), roster_path, returned, collected)


def prepare_demo(out_dir: str | Path, people: int = 30, seed: int = 2026,
                 content: Content | None = None, say: Callable[[str], None] | None = None,
                 appearances: str = "pypdf",
                 filling: Progress | None = None) -> tuple[Path, Path]:
    """Everything before `collect`: guides, roster.csv, personalized copies in sent/, and
    the filled forms in returned/. Returns (roster path, returned folder)."""
    out, say = Path(out_dir), say or (lambda _text: None)
    content = content or load_content()
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    guides = list(run_builds(content, plan_builds(content, mode="fillable"), out / "guides"))
    say(f"Built {len(guides)} fillable guides in {out / 'guides'}/")
    roster_path = out / "roster.csv"
    write_text(roster_path, roster_csv(demo_people(content, people, seed)))
    roster = read_roster(roster_path, content.roles)
    names = assign_filenames(roster.people)
    maker = Personalizer(content)
    returned = out / "returned"
    (out / "sent").mkdir(exist_ok=True)
    returned.mkdir(exist_ok=True)
    filler = _Filler(content, rng, appearances)
    count = 0
    for n, person in enumerate(roster.people):
        if filling is not None:
            filling(n, len(roster.people))
        copy = maker.copy(person)
        write_bytes(out / "sent" / names[person.id], copy)
        if n % 6 == 4 or rng.random() < 0.08:  # not (yet) returned
            continue
        saved = START + timedelta(days=rng.randint(0, 9), minutes=rng.randint(0, 600))
        typed = {"name": person.name if rng.random() < 0.7 else "",
                 "email": person.email if rng.random() < 0.4 else "",
                 "group": person.group if rng.random() < 0.5 else "",
                 "date": f"{saved:%Y-%m-%d}"}
        if n % 7 == 2:  # an early draft, sent first and then again complete
            draft = filler(person.role, copy, typed, saved - timedelta(days=2), 0.6)
            write_bytes(returned / f"draft-{names[person.id]}", draft)
            count += 1
        write_bytes(returned / names[person.id], filler(person.role, copy, typed, saved))
        count += 1
    if filling is not None:
        filling(len(roster.people), len(roster.people))
    write_bytes(returned / "from-a-colleague.pdf", _walk_in(content, out / "guides", filler))
    write_bytes(returned / "scan-from-copier.pdf", scanned_page())
    write_text(returned / "notes.txt", "Reminder: chase the Harbor Middle School forms.\n")
    for i, path in enumerate(sorted(returned.iterdir())):  # stable file times for duplicates
        stamp = START.timestamp() + 60 * i
        os.utime(path, (stamp, stamp))
    say(f"{len(roster.people)} people on the roster; {count + 1} forms filled into "
        f"{returned}/ (plus a scan and a stray file)")
    return roster_path, returned


class _Filler:
    """Fills a person's copy with a fresh sample response (samplefill, like the tests)."""

    def __init__(self, content: Content, rng: random.Random, appearances: str) -> None:
        self.content, self.rng, self.appearances = content, rng, appearances
        self.fields: dict[str, set[str]] = {}

    def __call__(self, role_id: str, pdf: bytes, typed: dict[str, str], saved: datetime,
                 blank_rate: float = 0.12) -> bytes:
        response = sample_response(self.content.role(role_id), self.rng,
                                   blank_rate=blank_rate)
        values = form_values(role_id, respondent=typed, answers=response.answers,
                             ic=response.ic, ic_notes=response.ic_notes)
        # IC fields exist only in guides whose layout draws the IC map; fill what it has.
        present = self.fields.setdefault(role_id, field_names(pdf))
        return fill(pdf, {k: v for k, v in values.items() if k in present}, modified=saved,
                    appearances=self.appearances)


def _walk_in(content: Content, guides: Path, filler: _Filler) -> bytes:
    """A colleague who was not on the roster fills a plain (not personalized) guide."""
    role_id = "teacher" if any(r.id == "teacher" for r in content.roles) else \
        content.roles[0].id
    pdf = (guides / f"{role_id}-fillable.pdf").read_bytes()
    typed = {"name": "Sam Whitfield", "email": "sam.whitfield@example.org",
             "group": SCHOOLS[0], "date": "2026-10-09"}
    return filler(role_id, pdf, typed, START + timedelta(days=4))
