"""The command line starts without loading the heavy libraries; the public API still loads them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("reportlab", "pikepdf", "openpyxl", "fontTools")

# Runs in a fresh interpreter: do what the argument says, then print which heavy libraries
# (or any of their submodules) ended up in sys.modules.
PROBE = """
import json, sys
HEAVY = {heavy!r}
{code}
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set(HEAVY))
print(json.dumps(loaded))
"""


def _loaded_after(code: str) -> list[str]:
    script = PROBE.format(heavy=HEAVY, code=code)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cli(*args: str) -> str:
    return ("from guidepdf.cli import main\n"
            "try:\n"
            f"    main({list(args)!r}, prog_name='guidepdf')\n"
            "except SystemExit as exc:\n"
            "    assert exc.code in (0, None), exc.code\n")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """`import guidepdf.cli` imports none of reportlab, pikepdf, openpyxl or fontTools."""
    assert _loaded_after("import guidepdf.cli") == []


def test_importing_the_package_loads_no_heavy_library() -> None:
    """`import guidepdf` alone is light too: the public names load on first use."""
    assert _loaded_after("import guidepdf; assert guidepdf.__version__") == []


@pytest.mark.parametrize("args", [
    ("--version",), ("--help",), ("check", "--help"), ("build", "--help"), ("read", "--help"),
    ("roster", "check", "--help"), ("personalize", "--help"), ("send", "--help"),
    ("collect", "--help"), ("demo", "--help"),
])
def test_version_and_help_load_no_heavy_library(args: tuple[str, ...]) -> None:
    """--version and every command's --help answer without importing a heavy library."""
    assert _loaded_after(_cli(*args)) == []


def test_the_public_api_still_loads_on_use() -> None:
    """`from guidepdf import build_guide` works and then (only then) brings reportlab in."""
    loaded = _loaded_after("from guidepdf import build_guide, read_form, collect\n"
                           "assert callable(build_guide) and callable(read_form)\n"
                           "assert callable(collect)")
    assert "reportlab" in loaded and "pikepdf" in loaded


def test_unknown_public_name_is_an_attribute_error() -> None:
    """A name the package does not export raises AttributeError, as a plain module would."""
    import guidepdf

    with pytest.raises(AttributeError, match="no_such_name"):
        guidepdf.no_such_name  # noqa: B018
