"""People health (issue 6): per person, pages, interruptions, sleep-hour interruptions, hours on
call, and primary shifts over Google's budget of 2 incidents per 12 hours of shift.

Shifts come from the on-call schedules (``oncall.schedules.shifts``, computed in Python from the
rotation rules, as the schedule pages do), read for all schedules at once; each shift's
incidents are counted in Python from one query of incident starts per service, so the number of
queries does not grow with the schedules or their shifts.
A schedule counts its service's incidents (``Schedule.service_slug``); a schedule without a
service has no budget figure.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import timedelta

from django.db.models import Count, F
from django.utils import timezone

from incidents.models import Incident, Kind
from oncall.models import Notification, NotificationDelivery, Schedule
from oncall.schedules.rotations import Layer, continuous_runs
from oncall.schedules.shifts import effective_shifts_of
from postmortems.reports import metrics
from postmortems.reports.metrics import Period, Scope

INCIDENTS_PER_12H_BUDGET = 2
MAX_SHIFT = timedelta(days=28)


def _schedules(scope: Scope):
    schedules = Schedule.objects.order_by("name")
    if scope.service is not None or scope.team is not None:
        schedules = schedules.filter(service_slug__in=metrics.services_in(scope).values("slug"))
    return list(schedules)


def _shifts_around(schedules, period: Period) -> dict[int, list]:
    """Each schedule's shifts from ``MAX_SHIFT`` before the period to ``MAX_SHIFT`` after it:
    computed once, for the whole shifts over budget and (clipped) for the hours on call. Four
    queries for all schedules."""
    return effective_shifts_of(schedules, period.start - MAX_SHIFT, period.end + MAX_SHIFT)


def _primary_runs(wide: dict[int, list], period: Period) -> dict[int, list]:
    """Per schedule, its primary shifts (continuous runs) that start in the period, whole (not
    clipped: a shift cut at the period's end would get a tiny budget). Shifts are at most 28 days
    long (Schedule constraint)."""
    return {
        pk: [
            run
            for run in continuous_runs([s for s in shifts if s.layer == Layer.PRIMARY])
            if period.start <= run.start < period.end
        ]
        for pk, shifts in wide.items()
    }


def _incident_starts(schedules, runs: dict[int, list], severity: str | None) -> dict[str, list]:
    """Sorted start times of the incidents on each schedule's service during the shifts (one
    query), so each shift's incidents are counted by bisection instead of a query per shift."""
    slugs = {schedule.service_slug for schedule in schedules if schedule.service_slug}
    shifts = [shift for pk in runs for shift in runs[pk]]
    if not slugs or not shifts:
        return {}
    links = Incident.services.through.objects.filter(
        service__slug__in=slugs,
        incident__kind=Kind.INCIDENT,
        incident__started_at__gte=min(shift.start for shift in shifts),
        incident__started_at__lt=max(shift.end for shift in shifts),
    )
    if severity:
        links = links.filter(incident__severity=severity)
    starts: dict[str, list] = {slug: [] for slug in slugs}
    for slug, started in links.values_list("service__slug", "incident__started_at").iterator():
        starts[slug].append(started)
    for values in starts.values():
        values.sort()
    return starts


def shifts_over_budget(period: Period, scope: Scope, *, wide: dict | None = None,
                       schedules: list | None = None) -> list[dict]:  # fmt: skip
    """Primary shifts (continuous runs) starting in the period with more incidents on the
    schedule's service than 2 per 12 hours of shift. A bounded number of queries, whatever the
    number of schedules and shifts."""
    schedules = [s for s in (schedules or _schedules(scope)) if s.service_slug]
    runs = _primary_runs(wide if wide is not None else _shifts_around(schedules, period), period)
    starts = _incident_starts(schedules, runs, scope.severity)
    over = []
    for schedule in schedules:
        started = starts.get(schedule.service_slug, [])
        for shift in runs.get(schedule.pk, []):
            hours = (shift.end - shift.start) / timedelta(hours=1)
            budget = INCIDENTS_PER_12H_BUDGET * hours / 12
            count = bisect_left(started, shift.end) - bisect_left(started, shift.start)
            if count > budget:
                over.append(
                    {
                        "person": shift.person.get_username(),
                        "schedule": schedule.slug,
                        "start": shift.start.isoformat(),
                        "end": shift.end.isoformat(),
                        "incidents": count,
                        "budget": round(budget, 2),
                    }
                )
    return over


