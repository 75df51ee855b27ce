"""On-call schedules: reads for pages, the API and the Slack bot (the shift maths is in
``oncall.schedules.shifts``)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from config.errors import NotFound
from oncall.schedules import shifts
from oncall.schedules.models import (
    CalendarFeed,
    Schedule,
    ScheduleOverride,
    ScheduleParticipant,
    ScheduleSwap,
)
from oncall.schedules.shifts import OnCall


def schedule_list(*, service_slug: str | None = None) -> QuerySet[Schedule]:
    """Schedules with their participants (and those people) prefetched."""
    participants = ScheduleParticipant.objects.select_related("user")
    schedules = Schedule.objects.prefetch_related(Prefetch("participants", queryset=participants))
    if service_slug:
        schedules = schedules.filter(service_slug=service_slug)
    return schedules


def schedule_get(*, slug: str) -> Schedule:
    schedule = Schedule.objects.filter(slug=slug).first()
    if schedule is None:
        raise NotFound(f"There is no on-call schedule {slug!r}.")
    return schedule


def oncall_at(*, schedule: Schedule, at) -> OnCall:
    """Who is primary and secondary on ``schedule`` at the instant ``at`` (None: nobody)."""
    return shifts.oncall_at(schedule, at)


def oncall_for_service(*, service_slug: str, at) -> list[tuple[Schedule, OnCall]]:
    """Who is on call at ``at`` on every schedule covering the service ``service_slug`` (empty:
    every schedule), in a constant number of queries."""
    schedules = list(schedule_list(service_slug=service_slug))
    now = shifts.oncall_at_many(schedules, at)
    return [(s, now[s.pk]) for s in schedules]


def schedule_history(*, schedule: Schedule, limit: int = 50) -> list:
    """Overrides and swaps, newest first, cancelled ones included (who, when, by whom)."""
    overrides = ScheduleOverride.objects.filter(schedule=schedule).select_related(
        "user", "created_by", "cancelled_by"
    )[:limit]
    swaps = ScheduleSwap.objects.filter(schedule=schedule).select_related(
        "first_user", "second_user", "created_by", "cancelled_by"
    )[:limit]
    return sorted([*overrides, *swaps], key=lambda row: row.created_at, reverse=True)[:limit]


def schedule_by_feed_token(token: str) -> Schedule | None:
    return Schedule.objects.filter(feed_token=token).first() if token else None


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    if not token:
        return None
    feeds = CalendarFeed.objects.filter(token=token, user__is_active=True)
    return feeds.select_related("user").first()
