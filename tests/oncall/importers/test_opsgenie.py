"""Moving from Opsgenie: ``manage.py import_oncall opsgenie FILE`` with an export shaped like
Opsgenie's REST API v2 responses (fixtures/opsgenie.json, see fixtures/README.md)."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oncall.escalation.models import EscalationPolicy
from oncall.importers.fit import parse_instant
from oncall.importers.models import ImportedObject
from oncall.people.models import User
from oncall.schedules.models import Schedule
from tests.oncall.importers.conftest import assert_same_oncall, fixture_path, load, run_import

pytestmark = pytest.mark.django_db

FILE = str(fixture_path("opsgenie.json"))
UNIT = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}


def opsgenie_oncall(schedule: dict, at) -> str:
    """Opsgenie's on-call from the export alone: the rotation in force; turn n = whole rotation
    lengths of wall-clock time since its ``startDate`` in the schedule's zone."""
    tz = ZoneInfo(schedule["timezone"])
    for rotation in schedule["rotations"]:
        if rotation.get("endDate") and parse_instant(rotation["endDate"]) <= at:
            continue
        start = parse_instant(rotation["startDate"]).astimezone(tz).replace(tzinfo=None)
        wall = at.astimezone(tz).replace(tzinfo=None)
        length = UNIT[rotation["type"]] * rotation["length"]
        turn = math.floor((wall - start) / length)
        people = rotation["participants"]
        return people[turn % len(people)]["username"].lower()
    raise AssertionError("no rotation in force")


def test_a_dry_run_writes_nothing(team, frozen):
    before = (User.objects.count(), Schedule.objects.count(), ImportedObject.objects.count())
    out = run_import("opsgenie", FILE, "--dry-run")
    assert (
        User.objects.count(),
        Schedule.objects.count(),
        ImportedObject.objects.count(),
    ) == before
    assert (
        "would create    schedule     platform_schedule — platform_schedule: every 8 hours" in out
    )
    assert "would create    person       Dan Diaz <dan@example.com>" in out


def test_rotations_that_fit_are_imported_and_the_others_flagged(team, frozen):
    out = run_import("opsgenie", FILE)
    assert sorted(Schedule.objects.values_list("slug", "rotation", "shift_hours")) == [
        ("payments_schedule", "weekly", None),
        ("platform_schedule", "custom", 8),
    ]
    assert (
        "skip            schedule     weekend_schedule — rotation “Weekends” is restricted" in out
    )
    assert (
        "skip            schedule     gap_schedule — rotation “With a gap” has a none turn" in out
    )
    assert (
        "skip            schedule     data_schedule — dan cannot be on call (inactive account)"
        in out
    )
    assert (
        "skip            policy       platform_escalation — rule 2 notifies the next on-call" in out
    )
    assert "skip            policy       close_escalation — rule 1 escalates if-not-closed" in out
    assert User.objects.get(email="dan@example.com").is_active is False


def test_rule_delays_counted_from_the_alert_become_delays_between_steps(team, frozen):
    run_import("opsgenie", FILE)
    policy = EscalationPolicy.objects.get(slug="payments_escalation")
    steps = [
        (s.target, s.delay_minutes, s.user.username if s.user else None) for s in policy.steps.all()
    ]
    # Opsgenie: schedule at 0, Carol at 30, Bob at 10 (rules in any order) → 0, +10, +20.
    assert steps == [("schedule_primary", 0, None), ("user", 10, "bob"), ("user", 20, "carol")]
    assert (policy.service_slug, policy.repeats, policy.repeat_after_minutes) == ("payments", 1, 10)


def test_a_second_run_changes_nothing(team, frozen):
    run_import("opsgenie", FILE)
    before = (
        ImportedObject.objects.count(),
        Schedule.objects.count(),
        EscalationPolicy.objects.count(),
    )
    out = run_import("opsgenie", FILE)
    assert (
        ImportedObject.objects.count(),
        Schedule.objects.count(),
        EscalationPolicy.objects.count(),
    ) == before
    assert "Nothing changed." in out


def test_who_is_on_call_for_the_next_four_weeks_equals_opsgenie(team, frozen):
    run_import("opsgenie", FILE)
    source = {s["id"]: s for s in load("opsgenie.json")["schedules"]}
    checked = assert_same_oncall(
        vendor="opsgenie",
        expected_email=lambda sid, at: opsgenie_oncall(source[sid], at),
        start=frozen,
    )
    assert checked == 2 * 28 * 48


def test_an_escalation_naming_its_team_by_id_pages_for_that_teams_service(team, frozen, tmp_path):
    data = load("opsgenie.json")
    data["escalations"][0]["ownerTeam"] = {"id": data["teams"][0]["id"]}
    source = tmp_path / "og.json"
    source.write_text(json.dumps(data))
    run_import("opsgenie", str(source))
    assert EscalationPolicy.objects.get(slug="payments_escalation").service_slug == "payments"


def test_only_an_admin_can_import(team, frozen):
    with pytest.raises(CommandError, match="Only admins can import"):
        out = StringIO()
        call_command("import_oncall", "opsgenie", FILE, "--as", "alice", stdout=out)
    assert not ImportedObject.objects.exists()
