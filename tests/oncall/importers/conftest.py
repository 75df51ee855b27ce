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
