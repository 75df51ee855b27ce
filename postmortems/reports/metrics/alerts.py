"""Alert fatigue (METRICS.md): alert counts, alert MTTA, noisiest, flapping, interruptions."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    ExtractHour,
    ExtractIsoWeekDay,
    Lag,
    Lead,
)

from oncall.models import Alert, Notification, NotificationDelivery

from .base import (
    BytewiseOrder,
    Period,
    Scope,
    _ratio,
    _service_slugs,
    duration_stats,
)

# METRICS.md, alert fatigue: interrupting channels (not e-mail, not the web inbox).
# "slack": DMs (incidents.slack); SMS, voice and push through Twilio, an admin's provider webhook
# or ntfy (oncall.channels). Teams and e-mail are not interrupting channels in METRICS.md.
INTERRUPTING_TRANSPORTS = ("slack", "sms", "phone", "sms_webhook", "phone_webhook", "push")
INTERRUPTION_MERGE_WINDOW = timedelta(seconds=60)
FLAPPING_WINDOW = timedelta(hours=24)
FLAPPING_MIN_FIRINGS = 3
NOISIEST_LIMIT = 10

# --- alerts and alert fatigue ------------------------------------------------------------------


def alerts_in(period: Period, scope: Scope) -> QuerySet[Alert]:
    """Alert instances fired in ``[start, end)`` for the scope's services (severity not used)."""
    alerts = Alert.objects.filter(fired_at__gte=period.start, fired_at__lt=period.end)
    slugs = _service_slugs(scope)
    if slugs is not None:
        alerts = alerts.filter(service_slug__in=slugs)
    return alerts


PAGED = Q(urgency=Alert.Urgency.CRITICAL)
REVIEWED = Q(actionable__isnull=False)
ACTIONABLE = Q(actionable=True)
AUTO_RESOLVED_UNACKNOWLEDGED = (
    PAGED
    & Q(resolved_at__isnull=False)
    & (Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gt=F("resolved_at")))
)

# The alerts behind each alert figure (the reports page links a figure to its list): title, filter.
ALERT_FIGURES = {
    "fired": ("Alerts fired", Q()),
    "paged": ("Alerts paged (critical)", PAGED),
    "reviewed": ("Alerts reviewed", REVIEWED),
    "actionable": ("Alerts reviewed as actionable", ACTIONABLE),
    "not_actionable": ("Alerts reviewed as not actionable", Q(actionable=False)),
    "unreviewed": ("Alerts not reviewed", Q(actionable__isnull=True)),
    "acknowledged": ("Paged alerts acknowledged (in alert MTTA)", PAGED & ~Q(acknowledged_at=None)),
    "unacknowledged": ("Paged alerts never acknowledged", PAGED & Q(acknowledged_at=None)),
    "auto_resolved": (
        "Paged alerts resolved before anyone acknowledged",
        AUTO_RESOLVED_UNACKNOWLEDGED,
    ),
}


def alerts_behind(
    period: Period, scope: Scope, which: str, *, name: str = "", fingerprint: str = ""
) -> QuerySet[Alert]:
    """The alerts a figure counts: ``which`` of ``ALERT_FIGURES``, optionally one alert name (a
    noisiest-alerts row) or one fingerprint (a flapping one)."""
    alerts = alerts_in(period, scope).filter(ALERT_FIGURES[which][1])
    if name:
        alerts = alerts.filter(name=name)
    if fingerprint:
        alerts = alerts.filter(fingerprint=fingerprint)
    return alerts


