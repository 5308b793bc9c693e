"""guidepdf: role-specific action guide PDFs from YAML — build them, send them, read them back.

The public API is listed in __all__; everything else is internal. The names are loaded on first
use (PEP 562), so that `import guidepdf.cli` — and with it `guidepdf --version` — does not pay
for reportlab, pikepdf, openpyxl and fontTools before it has parsed its options.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    "FilledForm": "guidepdf.read.reader",
    "GuideOptions": "guidepdf.layout",
    "Plan": "guidepdf.plans",
    "build_guide": "guidepdf.layout",
    "check_content": "guidepdf.content",
    "collect": "guidepdf.report",
    "load_content": "guidepdf.content",
    "plan_from_form": "guidepdf.plans",
    "read_form": "guidepdf.read.reader",
}

__all__ = [
    "FilledForm",
    "GuideOptions",
    "Plan",
    "__version__",
    "build_guide",
    "check_content",
    "collect",
    "load_content",
    "plan_from_form",
    "read_form",
]

if TYPE_CHECKING:  # what a type checker and an IDE see; at run time __getattr__ loads them
    from guidepdf.content import check_content, load_content
    from guidepdf.layout import GuideOptions, build_guide
    from guidepdf.plans import Plan, plan_from_form
    from guidepdf.read.reader import FilledForm, read_form
    from guidepdf.report import collect


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'guidepdf' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
