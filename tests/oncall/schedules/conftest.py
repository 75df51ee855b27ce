"""Shared by the schedule tests: the responder personas (rita, omar) are members of the team that
owns the schedules' services (tests.oncall.schedules.support), so they manage those schedules;
``clock`` stands on Wednesday 8 January 2025, 12:00 UTC (modules that need another moment define
their own); ``people`` are ana, ben, cat and dev, responders in UTC."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.oncall.schedules.support import person, team_of, utc


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(utc(2025, 1, 8, 12), tick=False)  # a Wednesday
    return time_machine


@pytest.fixture
def people(db):
    return {name: person(name) for name in ("ana", "ben", "cat", "dev")}


@pytest.fixture
def responder(db):
    rita = UserFactory(username="rita", first_name="Rita", groups=["responder"])
    team_of(rita)
    return rita


@pytest.fixture
def other_responder(db):
    omar = UserFactory(username="omar", first_name="Omar", groups=["responder"])
    team_of(omar)
    return omar
