"""Every Slack request is authenticated by signature over the raw body, within 5 minutes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from incidents.slack.models import SlackDelivery
from incidents.slack.verify import signature_is_valid
from tests.incidents.slack.conftest import signed_headers

# Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TIMESTAMP = "1531420618"
DOC_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
AT_DOC_TIME = datetime.fromtimestamp(int(DOC_TIMESTAMP), tz=UTC)


def _valid(body=DOC_BODY, timestamp=DOC_TIMESTAMP, signature=DOC_SIGNATURE, secret=DOC_SECRET):
    return signature_is_valid(secret=secret, body=body, timestamp=timestamp, signature=signature)


@time_machine.travel(AT_DOC_TIME, tick=False)
def test_slack_documented_example_verifies_at_its_time():
    assert _valid()


@time_machine.travel(AT_DOC_TIME, tick=False)
@pytest.mark.parametrize("position", [0, 57, len(DOC_BODY) // 2, len(DOC_BODY) - 1])
def test_changing_any_byte_of_the_body_fails(position):
    changed = bytearray(DOC_BODY)
    changed[position] = ord("X") if changed[position] != ord("X") else ord("Y")
    assert not _valid(body=bytes(changed))


@time_machine.travel(AT_DOC_TIME, tick=False)
def test_another_secret_or_a_changed_timestamp_fails():
    assert not _valid(secret=DOC_SECRET.replace("8f", "9f", 1))
    assert not _valid(timestamp=str(int(DOC_TIMESTAMP) + 1))
    assert not _valid(signature=DOC_SIGNATURE[:-1] + "4")
    assert not _valid(timestamp="not-a-number")
    assert not _valid(signature="")


def test_the_example_fails_once_it_is_older_than_five_minutes():
    with time_machine.travel(datetime.fromtimestamp(int(DOC_TIMESTAMP) + 299, tz=UTC), tick=False):
        assert _valid()
    with time_machine.travel(datetime.fromtimestamp(int(DOC_TIMESTAMP) + 301, tz=UTC), tick=False):
        assert not _valid()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/slack/commands", "/slack/events", "/slack/interactivity"])
def test_unsigned_or_stale_requests_get_401_and_do_nothing(client, settings, fake_slack, path):
    settings.SLACK_SIGNING_SECRET = "s3cret"
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    settings.SLACK_API_URL = fake_slack.url
    body = b'{"type": "event_callback", "event_id": "Ev1", "event": {"type": "pin_added"}}'

    unsigned = client.post(path, data=body, content_type="application/json")
    wrong_secret = client.post(
        path, data=body, content_type="application/json", **signed_headers(body, secret="other")
    )
    stale = client.post(
        path,
        data=body,
        content_type="application/json",
        **signed_headers(body, secret="s3cret", timestamp=int(AT_DOC_TIME.timestamp())),
    )

    assert [unsigned.status_code, wrong_secret.status_code, stale.status_code] == [401, 401, 401]
    assert SlackDelivery.objects.count() == 0
    assert fake_slack.calls == []


@pytest.mark.django_db
def test_url_verification_answers_the_challenge(client, slack):
    body = b'{"type": "url_verification", "token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}'
    response = client.post(
        "/slack/events", data=body, content_type="application/json", **signed_headers(body)
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
