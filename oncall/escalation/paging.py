"""Paging people for critical alerts through escalation policies, as data (DESIGN.md).

Life of a page: planned (pending, unique per (alert, step, repeat, person)) when a critical alert
arrives for a service with a policy, or when the previous step fires → claimed by the beat sweep
with a conditional update once due → fired: under a lock on the alert, either cancelled (the
alert was acknowledged or resolved meanwhile) or sent as a high-urgency notification with a
signed acknowledge link, and the next step planned. Acknowledging or resolving the alert cancels
every pending page, which stops the escalation. A claim whose worker died is taken back after
FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS; the notification key is stable, so nobody is paged twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from config.errors import NotFound, ValidationFailed
from oncall.alerts.models import Alert
from oncall.claims import claim_due_rows
from oncall.escalation.models import EscalationPolicy, Page
from oncall.escalation.selectors import effective_steps, escalation_policies_for_services
from oncall.people.services import notification_send
from oncall.queue import enqueue

logger = logging.getLogger(__name__)

ACK_LINK_SALT = "firebreak.oncall.alert-ack-link"
ACK_LINK_MAX_AGE = timedelta(hours=24)
LIVE = (Page.Status.PENDING, Page.Status.CLAIMED)


# --- planning -------------------------------------------------------------------------------------


def paging_start(*, alert_ids: list[int], became_critical_ids=()) -> int:
    """Plan the first pages of every firing, unacknowledged critical alert among ``alert_ids``
    whose service has an escalation policy. Idempotent (unique page keys). Returns pages planned.

    The escalation runs from the alert's first receipt, or, for the ids in
    ``became_critical_ids`` (an existing alert a redelivery made critical), from that redelivery."""
    planned = 0
    # Selected by primary key alone, the rest checked here: with the state columns in the WHERE
    # the planner can take the status index and walk every firing alert (it does on a table
    # that grew faster than its statistics, as in an alert storm); a delivery is 100 rows.
    batch = Alert.objects.filter(pk__in=alert_ids).order_by()
    # One query for the policies of every service in the batch (an alert storm is thousands of
    # critical alerts on a few services), not one per alert; with none, nothing more is read.
    policies = escalation_policies_for_services(service_slugs=batch.values("service_slug"))
    if not policies:
        return 0
    fetched = batch.only(
        "pk",
        "service_slug",
        "urgency",
        "status",
        "acknowledged_at",
        "first_received_at",
        "last_received_at",
    )
    alerts = [alert for alert in fetched if _wants_paging(alert)]
    for alert in alerts:
        policy = policies.get(alert.service_slug)
        if policy is None:
            continue
        start = (
            alert.last_received_at if alert.pk in became_critical_ids else alert.first_received_at
        )
        steps = effective_steps(policy, start)
        if not steps:
            continue
        first_due = start + timedelta(minutes=steps[0][0])
        planned += _plan(alert, policy, step_index=0, repeat=0, due_at=first_due)
    return planned


def _wants_paging(alert: Alert) -> bool:
    return (
        alert.urgency == Alert.Urgency.CRITICAL
        and alert.status == Alert.Status.FIRING
        and alert.acknowledged_at is None
        and alert.service_slug != ""
    )


def _plan(
    alert: Alert, policy: EscalationPolicy, *, step_index: int, repeat: int, due_at: datetime
) -> int:
    """Create the pages of the first step from ``(step_index, repeat)`` on that has anyone to
    page, due at ``due_at`` (steps with nobody on call are passed over, their delays kept)."""
    passes = policy.repeats + 1
    for _ in range(passes * (len(policy.steps.all()) + 1)):  # bounded: every step of every pass
        if repeat >= passes:
            return 0
        steps = effective_steps(policy, due_at)
        if step_index >= len(steps):
            step_index, repeat = 0, repeat + 1
            due_at += timedelta(minutes=policy.repeat_after_minutes)
            continue
        people = steps[step_index][1]
        if people:
            return sum(
                _create_page(alert, policy, step_index, repeat, person, due_at) for person in people
            )
        step_index, repeat, due_at = _after(policy, steps, step_index, repeat, due_at)
    return 0


def _after(policy, steps, step_index: int, repeat: int, due_at: datetime):
    """The step that follows ``(step_index, repeat)``, and when it is due."""
    if step_index + 1 < len(steps):
        return step_index + 1, repeat, due_at + timedelta(minutes=steps[step_index + 1][0])
    return 0, repeat + 1, due_at + timedelta(minutes=policy.repeat_after_minutes)


def _create_page(alert, policy, step_index, repeat, person, due_at) -> int:
    try:
        with transaction.atomic():
            Page.objects.create(
                alert=alert,
                policy=policy,
                step_index=step_index,
                repeat=repeat,
                person=person,
                due_at=due_at,
            )
    except IntegrityError:
        return 0  # planned already (a replayed signal or a second firing of the same step)
    return 1


# --- claiming and firing --------------------------------------------------------------------------


def pages_claim_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Claim due pages (and take back stale claims); see ``oncall.claims``."""
    lease = timedelta(seconds=settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS)
    return claim_due_rows(Page, now=now or timezone.now(), lease=lease, limit=limit)


