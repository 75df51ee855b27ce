"""The schedule timeline: a bounded window of days drawn as horizontal bars, one row per layer
(primary, secondary, and the overrides and swaps painted over them), one colour per person.

Pure layout: it takes shifts (already computed for the window) and returns positions in an SVG
coordinate space plus the same facts as text (a legend and a list), so the picture is never the
only way to read it — printed, in a screen reader, or on a narrow phone.

Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies),
given to people in rotation order, so a schedule's people keep their colours from one window to
the next; each colour carries the text colour that contrasts with it. Bars always carry a name
when they are wide enough, and a title with the full text.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.durations import human
from oncall.schedules.rotations import Layer, Shift, Source

# (fill, text): Okabe & Ito (2008), black replaced by a dark grey that prints as grey.
PALETTE = (
    ("#0072B2", "#ffffff"),  # blue
    ("#E69F00", "#000000"),  # orange
    ("#009E73", "#000000"),  # bluish green
    ("#CC79A7", "#000000"),  # reddish purple
    ("#56B4E9", "#000000"),  # sky blue
    ("#D55E00", "#000000"),  # vermillion
    ("#F0E442", "#000000"),  # yellow
    ("#595959", "#ffffff"),  # dark grey
)
MAX_DAYS = 92  # the longest window drawn (the three-month preview)
LABEL_WIDTH = 104
HEAD_HEIGHT = 40
ROW_HEIGHT = 34
BAR_HEIGHT = 24
CHAR_WIDTH = 7.0  # of the 12 px label font, to decide whether a name fits in a bar


@dataclass(frozen=True)
class Colour:
    fill: str
    text: str


@dataclass(frozen=True)
class Bar:
    layer: str
    person: object
    start: datetime
    end: datetime
    x: float
    width: float
    y: float
    colour: Colour
    label: str  # what fits inside the bar (may be empty)
    title: str  # the full sentence, for the tooltip and the list
    covered: bool  # an override or a swap, not the plain rotation

    @property
    def text_x(self) -> float:
        return self.x + 4

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 4


@dataclass(frozen=True)
class Row:
    label: str
    y: float
    bars: list[Bar]
    empty_text: str = ""

    @property
    def label_y(self) -> float:
        return self.y + ROW_HEIGHT / 2 + 4

    @property
    def line_y(self) -> float:
        return self.y + ROW_HEIGHT


@dataclass(frozen=True)
class Tick:
    x: float
    width: float
    top: str  # weekday letter, or the month on Mondays in long windows
    bottom: str  # day of month
    weekend: bool
    month_start: bool

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class LegendEntry:
    person: object
    colour: Colour
    primary: timedelta
    secondary: timedelta

    @property
    def primary_text(self) -> str:
        return human(self.primary)

    @property
    def secondary_text(self) -> str:
        return human(self.secondary)


@dataclass
class Timeline:
    first_day: date
    days: int
    day_width: float
    rows: list[Row]
    ticks: list[Tick]
    legend: list[LegendEntry]
    items: list[Bar]
    now_x: float | None = None
    height: float = 0
    zone: str = "UTC"
    colours: dict = field(default_factory=dict)

    @property
    def width(self) -> float:
        return LABEL_WIDTH + self.days * self.day_width

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def plot_width(self) -> float:
        """The days' part (it scrolls sideways on narrow screens; the row names stay put)."""
        return self.days * self.day_width

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)

    @property
    def empty(self) -> bool:
        return not self.items


