"""Exports of on-call schedules: iCalendar feeds and the on-call hours CSV.

iCalendar (RFC 5545) feeds of on-call shifts: one per schedule, one per person.

Feeds are read by calendar apps without a session, so they sit behind secret URLs; the views
answer 404 to a wrong token. Events are continuous shifts (overrides and swaps applied), in UTC;
each has a UID that stays the same while the shift does, so calendar apps update rather than
duplicate events on each refresh.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from icalendar import Calendar, Event

from oncall.schedules.models import Schedule
from oncall.schedules.rotations import Bucket, Shift, Source

PRODUCT_ID = "-//Firebreak//On-call schedules//EN"


def _event(schedule: Schedule, shift: Shift, stamp: datetime) -> Event:
    person = shift.person
    name = getattr(person, "display_name", None) or str(person)
    layer = str(shift.layer).capitalize()
    event = Event()
    event.add(
        "uid", f"{schedule.pk}-{shift.layer}-{person.pk}-{shift.start:%Y%m%dT%H%M%SZ}@firebreak"
    )
    event.add("dtstamp", stamp)
    event.add("dtstart", shift.start)
    event.add("dtend", shift.end)
    event.add("summary", f"{layer} on call: {name} ({schedule.name})")
    how = {Source.OVERRIDE: " (override)", Source.SWAP: " (swap)"}.get(shift.source, "")
    event.add(
        "description",
        f"{name} is {shift.layer} on-call for {schedule.name}{how}. Times follow the schedule's "
        f"rotation in {schedule.timezone}.",
    )
    event.add("url", f"{settings.FIREBREAK_BASE_URL}/schedules/{schedule.slug}/")
    event.add("transp", "OPAQUE")
    return event


def shifts_calendar(
    *, title: str, shifts: Iterable[tuple[Schedule, Shift]], stamp: datetime
) -> bytes:
    """The calendar for ``(schedule, shift)`` pairs; ``stamp`` is when the feed was generated."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    for schedule, shift in shifts:
        calendar.add_component(_event(schedule, shift, stamp))
    return calendar.to_ical()


HOURS_COLUMNS = [
    "schedule",
    "username",
    "name",
    "time_zone",
    "layer",
    "shifts",
    "business_hours",
    "off_hours_hours",
    "sleep_hours",
    "total_hours",
]
HOURS_DEFINITION = (
    "Hours buckets per METRICS.md v1, on each person's own clock (time_zone): "
    "business = Mon-Fri 08:00-18:00; off-hours = Mon-Fri 18:00-22:00 and Sat-Sun 08:00-22:00; "
    "sleep = every day 22:00-08:00."
)


def _hours(amount: timedelta) -> str:
    return f"{amount.total_seconds() / 3600:.2f}"


def hours_records(rows: Sequence) -> list[dict[str, str]]:
    """HoursRow objects (oncall.schedules.shifts) as flat records with hours to two decimals."""
    return [
        {
            "schedule": row.schedule.slug,
            "username": row.user.get_username(),
            "name": getattr(row.user, "display_name", "") or row.user.get_username(),
            "time_zone": row.user.timezone,
            "layer": row.layer,
            "shifts": str(row.shifts),
            "business_hours": _hours(row.buckets[Bucket.BUSINESS]),
            "off_hours_hours": _hours(row.buckets[Bucket.OFF_HOURS]),
            "sleep_hours": _hours(row.buckets[Bucket.SLEEP]),
            "total_hours": _hours(row.total),
        }
        for row in rows
    ]


def hours_csv(rows: Sequence) -> str:
    """The compensation CSV: a header row, one row per (schedule, person, layer)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HOURS_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in hours_records(rows):
        # A leading =, +, - or @ would be run as a formula by spreadsheet apps.
        writer.writerow({k: ("'" + v if v and v[0] in "=+-@" else v) for k, v in record.items()})
    return out.getvalue()
