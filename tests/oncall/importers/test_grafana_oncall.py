"""Moving from Grafana OnCall: ``manage.py import_oncall grafana-oncall FILE`` with an export
shaped like its public API v1 responses (fixtures/grafana-oncall.json, see fixtures/README.md)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from oncall.alerts.models import Integration
from oncall.escalation.models import EscalationPolicy
from oncall.importers.models import ImportedObject
from oncall.schedules.models import Schedule
from tests.oncall.importers.conftest import assert_same_oncall, fixture_path, load, run_import

pytestmark = pytest.mark.django_db

FILE = str(fixture_path("grafana-oncall.json"))
UNIT = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}


def grafana_oncall(schedule: dict, shifts: dict, emails: dict, at) -> str:
    """Grafana OnCall's on-call from the export alone: the schedule's rolling_users shift; turn
    n = whole (interval × frequency) of wall-clock time since its local ``start``, group
    (n + start_rotation_from_user_index) of ``rolling_users``."""
    shift = shifts[schedule["shifts"][0]]
    tz = ZoneInfo(shift["time_zone"] or schedule["time_zone"])
    wall = at.astimezone(tz).replace(tzinfo=None)
    period = UNIT[shift["frequency"]] * shift["interval"]
    turn = math.floor((wall - datetime.fromisoformat(shift["start"])) / period)
    groups = shift["rolling_users"]
    index = (turn + (shift["start_rotation_from_user_index"] or 0)) % len(groups)
    return emails[groups[index][0]]


def test_a_dry_run_writes_nothing(team, frozen):
    out = run_import("grafana-oncall", FILE, "--dry-run")
    assert not Schedule.objects.exists() and not Integration.objects.exists()
    assert not ImportedObject.objects.exists()
    assert (
        "would create    schedule     Search — search: every 48 hours, hand-off Mon 07:30 America/Chicago"
        in out
    )
    assert "would create    integration  Batch jobs — generic" in out


def test_shifts_chains_and_integrations_are_imported_or_flagged(team, frozen):
    out = run_import("grafana-oncall", FILE)
    assert sorted(Schedule.objects.values_list("slug", flat=True)) == ["payments-weekly", "search"]
    assert (
        "skip            schedule     Office hours — shift “Office hours” is a recurrent_event"
        in out
    )
    assert "skip            schedule     Legacy iCal — an iCal-fed schedule" in out
    assert (
        "skip            schedule     Data — dan.diaz cannot be on call (inactive account)" in out
    )
    assert (
        "skip            policy       Round robin — step 1 is notify_person_next_each_time" in out
    )
    assert (
        "skip            integration  Vendor mail — e-mail integrations have no equivalent" in out
    )

    policy = EscalationPolicy.objects.get(slug="payments")
    steps = [(s.target, s.delay_minutes, s.usernames) for s in policy.steps.all()]
    # notify the schedule, wait 15 + 5 minutes, notify Bob and Carol together.
    assert steps == [("schedule_primary", 0, []), ("users", 20, ["bob", "carol"])]
    kinds = dict(Integration.objects.values_list("name", "kind"))
    assert kinds == {
        "Payments Alertmanager": "alertmanager",
        "Payments Grafana": "grafana",
        "Batch jobs": "generic",
    }
    # Both integrations routed to the chain alert the service its policy pages for.
    services = dict(Integration.objects.values_list("name", "default_service_slug"))
    assert services["Payments Grafana"] == services["Payments Alertmanager"] == policy.service_slug


def test_a_second_run_changes_nothing(team, frozen):
    run_import("grafana-oncall", FILE)
    before = ImportedObject.objects.count(), Integration.objects.count()
    out = run_import("grafana-oncall", FILE)
    assert (ImportedObject.objects.count(), Integration.objects.count()) == before
    assert "Nothing changed." in out and "/hooks/" not in out


def test_who_is_on_call_for_the_next_four_weeks_equals_grafana_oncall(team, frozen):
    run_import("grafana-oncall", FILE)
    data = load("grafana-oncall.json")
    source = {s["id"]: s for s in data["schedules"]}
    shifts = {s["id"]: s for s in data["on_call_shifts"]}
    emails = {u["id"]: u["email"] for u in data["users"]}
    checked = assert_same_oncall(
        vendor="grafana-oncall",
        expected_email=lambda sid, at: grafana_oncall(source[sid], shifts, emails, at),
        start=frozen,
    )
    assert checked == 2 * 28 * 48
