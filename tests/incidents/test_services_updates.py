"""Stakeholder updates (status_update_post): when the next one is due, the two-message all-clear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config.errors import PermissionDenied, ValidationFailed
from incidents import services
from incidents.models import StakeholderUpdate
from tests.factories import declare

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def incident(responder, clock):
    return declare(responder)


def post(incident, user, body="We are investigating.", **kwargs):
    return services.status_update_post(incident=incident, user=user, body=body, **kwargs)


def pending_update_reminders(incident):
    return list(
        incident.reminders.filter(kind="update_due", status="pending").values_list(
            "due_at", flat=True
        )
    )


def test_next_update_defaults_to_now_plus_the_interval(incident, responder, clock):
    clock.move_to(T0 + 10 * MINUTE, tick=False)

    update = post(incident, responder)

    assert update.posted_at == T0 + 10 * MINUTE
    assert update.next_update_at == T0 + 40 * MINUTE
    incident.refresh_from_db()
    assert incident.next_update_due_at == T0 + 40 * MINUTE
    assert pending_update_reminders(incident) == [T0 + 40 * MINUTE]


def test_the_interval_can_be_set_per_severity(responder, clock, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {"SEV1": 15}
    sev1 = declare(responder, title="Everything is down", severity="SEV1")
    sev3 = declare(responder, title="A button is grey", severity="SEV3")

    assert post(sev1, responder).next_update_at == T0 + 15 * MINUTE
    assert post(sev3, responder).next_update_at == T0 + 30 * MINUTE


def test_the_incidents_own_interval_wins_over_the_severitys(responder, clock, settings):
    settings.FIREBREAK_UPDATE_INTERVAL_BY_SEVERITY = {"SEV1": 15}
    incident = declare(responder, severity="SEV1", update_interval_minutes=60)

    assert post(incident, responder).next_update_at == T0 + 60 * MINUTE


def test_a_promised_next_update_time_is_kept(incident, responder):
    update = post(incident, responder, next_update_at=T0 + 20 * MINUTE)

    assert update.next_update_at == T0 + 20 * MINUTE
    assert pending_update_reminders(incident) == [T0 + 20 * MINUTE]


@pytest.mark.parametrize("next_update_at", [T0 - MINUTE, T0])
def test_a_next_update_that_is_not_in_the_future_is_rejected_and_nothing_is_posted(
    incident, responder, next_update_at
):
    events_before = incident.timeline.count()

    with pytest.raises(ValidationFailed) as error:
        post(incident, responder, next_update_at=next_update_at)

    assert "next_update_at" in error.value.field_errors
    assert not StakeholderUpdate.objects.exists()
    assert incident.timeline.count() == events_before


def test_a_next_update_more_than_a_day_away_is_rejected(incident, responder):
    with pytest.raises(ValidationFailed) as error:
        post(incident, responder, next_update_at=T0 + timedelta(hours=25))

    assert "next_update_at" in error.value.field_errors


def test_each_update_writes_one_timeline_event(incident, responder):
    update = post(incident, responder, "Customers see errors at checkout.", audience="external")

    events = list(incident.timeline.filter(kind="stakeholder_update"))
    assert len(events) == 1
    assert events[0].body == "Customers see errors at checkout."
    assert events[0].data["update_id"] == update.pk
    assert events[0].data["audience"] == "external"


def test_a_viewer_cannot_post_an_update(incident, viewer):
    with pytest.raises(PermissionDenied):
        post(incident, viewer)

    assert not StakeholderUpdate.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("audience", "everyone"), ("kind", "gossip")])
def test_unknown_audience_or_kind_is_rejected(incident, responder, field, value):
    with pytest.raises(ValidationFailed) as error:
        post(incident, responder, **{field: value})

    assert field in error.value.field_errors


def test_after_mitigation_updates_promise_no_next_one(incident, responder):
    services.incident_mitigate(incident=incident, user=responder)

    update = post(incident, responder, "Recovered; watching.")

    assert update.next_update_at is None
    incident.refresh_from_db()
    assert incident.next_update_due_at is None
    assert pending_update_reminders(incident) == []


# --- the all-clear and the root-cause follow-up ----------------------------------------------------


def test_an_all_clear_must_say_whether_a_follow_up_will_come(incident, responder):
    with pytest.raises(ValidationFailed) as error:
        post(incident, responder, "All clear.", kind="resolution")

    assert "follow_up_expected" in error.value.field_errors
    assert not StakeholderUpdate.objects.exists()


def test_an_all_clear_cannot_promise_another_update(incident, responder):
    with pytest.raises(ValidationFailed, match="next update time"):
        post(
            incident,
            responder,
            "All clear.",
            kind="resolution",
            follow_up_expected=True,
            next_update_at=T0 + 30 * MINUTE,
        )


@pytest.mark.parametrize("follow_up_expected", [True, False])
def test_an_all_clear_ends_the_updates(incident, responder, follow_up_expected):
    post(incident, responder)

    update = post(
        incident, responder, "All clear.", kind="resolution", follow_up_expected=follow_up_expected
    )

    assert update.follow_up_expected is follow_up_expected
    assert update.next_update_at is None
    incident.refresh_from_db()
    assert incident.next_update_due_at is None
    assert pending_update_reminders(incident) == []


def test_a_follow_up_needs_an_all_clear_first(incident, responder):
    with pytest.raises(ValidationFailed, match="all-clear"):
        post(incident, responder, "Root cause: a bad config push.", kind="follow_up")

    assert not StakeholderUpdate.objects.exists()


def test_a_follow_up_after_the_all_clear_is_posted(incident, responder, clock):
    post(incident, responder, "All clear.", kind="resolution", follow_up_expected=True)
    clock.move_to(T0 + timedelta(days=2), tick=False)

    follow_up = post(incident, responder, "Root cause: a bad config push.", kind="follow_up")

    assert follow_up.kind == "follow_up"
    assert follow_up.posted_at == T0 + timedelta(days=2)
    assert follow_up.next_update_at is None
    assert follow_up.follow_up_expected is None
    assert list(incident.updates.values_list("kind", flat=True)) == ["resolution", "follow_up"]
