"""A small inline SVG line chart of license counts over time: no JavaScript, prints well."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[datetime, int], ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: tuple[tuple[str, str], ...]  # (label, SVG polyline points)
    y_max: int
    start: datetime | None
    end: datetime | None


def line_chart(
    series: list[Series], *, width: int = 640, height: int = 180, now: datetime | None = None
) -> Chart:
    """Step lines (a count holds until it changes), scaled to the chart; pure, for templates to draw."""
    moments = [moment for line in series for moment, _count in line.points]
    if not moments:
        return Chart(width, height, (), 0, None, None)
    start, end = min(moments), max([*moments, now] if now else moments)
    span = (end - start).total_seconds() or 1.0
    y_max = max(1, *(count for line in series for _moment, count in line.points))

    def x(moment: datetime) -> float:
        return round((moment - start).total_seconds() / span * width, 1)

    def y(count: int) -> float:
        return round(height - count / y_max * height, 1)

    lines = []
    for line in series:
        coordinates: list[str] = []
        previous: int | None = None
        for moment, count in line.points:
            if previous is not None:
                coordinates.append(f"{x(moment)},{y(previous)}")
            coordinates.append(f"{x(moment)},{y(count)}")
            previous = count
        if previous is not None:
            coordinates.append(f"{width},{y(previous)}")
        lines.append((line.label, " ".join(coordinates)))
    return Chart(width, height, tuple(lines), y_max, start, end)
