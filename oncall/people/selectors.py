from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from oncall.people.models import Notification, NotificationDelivery


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