@transaction.atomic
def page_fire(*, page_id: int) -> Page | None:
    """Send one claimed page and plan the next step, or cancel it when the alert was acknowledged
    or resolved. Idempotent: a second call finds the row no longer claimed and does nothing."""

    alert_id = Page.objects.filter(pk=page_id).values_list("alert_id", flat=True).first()
    if alert_id is None:
        return None
    # Lock the alert first, then the page: the order an acknowledgement takes them in (its
    # conditional UPDATE of the alert, then the cancelling of the pages), so the two never
    # deadlock, and an acknowledgement waits for a page being sent to finish.
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    page = Page.objects.select_for_update().filter(pk=page_id).first()
    if alert is None or page is None or page.status != Page.Status.CLAIMED:
        return page
    if alert.acknowledged_at is not None or alert.status == Alert.Status.RESOLVED:
        why = "acknowledged" if alert.acknowledged_at is not None else "resolved"
        _cancel(Page.objects.filter(alert=alert, status__in=LIVE), f"The alert was {why}")
        page.refresh_from_db()
        return page
    person = page.person
    notification_send(
        recipient=person,
        subject=f"PAGE: {alert.subject}"[:200],
        body=_page_body(alert, page),
        url=ack_link_path(alert, person),
        urgency="high",
        key=f"page:{alert.pk}:{page.repeat}:{page.step_index}",
    )
    page.status = Page.Status.SENT
    page.sent_at = timezone.now()
    page.outcome = f"Sent to {person.get_username()}"
    page.save(update_fields=["status", "sent_at", "outcome"])
    policy = page.policy
    if policy is not None:
        steps = effective_steps(policy, page.due_at)
        next_index, next_repeat, next_due = _after(
            policy, steps, page.step_index, page.repeat, page.due_at
        )
        _plan(alert, policy, step_index=next_index, repeat=next_repeat, due_at=next_due)
    return page


def _page_body(alert: Alert, page: Page) -> str:
    lines = [
        f"Critical alert {alert.name}"
        + (f" on {alert.service_slug}" if alert.service_slug else ""),
        f"Firing since {timezone.localtime(alert.fired_at, page.person.tzinfo):%Y-%m-%d %H:%M %Z}.",
    ]
    if alert.description:
        lines.append(alert.description[:1000])
    if alert.runbook_url:
        lines.append(f"Runbook: {alert.runbook_url}")
    if page.step_index or page.repeat:
        lines.append("Nobody has acknowledged it yet; the page escalated to you.")
    lines.append("Acknowledge it with the link below (valid 24 hours) to stop the escalation.")
    return "\n".join(lines)


def pages_cancel(*, alert_id: int, reason: str) -> int:
    """Stop the escalation of one alert: cancel its pending and claimed pages."""
    return pages_cancel_many(alert_ids=[alert_id], reason=reason)


def pages_cancel_many(*, alert_ids, reason: str) -> int:
    """Stop the escalation of these alerts in one statement (a delivery resolves hundreds)."""
    return _cancel(Page.objects.filter(alert_id__in=list(alert_ids), status__in=LIVE), reason)


def _cancel(pages, reason: str) -> int:
    return pages.update(status=Page.Status.CANCELLED, outcome=reason[:300])


# --- receivers of the alert signals (connected in OncallConfig.ready) -----------------------------


def on_alerts_received(
    sender, *, created_critical_ids=(), resolved_ids=(), became_critical_ids=(), **kwargs
) -> None:
    """Start paging for new critical alerts and for alerts a redelivery made critical; stop it
    for resolved ones."""
    if resolved_ids:
        pages_cancel_many(alert_ids=resolved_ids, reason="The alert was resolved")
    to_page = [*created_critical_ids, *became_critical_ids]
    if to_page and paging_start(alert_ids=to_page, became_critical_ids=set(became_critical_ids)):
        transaction.on_commit(_kick_sweep)


def on_alert_acknowledged(sender, *, alert, **kwargs) -> None:
    pages_cancel(alert_id=alert.pk, reason="The alert was acknowledged")


