"""Moving from PagerDuty: ``manage.py import_oncall pagerduty FILE`` with an export shaped like
PagerDuty's REST API v2 responses (fixtures/pagerduty.json, see fixtures/README.md)."""

from __future__ import annotations

import json
import math
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oncall.alerts.auth import hash_token
from oncall.alerts.models import Integration
from oncall.escalation.models import EscalationPolicy
from oncall.importers.fit import parse_instant
from oncall.importers.models import ImportedObject
from oncall.people.models import User
from oncall.schedules.models import Schedule, ScheduleOverride
from tests.oncall.importers.conftest import assert_same_oncall, fixture_path, load, run_import

pytestmark = pytest.mark.django_db

FILE = str(fixture_path("pagerduty.json"))
WRITES = {"INSERT", "UPDATE", "DELETE"}


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Schedule,
            ScheduleOverride,
            EscalationPolicy,
            Integration,
            ImportedObject,
        )
    }


def pagerduty_oncall(schedule: dict, at) -> str | None:
    """Who PagerDuty has on call at ``at``, computed straight from the export: an override
    wins; else the layer in force, turn n = whole turns of wall-clock time since its virtual
    start in the schedule's zone, person n mod the number of people."""
    for entry in schedule["overrides_subschedule"]["rendered_schedule_entries"]:
        if parse_instant(entry["start"]) <= at < parse_instant(entry["end"]):
            return entry["user"]["id"]
    tz = ZoneInfo(schedule["time_zone"])
    for layer in schedule["schedule_layers"]:
        if layer["end"] and parse_instant(layer["end"]) <= at:
            continue
        start = parse_instant(layer["rotation_virtual_start"]).astimezone(tz).replace(tzinfo=None)
        wall = at.astimezone(tz).replace(tzinfo=None)
        turn = math.floor((wall - start).total_seconds() / layer["rotation_turn_length_seconds"])
        people = layer["users"]
        return people[turn % len(people)]["user"]["id"]
    return None


def test_a_dry_run_says_what_would_happen_and_writes_nothing(team, frozen):
    before = counts()
    out = run_import("pagerduty", FILE, "--dry-run")
    assert counts() == before
    assert "Import from PagerDuty (dry run: nothing was written)" in out
    assert (
        "would create    schedule     Payments primary — payments-primary: weekly, hand-off Mon 09:00 Europe/London"
        in out
    )
    assert "would create    person       Dan Diaz <dan@example.com>" in out
    assert (
        "match           person       Carol Chen <Carol@Example.com> — matched by e-mail: carol"
        in out
    )
    assert "skip            schedule     Business hours — layer “Weekdays” is restricted" in out
    assert "would create    integration  Payments API: Prometheus" in out
    assert "shown this once" not in out  # no secret URL is issued by a dry run


def test_the_import_creates_what_fits_and_flags_the_rest_with_reasons(team, frozen):
    out = run_import("pagerduty", FILE)

    assert sorted(Schedule.objects.values_list("slug", flat=True)) == [
        "payments-primary",
        "platform-twelve-hour",
        "search-daily",
    ]
    payments = Schedule.objects.get(slug="payments-primary")
    assert (payments.rotation, payments.timezone, str(payments.handoff_time)) == (
        "weekly",
        "Europe/London",
        "09:00:00",
    )
    platform = Schedule.objects.get(slug="platform-twelve-hour")
    assert (platform.rotation, platform.shift_hours, platform.timezone) == (
        "custom",
        12,
        "Asia/Tokyo",
    )
    assert Schedule.objects.get(slug="search-daily").rotation == "daily"
    # A schedule covers the service whose policy pages it first.
    assert dict(Schedule.objects.values_list("slug", "service_slug")) == {
        "payments-primary": "payments-api",
        "search-daily": "search",
        "platform-twelve-hour": "",
    }

    # Restricted layers and schedules with someone who cannot be paged are flagged, not guessed.
    assert (
        "skip            schedule     Business hours — layer “Weekdays” is restricted to part of the day or week"
        in out
    )
    assert (
        "skip            schedule     Data weekly — dan cannot be on call (inactive account)" in out
    )
    assert (
        "skip            policy       Back office — rule 1 pages the schedule “Business hours”, which is not imported"
        in out
    )
    assert "skip            service      Checkout — shares the escalation policy “Payments”" in out
    assert "skip            integration  Email — e-mail integrations have no equivalent here" in out

    policy = EscalationPolicy.objects.get(slug="payments")
    steps = [(s.target, s.delay_minutes, s.schedule_id, s.usernames) for s in policy.steps.all()]
    assert steps == [
        ("schedule_primary", 0, payments.pk, []),
        ("users", 15, None, ["bob", "carol"]),
    ]
    assert (policy.service_slug, policy.repeats, policy.repeat_after_minutes) == (
        "payments-api",
        2,
        30,
    )
    search = EscalationPolicy.objects.get(slug="search")
    assert [(s.target, s.delay_minutes) for s in search.steps.all()] == [
        ("schedule_primary", 0),
        ("user", 0),
    ]

    assert "Services (by slug): payments-api, search." in out

    # Only the future override is imported; the one from Christmas is over.
    override = ScheduleOverride.objects.get()
    assert (override.user.username, override.layer) == ("carol", "primary")


