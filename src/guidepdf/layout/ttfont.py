"""reportlab's TTFont with a quicker `splitString`, the same result.

reportlab draws a line of TrueType text by mapping each character to its code in the
document's subsets of the font, one character at a time in Python: a sixth of the CPU of an
answers.pdf with thousands of answer lines. Once a line's characters all have a code in the
first subset (all of them, after the first few lines of a page of English, and most of any
other Latin script), the mapping is one `str.translate` — which is what this font does,
leaving every other line (a character seen for the first time, a second subset, a no-break
space) to reportlab, which assigns the codes as it always has.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from reportlab.pdfbase.ttfonts import TTFont


class _Codes:
    """The characters of one document's first subset: char -> its code as a one-byte char."""

    __slots__ = ("chars", "seen", "table")

    def __init__(self) -> None:
        self.table: dict[int, str] = {}
        self.chars: set[str] = set()
        self.seen = -1  # len(state.assignments) when the table was last brought up to date

    def update(self, assignments: dict[int, int]) -> None:
        for code, n in assignments.items():
            if n < 256 and code not in self.table:
                self.table[code] = chr(n)
                self.chars.add(chr(code))
        self.seen = len(assignments)


class QuickTTFont(TTFont):
    """A TTFont whose splitString takes a line of already-coded characters in one step."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._codes: WeakKeyDictionary[Any, _Codes] = WeakKeyDictionary()

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8"
                    ) -> list[tuple[int, bytes]]:
        codes = self._codes.get(doc)
        if codes is not None and isinstance(text, str) and text and codes.chars.issuperset(text):
            return [(0, text.translate(codes.table).encode("latin-1"))]
        result: list[tuple[int, bytes]] = super().splitString(text, doc, encoding)
        state = self.state.get(doc)
        if state is not None:
            if codes is None:
                codes = self._codes[doc] = _Codes()
            if len(state.assignments) != codes.seen:
                codes.update(state.assignments)
        return result
