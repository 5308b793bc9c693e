"""The current folder -> which content folder a command uses and why; and a new working
folder (a copy of the shipped content + guidepdf.toml) for `guidepdf init`.

A command uses, in this order: the folder given with --content; the `content` setting of
the nearest guidepdf.toml in the current folder or any folder above it (found the way git
finds its repository); a ./content folder holding brand.yaml (a source checkout, or a
folder someone made by hand); else the sample content shipped inside the package.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from guidepdf.errors import SettingsError
from guidepdf.paths import default_content_dir

SETTINGS = "guidepdf.toml"
KNOWN = ("content",)
SETTINGS_TEXT = """\
# guidepdf settings. Every guidepdf command run in this folder, or in a folder below it,
# finds this file and uses the content folder named here (relative to this file).
# Edit the YAML in that folder, then run `guidepdf check` and `guidepdf build`.
content = "content"
"""


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
    return {key: str(value) for key, value in data.items()}


def choose_content(given: Path | None = None, cwd: Path | None = None) -> ContentChoice:
    """The content folder to use (see the module docstring for the order)."""
    if given is not None:
        return ContentChoice(Path(given), "given on the command line")
    here = cwd or Path.cwd()
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


def init_workspace(folder: Path) -> list[Path]:
    """Make `folder` a working folder: a copy of the shipped content in folder/content and a
    guidepdf.toml naming it. Refuses to overwrite either. Returns the paths made."""
    folder = Path(folder)
    settings, content = folder / SETTINGS, folder / "content"
    for existing in (settings, content):
        if existing.exists():
            raise SettingsError(f"{existing}: already exists — nothing was changed; "
                                "use another folder, or edit the content that is there")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copytree(default_content_dir(), content)
        settings.write_text(SETTINGS_TEXT, encoding="utf-8")
    except OSError as exc:
        where = exc.filename or folder
        raise SettingsError(f"{where}: cannot write the working folder ({exc.strerror}) — "
                            "choose a folder you can write to") from None
    return [settings, content]
