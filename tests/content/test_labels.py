"""labels.yaml: every declared label is there, none unknown, each with the placeholders it
takes; `guidepdf check` says what is wrong where (path:line:col), and a content folder
without a labels.yaml uses the shipped English labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from guidepdf.content import check_content, load_content
from guidepdf.content.labels import fill, shipped_labels
from guidepdf.content.labelset import LABELS
from guidepdf.paths import default_content_dir

SHIPPED = default_content_dir()


def problems(folder: Path) -> list[str]:
    _, errors = check_content(folder)
    return [str(e) for e in errors]


def with_labels(toy_dir: Path, old: str, new: str) -> Path:
    text = (SHIPPED / "labels.yaml").read_text(encoding="utf-8")
    assert old in text, old
    (toy_dir / "labels.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return toy_dir


def line_of(text: str) -> int:
    """The line of the shipped labels.yaml that `text` starts on."""
    lines = (SHIPPED / "labels.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_the_shipped_labels_declare_exactly_the_label_set() -> None:
    """content/labels.yaml and every edition's labels.yaml hold each declared label, and
    nothing else (the loader would refuse them otherwise)."""
    for path in [SHIPPED / "labels.yaml", *sorted(SHIPPED.glob("editions/*/labels.yaml"))]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.pop("a4", None)
        keys = {f"{section}.{name}" for section, names in data.items() for name in names}
        assert keys == set(LABELS), path


def test_a_typo_in_a_label_name_is_located_with_a_suggestion(toy_dir: Path) -> None:
    """An unknown label is an error at its key, naming the closest declared one (which is
    then not reported missing as well); a label left out is missing, at its section."""
    with_labels(toy_dir, "  more_guides:", "  more_guide:")
    assert problems(toy_dir) == [
        f"content/labels.yaml:{line_of('more_guides:')}:3: unknown label 'guide.more_guide' "
        "— did you mean 'more_guides'?"]
    with_labels(toy_dir, "  more_guides: More guides in this series\n", "")
    assert problems(toy_dir) == [
        f"content/labels.yaml:{line_of('title: Action guide')}:3: missing label "
        "'guide.more_guides' — add 'more_guides:' under 'guide:' (see content/labels.yaml)"]


def test_an_unknown_placeholder_is_located_to_its_column(toy_dir: Path) -> None:
    """{rol} instead of {role}: the error points at the brace, and suggests {role}."""
    with_labels(toy_dir, "title: Action guide for {role}", "title: Action guide for {rol}")
    line = line_of("title: Action guide")
    column = len("  title: Action guide for ") + 1
    assert problems(toy_dir) == [
        f"content/labels.yaml:{line}:{column}: unknown placeholder {{rol}} in label "
        "'guide.title' — did you mean '{role}'?"]


def test_a_missing_placeholder_and_a_lone_brace_are_errors(toy_dir: Path) -> None:
    """"Prepared for" without {name} would drop the name from every cover; a lone brace is
    neither text nor placeholder."""
    with_labels(toy_dir, "prepared_for: Prepared for {name}", "prepared_for: Prepared for")
    assert problems(toy_dir) == [
        f"content/labels.yaml:{line_of('prepared_for:')}:17: label 'guide.prepared_for' "
        "lacks the placeholder {name} — put {name} where the name belongs"]
    with_labels(toy_dir, "resources: Resources", "resources: Resources {")
    assert problems(toy_dir) == [
        f"content/labels.yaml:{line_of('resources: Resources')}:24: label "
        "'guide.resources' has a lone brace — write {{ or }} for a brace, {name} for a "
        "placeholder"]


def test_a_role_label_must_name_the_role(toy_dir: Path) -> None:
    """A heading label for a role needs {role} or {role_title}, either will do."""
    with_labels(toy_dir, "first_steps: First steps for {role}",
                "first_steps: First steps for {role_title}")
    assert problems(toy_dir) == []
    with_labels(toy_dir, "first_steps: First steps for {role}", "first_steps: First steps")
    assert problems(toy_dir) == [
        f"content/labels.yaml:{line_of('first_steps: First')}:16: label 'guide.first_steps' "
        "names no role or role_title — {role} or {role_title} must stand in it"]


def test_a_missing_section_and_an_unknown_one(toy_dir: Path) -> None:
    """A section left out is one error (not one per label); an unknown one is named."""
    text = (SHIPPED / "labels.yaml").read_text(encoding="utf-8")
    start, end = text.index("icmap:\n"), text.index("\n# The message `guidepdf send`") + 1
    (toy_dir / "labels.yaml").write_text(text[:start] + "icmaps:\n  outcome: Outcome\n"
                                         + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    assert problems(toy_dir) == [
        "content/labels.yaml:11:1: missing label section 'icmap' — add 'icmap:' with its "
        "labels (see content/labels.yaml)",
        f"content/labels.yaml:{line}:1: unknown label section 'icmaps' — did you mean "
        "'icmap'?"]


def test_a4_texts_replace_others_on_a4_paper_only(toy_dir: Path) -> None:
    """The a4 section gives the texts that differ on A4; elsewhere the general text."""
    labels = shipped_labels()
    assert "US Letter" in labels.text("guide.print_instructions")
    assert "A4" in labels.for_paper("a4").text("guide.print_instructions")
    assert labels.for_paper("a4").text("guide.title", role="x", role_title="X") == \
        labels.text("guide.title", role="x", role_title="X")
    with_labels(toy_dir, "a4:\n  guide:", "a4:\n  guide:\n    titel: x")
    assert problems(toy_dir)[0].endswith("unknown label 'guide.titel' — did you mean "
                                         "'title'?")


def test_without_labels_yaml_the_shipped_english_labels_are_used(toy_dir: Path) -> None:
    """An older content folder (no labels.yaml) still builds, in English; a non-English
    one is warned that its headings will be English."""
    content = load_content(toy_dir)
    assert content.labels == shipped_labels()
    brand = toy_dir / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("language: en-GB",
                                                               "language: es"))
    warnings = [str(w) for w in load_content(toy_dir).warnings]
    assert warnings == ["content/labels.yaml: warning: no labels.yaml, so the guides' own "
                        "texts (headings, table headers, the summary) are the shipped "
                        "English ones, not 'es' — copy content/labels.yaml here and write "
                        "its texts in that language"]


def test_counted_labels_choose_their_form_and_numbers_use_the_separators() -> None:
    """one/other by {n}; thousands and decimal separators and the percent sign from the
    format section."""
    labels = shipped_labels()
    assert labels.number(1234567) == "1,234,567"
    assert labels.percent(0.5) == "50%" and labels.percent(None) == "–"
    es = load_content(SHIPPED / "editions" / "es").labels
    assert es.number(1234567) in ("1\u202f234\u202f567", "1.234.567", "1234567",
                                  "1,234,567")


def test_values_are_never_read_as_placeholders_or_markup() -> None:
    """A value holding {role} or <b> is shown as it is; markup() escapes every part."""
    labels = shipped_labels()
    assert fill("a {x} b {{c}}", {"x": "{role}"}) == "a {role} b {c}"
    assert labels.markup("guide.prepared_for", bold=["name"], name="<i>Ann & Bo</i>") == \
        "Prepared for <b>&lt;i&gt;Ann &amp; Bo&lt;/i&gt;</b>"


@pytest.mark.parametrize("code", sorted(p.name for p in (SHIPPED / "editions").iterdir()))
def test_every_shipped_edition_checks_clean(code: str, tmp_path: Path) -> None:
    """Each edition under content/editions/ is a complete content folder that loads."""
    content = load_content(SHIPPED / "editions" / code)
    assert content.labels.texts.keys() == LABELS.keys()
    shutil.copytree(SHIPPED / "editions" / code, tmp_path / code)
    assert problems(tmp_path / code) == []
