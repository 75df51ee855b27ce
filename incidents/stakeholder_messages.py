"""The text stakeholders receive for an update: the body, then when the next one comes.

Real-World SRE ch. 3 (METRICS.md v2, Communication): every stakeholder update names the time of
the next one in the message itself. Each channel renders that time for its readers: Slack's date
token shows it in each reader's own zone, e-mail gives the incident's zone and UTC, the status
page the reader's zone when known, else UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from incidents.models import StakeholderUpdate

Kind = StakeholderUpdate.UpdateKind


def clock_text(moment: datetime, zone_name: str = "UTC") -> str:
    """``15:30 UTC (Sun 6 Dec)``: the time first, with the date, since incidents cross midnight."""
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local:%H:%M} {local.tzname()} ({local:%a} {local.day} {local:%b})"


def slack_time(moment: datetime) -> str:
    """A Slack date token: each reader sees the time in their own zone; UTC where not supported."""
    fallback = clock_text(moment.astimezone(UTC))
    return f"<!date^{int(moment.timestamp())}^{{time}} ({{date_short_pretty}})|{fallback}>"


def next_update_sentence(update: StakeholderUpdate, when: Callable[[datetime], str]) -> str:
    """What stakeholders are told about the next message ('' for an update that promises none)."""
    if update.kind == Kind.RESOLUTION:
        if update.follow_up_expected:
            return "This incident is over. A message on the root cause will follow."
        return "This incident is over. This is the last update."
    if update.kind == Kind.FOLLOW_UP:
        return "This is the last update on this incident."
    if update.next_update_at is None:
        return ""
    return f"Next update by {when(update.next_update_at)}."


def stakeholder_text(update: StakeholderUpdate, when: Callable[[datetime], str]) -> str:
    sentence = next_update_sentence(update, when)
    return update.body + (f"\n\n{sentence}" if sentence else "")
