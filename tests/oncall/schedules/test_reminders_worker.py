"""Day-before shift reminders with real Celery beat and worker processes.

Two beats sweep every second; the shift reminder must reach its person exactly once, through
the broker, the claim and the notification transports, and not before it is due.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from oncall.models import Notification, ShiftReminder
from oncall.schedules.services import override_create
from tests.oncall.schedules.support import make_schedule, person

pytest_plugins = ["tests.support.celery_procs"]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHIFT_SWEEP = "oncall.tasks.shift_reminders_sweep"


def test_two_beats_remind_a_person_once_a_day_before_their_shift(
    celery_procs, admin_user, responder
):
    now = timezone.now()
    ana, ben, dev = person("ana"), person("ben"), person("dev")
    # A weekly rotation whose next hand-off is days away, so only the override below is due.
    schedule = make_schedule(
        admin_user, [ana, ben], handoff=time(0), start=(now - timedelta(days=3)).date()
    )
    shift_start = now + timedelta(hours=24, seconds=8)
    override_create(
        user=responder,
        schedule=schedule,
        layer="primary",
        covering_user=dev,
        start=shift_start,
        end=shift_start + timedelta(hours=2),
    )

    celery_procs.worker(concurrency=2)
    celery_procs.beat("beat-1")
    celery_procs.beat("beat-2")

    def sent():
        return ShiftReminder.objects.filter(user=dev, status=ShiftReminder.Status.SENT).first()

    reminder = celery_procs.wait_for(sent, "dev's shift reminder to be sent")
    celery_procs.wait_for(
        lambda: len({t["origin"] for t in celery_procs.tasks(SHIFT_SWEEP)}) >= 2,
        "sweeps from both beats",
    )
    celery_procs.settle()

    assert reminder.sent_at >= reminder.due_at == shift_start - timedelta(hours=24)
    [notice] = Notification.objects.filter(recipient=dev, subject__startswith="On call tomorrow")
    assert notice.subject == "On call tomorrow: primary on Payments"
    received = [d for d in celery_procs.deliveries() if d["key"] == notice.key]
    assert [d["recipient"] for d in received] == ["dev"]
    assert ShiftReminder.objects.filter(user=dev).count() == 1
