"""Two "#rrggbb" colours -> their WCAG 2.1 contrast ratio; a colour that text is drawn in (or
that white text is drawn on) -> whether it reaches the 4.5:1 of success criterion 1.4.3, and a
darker colour of the same hue that does."""

from __future__ import annotations

TEXT_RATIO = 4.5  # WCAG 2.1 AA, 1.4.3, for text below 18 pt (14 pt bold): all of ours
WHITE = "#ffffff"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """Relative luminance of "#rrggbb" (WCAG 2.1 definition)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darker(color: str, against: str = WHITE, ratio: float = TEXT_RATIO) -> str:
    """The lightest colour of the same hue (RGB scaled down) reaching `ratio` with `against`."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    low, high = 0.0, 1.0
    for _ in range(30):
        mid = (low + high) / 2
        candidate = "#" + "".join(f"{round(v * mid):02x}" for v in (r, g, b))
        if contrast(candidate, against) >= ratio:
            low = mid
        else:
            high = mid
    return "#" + "".join(f"{int(v * low):02x}" for v in (r, g, b))


def text_contrast_problem(color: str, name: str, use: str) -> tuple[str, str] | None:
    """(problem, hint) when `color` and white are under 4.5:1 apart. `name` names the colour
    ("colour 'muted'"), `use` says how text meets white with it ("text on white pages")."""
    ratio = contrast(color, WHITE)
    if ratio >= TEXT_RATIO:
        return None
    better = darker(color)
    return (f"{name} {color} has a contrast of {_show(ratio)}:1 with white ({use}); WCAG "
            f"2.1 AA asks {_show(TEXT_RATIO)}:1 of text (1.4.3)",
            f"use a darker colour, e.g. \"{better}\" ({_show(contrast(better, WHITE))}:1)")


def _show(ratio: float) -> str:
    """A ratio rounded down to 2 decimals (a ratio must never look better than it is)."""
    text = f"{int(ratio * 100) / 100:.2f}".rstrip("0").rstrip(".")
    return text
