"""Issue-tracker links on action items: Jira, GitHub and Linear URLs shown with their key."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_JIRA = re.compile(r"/browse/([A-Z][A-Z0-9_]+-\d+)(?:/|$)")
_JIRA_QUERY = re.compile(r"(?:^|&)selectedIssue=([A-Z][A-Z0-9_]+-\d+)(?:&|$)")
_GITHUB = re.compile(r"^/([^/]+)/([^/]+)/(?:issues|pull)/(\d+)(?:/|$)")
_LINEAR = re.compile(r"^/[^/]+/issue/([A-Z][A-Z0-9]+-\d+)(?:/|$)")


def tracker_name(url: str) -> str:
    """``jira``, ``github``, ``linear`` or ``""`` for any other link."""
    return _parse(url)[0]


def tracker_key(url: str) -> str:
    """The issue key a tracker shows: ``OPS-123`` (Jira, Linear) or ``owner/repo#12`` (GitHub)."""
    return _parse(url)[1]


def _parse(url: str) -> tuple[str, str]:
    if not url:
        return "", ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower()
    if host == "github.com":
        match = _GITHUB.match(parts.path)
        if match:
            return "github", f"{match.group(1)}/{match.group(2)}#{match.group(3)}"
        return "github", ""
    if host == "linear.app":
        match = _LINEAR.match(parts.path)
        return "linear", match.group(1) if match else ""
    match = _JIRA.search(parts.path) or _JIRA_QUERY.search(parts.query)
    if match:
        return "jira", match.group(1)
    return "", ""
