"""Content YAML -> validated, typed model. The public entry points are load_content and
check_content; the model classes live in guidepdf.content.model."""

from guidepdf.content.loader import check_content, load_content
from guidepdf.content.model import Content, Role

__all__ = ["Content", "Role", "check_content", "load_content"]
