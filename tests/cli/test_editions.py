"""--edition CODE picks the content folder's editions/CODE/ on every command that takes
--content, in a source checkout, a `guidepdf init` working folder (which can name its edition)
and the shipped content; an edition that is not there exits 2 naming the ones that are."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
import yaml
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.paths import default_content_dir
from guidepdf.workspace import SETTINGS, choose_content, editions

ES = default_content_dir() / "editions" / "es"


def _lang(pdf: Path) -> str:
    with pikepdf.open(pdf) as doc:
        return str(doc.Root.Lang)


def _language(folder: Path) -> str:
    return yaml.safe_load((folder / "brand.yaml").read_text(encoding="utf-8"))["language"]


def test_the_shipped_content_has_a_spanish_edition() -> None:
    """editions/es is there, and listed."""
    assert "es" in editions(default_content_dir())


def test_build_with_an_edition_uses_its_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """build --edition es says which folder it used, and the guide's /Lang is the
    edition's language."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--edition", "es", "--role", "coach",
                                       "--mode", "print"])
    assert result.exit_code == 0, result.output
    assert f"Content: {ES} (edition 'es' of {default_content_dir()}: " in result.stderr
    assert _lang(tmp_path / "guides" / "coach-print.pdf") == _language(ES)


def test_an_unknown_edition_exits_2_and_lists_the_others(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """--edition xx: nothing is built; the message names the folder looked for and the
    editions there."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--edition", "xx"])
    assert result.exit_code == 2
    folder = default_content_dir() / "editions"
    assert (f"{folder / 'xx'}: no edition 'xx' here (editions in {folder}: "
            f"{', '.join(editions(default_content_dir()))}) — add the folder, or choose one "
            "of those") in result.stderr
    assert not (tmp_path / "guides").exists()
    bad = CliRunner().invoke(main, ["check", "--edition", "../../etc"])
    assert bad.exit_code == 2 and "not an edition code" in bad.stderr


@pytest.mark.parametrize("command", [
    ["check"], ["build", "--help"], ["read", "--help"], ["roster", "check", "--help"],
    ["personalize", "--help"], ["send", "--help"], ["collect", "--help"]])
def test_every_command_with_content_takes_an_edition(command: list[str]) -> None:
    """Each command that takes --content also takes --edition."""
    if command == ["check"]:
        import os
        import tempfile

        here = os.getcwd()
        with tempfile.TemporaryDirectory() as empty:  # no working folder: the shipped content
            os.chdir(empty)
            try:
                result = CliRunner().invoke(main, ["check", "--edition", "es"])
            finally:
                os.chdir(here)
        assert result.exit_code == 0, result.output
        assert f"{ES}: OK" in result.stdout
        return
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0
    assert "--content" in result.stdout and "--edition CODE" in result.stdout


def test_init_with_an_edition_makes_a_folder_that_uses_it(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """init --edition es copies the content with its editions and names the edition in
    guidepdf.toml; commands there use the copy's edition, and --edition overrides it."""
    work = tmp_path / "escuela"
    result = CliRunner().invoke(main, ["init", str(work), "--edition", "es"])
    assert result.exit_code == 0, result.output
    assert 'edition = "es"' in (work / SETTINGS).read_text(encoding="utf-8")
    copy = work.resolve() / "content" / "editions" / "es"
    assert choose_content(cwd=work).path == copy
    monkeypatch.chdir(work)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert f"{copy}: OK" in result.stdout
    refused = CliRunner().invoke(main, ["init", str(tmp_path / "other"), "--edition", "zz"])
    assert refused.exit_code == 2 and "no edition 'zz'" in refused.stderr
    assert not (tmp_path / "other").exists()


def test_an_edition_named_in_the_settings_is_checked(tmp_path: Path) -> None:
    """edition = 42 in guidepdf.toml is refused with the file named."""
    (tmp_path / SETTINGS).write_text('content = "content"\nedition = 42\n', encoding="utf-8")
    from guidepdf.errors import SettingsError

    with pytest.raises(SettingsError, match="edition must be an edition code"):
        choose_content(cwd=tmp_path)
