"""The quarterly manager pack by e-mail: subscriptions, and the deliveries the beat sweep sends.

Deliveries are data, not countdowns (DESIGN.md, reliability rules). Every sweep:

1. plans a ``ReportDelivery`` row per active subscription for the quarter that just ended — only
   for subscriptions made before the current quarter began, so a new subscriber waits for the
   next first day; the unique key (subscription, quarter) makes planning idempotent;
2. claims due rows with a conditional update (pending → claimed, and claims whose worker died,
   taken back after the lease) and hands each id to ``report_delivery_send``.

``report_delivery_send`` moves the row claimed → sending with another conditional update before
it builds the pack, so a replayed or duplicated task finds the row taken and does nothing; it
marks the row sent after the mail went out. A worker killed before sending leaves the row in
*sending*; the sweep takes it back after the lease and sends it then. The one window left — the
SMTP server accepted the mail and the worker died before the row was marked — is covered by a
``Message-ID`` fixed per delivery, which mail systems use to drop the duplicate.

The first sweep after midnight UTC on the first day of a quarter sends; if the scheduler was
down then, the first sweep after it is back does (within the quarter).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from config.errors import NotFound, PermissionDenied, ValidationFailed
from incidents.models import Service, Team
from oncall.access import is_admin
from oncall.claims import claim_due_rows
from postmortems.models import ReportDelivery, ReportFormat, ReportSubscription
from postmortems.reports import pack as packs
from postmortems.reports.metrics import Scope
from postmortems.reports.params import previous_quarter, quarter_of, quarter_period

logger = logging.getLogger(__name__)
State = ReportDelivery.Status

# report_delivery_send's hard time limit (postmortems.tasks); a claim is taken back only after a
# lease longer than this, so a slow pack is never built and sent twice at the same time.
SEND_TIME_LIMIT = 110


def claim_lease() -> timedelta:
    return timedelta(
        seconds=max(settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS, SEND_TIME_LIMIT + 10)
    )


# --- subscriptions ----------------------------------------------------------------------------


def report_subscriptions_visible(user):
    """Admins see every subscription; everyone else their own."""
    subscriptions = ReportSubscription.objects.select_related("person", "team", "service")
    if is_admin(user):
        return subscriptions
    return subscriptions.filter(person=user)


def report_subscription_create(
    *,
    user,
    fmt: str = ReportFormat.PDF,
    team: Team | None = None,
    service: Service | None = None,
    person=None,
    email: str = "",
) -> ReportSubscription:
    """Subscribe ``person`` (default: ``user``) or a bare ``email`` address to the pack.

    Anyone may subscribe themselves; only admins may subscribe someone else or an address.
    """
    email = (email or "").strip()
    if person is None and not email:
        person = user
    if not is_admin(user) and (email or person != user):
        raise PermissionDenied("Only admins can subscribe someone else or another address.")
    if fmt not in ReportFormat.values:
        raise ValidationFailed(
            f"Choose a format: {', '.join(ReportFormat.values)}.", field_errors={"format": []}
        )
    if service is not None and team is not None and service.team_id != team.pk:
        raise ValidationFailed(
            f"The service {service.slug!r} does not belong to the team {team.slug!r}.",
            field_errors={"service": ["The service does not belong to the team."]},
        )
    if not email and not person.email:
        raise ValidationFailed(
            f"{person.username} has no e-mail address; add one to the account or give an address.",
            field_errors={"email": ["No e-mail address."]},
        )
    duplicate = ReportSubscription.objects.filter(
        person=None if email else person,
        email=email,
        format=fmt,
        team=team,
        service=service,
        active=True,
    )
    if duplicate.exists():
        raise ValidationFailed("That subscription exists already.")
    return ReportSubscription.objects.create(
        person=None if email else person,
        email=email,
        format=fmt,
        team=team,
        service=service,
        created_by=user,
    )


def report_subscription_delete(*, user, subscription_id: int) -> None:
    """Unsubscribe: people remove their own subscriptions, admins any (its history goes too)."""
    subscription = report_subscriptions_visible(user).filter(pk=subscription_id).first()
    if subscription is None:
        raise NotFound("No such subscription.")
    subscription.delete()


# --- deliveries -------------------------------------------------------------------------------


def report_deliveries_plan(*, now: datetime | None = None) -> int:
    """Rows for the quarter that just ended, one per active subscription made before the current
    quarter began. Idempotent (unique key). Returns how many rows are new."""
    now = now or timezone.now()
    current = quarter_of(now)
    starts = quarter_period(current).start
    due = ReportSubscription.objects.filter(active=True, created_at__lt=starts).exclude(
        deliveries__quarter=previous_quarter(current)
    )
    rows = [
        ReportDelivery(subscription_id=pk, quarter=previous_quarter(current), due_at=starts)
        for pk in due.values_list("pk", flat=True)
    ]
    ReportDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def report_deliveries_claim_due(*, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Claim due deliveries (and take back those of dead workers, claimed or sending). Returns
    the ids now owned. Safe to run concurrently: each row is won by one caller only
    (``oncall.claims``).
    """
    return claim_due_rows(
        ReportDelivery,
        now=now or timezone.now(),
        lease=claim_lease(),
        limit=limit,
        reclaim_statuses=[State.CLAIMED, State.SENDING],
        order_by=("due_at", "pk"),
    )