def test_missing_people_are_created_inactive_and_listed(team, frozen):
    out = run_import("pagerduty", FILE)
    dan = User.objects.get(email="dan@example.com")
    assert (dan.username, dan.is_active, dan.has_usable_password()) == ("dan", False, False)
    assert (dan.first_name, dan.last_name, dan.timezone) == ("Dan", "Diaz", "Europe/Berlin")
    assert (
        "People created inactive (activate them, then run the import again): Dan Diaz <dan@example.com>"
        in out
    )
    assert (
        User.objects.filter(email__iexact="carol@example.com").count() == 1
    )  # matched, not doubled


def test_new_integration_urls_are_printed_once_and_work(team, frozen):
    out = run_import("pagerduty", FILE)
    urls = [line.split(": ", 1)[1] for line in out.splitlines() if "/hooks/" in line]
    assert len(urls) == 2
    by_name = {i.name: i for i in Integration.objects.all()}
    assert set(by_name) == {"Payments API: Prometheus", "Search: Events API V2"}
    assert by_name["Payments API: Prometheus"].kind == "alertmanager"
    assert by_name["Search: Events API V2"].kind == "generic"
    assert {i.default_service_slug for i in by_name.values()} == {"payments-api", "search"}
    tokens = {url.rstrip("/").rsplit("/", 1)[1] for url in urls}
    assert {hash_token(t) for t in tokens} == {i.token_hash for i in by_name.values()}

    again = run_import("pagerduty", FILE)
    assert "/hooks/" not in again  # never shown again


def test_a_second_run_changes_nothing(team, frozen):
    run_import("pagerduty", FILE)
    before = counts()
    with CaptureQueriesContext(connection) as queries:
        out = run_import("pagerduty", FILE)
    assert counts() == before
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in WRITES]
    assert writes == []
    assert "0 created, 0 changed" in out and "Nothing changed." in out
    assert "unchanged       schedule     Payments primary — payments-primary" in out


def test_after_activating_a_missing_person_a_rerun_imports_what_they_blocked(team, frozen):
    run_import("pagerduty", FILE)
    User.objects.filter(email="dan@example.com").update(is_active=True)
    out = run_import("pagerduty", FILE)
    assert "create          schedule     Data weekly — data-weekly" in out
    assert Schedule.objects.filter(slug="data-weekly").exists()


def test_a_rotation_changed_at_the_source_is_updated_from_now_on(team, frozen, tmp_path):
    run_import("pagerduty", FILE)
    data = load("pagerduty.json")
    data["schedules"][1]["schedule_layers"][0]["rotation_turn_length_seconds"] = 2 * 86400
    changed = tmp_path / "pd.json"
    changed.write_text(json.dumps(data))
    out = run_import("pagerduty", str(changed))
    assert "change          schedule     Search daily — search-daily: now every 48 hours" in out
    search = Schedule.objects.get(slug="search-daily")
    assert (search.rotation, search.shift_hours, search.versions.count()) == ("custom", 48, 2)


def test_who_is_on_call_for_the_next_four_weeks_equals_pagerduty(team, frozen):
    """Acceptance: every half hour for 28 days, for every imported schedule, our primary is the
    person PagerDuty's own layer and override definitions put on call."""
    run_import("pagerduty", FILE)
    source = {s["id"]: s for s in load("pagerduty.json")["schedules"]}
    email_of = {u["id"]: u["email"].lower() for u in load("pagerduty.json")["users"]}
    assert ImportedObject.objects.filter(vendor="pagerduty", kind="schedule").count() == 3
    checked = assert_same_oncall(
        vendor="pagerduty",
        expected_email=lambda sid, at: email_of[pagerduty_oncall(source[sid], at)],
        start=frozen,
    )
    assert checked == 3 * 28 * 48


def test_an_override_by_the_person_who_is_secondary_here_is_flagged_not_forced(
    team, frozen, tmp_path
):
    """PagerDuty has no secondary; ours is the next person in the rotation. An override by that
    person would make them primary and secondary at once, which we never allow."""
    data = load("pagerduty.json")
    bob = next(u for u in data["users"] if u["email"] == "bob@example.com")
    entries = data["schedules"][0]["overrides_subschedule"]["rendered_schedule_entries"]
    # Week of 26 January: Alice is primary, so Bob is secondary here.
    entries.append(
        {
            "start": "2026-01-29T18:00:00Z",
            "end": "2026-01-30T09:00:00Z",
            "user": {"id": bob["id"], "type": "user_reference", "summary": bob["name"]},
        }
    )
    source = tmp_path / "pd.json"
    source.write_text(json.dumps(data))
    out = run_import("pagerduty", str(source))
    flagged = [
        line for line in out.splitlines() if line.strip().startswith("skip") and "override" in line
    ]
    assert (
        len(flagged) == 1
        and "override     Payments primary: bob from 2026-01-29 18:00 UTC" in flagged[0]
        and "would be both primary and secondary on Payments primary" in flagged[0]
    )
    assert list(ScheduleOverride.objects.values_list("user__username", flat=True)) == ["carol"]
