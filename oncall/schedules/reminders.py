"""Day-before reminders of on-call shifts, as data (DESIGN.md reliability rules).

Life of a row: planned (pending) by the sweep for every continuous shift starting within
REMINDER_PLAN_AHEAD, unique per (schedule, person, layer, shift start) → claimed by a conditional
update once due (a day before the shift) → sent, or skipped when the person no longer starts a
shift then (an override or swap moved it) or the shift already began. A claim whose worker died
is taken back after FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS; firing re-checks the row under a lock
and notifies with a stable key, so nothing is sent twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from oncall.claims import claim_due_rows
from oncall.people.services import notification_send
from oncall.schedules.models import Schedule, ShiftReminder
from oncall.schedules.rotations import Layer, Shift, continuous_runs
from oncall.schedules.shifts import effective_shifts, local_text

REMINDER_LEAD = timedelta(hours=24)
# Rows are planned this far ahead of a shift, so a few missed sweeps lose nothing.
REMINDER_PLAN_AHEAD = REMINDER_LEAD + timedelta(hours=12)
# A run's true end is searched this far past the planning horizon (longer than any shift).
RUN_END_SEARCH = timedelta(days=29)


def _shift_starts(schedule: Schedule, now: datetime) -> list[Shift]:
    """Continuous shifts starting in ``(now, now + REMINDER_PLAN_AHEAD]``, with their true end."""
    # A run under way at ``now`` is clipped to start at ``now``, so ``now < start`` leaves it out.
    runs = continuous_runs(
        effective_shifts(schedule, now, now + REMINDER_PLAN_AHEAD + RUN_END_SEARCH)
    )
    return [r for r in runs if now < r.start <= now + REMINDER_PLAN_AHEAD]


def shift_reminders_plan(*, now: datetime | None = None) -> int:
    """Create the reminder row of every shift starting soon. Idempotent (unique per shift)."""
    now = now or timezone.now()
    created = 0
    for schedule in Schedule.objects.all():
        for run in _shift_starts(schedule, now):
            try:
                with transaction.atomic():
                    ShiftReminder.objects.create(
                        schedule=schedule,
                        user=run.person,
                        layer=run.layer,
                        shift_start=run.start,
                        shift_end=run.end,
                        due_at=run.start - REMINDER_LEAD,
                    )
                created += 1
            except IntegrityError:
                continue  # planned by an earlier sweep
    return created


def shift_reminders_claim_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Claim due reminders (and take back stale claims); see ``oncall.claims``."""
    lease = timedelta(seconds=settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS)
    return claim_due_rows(ShiftReminder, now=now or timezone.now(), lease=lease, limit=limit)


@transaction.atomic
def shift_reminder_fire(*, reminder_id: int, now: datetime | None = None) -> ShiftReminder | None:
    """Send one claimed reminder, or skip it if the person no longer starts that shift.
    Idempotent: a second call finds the row no longer claimed and does nothing."""

    now = now or timezone.now()
    State = ShiftReminder.Status
    reminder = (
        ShiftReminder.objects.select_for_update()
        .select_related("schedule", "user")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.status != State.CLAIMED:
        return reminder
    schedule, person, layer = reminder.schedule, reminder.user, Layer(reminder.layer)
    if reminder.shift_start <= now:
        _finish(reminder, State.SKIPPED, "The shift had already started")
        return reminder
    around = effective_shifts(
        schedule,
        reminder.shift_start - timedelta(minutes=1),
        reminder.shift_start + timedelta(minutes=1),
    )
    holders = {(s.layer, s.start < reminder.shift_start): s.person for s in around}
    starts_then = holders.get((layer, False)) == person and holders.get((layer, True)) != person
    if not starts_then:
        _finish(reminder, State.SKIPPED, "No longer starting a shift then (override or swap)")
        return reminder
    notification_send(
        recipient=person,
        subject=f"On call tomorrow: {layer} on {schedule.name}",
        body=(
            f"You are {layer} on-call for {schedule.name} from "
            f"{local_text(reminder.shift_start, person)} "
            f"to {local_text(reminder.shift_end, person)}. "
            "Check your alerting, laptop and phone battery; if you cannot make it, arrange an "
            "override or a swap now."
        ),
        url=f"/schedules/{schedule.slug}/",
        urgency="low",
        key=f"shift-reminder:{schedule.pk}:{layer}:{reminder.shift_start.isoformat()}",
    )
    _finish(reminder, State.SENT, f"Sent to {person.get_username()}")
    return reminder


def _finish(reminder: ShiftReminder, status: str, outcome: str) -> None:
    reminder.status = status
    reminder.outcome = outcome[:300]
    if status == ShiftReminder.Status.SENT:
        reminder.sent_at = timezone.now()
    reminder.save(update_fields=["status", "outcome", "sent_at"])
