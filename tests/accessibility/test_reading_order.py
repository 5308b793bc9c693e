"""Text comes out in the order a person reads the guide: through the structure tree (what a
screen reader follows; text by pypdf) and in the content stream (`pdftotext -raw`, which also
serves copy and paste). The wheel is its alternative text, once, where the wheel is."""

from __future__ import annotations

import io

import pikepdf
import pytest

from guidepdf import formspec
from guidepdf.content.model import Content, Role
from guidepdf.layout.chain import chain_alt
from guidepdf.layout.sections import guide_title
from guidepdf.layout.structure import field_name
from tests.accessibility.conftest import ROLES, built, shipped
from tests.accessibility.reading import pdftotext_raw, structure_text


def squash(text: str) -> str:
    return " ".join(text.split())


def markers(content: Content, role: Role) -> list[str]:
    """Texts that must come in this order, from cover to back page."""
    fw = content.framework
    labels = content.labels
    found = [guide_title(content, role), f"Why the standards matter to {role.phrase}",
             squash(role.introduction[-1]), squash(fw.overview), squash(fw.wheel_alt),
             squash(fw.categories[0].description), "How the standards lead to results",
             chain_alt(fw.chain, labels), squash(fw.foundations[-1]),
             squash(fw.standards[-1].summary),
             f"Key responsibilities for {role.phrase}",
             squash(role.responsibilities[-1][1][-1]), f"First steps for {role.phrase}",
             squash(role.questions[-1].text)]
    if role.icmap is not None:
        found += [role.icmap.title, squash(role.icmap.outcomes[-1].outcome)]
    return [*found, "More guides in this series", squash(content.brand.attribution)]


def in_order(text: str, expected: list[str]) -> dict[str, int]:
    """Each expected text's position after the one before; -1 where it is missing there."""
    positions, start = {}, 0
    for item in expected:
        at = text.find(item, start)
        positions[item[:40]] = at
        start = at + 1 if at >= 0 else start
    return positions


@pytest.mark.parametrize("mode", ["fillable", "print"])
@pytest.mark.parametrize("role_id", ROLES)
def test_structure_tree_reads_in_order(role_id: str, mode: str) -> None:
    """Walking the structure tree gives every section in reading order, the wheel as its
    alternative text right after the overview, and no running header or footer."""
    content = shipped()
    role = content.role(role_id)
    runs = structure_text(built(role_id, mode))
    text = "\n".join(t for _, t in runs)
    positions = in_order(text, markers(content, role))
    assert -1 not in positions.values(), positions
    fw = content.framework
    assert text.count(squash(fw.wheel_alt)) == 1
    figure = runs.index(("Figure", squash(fw.wheel_alt)))
    assert runs[figure - 1] == ("P", squash(fw.overview))
    assert content.brand.footer not in text
    assert text.count(guide_title(content, role)) == 1  # the cover's title, not every page's header


@pytest.mark.parametrize("role_id", ROLES)
def test_pdftotext_reads_in_order(role_id: str) -> None:
    """`pdftotext -raw` gives the same order, with the wheel's alternative text once in place
    of its scattered labels."""
    content = shipped()
    role = content.role(role_id)
    text = squash(pdftotext_raw(built(role_id)))
    positions = in_order(text, markers(content, role))
    assert -1 not in positions.values(), positions
    fw = content.framework
    wheel = squash(fw.wheel_alt)
    assert text.count(wheel) == 1
    after_overview = text[text.index(squash(fw.overview)) + len(squash(fw.overview)):]
    assert after_overview.lstrip().startswith(wheel)


def test_icmap_form_reads_in_order() -> None:
    """The IC-map-only form reads: title, introduction, respondent fields, then per standard
    its name, its category, the header cells, and each outcome with its choices and notes."""
    content = shipped()
    role = content.role("coach")
    icmap = role.icmap
    assert icmap is not None
    runs = structure_text(built("coach", "fillable", "letter", "icmap"))
    assert runs[0] == ("H1", icmap.title)
    block = icmap.blocks[0]
    standard = content.framework.standard(block.standard)
    start = runs.index(("H2", standard.name))
    assert runs[start + 1] == ("P", content.framework.category(standard.category).name)
    headers = [t for _, t in runs[start + 2:start + 2 + len(icmap.levels) + 2]]
    assert headers == ["Outcome", *icmap.levels, "Not assessed"]
    outcome = block.outcomes[0]
    row = runs[start + 2 + len(headers):]
    assert row[0] == ("TH", squash(outcome.outcome))
    assert row[1] == ("Form", f"[field: {outcome.outcome}: {icmap.levels[0]}]")
    first_level = outcome.levels[0]
    assert first_level is not None and row[2] == ("TD", squash(first_level))


def form_order(pdf: bytes) -> list[str]:
    """Field names in the order their Form elements come in the structure tree, which is the
    tab order (/Tabs /S); a radio group's buttons once."""
    names: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        stack = [doc.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/OBJR":
                name = field_name(node.Obj)
                if not names or names[-1] != name:
                    names.append(name)
            elif isinstance(node, pikepdf.Dictionary) and "/K" in node:
                stack.append(node.K)
    return names


@pytest.mark.parametrize("role_id", ROLES)
def test_tab_order_follows_the_structure(role_id: str) -> None:
    """Fields come in the structure tree (so in tab order) as a person fills them: the
    respondent block, each question's reflections then first steps, each IC outcome's choice
    then its notes, the hidden manifest last."""
    role = shipped().role(role_id)
    assert form_order(built(role_id)) == formspec.all_field_names(role)
