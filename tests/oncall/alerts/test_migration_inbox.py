"""Migration 0009 (the inbox): alerts recorded before it get their superseded flags, so an
upgraded installation lists each alert once.

Migrating needs a transactional test; ``serialized_rollback`` puts back what the data migrations
wrote (groups, postmortem templates) for the tests that run after it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("oncall", "0008_merge_0007_contact_methods_0007_imported_objects")]
AFTER = [("oncall", "0009_alert_inbox")]


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_marks_every_firing_but_the_newest_of_each_alert_superseded():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Integration = apps.get_model("oncall", "Integration")
    Alert = apps.get_model("oncall", "Alert")
    integration = Integration.objects.create(kind="generic", name="old", token_hash="x" * 64)
    for fingerprint, day in [("queue", 2), ("queue", 4), ("queue", 3), ("backup", 1)]:
        Alert.objects.create(
            integration=integration,
            fingerprint=fingerprint,
            fired_at=at(day),
            name=fingerprint,
            first_received_at=at(day),
            last_received_at=at(day),
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    Alert = executor.loader.project_state(AFTER).apps.get_model("oncall", "Alert")

    flags = {(a.fingerprint, a.fired_at.day): a.superseded for a in Alert.objects.all()}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # every migration again, also others'
    assert flags == {
        ("queue", 2): True,
        ("queue", 3): True,
        ("queue", 4): False,
        ("backup", 1): False,
    }
