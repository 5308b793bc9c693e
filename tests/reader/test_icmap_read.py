"""IC map choices filled by real viewers' engines (PDFium as in Chrome, pdf.js as in Firefox,
and the other fillers) read back exactly: chosen level, "not assessed", unanswered rows, a
choice changed twice, and non-Latin notes — in the form and in the plan."""

from __future__ import annotations

from functools import cache

import pikepdf
import pytest

from guidepdf import formspec
from guidepdf.content import Content, load_content
from guidepdf.content.model import ICOutcome
from guidepdf.plans import Plan, plan_from_form
from guidepdf.read.reader import FilledForm, read_form
from tests import guides
from tests.interop.fillers import FILLERS, FillerUnavailable, fill_pdfium
from tests.reader.forms import edit

ROLE = "coach"
RUSSIAN_CJK_ARABIC = "Заметки: учимся вместе — 学习计划 — ملاحظات — ąčęėįšųūž"
GREEK = "Σημειώσεις για την ομάδα (δεύτερο εξάμηνο)"
PLAIN = "A note on a row left without a level; 100% & <ok>."


@cache
def _content() -> Content:
    return load_content()


def outcomes() -> tuple[ICOutcome, ...]:
    icmap = _content().role(ROLE).icmap
    assert icmap is not None
    return icmap.outcomes


@cache
def blank(part: str) -> bytes:
    return guides.built(ROLE, "fillable", "letter", part)


def fill(filler: str, pdf: bytes, values: dict[str, str]) -> bytes:
    try:
        if filler == "pdfium":
            return fill_pdfium(pdf, values, typing=True)  # Chrome's keyboard path
        return FILLERS[filler](pdf, values)
    except FillerUnavailable as exc:  # pragma: no cover - only where a tool is missing
        pytest.skip(str(exc))


def first_pass() -> dict[str, str]:
    """Levels for some rows (one a blank cell), "not assessed" for one, notes in three
    scripts; every other row is left unanswered."""
    o = outcomes()
    blank_cell = next((x, i) for x in o for i, cell in enumerate(x.levels) if cell is None)
    ic, notes = formspec.ic_field, formspec.ic_notes_field
    return {
        ic(ROLE, o[0].id): "L1",
        ic(ROLE, o[1].id): "L4",
        ic(ROLE, o[2].id): formspec.IC_NOT_ASSESSED,
        ic(ROLE, o[3].id): "L1",  # changed to L3 in the second pass
        ic(ROLE, o[4].id): "L2",  # changed to NA in the second pass
        ic(ROLE, blank_cell[0].id): formspec.ic_level_value(blank_cell[1]),
        ic(ROLE, o[-1].id): "L2",
        notes(ROLE, o[0].id): RUSSIAN_CJK_ARABIC,
        notes(ROLE, o[2].id): GREEK,
        notes(ROLE, o[6].id): PLAIN,
    }


def second_pass() -> dict[str, str]:
    o = outcomes()
    return {formspec.ic_field(ROLE, o[3].id): "L3",
            formspec.ic_field(ROLE, o[4].id): formspec.IC_NOT_ASSESSED}


def expected() -> tuple[dict[str, str | None], dict[str, str]]:
    """What the reader must return for every outcome after both passes."""
    values = {**first_pass(), **second_pass()}
    levels: dict[str, str | None] = {}
    notes: dict[str, str] = {}
    for o in outcomes():
        levels[o.id] = values.get(formspec.ic_field(ROLE, o.id))
        notes[o.id] = values.get(formspec.ic_notes_field(ROLE, o.id), "")
    return levels, notes


@cache
def filled_twice(filler: str, part: str) -> bytes:
    once = fill(filler, blank(part), first_pass())
    return fill(filler, once, second_pass())


def read(pdf: bytes, name: str) -> FilledForm:
    return read_form(pdf, name=name, content=_content())


@pytest.mark.parametrize("part", ["all", "icmap"])
def test_blank_form_reads_every_row_unanswered(part: str) -> None:
    """An unfilled form reads as no level and no notes for every outcome, without warnings."""
    form = read(blank(part), f"blank-{part}.pdf")
    assert form.ic == dict.fromkeys((o.id for o in outcomes()), None)
    assert form.ic_notes == {o.id: "" for o in outcomes()}
    assert form.warnings == []


def _detach(doc: pikepdf.Pdf, name: str, state: str) -> None:
    """What macOS Preview does to a chosen radio button: the widget leaves its group's /Kids
    (it stays on its page) with its own /T, /V and /AS; the group keeps no /V."""
    group = next(f for f in doc.Root.AcroForm.Fields if str(f.get("/T", "")) == name)
    kid = next(k for k in group.Kids if pikepdf.Name("/" + state) in k.AP.N)
    group.Kids = pikepdf.Array([k for k in group.Kids if k.objgen != kid.objgen])
    del kid["/Parent"]
    kid.T, kid.FT = pikepdf.String(name), pikepdf.Name.Btn
    kid.V = kid.AS = pikepdf.Name("/" + state)
    if "/V" in group:
        del group["/V"]


