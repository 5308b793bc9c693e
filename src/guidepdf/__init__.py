"""guidepdf: role-specific action guide PDFs from YAML — build them, send them, read them back.

The public API is listed in __all__; everything else is internal.
"""

__version__ = "0.1.0"

from guidepdf.content import check_content, load_content

__all__ = ["__version__", "check_content", "load_content"]
