"""Shared fixtures: personas (admin, responder, viewer, outsider) and API clients."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory, declare

pytest_plugins = ["tests.support.browser"]


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", first_name="Ada", groups=["admin"])


@pytest.fixture
def responder(db):
    return UserFactory(username="rita", first_name="Rita", groups=["responder"])


@pytest.fixture
def other_responder(db):
    return UserFactory(username="omar", first_name="Omar", groups=["responder"])


@pytest.fixture
def viewer(db):
    return UserFactory(username="victor", first_name="Victor", groups=["viewer"])


@pytest.fixture
def outsider(db):
    """A responder who is not a member of anyone else's private incident."""
    return UserFactory(username="oscar", first_name="Oscar", groups=["responder"])


@pytest.fixture
def incident(responder):
    return declare(responder, title="Checkout returns 500s", severity="SEV2")


@pytest.fixture
def private_incident(responder):
    return declare(responder, title="Credential leak in build logs", severity="SEV1", private=True)


@pytest.fixture
def api():
    """An API client; call ``api.as_user(user)`` to authenticate."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user=user)
            return self

    return Client()
