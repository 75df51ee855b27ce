"""REST API authentication: tokens (drf_create_token) and the web session."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from incidents.models import Incident


@pytest.fixture
def rita_token(responder) -> str:
    out = StringIO()
    call_command("drf_create_token", "rita", stdout=out)
    token = Token.objects.get(user=responder).key
    assert token in out.getvalue()
    return token


def test_a_token_from_drf_create_token_declares_an_incident(rita_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {rita_token}")

    response = client.post(
        "/api/v1/incidents/", {"title": "Queue backlog", "severity": "SEV3"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["roles"][0]["user"] == "rita"
    assert Incident.objects.get().declared_by.username == "rita"


def test_a_token_sees_what_its_owner_may_see(rita_token, private_incident, outsider):
    call_command("drf_create_token", "oscar", stdout=StringIO())
    rita, oscar = APIClient(), APIClient()
    rita.credentials(HTTP_AUTHORIZATION=f"Token {rita_token}")
    oscar.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=outsider).key}")

    assert rita.get(f"/api/v1/incidents/{private_incident.pk}/").status_code == 200
    assert oscar.get(f"/api/v1/incidents/{private_incident.pk}/").status_code == 404


def test_a_wrong_token_is_a_401_with_a_message(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = client.get("/api/v1/incidents/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_no_credentials_is_refused_with_a_message(db):
    response = APIClient().post(
        "/api/v1/incidents/", {"title": "x", "severity": "SEV2"}, format="json"
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "credentials" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_the_web_session_reads_the_api_and_writes_only_with_the_csrf_token(responder):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="rita", password="pw")

    assert client.get("/api/v1/incidents/").status_code == 200
    refused = client.post("/api/v1/incidents/", {"title": "x", "severity": "SEV2"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Incident.objects.exists()
