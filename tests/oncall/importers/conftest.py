"""Shared for the importer tests: the people who already have accounts, a frozen clock, and a
helper that runs ``manage.py import_oncall`` and returns what it printed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from tests.factories import UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
# A Monday in winter: the four weeks after it cross no daylight-saving change anywhere used.
NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


def fixture_path(name: str) -> Path:
    return FIXTURES / name


def load(name: str) -> dict:
    return json.loads(fixture_path(name).read_text(encoding="utf-8"))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def team(db):
    """Alice, Bob and Carol already work here; Dan does not have an account yet."""
    return {
        name: UserFactory(username=name, email=f"{name}@example.com", groups=["responder"])
        for name in ("alice", "bob", "carol")
    } | {"ada": UserFactory(username="ada", email="ada@example.com", groups=["admin"])}


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_oncall", *args, "--as", "ada", stdout=out)
    return out.getvalue()


def assert_same_oncall(*, vendor: str, expected_email, start, weeks: int = 4) -> int:
    """For every imported schedule of ``vendor``, every half hour over ``weeks`` from ``start``:
    our primary's e-mail equals ``expected_email(external_schedule_id, instant)``. Returns how
    many instants were compared."""
    from datetime import timedelta

    from oncall.importers.models import ImportedObject
    from oncall.schedules.models import Schedule
    from oncall.schedules.rotations import Layer, holder_at
    from oncall.schedules.selectors import oncall_at
    from oncall.schedules.shifts import effective_shifts

    checked = 0
    for row in ImportedObject.objects.filter(vendor=vendor, kind="schedule"):
        schedule = Schedule.objects.get(pk=row.object_id)
        shifts = effective_shifts(schedule, start, start + timedelta(weeks=weeks))
        for step in range(weeks * 7 * 48):
            at = start + timedelta(minutes=30 * step)
            ours = holder_at(shifts, Layer.PRIMARY, at)
            expected = expected_email(row.external_id, at)
            assert ours is not None and ours.email.lower() == expected, (schedule.slug, at)
            if step % 48 == 0:  # and the read the pages and the Slack bot use, once a day
                assert oncall_at(schedule=schedule, at=at).primary == ours
            checked += 1
    return checked
