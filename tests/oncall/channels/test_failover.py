"""Failover (issue 20): a page that fails on one channel goes out on the person's next channel
at once; when every channel fails, the escalation's next step is paged now and the failure is on
the page. Each channel goes out at most once per page, whatever is replayed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncall.channels.services import contact_method_move_up
from oncall.escalation.paging import page_channels_failed
from oncall.models import ContactMethod, NotificationDelivery, Page
from oncall.people.services import notification_delivery_attempt
from tests.oncall.channels.conftest import T0, add_methods, sweep

pytestmark = pytest.mark.django_db

PHONE = "+4915112345678"


def deliveries_of(person) -> dict[str, NotificationDelivery]:
    return {
        d.transport: d
        for d in NotificationDelivery.objects.filter(
            notification__recipient=person, notification__key__startswith="page:"
        )
    }


def test_only_the_first_channel_goes_out_when_it_works(channels, team, page_alert, deliver_all):
    _, _, primary, _ = team
    add_methods(
        primary, ("push", "ana-pager-7f3k"), ("sms", PHONE), ("teams", channels.teams.url + "/w")
    )
    page_alert()
    deliver_all()

    assert len(channels.ntfy.requests) == 1
    assert channels.twilio.requests == [] and channels.teams.requests == []
    assert deliveries_of(primary)["push"].status == "sent"
    assert "sms" not in deliveries_of(primary)  # never needed
    assert deliveries_of(primary)["email"].status == "sent"  # e-mail goes out as before


def test_a_failing_provider_fails_over_to_the_next_channel_at_once(
    channels, team, page_alert, deliver_all
):
    _, _, primary, secondary = team
    add_methods(primary, ("sms", PHONE), ("push", "ana-pager-7f3k"))
    channels.twilio.fail_invalid_number()
    page_alert()
    deliver_all()

    sent = deliveries_of(primary)
    assert sent["sms"].status == "failed" and "21211" in sent["sms"].last_error
    assert sent["push"].status == "sent"
    assert len(channels.twilio.requests) == 1 and len(channels.ntfy.requests) == 1
    # Reached on push: the escalation keeps its delay (the secondary in 5 minutes, not now).
    [waiting] = Page.objects.filter(status=Page.Status.PENDING)
    assert waiting.person == secondary and waiting.due_at == T0 + timedelta(minutes=5)


def test_a_provider_that_times_out_fails_over_without_waiting_for_a_retry(
    channels, team, page_alert, deliver_all
):
    _, _, primary, _ = team
    add_methods(primary, ("sms_webhook", PHONE), ("push", "ana-pager-7f3k"))
    channels.provider.delay = 3  # longer than FIREBREAK_CHANNEL_TIMEOUT_SECONDS (2 in tests)
    page_alert()
    deliver_all()

    sent = deliveries_of(primary)
    assert sent["sms_webhook"].status == "failed"
    assert "did not answer in time" in sent["sms_webhook"].last_error
    assert sent["push"].status == "sent"


def test_when_every_channel_fails_the_next_step_is_paged_at_once_and_the_page_says_why(
    channels, team, page_alert, deliver_all, django_capture_on_commit_callbacks
):
    _, _, primary, secondary = team
    add_methods(
        primary, ("sms", PHONE), ("push", "ana-pager-7f3k"), ("teams", channels.teams.url + "/w")
    )
    add_methods(secondary, ("push", "ben-pager-9q2m"))
    channels.twilio.fail_invalid_number()
    channels.ntfy.answer_next(500, {"code": 50001, "http": 500, "error": "internal error"})
    channels.teams.answer_next(404, {"error": {"code": "WorkflowNotFound"}})
    alert, [first] = page_alert()
    deliver_all()

    first.refresh_from_db()
    assert first.channels_failed_at == T0
    assert first.outcome.startswith("Every channel failed (")
    for reason in ("21211", "HTTP 500", "HTTP 404"):
        assert reason in first.outcome
    [next_page] = Page.objects.filter(status=Page.Status.PENDING)
    assert next_page.person == secondary and next_page.due_at == T0  # not T0 + 5 min
    assert page_channels_failed(page_id=first.pk) == 0  # a replayed signal changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        [escalated] = sweep()  # the very next beat tick, still at T0
    deliver_all()
    assert escalated.person == secondary and escalated.status == Page.Status.SENT
    assert [r.json["topic"] for r in channels.ntfy.requests] == ["ana-pager-7f3k", "ben-pager-9q2m"]
    # Exactly one delivery per channel per page.
    assert len(channels.twilio.requests) == 1 and len(channels.teams.requests) == 1


def test_replays_never_send_a_channel_twice(channels, team, page_alert, deliver_all):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE), ("push", "ana-pager-7f3k"))
    channels.twilio.fail_invalid_number()
    alert, [page] = page_alert()
    deliver_all()

    for delivery in NotificationDelivery.objects.all():  # a replayed task for every row
        assert notification_delivery_attempt(delivery_id=delivery.pk) is None
    deliver_all()

    assert len(channels.twilio.messages()) == 1 and len(channels.ntfy.requests) == 1
    assert sorted(deliveries_of(primary)) == ["email", "push", "sms", "web"]


def test_the_order_is_the_persons_and_can_be_changed(channels, team, page_alert, deliver_all):
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE), ("push", "ana-pager-7f3k"))
    push = ContactMethod.objects.get(user=primary, kind="push")
    contact_method_move_up(user=primary, method_id=push.pk)
    page_alert()
    deliver_all()

    assert len(channels.ntfy.requests) == 1 and channels.twilio.requests == []


def test_a_channel_turned_off_for_pages_is_skipped(channels, team, page_alert, deliver_all):
    from oncall.people.services import notification_preferences_update

    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE), ("push", "ana-pager-7f3k"))
    notification_preferences_update(
        user=primary,
        high_transports=["email", "push"],
        low_transports=["email"],
        quiet_hours_enabled=False,
    )
    page_alert()
    deliver_all()

    assert channels.twilio.requests == [] and len(channels.ntfy.requests) == 1


def test_someone_reached_at_the_same_step_keeps_the_escalation_waiting(
    channels, team, page_alert, deliver_all
):
    # Two people paged together at one step: one unreachable, the other reached.
    _, _, primary, _ = team
    add_methods(primary, ("sms", PHONE))
    channels.twilio.fail_invalid_number()
    alert, [page] = page_alert()
    other = Page.objects.create(
        alert=alert,
        policy=page.policy,
        step_index=0,
        repeat=0,
        person=team[1],
        due_at=T0,
        status=Page.Status.SENT,
    )
    deliver_all()

    page.refresh_from_db()
    assert page.channels_failed_at is not None and other.channels_failed_at is None
    [waiting] = Page.objects.filter(status=Page.Status.PENDING)
    assert waiting.due_at == T0 + timedelta(minutes=5)