def _paged(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    return alerts.filter(PAGED)


def _alert_totals(period: Period, scope: Scope) -> dict:
    """``alert_counts`` and ``auto_resolved_unacknowledged`` from one pass over the alerts."""
    counts = alerts_in(period, scope).aggregate(
        fired=Count("pk"),
        paged=Count("pk", filter=PAGED),
        reviewed=Count("pk", filter=REVIEWED),
        actionable=Count("pk", filter=ACTIONABLE),
        auto_resolved_unacknowledged=Count("pk", filter=AUTO_RESOLVED_UNACKNOWLEDGED),
    )
    return counts


def alert_counts(period: Period, scope: Scope, *, totals: dict | None = None) -> dict:
    """Alerts fired and paged (critical); actionable rate over reviewed alerts; unreviewed count."""
    counts = dict(totals or _alert_totals(period, scope))
    counts.pop("auto_resolved_unacknowledged")
    return {
        **counts,
        "unreviewed": counts["fired"] - counts["reviewed"],
        "actionable_rate": _ratio(counts["actionable"], counts["reviewed"]),
    }


def alert_mtta(period: Period, scope: Scope) -> dict:
    """Alert MTTA over paged alerts that were acknowledged; unacknowledged counted apart."""
    paged = _paged(alerts_in(period, scope))
    stats = duration_stats(paged, "acknowledged_at", "fired_at", label=None)
    stats.pop("missing_items")
    stats.pop("inconsistent_items")
    unacknowledged = stats.pop("missing")
    total = stats["count"] + unacknowledged
    stats["unacknowledged"] = unacknowledged
    stats["unacknowledged_share"] = _ratio(unacknowledged, total)
    return stats


def auto_resolved_unacknowledged(period: Period, scope: Scope) -> int:
    """Paged alerts that resolved before anyone acknowledged them."""
    return alerts_in(period, scope).filter(AUTO_RESOLVED_UNACKNOWLEDGED).count()


def noisiest_alerts(period: Period, scope: Scope, limit: int = NOISIEST_LIMIT) -> list[dict]:
    """Top alert names by instances, each with its actionable rate."""
    rows = (
        alerts_in(period, scope)
        .order_by()
        .values("name")
        .annotate(
            instances=Count("pk"),
            reviewed=Count("pk", filter=REVIEWED),
            actionable=Count("pk", filter=ACTIONABLE),
        )
        .order_by("-instances", "name")[:limit]
    )
    return [{**row, "actionable_rate": _ratio(row["actionable"], row["reviewed"])} for row in rows]


def flapping(period: Period, scope: Scope) -> list[dict]:
    """Fingerprints firing 3+ times within 24 h, counting firings in the period: some firing's
    second successor (``LEAD(fired_at, 2)`` per fingerprint) comes less than 24 h after it.
    Each is listed with its firings in the period."""
    alerts = alerts_in(period, scope)
    nth_next = Window(
        Lead("fired_at", FLAPPING_MIN_FIRINGS - 1),
        partition_by=[BytewiseOrder(F("fingerprint"))],
        order_by=[F("fired_at").asc(), F("pk").asc()],
    )
    run_starts = (
        alerts.order_by()
        .annotate(nth_next=nth_next)
        .filter(nth_next__lt=F("fired_at") + FLAPPING_WINDOW)
        .values_list("fingerprint", flat=True)
    )
    flapping_fingerprints = set(run_starts)
    if not flapping_fingerprints:
        return []
    # The firings per fingerprint in a second, hash-grouped pass (joining it to the window's
    # result in the database would scan and sort the alerts once more).
    per_fingerprint = (
        alerts.order_by()
        .values("fingerprint")
        .annotate(name=Max("name"), firings=Count("pk"))
        .values_list("fingerprint", "name", "firings")
    )
    rows = [
        {"fingerprint": fingerprint, "name": name, "firings": firings}
        for fingerprint, name, firings in per_fingerprint
        if fingerprint in flapping_fingerprints
    ]
    return sorted(rows, key=lambda row: (-row["firings"], row["fingerprint"]))


def _interruptions(period: Period, scope: Scope) -> QuerySet[NotificationDelivery]:
    """Interruptions: high-urgency notifications sent through an interrupting transport, minus
    those that reached the same person within 60 s after an earlier one (chained, so a burst
    counts once). Scope: the people of the team (a service's owning team).

    The earlier page is ``LAG(sent_at)`` per recipient over the period plus the 60 s before it,
    so a page just after the period starts still merges with one just before.
    """
    team = scope.team or (scope.service.team if scope.service is not None else None)
    if scope.service is not None and team is None:
        return NotificationDelivery.objects.none()
    interrupting = NotificationDelivery.objects.filter(
        status=NotificationDelivery.Status.SENT,
        transport__in=INTERRUPTING_TRANSPORTS,
        notification__urgency=Notification.Urgency.HIGH,
        sent_at__gte=period.start - INTERRUPTION_MERGE_WINDOW,
        sent_at__lt=period.end,
    )
    if team is not None:
        interrupting = interrupting.filter(notification__recipient__teams=team)
    previous_page = Window(
        Lag("sent_at"),
        partition_by=[F("notification__recipient")],
        order_by=[F("sent_at").asc(), F("pk").asc()],
    )
    first_of_burst = interrupting.annotate(previous_sent_at=previous_page).filter(
        Q(previous_sent_at__isnull=True)
        | Q(previous_sent_at__lt=F("sent_at") - INTERRUPTION_MERGE_WINDOW)
    )
    return NotificationDelivery.objects.filter(
        pk__in=first_of_burst.values("pk"), sent_at__gte=period.start
    )


def _with_hours_bucket(deliveries: QuerySet[NotificationDelivery]) -> QuerySet:
    """Annotate ``bucket`` (business / off_hours / sleep) in the recipient's own time zone."""
    # Every time zone people have (a short list from the small people table): a branch for a zone
    # nobody in scope has is never taken, and reading the zones off the deliveries costs a scan.
    zones = sorted(
        set(get_user_model().objects.order_by().values_list("timezone", flat=True).distinct())
    )
    if not zones:
        return deliveries.annotate(bucket=Value("business"))

    def local(extract):
        return Case(
            *[
                When(
                    notification__recipient__timezone=zone,
                    then=extract("sent_at", tzinfo=ZoneInfo(zone)),
                )
                for zone in zones
            ],
            output_field=IntegerField(),
        )

    return deliveries.annotate(
        local_hour=local(ExtractHour), local_weekday=local(ExtractIsoWeekDay)
    ).annotate(
        bucket=Case(
            When(Q(local_hour__gte=22) | Q(local_hour__lt=8), then=Value("sleep")),
            When(local_weekday__lte=5, local_hour__lt=18, then=Value("business")),
            default=Value("off_hours"),
        )
    )


def _bucket_counts():
    # Off-hours is what is neither business nor sleep (the buckets cover the week): one
    # conditional count fewer, and the bucket expression is evaluated per row once less.
    return {
        "interruptions": Count("pk"),
        "business": Count("pk", filter=Q(bucket="business")),
        "sleep": Count("pk", filter=Q(bucket="sleep")),
    }


def _with_off_hours(row: dict) -> dict:
    off_hours = row["interruptions"] - row["business"] - row["sleep"]
    return {**row, "off_hours": off_hours}


def interruptions(period: Period, scope: Scope) -> dict:
    """Interruptions in the period, split by the recipient's local hours bucket."""
    counts = _with_hours_bucket(_interruptions(period, scope)).aggregate(**_bucket_counts())
    return _with_off_hours(counts)


def interruptions_per_person(period: Period, scope: Scope) -> list[dict]:
    """Per person: interruptions and their business / off-hours / sleep split."""
    rows = (
        _with_hours_bucket(_interruptions(period, scope))
        .order_by()
        .values(person=F("notification__recipient__username"))
        .annotate(**_bucket_counts())
        .order_by("-interruptions", "person")
    )
    return [_with_off_hours(row) for row in rows]
