from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from oncall.models import Notification, NotificationDelivery


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).prefetch_related("deliveries")


def failed_deliveries(*, user) -> QuerySet[NotificationDelivery]:
    return NotificationDelivery.objects.filter(
        notification__recipient=user, status=NotificationDelivery.Status.FAILED
    ).select_related("notification")


def user_by_username(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def active_users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True).order_by("username")


def active_responders() -> QuerySet:
    """Active people who may hold an incident role (responders, admins, superusers)."""
    from django.db.models import Q

    from oncall.access import ADMIN, RESPONDER

    return (
        active_users()
        .filter(Q(is_superuser=True) | Q(groups__name__in=[ADMIN, RESPONDER]))
        .distinct()
        .order_by("username")
    )


def deliveries_due(limit: int = 500) -> list[int]:
    from datetime import timedelta

    from django.conf import settings
    from django.db.models import Q
    from django.utils import timezone

    now = timezone.now()
    stale = now - timedelta(seconds=settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS)
    return list(
        NotificationDelivery.objects.filter(
            Q(status=NotificationDelivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(
                status=NotificationDelivery.Status.PENDING,
                next_attempt_at__isnull=True,
                notification__created_at__lte=now - timedelta(seconds=60),
            )
            | Q(status=NotificationDelivery.Status.SENDING, claimed_at__lt=stale)
        ).values_list("pk", flat=True)[:limit]
    )


# --- on-call schedules: reads (the computation lives in oncall.scheduling) ------------------------
from oncall import scheduling as _scheduling  # noqa: E402
from oncall.models import CalendarFeed, Schedule, ScheduleOverride, ScheduleSwap  # noqa: E402
from oncall.scheduling import (  # noqa: E402, F401
    OnCall,
    calendar_weeks,
    current_participants,
    effective_shifts,
    hours_report,
    person_shifts,
    upcoming_runs,
)


def schedule_list(*, service_slug: str | None = None) -> QuerySet[Schedule]:
    schedules = Schedule.objects.all()
    if service_slug:
        schedules = schedules.filter(service_slug=service_slug)
    return schedules


def schedule_get(*, slug: str) -> Schedule:
    from config.errors import NotFound

    schedule = Schedule.objects.filter(slug=slug).first()
    if schedule is None:
        raise NotFound(f"There is no on-call schedule {slug!r}.")
    return schedule


def oncall_at(*, schedule: Schedule, at) -> OnCall:
    """Who is primary and secondary on ``schedule`` at the instant ``at`` (None: nobody)."""
    return _scheduling.oncall_at(schedule, at)


def oncall_for_service(*, service_slug: str, at) -> list[tuple[Schedule, OnCall]]:
    """Who is on call at ``at`` on every schedule covering the service ``service_slug``."""
    return [(s, _scheduling.oncall_at(s, at)) for s in schedule_list(service_slug=service_slug)]


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


# --- weekly alert review: reads (the computation lives in oncall.alert_review) -------------------
from oncall.alert_review import review_alerts, review_get, review_week  # noqa: E402, F401

# --- escalation policies and notification preferences: reads --------------------------------------
from oncall.escalation import (  # noqa: E402, F401
    effective_steps,
    escalation_policy_for_service,
    escalation_policy_get,
    escalation_policy_list,
)
from oncall.paging import ack_link_resolve  # noqa: E402, F401
from oncall.preferences import preference_for, quiet_hours_end  # noqa: E402, F401
