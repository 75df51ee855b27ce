"""Warm-up for a freshly started web process (deploy/gunicorn.conf.py ``when_ready``).

A Slack command to a cold worker used to take 3.9–4.7 s on a loaded machine — past Slack's 3 s —
mostly importing view modules, slack-sdk and compiling templates on the first request. With
``preload_app`` this runs once in the gunicorn master, and every forked worker inherits it.
"""

from __future__ import annotations

import time


def warm_up() -> float:
    """Import every view and compile the common templates; returns the seconds it took."""
    started = time.monotonic()
    from django.template.loader import get_template
    from django.urls import get_resolver

    resolver = get_resolver()
    _walk(resolver.url_patterns)
    for name in ("base.html", "error.html", "registration/login.html"):
        get_template(name)
    import slack_sdk  # noqa: F401
    from django.db import connections

    import incidents.slack.views  # noqa: F401  (the Slack endpoints: the 3-second budget)

    connections.close_all()  # never hand a master's connection to forked workers
    return time.monotonic() - started


def _walk(patterns) -> None:
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _walk(pattern.url_patterns)
