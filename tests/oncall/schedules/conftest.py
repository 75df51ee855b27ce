"""In the schedule tests the responder personas (rita, omar) are members of the team that owns the
schedules' services (tests.oncall.schedules.support), so they manage those schedules."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.oncall.schedules.support import team_of


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
