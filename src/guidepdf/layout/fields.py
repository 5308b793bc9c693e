"""Answer spaces as flowables: in fillable mode an AcroForm text field filling the space, in
print mode ruled lines to write on. Both take the same size, so both modes paginate alike."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from guidepdf.layout.tagging import artifact, widget
from guidepdf.layout.theme import Theme


class AnswerSpace(Flowable):
    """A write-in box `height` points tall that fills the width it is given."""

    def __init__(self, theme: Theme, height: float, *, name: str | None, tooltip: str,
                 multiline: bool = True) -> None:
        super().__init__()
        self.theme = theme
        self.height = height
        self.name = name  # None means print mode
        self.tooltip = tooltip
        self.multiline = multiline
        self.width = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        if self.name is None:
            self._draw_lines()
            return
        self.canv.acroForm.textfield(
            name=self.name, tooltip=self.tooltip, value="",  # values: see layout.finish
            x=0, y=0, width=self.width, height=self.height, relative=True,
            fieldFlags="multiline doNotSpellCheck" if self.multiline else "doNotSpellCheck",
            maxlen=0,  # no MaxLen: reportlab's default of 100 makes Chrome cut answers short
            fontName="Helvetica", fontSize=10 if self.multiline else 10.5,
            # muted, not rule: a field boundary needs 3:1 against white (WCAG 1.4.11)
            borderWidth=0.75, borderColor=self.theme.muted, fillColor=colors.Color(1, 1, 1),
            textColor=self.theme.text, annotationFlags="print",
        )
        widget(self.canv, self.name)

    def _draw_lines(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.theme.rule)
        c.setLineWidth(0.6)
        spacing = 18.0
        y = self.height - spacing if self.multiline else 2.0
        with artifact(c):  # lines to write on: no content of their own
            while y >= 1.0:
                c.line(0, y, self.width, y)
                y -= spacing
        c.restoreState()


class HiddenField(Flowable):
    """A zero-size hidden, read-only text field carrying data (the manifest)."""

    def __init__(self, name: str, value: str, tooltip: str) -> None:
        super().__init__()
        self.name, self.value, self.tooltip = name, value, tooltip

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.acroForm.textfield(
            name=self.name, value=self.value, x=0, y=0, width=1, height=1, relative=True,
            tooltip=self.tooltip,
            fieldFlags="readOnly", annotationFlags="hidden", maxlen=0, borderWidth=0,
            fontName="Helvetica", fontSize=1,
        )
        widget(self.canv, self.name)
