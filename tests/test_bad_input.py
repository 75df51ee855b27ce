"""Input no database or parser can take gets a clear 400 with a message — never a 500.

Run on both databases: PostgreSQL refuses NUL characters in text (the 500 seen from outside),
SQLite would store them; either way the client is told, and nothing is written.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.test import override_settings
from django.urls import path

from oncall.alerts.services import integration_create
from oncall.models import Alert
from tests.oncall.fixtures import payload, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def alertmanager(admin_user):
    return integration_create(user=admin_user, kind="alertmanager", name="Prod Alertmanager")


def _says_nul(response) -> None:
    assert response.status_code == 400, response.content
    assert "NUL" in response.json()["detail"]


def test_a_nul_character_in_a_webhook_alert_field_is_refused_and_nothing_recorded(
    client, alertmanager
):
    body = payload("alertmanager-firing.json")
    body["alerts"][0]["labels"]["alertname"] = "Checkout\x00ErrorRate"

    response = post(client, alertmanager.url, body)

    _says_nul(response)
    assert response.json()["errors"] == {
        "alerts.0.labels.alertname": ["Null characters are not allowed."]
    }
    assert not Alert.objects.exists()


@pytest.mark.parametrize("query", ["status=open%00", "owner=%00", "status=\x00"])
def test_a_nul_character_in_an_action_item_filter_is_refused(api, responder, query):
    response = api.as_user(responder).get(f"/api/v1/action-items/?{query}")

    _says_nul(response)


def test_a_nul_character_in_similar_incidents_services_is_refused(client, responder):
    client.force_login(responder)

    response = client.get("/incidents/similar/?services=check%00out")

    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_backslash_u_in_a_query_is_only_text(api, responder):
    response = api.as_user(responder).get("/api/v1/action-items/?owner=%5Cu0000")

    assert response.status_code != 400 or "NUL" not in response.json()["detail"]


def test_json_nested_two_thousand_deep_is_refused_with_a_message(api, responder):
    deep = "[" * 2000 + "]" * 2000

    response = api.as_user(responder).post(
        "/api/v1/incidents/", data=deep, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    assert "nested" in response.json()["detail"]


def test_deep_json_to_a_webhook_is_refused_and_nothing_recorded(client, alertmanager):
    deep = '{"alerts": ' + "[" * 2000 + "]" * 2000 + "}"

    response = post(client, alertmanager.url, deep)

    assert response.status_code == 400, response.content
    assert "nested" in response.json()["detail"]
    assert not Alert.objects.exists()


def test_closing_brackets_inside_a_string_do_not_hide_deep_nesting(client, alertmanager):
    deep = '{"note": "' + "]}" * 2000 + r'\\", "alerts": ' + "[" * 2000 + "]" * 2000 + "}"

    response = post(client, alertmanager.url, deep)

    assert response.status_code == 400, response.content
    assert "nested" in response.json()["detail"]
    assert not Alert.objects.exists()


def test_ordinary_json_with_brackets_and_escapes_still_passes(api, responder):
    body = {
        "title": "Queue [primary] stuck \\u0000 text",
        "severity": "SEV3",
        "summary": "[]" * 300,
    }

    response = api.as_user(responder).post("/api/v1/incidents/", data=body, format="json")

    assert response.status_code == 201, response.content


def test_a_ten_megabyte_api_body_gets_a_json_error(api, responder):
    body = json.dumps({"title": "x" * (10 * 1024 * 1024), "severity": "SEV3"})

    response = api.as_user(responder).post(
        "/api/v1/incidents/", data=body, content_type="application/json"
    )

    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json")
    assert "large" in response.json()["detail"]


def test_unknown_api_paths_answer_json(api, responder):
    response = api.as_user(responder).get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def _explode(request, kind, token):
    raise RuntimeError("the database went away")


urlpatterns = [path("hooks/<slug:kind>/<str:token>/", _explode)]
handler500 = "config.error_views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_on_a_webhook_never_logs_its_secret_url(client, caplog):
    secret = "s3cr3t-token-abcdefghijklmnop"
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post(f"/hooks/alertmanager/{secret}/", data={})

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert caplog.records, "the 500 is still logged"
    logged = "\n".join(handler_format(r) for r in caplog.records)
    assert secret not in logged
    assert "/hooks/alertmanager/" in logged


def handler_format(record: logging.LogRecord) -> str:
    """What a log handler would write for the record (message and traceback)."""
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text