def _on_call_hours(wide: dict[int, list], period: Period) -> dict[str, list]:
    """Per person: [hours on call, shifts] in the period. Shifts are counted as
    ``hours_report`` counts them (each schedule's shifts clipped to the period, then joined into
    continuous runs); hours are the union of those runs, so someone on call for two schedules at
    the same hour is on call for one hour, and never for more hours than the period has."""
    intervals: dict[str, list[tuple]] = {}
    shifts_held: dict[str, int] = {}
    for shifts in wide.values():
        clipped = [
            shift if period.start <= shift.start and shift.end <= period.end
            else replace(shift, start=max(shift.start, period.start), end=min(shift.end, period.end))
            for shift in shifts
            if shift.start < period.end and shift.end > period.start
        ]  # fmt: skip
        for run in continuous_runs(clipped):
            person = run.person.get_username()
            intervals.setdefault(person, []).append((run.start, run.end))
            shifts_held[person] = shifts_held.get(person, 0) + 1
    return {
        person: [_union_hours(spans), shifts_held[person]] for person, spans in intervals.items()
    }


def _union_hours(spans: list[tuple]) -> float:
    """Hours covered by the (start, end) spans, overlaps counted once."""
    total = timedelta(0)
    current_start = current_end = None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return total / timedelta(hours=1)


def people_health(period: Period, scope: Scope, *, per_person: list[dict] | None = None
                  ) -> list[dict]:  # fmt: skip
    """One row per person with pages, interruptions or on-call time in the period.

    ``per_person``: ``metrics.interruptions_per_person`` of this period and scope when the
    caller has it already (the summary's ``alerts.per_person``), instead of a second query."""
    rows: dict[str, dict] = {}

    def row(username: str) -> dict:
        return rows.setdefault(
            username,
            {"person": username, "pages": 0, "interruptions": 0, "sleep_interruptions": 0,
             "hours_on_call": 0.0, "shifts": 0, "shifts_over_budget": 0},
        )  # fmt: skip

    pages = NotificationDelivery.objects.filter(
        status=NotificationDelivery.Status.SENT,
        transport__in=metrics.INTERRUPTING_TRANSPORTS,
        notification__urgency=Notification.Urgency.HIGH,
        sent_at__gte=period.start,
        sent_at__lt=period.end,
    )
    team = scope.team or (scope.service.team if scope.service is not None else None)
    if team is not None:
        pages = pages.filter(notification__recipient__teams=team)
    counted = (
        pages.order_by()
        .values(person=F("notification__recipient__username"))
        .annotate(n=Count("notification", distinct=True))
    )
    for entry in counted:
        row(entry["person"])["pages"] = entry["n"]
    if per_person is None:
        per_person = metrics.interruptions_per_person(period, scope)
    for entry in per_person:
        row(entry["person"]).update(
            interruptions=entry["interruptions"], sleep_interruptions=entry["sleep"]
        )
    schedules = _schedules(scope)
    wide = _shifts_around(schedules, period)
    # Hours on call so far (METRICS v2): a running quarter's future shifts are not yet worked.
    so_far = Period(period.start, period.measured_end(timezone.now()))
    for person, (hours, shifts) in _on_call_hours(wide, so_far).items():
        entry = row(person)
        entry["hours_on_call"] = round(hours, 2)
        entry["shifts"] = shifts
    for shift in shifts_over_budget(period, scope, schedules=schedules, wide=wide):
        row(shift["person"])["shifts_over_budget"] += 1
    return sorted(rows.values(), key=lambda r: (-r["interruptions"], -r["pages"], r["person"]))
