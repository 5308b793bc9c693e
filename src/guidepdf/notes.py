"""What guidepdf says about a file it looked at (why it was rejected, what was odd in it, why
it was not read) -> a Note: a stable code and the values it names. The words are the
edition's labels `read.<code>` (content/labels.yaml), filled in where a report is written
(Labels.note); str(note) gives the shipped English text, for the console and for errors.

A value may be text, a number, another Note (said in the same language) or a list of texts
(joined with the edition's list separator). `n` is the count a counted label is chosen by.
Text that did not come from guidepdf (an old fetch journal's note) is kept as it is: code
"as_written", its words in `text`. A note read back from a plan file keeps its code and the
words it was written in (`said`), since the file does not hold its values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

AS_WRITTEN = "as_written"


@dataclass(frozen=True, slots=True)
class Note:
    """A code (a label `read.<code>`) and the values its text is filled with."""

    code: str
    values: tuple[tuple[str, Any], ...] = ()
    said: str = ""  # the words it was written in, for a note read back from a file

    @classmethod
    def of(cls, code: str, /, **values: Any) -> Note:
        return cls(code, tuple(values.items()))

    @classmethod
    def as_written(cls, text: str) -> Note:
        """A text kept in the words it came in (not guidepdf's own)."""
        return cls(AS_WRITTEN, (("text", text),))

    @classmethod
    def read_back(cls, code: str, text: str) -> Note:
        """A note as a plan file holds it: its code and the words it was said in."""
        return cls.as_written(text) if code == AS_WRITTEN else cls(code, (), said=text)

    def value(self, name: str, default: Any = None) -> Any:
        return dict(self.values).get(name, default)

    def __str__(self) -> str:
        from guidepdf.content.labels import shipped_labels  # only when shown in English

        return shipped_labels().note(self)


def note_code(item: Note | str) -> str:
    """The stable code of a note (a plain text, as an older file holds it: as_written)."""
    return item.code if isinstance(item, Note) else AS_WRITTEN


__all__ = ["AS_WRITTEN", "Note", "note_code"]
