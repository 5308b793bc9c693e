"""guidepdf: role-specific action guide PDFs from YAML — build them, send them, read them back.

The public API is listed in __all__; everything else is internal.
"""

__version__ = "0.1.0"

# The imports below need __version__ (formspec writes it into manifests).
from guidepdf.content import check_content, load_content
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.plans import Plan, plan_from_form
from guidepdf.reader import FilledForm, read_form
from guidepdf.report import collect

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
