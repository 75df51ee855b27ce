"""Fixtures for the paging-channel tests: local fake providers over real HTTP, the channels
pointed at them, and a payments team whose primary is paged for a critical alert."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from twilio.request_validator import RequestValidator

from oncall.channels.services import contact_method_add
from oncall.escalation.paging import page_fire, pages_claim_due
from oncall.models import NotificationDelivery, Page
from oncall.people.services import notification_delivery_attempt
from tests.oncall.channels.fakes import FakeNtfy, FakeProvider, FakeTeams, FakeTwilio
from tests.oncall.escalation.support import (
    fire,
    generic_integration,
    on_call,
    payments_team,
    three_step_policy,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "twilio-test-auth-token"
FROM_NUMBER = "+15005550006"


def _serve(fake):
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_twilio():
    yield from _serve(FakeTwilio())


@pytest.fixture
def fake_ntfy():
    yield from _serve(FakeNtfy())


@pytest.fixture
def fake_teams():
    yield from _serve(FakeTeams())


@pytest.fixture
def fake_provider():
    yield from _serve(FakeProvider())


@pytest.fixture
def channels(settings, fake_twilio, fake_ntfy, fake_teams, fake_provider):
    """Every channel on, each pointed at its local fake."""
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER = FROM_NUMBER
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_API_URL = fake_twilio.url
    settings.NTFY_URL = fake_ntfy.url
    settings.NTFY_TOKEN = "tk_test"
    settings.FIREBREAK_SMS_WEBHOOK_URL = fake_provider.url + "/sms"
    settings.FIREBREAK_CHANNEL_TIMEOUT_SECONDS = 2
    settings.FIREBREAK_TEAMS_URL_HOSTS = ["127.0.0.1"]

    class Fakes:
        twilio = fake_twilio
        ntfy = fake_ntfy
        teams = fake_teams
        provider = fake_provider

    return Fakes


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)

    class Clock:
        def at(self, when):
            time_machine.move_to(when, tick=False)

    return Clock()


@pytest.fixture
def team(admin_user, clock):
    """``(schedule, dev, primary, secondary)`` with a three-step policy on payments."""
    schedule, dev = payments_team(admin_user, date(2026, 2, 23))
    primary, secondary = on_call(schedule, T0)
    three_step_policy(admin_user, schedule, dev)
    return schedule, dev, primary, secondary


@pytest.fixture
def page_alert(django_capture_on_commit_callbacks, admin_user, team):
    """Fire a critical alert on payments and run the beat's paging sweep once."""
    integration = generic_integration(admin_user)

    def page_alert(**kwargs):
        kwargs.setdefault("at", T0)
        with django_capture_on_commit_callbacks(execute=True):
            alert = fire(integration, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            fired = sweep()
        return alert, fired

    return page_alert


def sweep() -> list[Page]:
    """One beat tick of paging: claim the due pages and fire each."""
    return [page_fire(page_id=pk) for pk in pages_claim_due()]


def run_deliveries(django_capture_on_commit_callbacks) -> list[NotificationDelivery]:
    """What the workers do with queued deliveries: attempt every due one, again until none is
    left (a failover queues the next channel). Returns the attempted deliveries."""
    attempted = []
    for _ in range(20):
        due = list(
            NotificationDelivery.objects.filter(
                status=NotificationDelivery.Status.PENDING, next_attempt_at__isnull=True
            ).values_list("pk", flat=True)
        )
        if not due:
            break
        for pk in due:
            with django_capture_on_commit_callbacks(execute=True):
                result = notification_delivery_attempt(delivery_id=pk)
            if result is not None:
                attempted.append(result)
    return attempted


@pytest.fixture
def deliver_all(django_capture_on_commit_callbacks):
    return lambda: run_deliveries(django_capture_on_commit_callbacks)


def add_methods(user, *methods: tuple[str, str]) -> None:
    for kind, address in methods:
        contact_method_add(user=user, kind=kind, address=address)


def twilio_post(client, path: str, params: dict, *, token: str = AUTH_TOKEN, base: str):
    """POST like Twilio does: form-encoded, signed over our public URL and the parameters."""
    signature = RequestValidator(token).compute_signature(base + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
