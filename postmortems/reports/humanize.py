"""Figures in human units for people (METRICS v2, "Sanity"): ``1 h 53 min``, ``99.94 %``,
``27 days``, labels instead of codes. Machine formats (JSON, CSV, API) keep the exact seconds,
ratios and codes; these helpers are only for what people read (PDF, web page, XLSX labels)."""

from __future__ import annotations

from incidents.models import Severity, TriggerCategory

NONE = "—"
MINUTE, HOUR, DAY = 60, 3600, 86400


def duration(seconds: float | None) -> str:
    """``42 s``, ``41 min``, ``1 h 53 min``, ``1 day 4 h``, ``27 days``; None → ``—``."""
    if seconds is None:
        return NONE
    seconds = max(round(seconds), 0)
    if seconds == 0:
        return "0 min"
    if seconds < MINUTE:
        return f"{seconds} s"
    if seconds < HOUR:
        return f"{round(seconds / MINUTE)} min"
    if seconds < DAY:
        hours, rest = divmod(seconds, HOUR)
        minutes = round(rest / MINUTE)
        if minutes == 60:
            hours, minutes = hours + 1, 0
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if seconds < 2 * DAY:
        hours = round((seconds - DAY) / HOUR)
        return f"1 day {hours} h" if hours else "1 day"
    return f"{round(seconds / DAY)} days"


def hours(value: float | None) -> str:
    """Time on call, which people count in hours: ``2,208 h``, ``0.5 h``; None → ``—``."""
    if value is None:
        return NONE
    return (
        f"{value:,.1f} h" if 0 < value < 10 and not float(value).is_integer() else f"{value:,.0f} h"
    )


def percent(ratio: float | None, digits: int = 0) -> str:
    """``38 %`` (a share) or ``99.94 %`` (``digits=2``, availability); None → ``—``."""
    if ratio is None:
        return NONE
    shown = round(ratio * 100, digits)
    if ratio < 1 and shown >= 100:
        shown = 100 - 10**-digits  # a shortfall never rounds up to 100 %
    return f"{shown:,.{digits}f} %"


def count(value: int | float | None, noun: str = "") -> str:
    if value is None:
        return NONE
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if not noun:
        return number
    return f"{number} {noun if value == 1 else plural(noun)}"


def plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


TRIGGER_LABELS = dict(TriggerCategory.choices)
SEVERITY_LABELS = dict(Severity.choices)


def trigger(code: str | None) -> str:
    """``config_change`` → ``Configuration change``; an unknown code is made readable."""
    if not code:
        return "Not recorded"
    return TRIGGER_LABELS.get(code) or code.replace("_", " ").capitalize()


def severity(code: str | None) -> str:
    return SEVERITY_LABELS.get(code, code or NONE)


# Which way is better for a headline figure: "lower" (durations, downtime), "higher" (rates).
def change(current, previous, *, better: str | None, kind: str) -> tuple[str, str]:
    """The change against the previous period in words, and its verdict: ``better``, ``worse``,
    ``same`` or ``""`` (no comparison, or a figure that is neither better nor worse)."""
    if current is None or previous is None:
        return "no comparison", ""
    delta = current - previous
    if abs(delta) < 1e-9:
        return "no change", "same"
    if kind == "duration":
        text = duration(abs(delta))
    elif kind == "percent":
        text = f"{abs(delta) * 100:.1f} points"
    else:
        text = count(abs(delta))
    text = f"{'+' if delta > 0 else '−'}{text}"
    if better is None:
        return text, ""
    improved = delta < 0 if better == "lower" else delta > 0
    return text, "better" if improved else "worse"
