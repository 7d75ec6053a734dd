"""Simple horizontal bar charts drawn as SVG on the server: no script, no inline style.

The geometry is worked out here and drawn by ``minutes/includes/bar_chart.html``;
colours come from classes in site.css (the Content-Security-Policy refuses inline
styles). Every chart is shown beside a table of the same figures, which is what
screen readers and keyboards use; the SVG itself is one image with a title and a
description.
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 60
BAR_HEIGHT = 18
ROW_HEIGHT = 26
TOP = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    value_text: str
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    slug: str
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * len(self.bars)

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


def bar_chart(
    *,
    slug: str,
    title: str,
    description: str,
    values: list[tuple[str, int | None]],
    maximum: int | None = None,
    unit: str = "",
) -> BarChart:
    """A bar for each (label, value); ``None`` draws no bar and says "–".

    ``maximum`` is the value of a full-length bar (100 for a percentage); by default
    the largest value.
    """
    scale = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    top = maximum or max((value or 0 for _, value in values), default=0) or 1
    bars = [
        Bar(
            label=label if len(label) <= 30 else label[:29] + "…",
            value=value,
            value_text="–" if value is None else f"{value}{unit}",
            y=TOP + index * ROW_HEIGHT,
            width=round(scale * min(value or 0, top) / top),
        )
        for index, (label, value) in enumerate(values)
    ]
    return BarChart(slug=slug, title=title, description=description, bars=bars)
