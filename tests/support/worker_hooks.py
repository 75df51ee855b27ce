"""Test-only instrumentation loaded into real Celery workers (``celery worker --include``).

Never imported by the product. Started by ``tests/support/celery_procs.py``, which sets:

- ``FIREBREAK_TEST_TASK_LOG``: every task a worker process starts is appended here as one JSON
  line (task name, id, args, the sender's ``origin``, whether the broker redelivered it, pid).
- ``FIREBREAK_TEST_DELIVERY_LOG``: the ``recorder`` notification transport appends every message
  it delivers here, so a test can count what a person actually received (optionally failing the
  first attempts, see ``RecorderTransport``).
- ``FIREBREAK_TEST_CLAIM_READ_DELAY`` (optional, seconds): the sweep pauses this long between
  reading the due reminders and claiming them, so that concurrent sweeps (two beats) really do
  race for the same rows instead of happening to run one after the other.
- ``FIREBREAK_TEST_HANG_MARKER`` (optional): the first time a reminder's notification is written
  inside ``reminder_fire``'s transaction, the worker process writes this file (with its pid) and
  hangs, so the test can kill it mid-task at a known point. Later runs (the marker exists) pass.
"""

from __future__ import annotations

import json
import os
import time

from celery.signals import task_prerun
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save

from oncall.people import notify

HANG_SECONDS = 300


def _append_line(path: str, record: dict) -> None:
    # One write on an O_APPEND descriptor: lines from several processes never interleave.
    line = (json.dumps(record, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


@task_prerun.connect
def _log_task_start(sender=None, task_id=None, task=None, args=None, **kwargs):
    path = os.environ.get("FIREBREAK_TEST_TASK_LOG")
    if not path:
        return
    request = task.request
    _append_line(
        path,
        {
            "task": task.name,
            "id": task_id,
            "args": list(args or ()),
            "origin": getattr(request, "origin", None),
            "redelivered": bool((request.delivery_info or {}).get("redelivered")),
            "pid": os.getpid(),
            "at": time.time(),
        },
    )


def _hang_once_inside_reminder_transaction(sender, instance, created, **kwargs):
    marker = os.environ.get("FIREBREAK_TEST_HANG_MARKER")
    if not marker or not created or not instance.key.startswith("reminder:"):
        return
    # Write aside, then link: the marker appears complete, and only for the first run.
    draft = f"{marker}.{os.getpid()}"
    with open(draft, "w") as f:
        f.write(json.dumps({"pid": os.getpid(), "key": instance.key}))
    try:
        os.link(draft, marker)
    except FileExistsError:
        return  # not the first run: behave normally
    finally:
        os.unlink(draft)
    time.sleep(HANG_SECONDS)  # killed by the test long before this ends


post_save.connect(
    _hang_once_inside_reminder_transaction,
    sender="oncall.Notification",
    dispatch_uid="firebreak-test-hang",
)


# The candidate query of incidents.services.reminders.reminders_claim_due, the only one that
# selects exactly (id, status, claimed_at) from the reminders table.
CLAIM_READ_MARK = '"claimed_at" FROM "incidents_reminder"'


def _pause_after_claim_read(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.startswith("SELECT") and CLAIM_READ_MARK in sql:
        time.sleep(float(os.environ["FIREBREAK_TEST_CLAIM_READ_DELAY"]))
    return result


def _install_claim_read_delay(sender, connection, **kwargs):
    if (
        os.environ.get("FIREBREAK_TEST_CLAIM_READ_DELAY")
        and _pause_after_claim_read not in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_pause_after_claim_read)


connection_created.connect(_install_claim_read_delay, dispatch_uid="firebreak-test-claim-delay")


class RecorderTransport:
    """Delivers by appending to FIREBREAK_TEST_DELIVERY_LOG: what a person would receive.

    With FIREBREAK_TEST_RECORDER_FAILURES=N, the first N attempts for each notification fail
    with a transient error (every attempt is logged to ``<delivery log>.attempts``).
    """

    name = "recorder"
    label = "Test recorder"

    def applies_to(self, user, urgency: str) -> bool:
        return bool(os.environ.get("FIREBREAK_TEST_DELIVERY_LOG"))

    def send(self, notification) -> None:
        log = os.environ["FIREBREAK_TEST_DELIVERY_LOG"]
        record = {
            "recipient": notification.recipient.get_username(),
            "key": notification.key,
            "subject": notification.subject,
            "pid": os.getpid(),
        }
        failures = int(os.environ.get("FIREBREAK_TEST_RECORDER_FAILURES", "0"))
        earlier = [r for r in _read_lines(log + ".attempts") if r["key"] == notification.key]
        _append_line(log + ".attempts", record)
        if len(earlier) < failures:
            raise notify.TransientDeliveryError(f"simulated outage (attempt {len(earlier) + 1})")
        _append_line(log, record)


def _read_lines(path: str) -> list[dict]:
    try:
        with open(path) as f:
            return [json.loads(line) for line in f.read().split("\n")[:-1] if line]
    except FileNotFoundError:
        return []


notify.register(RecorderTransport())
