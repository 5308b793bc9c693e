"""The checker catches each defect it is there for: a good guide, broken in one way, yields
exactly the problem that names the defect."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from reportlab.platypus import Flowable

from guidepdf.layout import GuideOptions, build_guide, sections
from tests.accessibility.checker import check_pdf
from tests.accessibility.conftest import built, shipped


def broken(change: Callable[[pikepdf.Pdf], None], role: str = "coach") -> list[str]:
    with pikepdf.open(io.BytesIO(built(role))) as doc:
        change(doc)
        out = io.BytesIO()
        doc.save(out)
    return check_pdf(out.getvalue())


def elements(doc: pikepdf.Pdf, role: str) -> Iterator[Dictionary]:
    stack = [doc.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop(0)
        if isinstance(node, Array):
            stack[0:0] = list(node)
        elif isinstance(node, Dictionary) and "/S" in node:
            if Name("/" + role) == node.S:
                yield node
            if "/K" in node:
                stack.insert(0, node.K)


def test_a_good_guide_is_clean() -> None:
    """The guide the other cases break has no problem to begin with."""
    assert check_pdf(built("coach")) == []


def test_untagged_text_is_caught() -> None:
    """Text drawn outside any marked-content sequence is reported with its operator."""
    def change(doc: pikepdf.Pdf) -> None:
        page = doc.pages[1]
        font = next(k for k, f in page.obj.Resources.Font.items() if "/FontDescriptor" in f)
        page.contents_add(doc.make_stream(f"BT {font} 9 Tf 72 72 Td (x) Tj ET".encode()))
    assert broken(change) == ["page 2: content outside any marked-content sequence: 1 × Tj"]


class _Untagged(Flowable):
    """What a new drawing call without a tag looks like."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 12

    def draw(self) -> None:
        self.canv.drawString(0, 0, "A note someone forgot to tag")


def test_a_new_untagged_drawing_call_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Layout code that draws text without tagging it (so that it falls into the page's
    default artifact, hidden from screen readers) is caught."""
    back_page = sections.back_page
    monkeypatch.setattr(sections, "back_page", lambda *a: [*back_page(*a), _Untagged()])
    content = shipped()
    pdf = build_guide(content, content.role("teacher"), GuideOptions(mode="print"))
    problems = check_pdf(pdf)
    assert len(problems) == 1
    assert problems[0].endswith("1 text operator(s) in an untyped artifact (untagged text: "
                                "tag it, or type the artifact as /Pagination)")


def test_nested_and_unbalanced_marked_content_is_caught() -> None:
    """A page wrapped in one more sequence nests every sequence; a stray EMC is unbalanced."""
    def change(doc: pikepdf.Pdf) -> None:
        doc.pages[1].contents_add(doc.make_stream(b"/Artifact BMC\n"), prepend=True)
        doc.pages[1].contents_add(doc.make_stream(b"\nEMC"))
        doc.pages[2].contents_add(doc.make_stream(b"\nEMC"))
    problems = broken(change)
    assert "page 2: marked content /H1 nested inside /Artifact" in problems
    assert "page 3: EMC without an open marked-content sequence" in problems


def test_content_missing_from_the_tree_is_caught() -> None:
    """An element that loses its content leaves MCIDs that no element and no ParentTree entry
    account for."""
    def change(doc: pikepdf.Pdf) -> None:
        heading = next(elements(doc, "H1"))
        heading.K = Array()
    problems = broken(change)
    assert "page 1: MCID 1 is in no element" in problems
    assert "page 1: ParentTree entry for MCID 1 is not the element holding it" in problems
    assert "empty heading H1" in problems


def test_widgets_need_a_form_element_and_a_tooltip() -> None:
    """A field without /TU, and a widget whose Form element is gone, are both reported."""
    def change(doc: pikepdf.Pdf) -> None:
        forms = list(elements(doc, "Form"))
        del forms[0].K[0].Obj.TU
        forms[1].K = Array()
    problems = broken(change)
    assert "page 8: field coach__respondent__name has no /TU" in problems
    assert "page 8: annotation coach__respondent__email is in 0 structure elements (needs " \
           "exactly one)" in problems


def test_figures_tables_lists_and_headings_are_checked() -> None:
    """A Figure without Alt, a TH without Scope, a row missing a cell, an LI outside a list
    and a heading two levels down are each reported."""
    def change(doc: pikepdf.Pdf) -> None:
        del next(elements(doc, "Figure")).Alt
        del next(elements(doc, "TH")).A
        row = next(elements(doc, "TR"))
        row.K = Array(list(row.K)[:-1])
        next(elements(doc, "LI")).P = next(elements(doc, "Document"))
        next(elements(doc, "H2")).S = Name.H3
    problems = broken(change)
    for expected in ("Figure without /Alt", "TH without a /Scope",
                     "Table rows have different widths: [2, 3, 3, 3, 3, 3, 3, 3, 3]",
                     "/LI: /P does not point at its parent",
                     "heading H3 follows H1: a level is skipped"):
        assert expected in problems


def test_catalog_and_fonts_are_checked() -> None:
    """Missing MarkInfo, Lang, XMP identification and an unembedded font are reported."""
    def change(doc: pikepdf.Pdf) -> None:
        del doc.Root.MarkInfo
        del doc.Root.Lang
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["pdfuaid:part"]
        for font in doc.pages[1].obj.Resources.Font.values():
            if "/FontDescriptor" in font:
                del font.FontDescriptor.FontFile2
    problems = broken(change)
    assert problems[:3] == ["catalog: /MarkInfo /Marked is not true", "catalog: no /Lang",
                            "XMP: pdfuaid:part is not 1"]
    assert any(p.startswith("font /") and p.endswith(": not embedded") for p in problems)
