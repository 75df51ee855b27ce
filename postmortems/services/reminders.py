"""Scheduled nudges, run by beat: postmortems nearing their due date and the action-item digest.

Both are idempotent through the notification key (one per postmortem and day, one per owner and
ISO week): a second beat, a replayed task or a retry never notifies twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from oncall.people.services import notification_send
from postmortems.models import ActionItem, Postmortem, PostmortemStatus


def _today_for(user, now: datetime):
    return now.astimezone(user.tzinfo).date()


def postmortem_due_reminders_send(*, now: datetime | None = None) -> int:
    """Remind owners of unpublished postmortems due within the reminder window, or overdue."""
    now = now or timezone.now()
    window = settings.FIREBREAK_POSTMORTEM_REMIND_DAYS_BEFORE
    horizon = now.date() + timedelta(days=window + 1)
    candidates = (
        Postmortem.objects.exclude(status=PostmortemStatus.PUBLISHED)
        .filter(
            due_date__isnull=False,
            due_date__lte=horizon,
            owner__isnull=False,
            owner__is_active=True,
        )
        .select_related("owner", "incident")
    )
    sent = 0
    for postmortem in candidates:
        today = _today_for(postmortem.owner, now)
        days_left = (postmortem.due_date - today).days
        if days_left > window:
            continue
        if days_left < 0:
            subject = f"Overdue: the postmortem of {postmortem.incident.reference} was due {postmortem.due_date:%Y-%m-%d}"
        elif days_left == 0:
            subject = f"Due today: the postmortem of {postmortem.incident.reference}"
        else:
            subject = f"Due in {days_left} day{'s' if days_left != 1 else ''}: the postmortem of {postmortem.incident.reference}"
        reasons = "; ".join(postmortem.required_reasons)
        notification = notification_send(
            recipient=postmortem.owner,
            subject=subject,
            body=f'"{postmortem.title}" is {postmortem.get_status_display().lower()}.'
            + (f" Required because: {reasons}." if reasons else ""),
            url=f"/postmortems/{postmortem.pk}/",
            key=f"postmortem-due:{postmortem.pk}:{postmortem.due_date:%Y-%m-%d}:{today:%Y-%m-%d}",
            urgency="low",
        )
        sent += notification is not None
    return sent


def action_item_digest_send(*, now: datetime | None = None) -> int:
    """One weekly message per owner listing their open and overdue items. Returns messages sent."""
    now = now or timezone.now()
    limit = settings.FIREBREAK_ACTION_ITEM_OWNER_LIMIT
    by_owner: dict[int, list[ActionItem]] = defaultdict(list)
    items = (
        ActionItem.objects.filter(
            status__in=ActionItem.OPEN_STATUSES, owner__isnull=False, owner__is_active=True
        )
        .select_related("owner", "incident")
        .order_by("due_date", "id")
    )
    for item in items:
        by_owner[item.owner_id].append(item)
    year, week, _ = now.isocalendar()
    sent = 0
    for owned in by_owner.values():
        owner = owned[0].owner
        today = _today_for(owner, now)
        overdue = [i for i in owned if i.due_date < today]
        lines = [
            f"- {'OVERDUE ' if i.due_date < today else ''}{i.title} ({i.incident.reference}, "
            f"{i.get_priority_display().lower()}, due {i.due_date:%Y-%m-%d})"
            for i in owned
        ]
        if len(owned) > limit:
            lines.insert(
                0,
                f"You own {len(owned)} open action items, more than {limit}: consider handing some over.\n",
            )
        notification = notification_send(
            recipient=owner,
            subject=f"Your action items: {len(owned)} open, {len(overdue)} overdue",
            body="\n".join(lines),
            url="/action-items/?view=mine",
            key=f"action-digest:{owner.pk}:{year}-W{week:02d}",
            urgency="low",
        )
        sent += notification is not None
    return sent