def on_channels_exhausted(sender, *, notification, **kwargs) -> None:
    """Every channel of a paged person failed: see ``page_channels_failed``."""
    page = page_for_notification(notification)
    if page is not None:
        page_channels_failed(page_id=page.pk)


def page_for_notification(notification) -> Page | None:
    """The page a ``page:<alert>:<repeat>:<step>`` notification was sent for, or None."""
    parts = notification.key.split(":")
    if len(parts) != 4 or parts[0] != "page" or not all(p.isdigit() for p in parts[1:]):
        return None
    alert_id, repeat, step_index = (int(p) for p in parts[1:])
    return Page.objects.filter(
        alert_id=alert_id, repeat=repeat, step_index=step_index, person=notification.recipient
    ).first()


@transaction.atomic
def page_channels_failed(*, page_id: int) -> int:
    """Record on the page that none of the person's channels reached them and, once that is so
    for everyone paged at this step, bring the next step's pages forward to now instead of
    waiting out its delay. Returns how many pages were brought forward. Idempotent."""
    page = Page.objects.select_for_update().filter(pk=page_id).first()
    if page is None or page.channels_failed_at is not None:
        return 0
    deliveries = page.person.notifications.filter(
        key=f"page:{page.alert_id}:{page.repeat}:{page.step_index}"
    ).values_list("deliveries__transport", "deliveries__last_error")
    failures = "; ".join(f"{name}: {error}" for name, error in deliveries if name and error)
    now = timezone.now()
    page.channels_failed_at = now
    page.outcome = f"Every channel failed ({failures})"[:300]
    page.save(update_fields=["channels_failed_at", "outcome"])
    siblings = Page.objects.filter(
        alert_id=page.alert_id, step_index=page.step_index, repeat=page.repeat
    )
    if siblings.filter(channels_failed_at__isnull=True).exists():
        return 0  # someone else paged at this step may have been reached
    upcoming = Page.objects.filter(alert_id=page.alert_id, status=Page.Status.PENDING).order_by(
        "due_at"
    )
    first = upcoming.first()
    if first is None or first.due_at <= now:
        return 0
    moved = upcoming.filter(due_at=first.due_at).update(due_at=now)
    logger.warning(
        "alert %s: nobody at step %s could be reached; next step paged now",
        page.alert_id,
        page.step_index + 1,
    )
    transaction.on_commit(_kick_sweep)
    return moved


def _kick_sweep() -> None:
    """Fire pages due now without waiting for the next beat tick (the tick would do it too;
    with the broker down, enqueue logs it and the beat picks the rows up)."""
    enqueue("oncall.tasks.pages_sweep")


# --- acknowledge links (from an e-mail, no sign-in) -----------------------------------------------


def ack_token(alert: Alert, person) -> str:
    return signing.dumps({"alert": alert.pk, "person": person.pk}, salt=ACK_LINK_SALT)


def ack_link_path(alert: Alert, person) -> str:
    return reverse(
        "oncall:alert-ack-link", kwargs={"alert_id": alert.pk, "token": ack_token(alert, person)}
    )


def ack_link_resolve(*, alert_id: int, token: str):
    """``(alert, person)`` for a valid, unexpired link; ValidationFailed for a wrong or expired
    token (or one made for another alert), NotFound when the alert is gone."""
    try:
        data = signing.loads(token, salt=ACK_LINK_SALT, max_age=ACK_LINK_MAX_AGE.total_seconds())
    except signing.SignatureExpired:
        raise ValidationFailed(
            "This acknowledge link has expired (links are valid for 24 hours). "
            "Sign in to acknowledge the alert."
        ) from None
    except signing.BadSignature:
        raise ValidationFailed("This acknowledge link is not valid.") from None
    if not isinstance(data, dict) or data.get("alert") != alert_id:
        raise ValidationFailed("This acknowledge link is not valid.")
    alert = Alert.objects.filter(pk=alert_id).first()
    person = get_user_model().objects.filter(pk=data.get("person"), is_active=True).first()
    if alert is None or person is None:
        raise NotFound("This alert no longer exists.")
    return alert, person


def alert_acknowledge_by_link(*, alert_id: int, token: str) -> Alert:
    """Acknowledge as the person the link was sent to. Raises as ``ack_link_resolve`` and
    ``alert_acknowledge`` do."""
    from oncall.alerts.services import alert_acknowledge

    alert, person = ack_link_resolve(alert_id=alert_id, token=token)
    return alert_acknowledge(user=person, alert=alert)
