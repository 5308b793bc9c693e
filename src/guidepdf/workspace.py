"""The current folder -> which content folder a command uses and why; and a new working
folder (a copy of the shipped content + guidepdf.toml) for `guidepdf init`.

A command uses, in this order: the folder given with --content; the `content` setting of
the nearest guidepdf.toml in the current folder or any folder above it (found the way git
finds its repository); a ./content folder holding brand.yaml (a source checkout, or a
folder someone made by hand); else the sample content shipped inside the package.

An edition (--edition es, or `edition = "es"` in guidepdf.toml) is the same content in
another language: the folder editions/<code>/ inside the content folder chosen above, laid
out like it (brand.yaml, framework.yaml, roles/, icmaps/, labels.yaml).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from guidepdf.errors import SettingsError
from guidepdf.paths import EDITIONS, default_content_dir

SETTINGS = "guidepdf.toml"
KNOWN = ("content", "edition")
SETTINGS_TEXT = """\
# guidepdf settings. Every guidepdf command run in this folder, or in a folder below it,
# finds this file and uses the content folder named here (relative to this file).
# Edit the YAML in that folder, then run `guidepdf check` and `guidepdf build`.
content = "content"
"""
EDITION_TEXT = """\
# The edition every command uses: the folder content/editions/{code}/ (--edition overrides).
edition = "{code}"
"""
EDITION_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$")  # es, pt-br, fr_ca, es-419


@dataclass(frozen=True)
class ContentChoice:
    """The content folder a command uses, and why that one."""

    path: Path
    reason: str

    def describe(self) -> str:
        """One line for the console: 'Content: PATH (REASON)'."""
        return f"Content: {self.path} ({self.reason})"


def find_settings(start: Path | None = None) -> Path | None:
    """The nearest guidepdf.toml in `start` (default: the current folder) or above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / SETTINGS
        if candidate.is_file():
            return candidate
    return None


def read_settings(path: Path) -> dict[str, str]:
    """The settings in a guidepdf.toml; SettingsError names the file, the line and the fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the settings ({exc.strerror}) — check the "
                            "file's permissions") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: the settings are not UTF-8 text — save the file as "
                            "UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc}) — write settings as "
                            'key = "value", one per line') from None
    unknown = sorted(set(data) - set(KNOWN))
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(unknown)} — the known "
                            f"settings are: {', '.join(KNOWN)}")
    if "content" in data and not isinstance(data["content"], str):
        raise SettingsError(f'{path}: content must be a folder name in quotes, e.g. '
                            'content = "content"')
    if "edition" in data and not (isinstance(data["edition"], str)
                                  and EDITION_CODE.match(data["edition"])):
        raise SettingsError(f'{path}: edition must be an edition code in quotes, e.g. '
                            'edition = "es"')
    return {key: str(value) for key, value in data.items()}


def editions(content_dir: Path) -> list[str]:
    """The codes of the editions a content folder holds (editions/<code>/brand.yaml)."""
    folder = Path(content_dir) / EDITIONS
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "brand.yaml").is_file())


def edition_folder(content_dir: Path, code: str) -> Path:
    """content_dir/editions/<code>; SettingsError naming the editions there when it is not."""
    if not EDITION_CODE.match(code):
        raise SettingsError(f"--edition {code!r}: not an edition code — write a language "
                            "code such as es, fr or pt-br")
    folder = Path(content_dir) / EDITIONS / code
    if not (folder / "brand.yaml").is_file():
        known = editions(content_dir)
        listed = ", ".join(known) if known else "none"
        raise SettingsError(f"{folder}: no edition '{code}' here (editions in "
                            f"{Path(content_dir) / EDITIONS}: {listed}) — add the folder, "
                            "or choose one of those")
    return folder


def choose_content(given: Path | None = None, cwd: Path | None = None,
                   edition: str | None = None) -> ContentChoice:
    """The content folder to use (see the module docstring for the order); with `edition`
    (or an edition in guidepdf.toml), that edition of it."""
    choice = _choose_base(given, cwd or Path.cwd())
    if edition is None and given is None:
        settings = find_settings(cwd or Path.cwd())
        if settings is not None:
            edition = read_settings(settings).get("edition")
    if edition is None:
        return choice
    return ContentChoice(edition_folder(choice.path, edition),
                         f"edition '{edition}' of {choice.path}: {choice.reason}")


def _choose_base(given: Path | None, here: Path) -> ContentChoice:
    if given is not None:
        return ContentChoice(Path(given), "given on the command line")
    settings = find_settings(here)
    if settings is not None:
        folder = settings.parent / read_settings(settings).get("content", "content")
        return ContentChoice(folder, f"named in {settings}")
    local = here / "content"
    if (local / "brand.yaml").is_file():
        return ContentChoice(local, "the content folder in the current folder")
    return ContentChoice(default_content_dir(),
                         "the sample content shipped with guidepdf; run `guidepdf init` "
                         "to get a copy to edit")


def init_workspace(folder: Path, edition: str | None = None) -> list[Path]:
    """Make `folder` a working folder: a copy of the shipped content (with its editions) in
    folder/content and a guidepdf.toml naming it, and naming `edition` if given. Refuses to
    overwrite either. Returns the paths made."""
    folder = Path(folder)
    settings, content = folder / SETTINGS, folder / "content"
    if edition is not None:
        edition_folder(default_content_dir(), edition)  # the shipped content must have it
    for existing in (settings, content):
        if existing.exists():
            raise SettingsError(f"{existing}: already exists — nothing was changed; "
                                "use another folder, or edit the content that is there")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copytree(default_content_dir(), content)
        text = SETTINGS_TEXT + (EDITION_TEXT.format(code=edition) if edition else "")
        settings.write_text(text, encoding="utf-8")
    except OSError as exc:
        where = exc.filename or folder
        raise SettingsError(f"{where}: cannot write the working folder ({exc.strerror}) — "
                            "choose a folder you can write to") from None
    return [settings, content]
