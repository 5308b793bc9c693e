"""A fillable guide (PDF bytes) + {field name: value} -> the filled PDF bytes, filled with
pypdf as a script or a form tool would. Used by `guidepdf demo` and by the tests; one of
several independent fillers (the others, driving real viewers, are in tests/interop/).

A value is the text of a text field, or the export value of the chosen radio button
("L2", "NA"); "Off" or "" clears a radio group. Field names come from formspec —
`form_values` spells a whole response in them.

Two ways to leave the text visible (`appearances`):
  "pypdf"   pypdf's update_page_form_field_values draws each text field in the form's own
            font (about 15 ms per field: pypdf re-parses an embedded font each time). A value
            the font cannot encode loses its appearance and NeedAppearances is set, so the
            viewer draws it; otherwise viewers show pypdf's appearances as they are.
  "viewer"  values only, no text appearances, NeedAppearances set: the viewer draws every
            field (what Firefox does) — fast, for the many forms of tests and benchmarks.
PDFium (pypdfium2 after init_forms) shows the answers either way.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from guidepdf import formspec

APPEARANCES = ("pypdf", "viewer")
_PYPDF_APPEARANCE_LOGGER = "pypdf.generic._appearance_stream"


class UnknownFieldError(KeyError):
    """A value was given for a field the PDF does not have."""


def form_values(role_id: str, *, respondent: Mapping[str, str] | None = None,
                answers: Mapping[str, tuple[str, str]] | None = None,
                ic: Mapping[str, str | None] | None = None,
                ic_notes: Mapping[str, str] | None = None) -> dict[str, str]:
    """A response -> {field name: value}: respondent keys (name, email, group, date),
    answers by question id as (reflections, first steps), IC levels and notes by outcome."""
    values: dict[str, str] = {}
    for key, text in (respondent or {}).items():
        values[formspec.respondent_field(role_id, key)] = text
    for qid, pair in (answers or {}).items():
        for column, text in zip(formspec.COLUMNS, pair, strict=True):
            values[formspec.answer_field(role_id, qid, column)] = text
    for oid, level in (ic or {}).items():
        values[formspec.ic_field(role_id, oid)] = level or "Off"
    for oid, text in (ic_notes or {}).items():
        values[formspec.ic_notes_field(role_id, oid)] = text
    return values


def field_names(pdf: bytes) -> set[str]:
    """The full names of every field in the PDF."""
    return set(PdfReader(io.BytesIO(pdf)).get_fields() or {})


def pdf_date(moment: datetime) -> str:
    """A datetime as a PDF date string in UTC: D:YYYYMMDDHHmmSSZ."""
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")


@dataclass
class _Field:
    node: DictionaryObject  # the terminal field (holds /V)
    kind: str  # "/Tx", "/Btn", …
    widgets: list[DictionaryObject] = field(default_factory=list)


def fill(pdf: bytes, values: Mapping[str, str], *, modified: datetime | None = None,
         appearances: str = "pypdf") -> bytes:
    """Fill the named fields and return the saved PDF; `modified` sets the ModDate.
    UnknownFieldError names any field the PDF does not have."""
    if appearances not in APPEARANCES:
        raise ValueError(f"appearances must be one of {', '.join(APPEARANCES)}")
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    fields = _fields(writer)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise UnknownFieldError(f"the PDF has no field(s) named {', '.join(unknown[:5])}")
    text = {n: v for n, v in values.items() if fields[n].kind != "/Btn"}
    if appearances == "pypdf":
        with _undrawable_texts() as failed:
            for page in writer.pages:
                if "/Annots" in page:
                    writer.update_page_form_field_values(page, dict(text),
                                                         auto_regenerate=False)
        bare = {n for n, v in text.items() if v in failed}
    else:
        for name, value in text.items():
            fields[name].node[NameObject("/V")] = TextStringObject(value)
        bare = set(text)
    for name in bare:
        for widget in fields[name].widgets:
            widget.pop(NameObject("/AP"), None)
    for name, value in values.items():
        if fields[name].kind == "/Btn":
            _choose(fields[name], value or "Off")
    writer.set_need_appearances_writer(bool(bare))
    if modified is not None:
        writer.add_metadata({"/ModDate": pdf_date(modified)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fields(writer: PdfWriter) -> dict[str, _Field]:
    """Every terminal field that has a widget, by full name."""
    found: dict[str, _Field] = {}
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            node = widget if "/T" in widget else widget["/Parent"].get_object()
            parts, kind, cursor = [], "", node
            while cursor is not None:
                if "/T" in cursor:
                    parts.append(str(cursor["/T"]))
                kind = kind or str(cursor.get("/FT", ""))
                parent = cursor.get("/Parent")
                cursor = parent.get_object() if parent is not None else None
            name = ".".join(reversed(parts))
            found.setdefault(name, _Field(node, kind)).widgets.append(widget)
    return found


def _choose(radio: _Field, state: str) -> None:
    """A radio group's /V as a name (/L2), and each widget's /AS on or /Off. (pypdf 7
    stores /V as the text "/L2"; the standard and every viewer use a name.)"""
    radio.node[NameObject("/V")] = NameObject("/" + state)
    for widget in radio.widgets:
        states = widget.get("/AP", {}).get("/N", {})
        widget[NameObject("/AS")] = NameObject("/" + state if "/" + state in states
                                               else "/Off")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.texts: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.args, dict) and isinstance(record.args.get("text"), str):
            self.texts.add(record.args["text"])


@contextmanager
def _undrawable_texts() -> Iterator[set[str]]:
    """The texts pypdf reports it could not encode in the field's font (it logs a warning
    for each and draws '?'); collected instead of logged, since fill() handles them."""
    logger = logging.getLogger(_PYPDF_APPEARANCE_LOGGER)
    handler, propagate = _Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.texts
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
