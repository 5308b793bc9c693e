"""The loader turns the shipped and the toy content into typed models."""

from __future__ import annotations

from guidepdf.content import Content, load_content
from guidepdf.content.model import plain
from tests.conftest import TOY


def test_shipped_content_has_seven_roles_and_eleven_standards(content: Content) -> None:
    """The sample content loads: 3 categories, 11 standards, 7 roles in their order."""
    assert [c.id for c in content.framework.categories] == [
        "rigorous-content", "transformational-processes", "conditions-for-success"]
    assert len(content.framework.standards) == 11
    assert [r.id for r in content.roles] == [
        "state-commissioner", "superintendent", "system-central-office", "principal", "coach",
        "teacher", "external-partner"]


def test_every_role_meets_the_content_guidelines(content: Content) -> None:
    """Each role has 4-8 responsibilities per category and 7-10 questions with unique ids."""
    for role in content.roles:
        assert [c for c, _ in role.responsibilities] == [
            c.id for c in content.framework.categories], role.id
        for cat, items in role.responsibilities:
            assert 4 <= len(items) <= 8, (role.id, cat)
        assert 7 <= len(role.questions) <= 10, role.id
        assert len({q.id for q in role.questions}) == len(role.questions)


def test_ic_maps_attach_to_their_roles(content: Content) -> None:
    """The four IC maps load onto coach, system/central office, principal, external partner."""
    with_maps = {r.id for r in content.roles if r.icmap}
    assert with_maps == {"coach", "system-central-office", "principal", "external-partner"}
    coach = content.role("coach").icmap
    assert coach is not None and len(coach.levels) == 4
    assert all(len(o.levels) == 4 for o in coach.outcomes)
    assert any(None in o.levels for o in coach.outcomes)  # a cell left blank on purpose


def test_toy_content_loads_with_positions(toy_content: Content) -> None:
    """Positions point into the YAML files, counted from 1."""
    role = toy_content.role("gardener")
    assert role.questions[0].id == "dig"
    assert role.questions[0].pos.path.endswith("roles/gardener.yaml")
    assert role.questions[0].pos.line == 17
    assert role.introduction == ("First paragraph about gardeners.",
                                 "Second paragraph about gardeners.")
    mulch = toy_content.framework.standard("mulch")
    assert mulch.color == "#8a5a3c"
    assert toy_content.framework.standard("compost").color == "#6b3e26"  # inherited


def test_plain_model_has_no_positions(toy_content: Content) -> None:
    """plain() drops positions so fingerprints do not depend on where text sits."""
    data = plain(toy_content.role("gardener"))
    assert "pos" not in data
    assert "pos" not in data["questions"][0]


def test_loading_twice_gives_equal_models() -> None:
    """The loader is pure: the same folder gives equal models."""
    assert load_content(TOY) == load_content(TOY)
