"""The content you edit is the content you get: `guidepdf init` makes a working folder that
every command finds from inside it (like git), every command says which content it used, and
`collect` says loudly (console and exit status) when forms were made from other content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf.cli import EXIT_OTHER_CONTENT, main
from guidepdf.paths import default_content_dir
from guidepdf.samplefill import fill, form_values
from guidepdf.workspace import SETTINGS, choose_content
from tests.layout.pdfcheck import page_texts


def _first_page_text(pdf: Path) -> str:
    return page_texts(pdf.read_bytes())[0]


def test_init_then_an_edit_shows_in_the_next_build(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """init copies the content; build run in a folder below finds it and uses the edit."""
    work = tmp_path / "pd-guides"
    result = CliRunner().invoke(main, ["init", str(work)])
    assert result.exit_code == 0, result.output
    assert (work / SETTINGS).is_file()
    assert sorted(p.name for p in (work / "content" / "roles").iterdir()) == sorted(
        p.name for p in (default_content_dir() / "roles").iterdir())
    brand = work / "content" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        "organization: Lakeshore Learning Collaborative",
        "organization: Pinecrest Unified Schools"), encoding="utf-8")
    below = work / "drafts"
    below.mkdir()
    monkeypatch.chdir(below)
    result = CliRunner().invoke(main, ["build", "--role", "teacher", "--mode", "print"])
    assert result.exit_code == 0, result.output
    assert (f"Content: {work.resolve() / 'content'} (named in {work.resolve() / SETTINGS})"
            in result.stderr)
    assert "PINECREST UNIFIED SCHOOLS" in _first_page_text(below / "guides/teacher-print.pdf")


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    """A second init in the same folder changes nothing and exits 2 with the reason."""
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    (tmp_path / "content" / "brand.yaml").write_text("edited", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "already exists — nothing was changed" in result.stderr
    assert (tmp_path / "content" / "brand.yaml").read_text(encoding="utf-8") == "edited"


def test_a_content_folder_here_is_used_without_settings(tmp_path: Path) -> None:
    """In a folder with ./content (a source checkout) commands use it, and say so."""
    shutil.copytree(default_content_dir(), tmp_path / "content")
    choice = choose_content(cwd=tmp_path)
    assert choice.path == tmp_path / "content"
    assert choice.describe() == (f"Content: {tmp_path / 'content'} "
                                 "(the content folder in the current folder)")


def test_elsewhere_the_shipped_content_is_used_and_named(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing to find, check uses the shipped content and says how to get a copy."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert (f"Content: {default_content_dir()} (the sample content shipped with guidepdf; "
            "run `guidepdf init` to get a copy to edit)") in result.stderr


def test_a_broken_settings_file_is_explained(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A guidepdf.toml that is not TOML, or has an unknown key, exits 2 naming the file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / SETTINGS).write_text('content = "content\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert f"{(tmp_path / SETTINGS).resolve()}: not valid TOML" in result.stderr
    (tmp_path / SETTINGS).write_text('contnet = "content"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "unknown setting(s) contnet — the known settings are: content" in result.stderr


def test_collect_with_other_content_says_so_and_exits_3(tmp_path: Path, guide) -> None:  # type: ignore[no-untyped-def]
    """Forms built from edited content, collected with the shipped content, give a loud
    warning naming them and exit 3; with the right --content, no warning and exit 0."""
    edited = tmp_path / "content"
    shutil.copytree(default_content_dir(), edited)
    teacher = edited / "roles" / "teacher.yaml"
    text = teacher.read_text(encoding="utf-8")
    start = text.index("questions:")
    first = text.index("text:", start)
    teacher.write_text(text[:first] + "text: A question reworded for this district.\n"
                       + text[text.index("\n", first) + 1:], encoding="utf-8")
    built = tmp_path / "guides"
    result = CliRunner().invoke(main, ["build", "--content", str(edited), "--role", "teacher",
                                       "--mode", "fillable", "--out", str(built)])
    assert result.exit_code == 0, result.output
    returned = tmp_path / "returned"
    returned.mkdir()
    values = form_values("teacher", respondent={"name": "Ann Lee"})
    (returned / "ann.pdf").write_bytes(fill((built / "teacher-fillable.pdf").read_bytes(),
                                            values, appearances="viewer"))
    (returned / "bo.pdf").write_bytes(fill(guide("teacher"), form_values(
        "teacher", respondent={"name": "Bo Chen"}), appearances="viewer"))
    result = CliRunner().invoke(main, ["collect", str(returned), "--out",
                                       str(tmp_path / "s1")])
    assert result.exit_code == EXIT_OTHER_CONTENT, result.output
    assert ("WARNING: 1 form(s) were made from another version of the content than the one "
            "used here (ann.pdf)") in result.stderr
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(tmp_path / "s2"),
                                       "--content", str(edited)])
    assert result.exit_code == EXIT_OTHER_CONTENT
    assert "(bo.pdf)" in result.stderr
    (returned / "bo.pdf").unlink()
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(tmp_path / "s3"),
                                       "--content", str(edited)])
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output
