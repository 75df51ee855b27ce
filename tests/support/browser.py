"""The one Chromium for the whole test session, shared by every browser test.

Playwright's sync API runs an event loop in the test thread; a second ``sync_playwright()`` inside
it fails, so browser tests must never start their own. Django is told that synchronous database
access inside that loop is fine (it is: the loop is Playwright's, not an async view's).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session. A missing Chromium is a failure, never a skip."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), (
        f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium)."
    )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
