"""Plain text from content -> safe reportlab Paragraph markup."""

from __future__ import annotations

from xml.sax.saxutils import escape


def markup(text: str) -> str:
    """Escape &, <, > so content and answers never inject Paragraph markup."""
    return escape(text)
