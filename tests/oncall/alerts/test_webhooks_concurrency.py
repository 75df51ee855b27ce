"""Alertmanager in HA mode: every replica delivers the same notification at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from oncall.alerts.services import integration_create
from oncall.models import Alert
from tests.oncall.fixtures import post, raw

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
