"""The quarterly pack e-mail with a real Celery worker and two beats (Redis under ``make
test-pg``): the pack goes out once, as a mail the worker really sent.

The worker sends through Django's file-based e-mail backend (``FIREBREAK_TEST_MAIL_DIR``), so the
test reads exactly what left the process. The subscription is back-dated to before the current
quarter, so the first sweep plans and sends the previous quarter's pack.
"""

from __future__ import annotations

import email
from datetime import timedelta

import pytest
from django.utils import timezone

from postmortems import services
from postmortems.models import ReportDelivery, ReportSubscription
from postmortems.reports.params import previous_quarter, quarter_of, quarter_period

pytest_plugins = ["tests.support.celery_procs"]  # the celery_procs fixture
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SWEEP = "postmortems.tasks.report_deliveries_sweep"
SEND = "postmortems.tasks.report_delivery_send"


def mails(folder) -> list[email.message.Message]:
    """Every message the worker wrote (the file backend appends them, one file per connection)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk.lstrip(b"\n")))
    return found


def test_two_beats_and_a_real_worker_send_the_pack_once(celery_procs, responder, tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    subscription = services.report_subscription_create(user=responder, fmt="xlsx")
    this_quarter = quarter_period(quarter_of(timezone.now()))
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        created_at=this_quarter.start - timedelta(days=1)
    )
    ended = previous_quarter(quarter_of(timezone.now()))

    celery_procs.worker(FIREBREAK_TEST_MAIL_DIR=str(outbox))
    celery_procs.beat("beat-1")
    celery_procs.beat("beat-2")
    celery_procs.wait_for(
        lambda: len({t["origin"] for t in celery_procs.tasks(SWEEP)}) >= 2,
        "sweeps from both beats",
    )
    delivery = celery_procs.wait_for(
        lambda: ReportDelivery.objects.filter(status=ReportDelivery.Status.SENT).first(),
        "the pack to be sent",
    )
    # Let both beats sweep a few more times: nothing else may go out.
    target = len(celery_procs.tasks(SWEEP)) + 4
    celery_procs.wait_for(lambda: len(celery_procs.tasks(SWEEP)) >= target, "more sweeps")

    assert (delivery.quarter, delivery.attempts) == (ended, 1)
    assert ReportDelivery.objects.count() == 1
    assert len([t for t in celery_procs.tasks(SEND) if t["args"] == [delivery.pk]]) == 1
    [message] = mails(outbox)
    assert message["To"] == responder.email
    assert message["Subject"] == f"Firebreak: incident response report {ended} (all services)"
    assert message["Message-ID"] == f"<firebreak-report-{subscription.pk}-{ended}@127.0.0.1>"
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == f"firebreak-report-{ended.lower()}.xlsx"
    assert attachment.get_payload(decode=True).startswith(b"PK")  # a zip: the workbook
