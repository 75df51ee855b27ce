"""The profile page: a person sets their time zone, Slack user id and e-mail."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_profile_shows_the_current_settings(client, responder):
    responder.timezone = "Europe/Berlin"
    responder.slack_user_id = "U024BE7LH"
    responder.save()
    client.force_login(responder)
    page = client.get("/profile/").content.decode()
    assert '<option value="Europe/Berlin" selected>' in page
    assert 'value="U024BE7LH"' in page
    assert 'value="rita@example.com"' in page


def test_saving_the_profile_changes_the_zone_times_are_shown_in(client, responder):
    client.force_login(responder)
    response = client.post(
        "/profile/",
        {
            "timezone": "America/Sao_Paulo",
            "slack_user_id": "U0G9QF9C6",
            "email": "rita@example.org",
        },
    )
    assert response.status_code == 302
    responder.refresh_from_db()
    assert (responder.timezone, responder.slack_user_id, responder.email) == (
        "America/Sao_Paulo",
        "U0G9QF9C6",
        "rita@example.org",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Profile saved. Times are shown in America/Sao_Paulo." in page


def test_a_malformed_slack_id_is_shown_on_the_form_and_nothing_changes(client, responder):
    client.force_login(responder)
    response = client.post(
        "/profile/", {"timezone": "Europe/Berlin", "slack_user_id": "rita", "email": ""}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your profile was not saved." in page
    assert "A Slack user id looks like U024BE7LH." in page
    responder.refresh_from_db()
    assert responder.timezone == "UTC"
    assert responder.slack_user_id == ""


def test_an_unknown_time_zone_is_refused(client, responder):
    client.force_login(responder)
    response = client.post("/profile/", {"timezone": "Mars/Olympus_Mons", "slack_user_id": ""})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    responder.refresh_from_db()
    assert responder.timezone == "UTC"


def test_a_malformed_email_is_refused(client, responder):
    client.force_login(responder)
    response = client.post("/profile/", {"timezone": "UTC", "email": "not-an-address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_logging_in_and_out_through_the_pages(client, responder):
    response = client.post("/login/", {"username": "rita", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == "/incidents/"
    assert "Log out" in client.get("/incidents/").content.decode()

    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/incidents/").status_code == 302


def test_a_wrong_password_is_explained(client, responder):
    response = client.post("/login/", {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
