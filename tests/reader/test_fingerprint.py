"""The content fingerprint is remembered per framework and role, and never goes stale."""

from __future__ import annotations

import dataclasses

from guidepdf import formspec
from guidepdf.content import load_content
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.read.reader import read_form


def test_fingerprint_is_the_same_for_equal_content_loaded_twice() -> None:
    """Two loads of the same content give the same fingerprint for every role."""
    first, second = load_content(), load_content()
    for a, b in zip(first.roles, second.roles, strict=True):
        assert formspec.fingerprint(first, a) == formspec.fingerprint(second, b)
        assert len(formspec.fingerprint(first, a)) == 16


def test_fingerprint_changes_when_the_role_changes() -> None:
    """A role changed after its fingerprint was remembered gets a fingerprint of its own."""
    content = load_content()
    role = content.role("coach")
    before = formspec.fingerprint(content, role)
    question = dataclasses.replace(role.questions[0], text=role.questions[0].text + " Why?")
    changed = dataclasses.replace(role, questions=(question, *role.questions[1:]))
    assert formspec.fingerprint(content, changed) != before
    assert formspec.fingerprint(content, role) == before


def test_form_from_changed_content_is_still_flagged() -> None:
    """A form read against content whose wording changed warns that its version differs."""
    content = load_content()
    role = content.role("coach")
    pdf = build_guide(content, role, GuideOptions(mode="fillable"))
    assert not any("another version" in str(w) for w in read_form(pdf, content=content).warnings)
    question = dataclasses.replace(role.questions[0], text="A question asked differently?")
    changed_role = dataclasses.replace(role, questions=(question, *role.questions[1:]))
    changed = dataclasses.replace(content, roles=tuple(
        changed_role if r.id == role.id else r for r in content.roles))
    warnings = read_form(pdf, content=changed).warnings
    assert any("made from another version of the content" in str(w) for w in warnings)
