"""The one Slack client: retries what may pass, records what never will, over real HTTP."""

from __future__ import annotations

import pytest

from incidents.slack.client import (
    SlackError,
    SlackPermanentError,
    SlackTransientError,
    slack_call,
)
from incidents.slack.models import SlackApiFailure

pytestmark = pytest.mark.django_db


def test_a_call_reaches_slack_with_the_bot_token_and_its_arguments(slack):
    answer = slack_call("chat.postMessage", channel="C1", text="hello")

    assert answer["ok"] is True
    assert slack.calls_to("chat.postMessage") == [{"channel": "C1", "text": "hello"}]


def test_a_rate_limit_is_waited_out_honouring_retry_after(slack):
    slack.rate_limit("chat.postMessage", times=1)

    answer = slack_call("chat.postMessage", channel="C1", text="hello")

    assert answer["ok"] is True
    assert len(slack.calls_to("chat.postMessage")) == 2  # the 429, then the retry


def test_a_permanent_error_is_recorded_on_the_incident_and_not_retried(slack, incident):
    slack.fail("chat.postMessage", "channel_not_found")

    with pytest.raises(SlackPermanentError):
        slack_call("chat.postMessage", incident=incident, channel="C404", text="hello")

    assert len(slack.calls_to("chat.postMessage")) == 1
    failure = SlackApiFailure.objects.get(incident=incident)
    assert (failure.method, failure.error) == ("chat.postMessage", "channel_not_found")
    assert "channel=C404" in failure.detail


def test_other_slack_errors_go_back_to_the_caller_unrecorded(slack):
    slack.fail("conversations.create", "name_taken")

    with pytest.raises(SlackError) as raised:
        slack_call("conversations.create", name="inc-1")

    assert raised.value.error == "name_taken"
    assert SlackApiFailure.objects.count() == 0


def test_an_unreachable_slack_is_a_transient_error(settings, slack):
    slack.stop()
    settings.SLACK_API_URL = slack.url  # nothing listens there any more
    slack.start()  # a new server on another port for the fixture's teardown

    with pytest.raises(SlackTransientError):
        slack_call("chat.postMessage", channel="C1", text="hello")


def test_slack_failures_are_shown_on_the_incident_page(client, slack, responder, incident):
    slack.fail("pins.add", "not_in_channel")
    with pytest.raises(SlackPermanentError):
        slack_call("pins.add", incident=incident, channel="C1", timestamp="1.2")
    client.force_login(responder)

    page = client.get(f"/incidents/{incident.number}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "not_in_channel" in html and "pins.add" in html
