"""Guessing passwords is slowed down: by account and by address, for the web and admin log-in;
the API's anonymous rate applies to every request that is not authenticated."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    """Counters in a private in-process cache: the lockout's expiry follows the test's clock, and
    nothing is cleared on the Redis that other test runs share."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"login-throttle-{uuid.uuid4().hex}",
        }
    }


def log_in(client, username, password, address="203.0.113.7", url="/login/"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, responder):
    for _ in range(30):
        log_in(client, "rita", "guess")

    response = log_in(client, "rita", "pw")

    assert not logged_in(client)
    assert response.status_code == 200
    assert "Too many failed log-in attempts" in response.content.decode()


def test_the_account_opens_again_after_the_lockout(client, responder, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(settings.FIREBREAK_LOGIN_FAILURES_PER_ACCOUNT):
            log_in(client, "rita", "guess")
        assert "Too many" in log_in(client, "rita", "pw").content.decode()

        traveller.shift(timedelta(minutes=settings.FIREBREAK_LOGIN_LOCKOUT_MINUTES, seconds=1))
        response = log_in(client, "rita", "pw")

    assert response.status_code == 302
    assert logged_in(client)


def test_a_few_typos_do_not_lock_anyone_out(client, responder, settings):
    for _ in range(settings.FIREBREAK_LOGIN_FAILURES_PER_ACCOUNT - 1):
        log_in(client, "rita", "guess")

    assert log_in(client, "rita", "pw").status_code == 302


def test_the_account_lock_holds_from_another_address_and_for_other_spellings(client, responder):
    for number in range(30):
        log_in(client, "rita", "guess", address=f"198.51.100.{number}")

    log_in(client, "RITA", "pw", address="192.0.2.99")

    assert not logged_in(client)


def test_one_address_trying_many_accounts_is_locked_out(client, settings):
    victim = UserFactory(username="vera")
    for number in range(settings.FIREBREAK_LOGIN_FAILURES_PER_ADDRESS):
        log_in(client, f"someone{number}", "guess")

    response = log_in(client, victim.username, "pw")

    assert not logged_in(client)
    assert "Too many failed log-in attempts" in response.content.decode()
    # Someone else's address is not affected.
    assert log_in(client, victim.username, "pw", address="192.0.2.10").status_code == 302


def test_the_admin_log_in_is_throttled_too(client, admin_user):
    for _ in range(30):
        log_in(client, "ada", "guess", url="/admin/login/")

    response = log_in(client, "ada", "pw", url="/admin/login/")

    assert not logged_in(client)
    assert "Too many failed log-in attempts" in response.content.decode()


def rates(monkeypatch, anon: str) -> None:
    """DRF reads its rates once, at import; a test sets them on the throttle classes."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": anon, "user": "1000/min"})


def test_anonymous_api_requests_are_throttled(client, monkeypatch):
    rates(monkeypatch, anon="5/min")
    statuses = [client.get("/api/v1/incidents/").status_code for _ in range(7)]

    assert statuses[:5] == [403] * 5 or statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]


def test_guessing_api_tokens_is_throttled(client, monkeypatch):
    rates(monkeypatch, anon="5/min")
    statuses = [
        client.get("/api/v1/incidents/", HTTP_AUTHORIZATION=f"Token guess{n}").status_code
        for n in range(7)
    ]

    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]


def test_an_authenticated_api_user_is_not_held_to_the_anonymous_rate(api, responder, monkeypatch):
    rates(monkeypatch, anon="2/min")
    client = api.as_user(responder)

    assert {client.get("/api/v1/incidents/").status_code for _ in range(5)} == {200}
