"""The folder `personalize` wrote + the roster -> each person's copy as it is on disk, checked
before anything is sent: it exists, it is that person's (the manifest names them as the
roster does now), and it was made from the current content by this guidepdf version. So
`send` mails exactly the copies `personalize` made — prefilled or not, on their paper."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf

from guidepdf import formspec
from guidepdf.content.model import Content
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.roster import Person
from guidepdf.errors import SendError

PREFILL_KEYS = ("name", "email", "group")  # what personalize --prefill fills in
SHOWN = 20  # problems listed in the error; the rest are counted


@dataclass(frozen=True)
class FolderCopy:
    """What one copy on disk says about itself."""

    path: Path
    manifest: str  # the manifest JSON, as the copy stores it
    paper: str  # "letter", "a4", or the page size in points
    prefilled: bool  # whether a respondent field holds a value


class CopyFolder:
    """Each person's copy from `folder` (file names as personalize gives them)."""

    def __init__(self, folder: Path, content: Content, people: list[Person]) -> None:
        self.folder = Path(folder)
        self.content = content
        self.names = assign_filenames(people)
        self.people = people
        self._expected: dict[str, formspec.Manifest] = {}
        self.found: dict[str, FolderCopy] = {}  # person id -> their copy, once checked

    def check(self, hint: str) -> dict[str, FolderCopy]:
        """Every person's copy, by person id; SendError lists every person whose copy is
        missing, unreadable, someone else's or out of date (with `hint`: how to remake them)."""
        found: dict[str, FolderCopy] = {}
        problems: list[str] = []
        for person in self.people:
            path = self.folder / self.names[person.id]
            try:
                found[person.id] = self._inspect(person, path)
            except ValueError as exc:
                problems.append(f"{path}: {exc} ({person.name or person.id}, roster line "
                                f"{person.line})")
        self.found = found
        if problems:
            shown = problems[:SHOWN]
            if len(problems) > SHOWN:
                shown.append(f"… and {len(problems) - SHOWN} more")
            raise SendError("\n".join(shown) + f"\n{len(problems)} of {len(self.people)} "
                            f"copies in {self.folder}/ cannot be sent; nothing was sent — "
                            + hint)
        return found

    def read(self, person: Person) -> bytes:
        return (self.folder / self.names[person.id]).read_bytes()

    def _inspect(self, person: Person, path: Path) -> FolderCopy:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ValueError("no such copy") from None
        except OSError as exc:
            raise ValueError(f"cannot be read ({exc.strerror})") from None
        try:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                stored = str(pdf.docinfo.get(formspec.MANIFEST_INFO_KEY, ""))
                box = [float(v) for v in pdf.pages[0].mediabox]
                values = {str(f.get("/T", "")): str(f.get("/V", ""))
                          for f in pdf.Root.AcroForm.get("/Fields", [])}
        except (pikepdf.PdfError, AttributeError, IndexError, ValueError):
            raise ValueError("not a PDF that personalize made") from None
        expected = self._manifest(person)
        if stored != expected.to_json():
            raise ValueError(self._why(stored, expected))
        prefilled = any(values.get(formspec.respondent_field(person.role, key))
                        for key in PREFILL_KEYS)
        return FolderCopy(path, stored, paper_of(box[2] - box[0], box[3] - box[1]), prefilled)

    def _manifest(self, person: Person) -> formspec.Manifest:
        if person.role not in self._expected:
            self._expected[person.role] = formspec.manifest_for(
                self.content, self.content.role(person.role))
        return replace(self._expected[person.role], recipient=person.recipient())

    @staticmethod
    def _why(stored: str, expected: formspec.Manifest) -> str:
        """Why a copy's manifest is not the one the person's copy would have now."""
        try:
            found = formspec.Manifest.from_json(stored)
        except ValueError:
            return "not a copy that personalize made (it has no manifest)"
        if found.recipient is None:
            return "a guide made for nobody in particular, not a personalized copy"
        if expected.recipient and found.recipient.id != expected.recipient.id:
            return f"made for someone else (id {found.recipient.id!r})"
        if found.role != expected.role or found.fingerprint != expected.fingerprint:
            return "made from another version of the content"
        if found.version != expected.version:
            return f"made by guidepdf {found.version}, not {expected.version}"
        return "made before the roster changed this person's name, email or group"


def paper_of(width: float, height: float) -> str:
    """The paper name for a page size in points (portrait or landscape)."""
    size = sorted((round(width), round(height)))
    return {(612, 792): "letter", (595, 842): "a4"}.get((size[0], size[1]),
                                                        f"{size[0]}x{size[1]}")
