"""A claimant's verdicts month by month as SVG geometry: one stacked bar per month, a
segment per verdict (its class gives the colour: the page's CSP allows no inline style)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..services.claimants.history import History

HEIGHT = 120
BAR = 14
GAP = 6
#: room after the last bar for its month's label
LABEL = 44


@dataclass
class Segment:
    key: str
    count: int
    y: float
    height: float


@dataclass
class Bar:
    x: int
    month: str
    total: int
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    busiest: int


def chart(history: History) -> Chart | None:
    """None when there is nothing to draw."""
    if not history.months or not history.busiest:
        return None
    order = list(history.by_verdict)
    scale = HEIGHT / history.busiest
    bars = []
    for i, month in enumerate(history.months):
        bar = Bar(x=i * (BAR + GAP), month=month.start.strftime("%Y-%m"), total=month.total)
        top = float(HEIGHT)
        for key in order:
            count = month.counts.get(key, 0)
            if count:
                height = count * scale
                top -= height
                bar.segments.append(Segment(key, count, round(top, 2), round(height, 2)))
        bars.append(bar)
    return Chart(
        width=len(bars) * (BAR + GAP) + LABEL, height=HEIGHT, bars=bars, busiest=history.busiest
    )
