"""Alertmanager in HA mode: every replica delivers the same notification at the same moment."""

from __future__ import annotations

import json
import random
import threading

import pytest
from django.db import connection
from django.test import Client

from oncall.alerts.services import integration_create
from oncall.models import Alert
from tests.oncall.fixtures import payload, post, raw

REPLICAS = 3


@pytest.mark.django_db(transaction=True)
def test_simultaneous_identical_deliveries_record_each_instance_once(admin_user):
    issued = integration_create(user=admin_user, kind="alertmanager", name="HA Alertmanager")
    body = raw("alertmanager-firing.json")
    start = threading.Barrier(REPLICAS)
    statuses: list[int] = []

    def replica():
        try:
            start.wait()
            statuses.append(post(Client(), issued.url, body).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=replica) for _ in range(REPLICAS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * REPLICAS
    assert Alert.objects.count() == 2
    assert list(Alert.objects.values_list("receive_count", flat=True)) == [REPLICAS, REPLICAS]


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_overlapping_new_alerts_all_succeed(admin_user):
    """Alertmanager groups the same firing alerts differently per route and replica, so
    deliveries that share new instances arrive together, each listing them in its own order.
    Each is recorded (200), every instance once, whatever order the rows were inserted in."""
    issued = integration_create(user=admin_user, kind="alertmanager", name="Routes")
    template = payload("alertmanager-firing.json")
    first = template["alerts"][0]
    instances = []
    for i in range(60):
        alert = json.loads(json.dumps(first))
        alert["labels"]["instance"] = f"web-{i:02d}:9100"
        alert["fingerprint"] = f"{i:016x}"
        instances.append(alert)
    senders = 10
    bodies = []
    for n in range(senders):
        chosen = instances[n % 3 :: 1 + n % 2]  # overlapping subsets...
        random.Random(n).shuffle(chosen)  # ...each in its own order
        bodies.append(json.dumps(template | {"alerts": chosen}).encode())
    start = threading.Barrier(senders)
    statuses: list[int] = []

    def sender(body: bytes) -> None:
        try:
            start.wait()
            statuses.append(post(Client(), issued.url, body).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender, args=(b,)) for b in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * senders
    assert Alert.objects.count() == len(instances)
