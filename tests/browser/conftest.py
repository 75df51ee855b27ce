"""Browser tests: Debian's Chromium driven by Playwright's sync API against ``live_server``.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse
synchronous database access unless told that this is fine (it is: the loop is Playwright's).
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _groups_exist(transactional_db):
    """Transactional tests flush the database, including the groups a data migration made."""
    from django.contrib.auth.models import Group

    from oncall.access import GROUPS

    for name in GROUPS:
        Group.objects.get_or_create(name=name)
