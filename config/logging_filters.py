"""Logging filters that keep secrets out of log files."""

from __future__ import annotations

import logging
import re

# An alert webhook's URL is its credential: /hooks/<kind>/<token>/ (oncall/webhook_urls.py).
_WEBHOOK_SECRET_PATH = re.compile(r"(/hooks/[\w-]+/)[^/\s\"'?]+")


def scrub_secret_paths(text: str) -> str:
    return _WEBHOOK_SECRET_PATH.sub(r"\1…", text)


class SecretPathFilter(logging.Filter):
    """Replaces the token of a webhook's secret URL in a record's message and traceback text.

    Django's request logger writes the path of every 4xx/5xx ("Internal Server Error: /hooks/…"),
    and an exception message can quote it; either would put the credential into the logs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub_secret_paths(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_secret_paths(record.exc_text)
        return True