def window_edges(first_day: date, days: int, tz: ZoneInfo) -> list[datetime]:
    """Local midnights (UTC) of ``days`` days from ``first_day``, and the one after."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A timeline shows 1 to {MAX_DAYS} days.")
    return [
        datetime.combine(first_day + timedelta(days=i), time(0)).replace(tzinfo=tz).astimezone(UTC)
        for i in range(days + 1)
    ]


def _name(person) -> str:
    return getattr(person, "display_name", None) or str(person)


def _short(person) -> str:
    return getattr(person, "first_name", "") or _name(person)


def _initials(person) -> str:
    return "".join(part[0] for part in _name(person).split()[:2]).upper()


def _fit(person, width: float) -> str:
    for text in (_name(person), _short(person), _initials(person)):
        if len(text) * CHAR_WIDTH + 8 <= width:
            return text
    return ""


def _merge(shifts: Sequence[Shift]) -> list[Shift]:
    """Touching shifts of one person on one layer, from the same kind of source, become one."""
    merged: list[Shift] = []
    last: dict[tuple, int] = {}
    for s in sorted(shifts, key=lambda s: (s.start, list(Layer).index(Layer(s.layer)))):
        key = (s.layer,)
        i = last.get(key)
        if i is not None:
            prev = merged[i]
            same_kind = (prev.source == Source.ROTATION) == (s.source == Source.ROTATION)
            if prev.person == s.person and prev.end == s.start and same_kind:
                merged[i] = Shift(prev.layer, prev.person, prev.start, s.end, prev.source)
                continue
        merged.append(s)
        last[key] = len(merged) - 1
    return merged


def _when(value: datetime, tz: ZoneInfo) -> str:
    local = value.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def build(
    shifts: Sequence[Shift],
    *,
    first_day: date,
    days: int,
    tz: ZoneInfo,
    people: Sequence = (),
    now: datetime | None = None,
    show_covers: bool = True,
    day_width: float | None = None,
) -> Timeline:
    """Lay out ``shifts`` (effective shifts of the window) over ``days`` days from ``first_day``
    on ``tz``'s calendar. ``people`` fixes the colour order (the rotation's order)."""
    edges = window_edges(first_day, days, tz)
    day_width = day_width or (38.0 if days <= 31 else 11.0)

    def x_of(instant: datetime) -> float:
        if instant <= edges[0]:
            return LABEL_WIDTH
        if instant >= edges[-1]:
            return LABEL_WIDTH + days * day_width
        i = bisect.bisect_right(edges, instant) - 1
        fraction = (instant - edges[i]) / (edges[i + 1] - edges[i])
        return LABEL_WIDTH + (i + fraction) * day_width

    runs = [s for s in _merge(shifts) if s.end > edges[0] and s.start < edges[-1]]
    order = list(people)
    for run in runs:
        if run.person not in order:
            order.append(run.person)
    colours = {p: Colour(*PALETTE[i % len(PALETTE)]) for i, p in enumerate(order)}

    layer_rows = [(Layer.PRIMARY, "Primary"), (Layer.SECONDARY, "Secondary")]
    rows: list[Row] = []
    items: list[Bar] = []
    y = HEAD_HEIGHT
    for layer, label in layer_rows:
        bars = [_bar(run, x_of, y, colours, tz) for run in runs if run.layer == layer]
        items.extend(bars)
        rows.append(Row(label, y, bars, empty_text="nobody"))
        y += ROW_HEIGHT
    if show_covers:
        covers = [
            _bar(run, x_of, y, colours, tz, prefix=f"{run.layer.capitalize()}: ")
            for run in runs
            if run.source != Source.ROTATION
        ]
        rows.append(Row("Overrides", y, covers, empty_text="no overrides or swaps"))
        y += ROW_HEIGHT
    items.sort(key=lambda b: (b.start, list(Layer).index(Layer(b.layer))))

    totals = {p: {Layer.PRIMARY: timedelta(0), Layer.SECONDARY: timedelta(0)} for p in order}
    for run in runs:
        lo, hi = max(run.start, edges[0]), min(run.end, edges[-1])
        totals[run.person][Layer(run.layer)] += hi - lo
    legend = [
        LegendEntry(p, colours[p], totals[p][Layer.PRIMARY], totals[p][Layer.SECONDARY])
        for p in order
        if any(totals[p].values()) or p in people
    ]

    ticks = []
    for i in range(days):
        day = first_day + timedelta(days=i)
        if day_width >= 30:
            top = day.strftime("%b") if day.day == 1 or i == 0 else day.strftime("%a")[:2]
            bottom = str(day.day)
        else:
            labelled = day.weekday() == 0 and i <= days - 3  # room for "Mar" before the edge
            top = day.strftime("%b") if labelled else ""
            bottom = str(day.day) if labelled else ""
        ticks.append(
            Tick(
                LABEL_WIDTH + i * day_width,
                day_width,
                top,
                bottom,
                weekend=day.weekday() >= 5,
                month_start=day.day == 1 and i > 0,
            )
        )
    now_x = x_of(now) if now is not None and edges[0] <= now < edges[-1] else None
    return Timeline(
        first_day=first_day,
        days=days,
        day_width=day_width,
        rows=rows,
        ticks=ticks,
        legend=legend,
        items=items,
        now_x=now_x,
        height=y + 4,
        zone=str(tz),
        colours=colours,
    )


def _bar(run: Shift, x_of, row_y: float, colours, tz: ZoneInfo, prefix: str = "") -> Bar:
    x0, x1 = x_of(run.start), x_of(run.end)
    width = max(x1 - x0, 1.0)
    kind = {Source.OVERRIDE: " (override)", Source.SWAP: " (swap)"}.get(run.source, "")
    title = (
        f"{prefix or run.layer.capitalize() + ': '}{_name(run.person)}, "
        f"{_when(run.start, tz)} – {_when(run.end, tz)}{kind}"
    )
    return Bar(
        layer=str(run.layer),
        person=run.person,
        start=run.start,
        end=run.end,
        x=x0,
        width=width,
        y=row_y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
        colour=colours[run.person],
        label=_fit(run.person, width),
        title=title,
        covered=run.source != Source.ROTATION,
    )
