"""Redis (broker and cache) down: Firebreak keeps serving reads and writes, and says so.

A real gunicorn process on the test database with REDIS_URL pointing at a closed port.
A declaration still answers 201 within a couple of seconds; /readyz reports the broker.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token

from incidents.models import Incident
from tests.factories import UserFactory
from tests.support.web_procs import start_web

CLOSED_REDIS = "redis://127.0.0.1:6390/0"
PORT = 8114

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def call(url: str, *, token: str, body: dict | None = None) -> tuple[int, dict, float]:
    request = urllib.request.Request(  # noqa: S310  (loopback)
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, json.loads(raw or b"{}"), time.monotonic() - started


@pytest.fixture
def web_without_redis(tmp_path):
    web = start_web(tmp_path, PORT, REDIS_URL=CLOSED_REDIS)
    yield web
    web.stop()


def test_declaring_and_reading_work_while_redis_is_down(web_without_redis):
    user = UserFactory(username="rita", groups=["responder"])
    token = Token.objects.create(user=user).key
    api = f"{web_without_redis.base_url}/api/v1"

    status, body, seconds = call(
        f"{api}/incidents/", token=token, body={"title": "Redis is down", "severity": "SEV2"}
    )

    assert status == 201, (body, web_without_redis.log()[-3000:])
    assert seconds < 3, f"the declaration took {seconds:.1f} s"
    assert Incident.objects.filter(title="Redis is down").exists()
    status, body, seconds = call(f"{api}/incidents/", token=token)
    assert status == 200 and body["count"] == 1
    assert seconds < 3
    assert "Redis" in web_without_redis.log() or "broker" in web_without_redis.log()


def test_the_web_log_in_page_answers_while_redis_is_down(web_without_redis):
    UserFactory(username="rita", groups=["responder"])

    with urllib.request.urlopen(f"{web_without_redis.base_url}/login/", timeout=30) as page:  # noqa: S310
        assert page.status == 200


def test_readyz_reports_the_broker_unhealthy_while_redis_is_down(web_without_redis):
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(f"{web_without_redis.base_url}/readyz", timeout=30)  # noqa: S310

    assert failed.value.code == 503
    checks = json.loads(failed.value.read())["checks"]
    assert checks["database"]["ok"] is True
    assert checks["broker"]["ok"] is False