def _message_id(delivery: ReportDelivery) -> str:
    domain = urlsplit(settings.FIREBREAK_BASE_URL).hostname or "firebreak.invalid"
    return f"<firebreak-report-{delivery.subscription_id}-{delivery.quarter}@{domain}>"


def report_pack_email(delivery: ReportDelivery) -> EmailMessage:
    """The e-mail of one delivery, with the quarter's pack attached."""
    subscription = delivery.subscription
    person = subscription.person
    scope = Scope(team=subscription.team, service=subscription.service)
    pack = packs.build_pack(person, delivery.quarter, scope)
    fmt = subscription.format
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        packs.write_pack(pack, fmt, out)
        out.seek(0)
        content = out.read()
    headline = pack.summary
    mttr = headline["mttr"]["mean_seconds"]
    body = "\n".join(
        [
            f"The incident response report for {pack.quarter} ({subscription.scope_label}) is "
            f"attached as {fmt.upper()}.",
            "",
            f"Incidents: {headline['incidents']['count']}",
            f"MTTR (mean): {'no data' if mttr is None else f'{mttr / 60:.1f} min'}",
            f"Postmortem coverage: {_share(headline['postmortems']['coverage'])}",
            f"Action items on time: {_share(headline['action_items']['on_time_rate'])}",
            "",
            f"The dashboard: {settings.FIREBREAK_BASE_URL}/reports/?preset=quarter&quarter={pack.quarter}",
            "Figures follow the definitions appended to the report (METRICS.md, version "
            f"{headline['definitions_version']}).",
            "",
            "You get this because you subscribed on the Reports page; unsubscribe there.",
        ]
    )
    message = EmailMessage(
        subject=f"Firebreak: incident response report {pack.quarter} ({subscription.scope_label})",
        body=body,
        to=[subscription.recipient_email],
        headers={"Message-ID": _message_id(delivery)},
    )
    message.attach(pack.filename(fmt), content, packs.FORMATS[fmt][0])
    return message


def _share(value: float | None) -> str:
    return "no data" if value is None else f"{value * 100:.1f} %"


def report_delivery_send(*, delivery_id: int) -> ReportDelivery | None:
    """Send one claimed delivery. A row that is not claimed (sent, or taken by another run of
    this task) is left alone, so a replayed or redelivered task changes nothing."""
    row = ReportDelivery.objects.filter(pk=delivery_id).values("status", "claimed_at").first()
    if row is None or row["status"] != State.CLAIMED:
        return None
    started = timezone.now()
    taken = ReportDelivery.objects.filter(
        pk=delivery_id, status=State.CLAIMED, claimed_at=row["claimed_at"]
    ).update(status=State.SENDING, claimed_at=started, attempts=F("attempts") + 1)
    if not taken:
        return None
    mine = ReportDelivery.objects.filter(pk=delivery_id, status=State.SENDING, claimed_at=started)
    delivery = ReportDelivery.objects.select_related(
        "subscription__person", "subscription__team", "subscription__service"
    ).get(pk=delivery_id)
    subscription = delivery.subscription
    person = subscription.person
    if not subscription.active or (person is not None and not person.is_active):
        mine.update(status=State.SKIPPED, last_error="Subscription or person no longer active")
        return delivery
    if not subscription.recipient_email:
        mine.update(status=State.FAILED, last_error="No e-mail address")
        return delivery
    try:
        message = report_pack_email(delivery)
        message.send()
    except Exception as exc:  # SMTP down, a bad address…: retried with back-off, then failed
        logger.warning("report delivery %s failed: %s", delivery_id, exc, exc_info=True)
        error = f"{type(exc).__name__}: {exc}"[:300]
        if delivery.attempts >= settings.FIREBREAK_NOTIFICATION_MAX_ATTEMPTS:
            mine.update(status=State.FAILED, last_error=error)
        else:
            retry_at = timezone.now() + timedelta(minutes=2**delivery.attempts)
            mine.update(status=State.PENDING, claimed_at=None, due_at=retry_at, last_error=error)
        return delivery
    mine.update(status=State.SENT, sent_at=timezone.now(), last_error="")
    delivery.refresh_from_db()
    return delivery
