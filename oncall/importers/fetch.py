"""Read a vendor's live REST API into the same shape as an export file (one key per collection).

Each vendor's own auth header and pagination: PagerDuty ``Authorization: Token token=…`` with
``offset``/``limit`` and ``more``; Opsgenie ``Authorization: GenieKey …`` with ``paging.next``;
Grafana OnCall ``Authorization: <token>`` with ``next``. Every request is a GET; pages are capped
so a misbehaving server cannot keep us reading forever.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlencode, urljoin, urlsplit

MAX_PAGES = 500
TIMEOUT_SECONDS = 30


class FetchError(Exception):
    """The API could not be read; the message says which request and why."""


class _Client:
    def __init__(self, base_url: str, headers: dict[str, str]):
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise FetchError(f"--api-url must be an http(s) URL, not {base_url!r}.")
        self.base = base_url.rstrip("/") + "/"
        self.headers = {"Accept": "application/json", **headers}

    def get(self, path_or_url: str, params: dict | None = None) -> dict:
        url = urljoin(self.base, path_or_url.lstrip("/"))
        if urlsplit(url).netloc != urlsplit(self.base).netloc:
            raise FetchError(f"The API sent us to another host ({url}); not following it.")
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params, doseq=True)
        request = urllib.request.Request(url, headers=self.headers)  # noqa: S310 (http(s) only, checked above)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return json.load(response)
        except urllib.error.HTTPError as exc:
            hint = " (check --api-token)" if exc.code in (401, 403) else ""
            raise FetchError(f"GET {url} answered {exc.code} {exc.reason}{hint}.") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise FetchError(f"GET {url} failed: {exc}.") from None
        except ValueError:
            raise FetchError(f"GET {url} did not answer JSON.") from None


def pagerduty(base_url: str, token: str, *, now: datetime) -> dict:
    client = _Client(
        base_url,
        {
            "Authorization": f"Token token={token}",
            "Accept": "application/vnd.pagerduty+json;version=2",
        },
    )

    def collection(path: str, key: str) -> list[dict]:
        items, offset = [], 0
        for _ in range(MAX_PAGES):
            page = client.get(path, {"limit": 100, "offset": offset})
            items.extend(page.get(key, []))
            if not page.get("more"):
                return items
            offset += len(page.get(key, [])) or 100
        raise FetchError(f"{path} has more than {MAX_PAGES} pages.")

    # The list leaves the layers out; one GET per schedule, rendered four weeks ahead so the
    # overrides in force are in ``overrides_subschedule``.
    window = {"since": now.isoformat(), "until": (now + timedelta(weeks=4)).isoformat()}
    schedules = [
        client.get(f"schedules/{s['id']}", window)["schedule"]
        for s in collection("schedules", "schedules")
    ]
    return {
        "users": collection("users", "users"),
        "schedules": schedules,
        "escalation_policies": collection("escalation_policies", "escalation_policies"),
        "services": collection("services", "services"),
    }


def opsgenie(base_url: str, token: str, *, now: datetime) -> dict:
    client = _Client(base_url, {"Authorization": f"GenieKey {token}"})

    def collection(path: str, params: dict | None = None) -> list[dict]:
        items, page = [], client.get(path, params)
        for _ in range(MAX_PAGES):
            items.extend(page.get("data", []))
            following = (page.get("paging") or {}).get("next")
            if not following:
                return items
            page = client.get(following)
        raise FetchError(f"{path} has more than {MAX_PAGES} pages.")

    # The team list leaves the members out: one GET per team.
    teams = [client.get(f"v2/teams/{t['id']}")["data"] for t in collection("v2/teams")]
    return {
        "users": collection("v2/users", {"limit": 100}),
        "teams": teams,
        "schedules": collection("v2/schedules", {"expand": "rotation"}),
        "escalations": collection("v2/escalations"),
    }


def grafana_oncall(base_url: str, token: str, *, now: datetime) -> dict:
    client = _Client(base_url, {"Authorization": token})

    def collection(path: str) -> list[dict]:
        items, page = [], client.get(path)
        for _ in range(MAX_PAGES):
            items.extend(page.get("results", []))
            if not page.get("next"):
                return items
            page = client.get(page["next"])
        raise FetchError(f"{path} has more than {MAX_PAGES} pages.")

    names = (
        "users",
        "schedules",
        "on_call_shifts",
        "escalation_chains",
        "escalation_policies",
        "integrations",
    )
    return {name: collection(f"api/v1/{name}/") for name in names}


FETCHERS = {"pagerduty": pagerduty, "opsgenie": opsgenie, "grafana-oncall": grafana_oncall}
