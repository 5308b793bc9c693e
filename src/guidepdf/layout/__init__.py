"""Model -> PDF bytes: theme, sections, wheel, fields, document assembly, finishing."""

from guidepdf.layout.document import MODES, PARTS, GuideOptions, build_guide

__all__ = ["MODES", "PARTS", "GuideOptions", "build_guide"]