@pytest.mark.parametrize("part", ["all", "icmap"])
def test_a_choice_detached_from_its_group_is_read(part: str) -> None:
    """A guide's radio button detached as Preview does it (one widget fewer in the field
    tree than the manifest's guide has) sends the reader to the pages, where it finds it."""
    o = outcomes()
    pdf = edit(blank(part), lambda doc: _detach(doc, formspec.ic_field(ROLE, o[4].id), "L3"))
    form = read(pdf, "preview.pdf")
    assert form.ic == {**dict.fromkeys((x.id for x in o), None), o[4].id: "L3"}
    assert form.warnings == []


def test_a_broken_page_tree_does_not_hide_the_answers() -> None:
    """Pages whose tree loops back on itself (qpdf refuses to list such pages): the field
    tree is whole, so the answers are read without the pages; with a widget detached the
    reader walks the tree itself, each page once, and finds it."""
    o = outcomes()
    filled = fill("pdfium", blank("all"), {formspec.ic_field(ROLE, o[0].id): "L2"})

    def loop(doc: pikepdf.Pdf) -> None:
        doc.Root.Pages.Kids.append(doc.Root.Pages)

    form = read(edit(filled, loop), "loop.pdf")
    assert form.ic[o[0].id] == "L2"
    assert form.warnings == []

    def both(doc: pikepdf.Pdf) -> None:
        _detach(doc, formspec.ic_field(ROLE, o[4].id), "L1")
        loop(doc)

    form = read(edit(filled, both), "loop-detached.pdf")
    assert (form.ic[o[0].id], form.ic[o[4].id]) == ("L2", "L1")
    assert form.warnings == []


@pytest.mark.parametrize("part", ["all", "icmap"])
@pytest.mark.parametrize("filler", ["pdfium", "pdfjs"])
def test_choices_and_notes_read_back_exactly(filler: str, part: str) -> None:
    """After filling and then changing two choices on the saved file, the reader returns each
    outcome's final level (or None) and its notes exactly, with no warnings."""
    form = read(filled_twice(filler, part), f"{filler}-{part}.pdf")
    levels, notes = expected()
    assert form.role == ROLE
    assert form.ic == levels
    assert form.ic_notes == notes
    assert form.warnings == []


@pytest.mark.parametrize("filler", ["pdfium", "pdfjs"])
def test_a_choice_changed_twice_keeps_the_last(filler: str) -> None:
    """L1, then L3 on the filled copy, then L2 on that copy: the form says L2 and nothing else
    in the group is on."""
    name = formspec.ic_field(ROLE, outcomes()[5].id)
    pdf = blank("icmap")
    for level in ("L1", "L3", "L2"):
        pdf = fill(filler, pdf, {name: level})
    assert read(pdf, f"{filler}.pdf").ic[outcomes()[5].id] == "L2"


@pytest.mark.parametrize("filler", ["pdfium", "pdfjs"])
def test_plan_carries_the_choices(filler: str) -> None:
    """plan_from_form gives one ICChoice per outcome with its text, level and notes, and the
    plan survives YAML and JSON round trips."""
    plan = plan_from_form(read(filled_twice(filler, "all"), f"{filler}.pdf"))
    levels, notes = expected()
    by_id = {c.outcome_id: c for c in plan.ic}
    assert len(by_id) == len(plan.ic) == len(outcomes())
    for o in outcomes():
        choice = by_id[o.id]
        assert (choice.outcome, choice.level, choice.notes) == (o.outcome, levels[o.id],
                                                                notes[o.id])
    assert Plan.from_yaml(plan.to_yaml()) == plan
    assert Plan.from_json(plan.to_json()) == plan


FILLERS_ALL = ["pdfium", "pdfjs", "pdflib", "pdftk", "pypdf"]


@pytest.mark.parametrize("filler", FILLERS_ALL)
def test_every_filler_sets_a_level_the_reader_sees(filler: str) -> None:
    """Each independent filler's way of saving a radio choice (including pypdf's /V written as
    the text "/L2") reads as the export value, and ASCII notes come back."""
    o = outcomes()
    values = {formspec.ic_field(ROLE, o[0].id): "L2",
              formspec.ic_field(ROLE, o[1].id): formspec.IC_NOT_ASSESSED,
              formspec.ic_notes_field(ROLE, o[1].id): "Not observed this term."}
    form = read(fill(filler, blank("icmap"), values), f"{filler}.pdf")
    assert form.ic == {o[0].id: "L2", o[1].id: formspec.IC_NOT_ASSESSED,
                       **{x.id: None for x in o[2:]}}
    assert form.ic_notes[o[1].id] == "Not observed this term."
    assert [w for w in map(str, form.warnings) if "manifest" in w or "version" in w] == []
