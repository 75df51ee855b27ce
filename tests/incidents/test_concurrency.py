"""Concurrent requests against a real server (live_server: a threaded WSGI server, real HTTP).

Each request runs in its own thread with its own database connection, as under gunicorn; on
PostgreSQL (make test-pg) these are the races that a web tier with several workers meets.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from rest_framework.authtoken.models import Token

from incidents.models import Incident
from oncall.alerts.services import alert_ingest, integration_create
from oncall.models import Alert
from postmortems.search.indexer import search_index_repair
from postmortems.search.models import SearchDocument
from tests.oncall.fixtures import payload

pytestmark = pytest.mark.django_db(transaction=True)

# Django's development server (live_server) queues 10 connections; a burst of 50 needs more, as
# gunicorn has (backlog 2048), or the kernel resets the rest before the application sees them.
# Set at import, before the session-wide live_server starts listening.
WSGIServer.request_queue_size = 128


def _post_all(url: str, token: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    """POST every body at the same instant, one thread each; (status, JSON) in order."""
    start = threading.Barrier(len(bodies))
    results: list[tuple[int, dict] | None] = [None] * len(bodies)

    def send(i: int, body: dict) -> None:
        request = urllib.request.Request(  # noqa: S310 - the test server on loopback
            url,
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            method="POST",
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                results[i] = (response.status, json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                results[i] = (error.code, json.loads(raw))
            except ValueError:
                results[i] = (error.code, {"raw": raw[:200].decode(errors="replace")})

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in results if r is not None]


@pytest.fixture
def token(responder) -> str:
    return Token.objects.create(user=responder).key


@pytest.mark.parametrize("count", [20, 50])
def test_simultaneous_declarations_each_get_their_own_number(live_server, token, count):
    bodies = [{"title": f"Checkout errors #{i}", "severity": "SEV3"} for i in range(count)]

    results = _post_all(f"{live_server.url}/api/v1/incidents/", token, bodies)

    assert [status for status, _ in results] == [201] * count, results
    numbers = sorted(body["number"] for _, body in results)
    assert numbers == list(range(1, count + 1))
    connection.close()
    assert Incident.objects.count() == count


def test_simultaneous_declarations_from_one_alert_leave_one_incident(live_server, token, responder):
    issued = integration_create(
        user=responder, kind="alertmanager", name="prod", service_slug="checkout"
    )
    alert_ingest(integration=issued.integration, payload=payload("alertmanager-firing.json"))
    alert = Alert.objects.order_by("pk").first()
    bodies = [
        {"title": "Checkout error rate", "severity": "SEV2", "alerts": [alert.pk]}
        for _ in range(20)
    ]

    results = _post_all(f"{live_server.url}/api/v1/incidents/", token, bodies)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * 19, results
    [incident] = Incident.objects.all()
    refusals = [body for status, body in results if status == 409]
    assert all(body["incident"] == incident.reference for body in refusals)
    assert all(body["incident_url"] == f"/incidents/{incident.number}/" for body in refusals)


def test_a_note_whose_indexing_fails_after_commit_is_still_created_and_repaired_later(
    live_server, token, responder
):
    """The note commits; the search indexer then fails (its table is gone for a moment). The
    client gets 201, not a 500 that would make it retry into a duplicate; the repair sweep
    indexes the note once the table is back."""
    from tests.factories import declare

    incident = declare(responder, title="Queue backlog", severity="SEV3")
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        results = _post_all(
            f"{live_server.url}/api/v1/incidents/{incident.pk}/timeline/",
            token,
            [{"body": "Consumers restarted; backlog draining"}],
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")

    [(status, body)] = results
    assert status == 201, body
    assert incident.timeline.filter(kind="note").count() == 1
    assert not SearchDocument.objects.filter(kind="timeline_note").exists()

    assert search_index_repair(since=incident.declared_at) >= 1
    assert SearchDocument.objects.filter(kind="timeline_note", object_id=body["id"]).exists()
