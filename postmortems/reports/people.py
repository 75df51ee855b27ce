"""People health (issue 6): per person, pages, interruptions, sleep-hour interruptions, hours on
call, and primary shifts over Google's budget of 2 incidents per 12 hours of shift.

Shifts come from the on-call schedules (``oncall.schedules.shifts``, computed in Python from the
rotation rules, as the schedule pages do); each shift's incidents are counted in the database.
A schedule counts its service's incidents (``Schedule.service_slug``); a schedule without a
service has no budget figure.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F

from incidents.models import Incident, Kind
from oncall.models import Notification, NotificationDelivery, Schedule
from oncall.schedules.rotations import Layer, continuous_runs
from oncall.schedules.shifts import effective_shifts, hours_report
from postmortems.reports import metrics
from postmortems.reports.metrics import Period, Scope

INCIDENTS_PER_12H_BUDGET = 2
MAX_SHIFT = timedelta(days=28)


def _schedules(scope: Scope):
    schedules = Schedule.objects.order_by("name")
    if scope.service is not None or scope.team is not None:
        schedules = schedules.filter(service_slug__in=metrics.services_in(scope).values("slug"))
    return list(schedules)


def _shift_incidents(schedule: Schedule, start, end, severity: str | None) -> int:
    incidents = Incident.objects.filter(
        kind=Kind.INCIDENT,
        started_at__gte=start,
        started_at__lt=end,
        services__slug=schedule.service_slug,
    )
    if severity:
        incidents = incidents.filter(severity=severity)
    return incidents.count()


def shifts_over_budget(period: Period, scope: Scope) -> list[dict]:
    """Primary shifts (continuous runs) starting in the period with more incidents on the
    schedule's service than 2 per 12 hours of shift."""
    over = []
    for schedule in _schedules(scope):
        if not schedule.service_slug:
            continue
        # Whole shifts (not clipped to the period): a shift cut at the period's end would get a
        # tiny budget. Shifts are at most 28 days long (Schedule constraint).
        shifts = continuous_runs(
            effective_shifts(schedule, period.start - MAX_SHIFT, period.end + MAX_SHIFT)
        )
        for shift in shifts:
            if shift.layer != Layer.PRIMARY or not period.start <= shift.start < period.end:
                continue
            hours = (shift.end - shift.start) / timedelta(hours=1)
            budget = INCIDENTS_PER_12H_BUDGET * hours / 12
            count = _shift_incidents(schedule, shift.start, shift.end, scope.severity)
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


def people_health(period: Period, scope: Scope) -> list[dict]:
    """One row per person with pages, interruptions or on-call time in the period."""
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
    for entry in metrics.interruptions_per_person(period, scope):
        row(entry["person"]).update(
            interruptions=entry["interruptions"], sleep_interruptions=entry["sleep"]
        )
    schedules = _schedules(scope)
    if schedules:
        for hours in hours_report(start=period.start, end=period.end, schedules=schedules):
            entry = row(hours.user.get_username())
            entry["hours_on_call"] = round(
                entry["hours_on_call"] + hours.total / timedelta(hours=1), 2
            )
            entry["shifts"] += hours.shifts
    for shift in shifts_over_budget(period, scope):
        row(shift["person"])["shifts_over_budget"] += 1
    return sorted(rows.values(), key=lambda r: (-r["interruptions"], -r["pages"], r["person"]))
