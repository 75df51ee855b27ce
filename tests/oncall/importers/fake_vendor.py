"""A local stand-in for the three vendors' REST APIs over real HTTP (127.0.0.1, any free port):
it serves the recorded fixtures with each vendor's auth header check and pagination shape, two
items a page so that every collection takes several requests, and records every request."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.oncall.importers.conftest import load

PAGE = 2
TOKENS = {
    "pagerduty": "Token token=pd-secret",
    "opsgenie": "GenieKey og-secret",
    "grafana-oncall": "gr-secret",
}


class FakeVendor:
    def __init__(self):
        self.data = {
            "pagerduty": load("pagerduty.json"),
            "opsgenie": load("opsgenie.json"),
            "grafana-oncall": load("grafana-oncall.json"),
        }
        self.requests: list[tuple[str, str]] = []  # (path with query, Authorization header)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                fake.requests.append((self.path, self.headers.get("Authorization", "")))
                parts = urlsplit(self.path)
                vendor, _, rest = parts.path.strip("/").partition("/")
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if vendor not in TOKENS:
                    return self._send(404, {"error": "no such vendor"})
                if self.headers.get("Authorization") != TOKENS[vendor]:
                    return self._send(401, {"message": "Unauthorized"})
                body = getattr(fake, vendor.replace("-", "_"))(rest.strip("/"), query)
                if body is None:
                    return self._send(404, {"message": "Not found"})
                return self._send(200, body)

            def _send(self, status, body):
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        return Handler

    # --- PagerDuty: offset/limit, "more"; lists leave the schedule layers out -------------

    def pagerduty(self, path: str, query: dict):
        data = self.data["pagerduty"]
        if path.startswith("schedules/"):
            wanted = path.split("/", 1)[1]
            found = [s for s in data["schedules"] if s["id"] == wanted]
            return {"schedule": found[0]} if found else None
        if path not in data:
            return None
        items = data[path]
        if path == "schedules":
            items = [
                {
                    k: v
                    for k, v in s.items()
                    if k not in ("schedule_layers", "overrides_subschedule", "final_schedule")
                }
                for s in items
            ]
        offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 25)), PAGE)
        page = items[offset : offset + limit]
        return {
            path: page,
            "limit": limit,
            "offset": offset,
            "more": offset + limit < len(items),
            "total": None,
        }

    # --- Opsgenie: data + paging.next; the team list leaves members out ---------------------

    def opsgenie(self, path: str, query: dict):
        data = self.data["opsgenie"]
        name = path.removeprefix("v2/")
        if name.startswith("teams/"):
            wanted = name.split("/", 1)[1]
            found = [t for t in data["teams"] if t["id"] == wanted]
            return {"data": found[0], "took": 0.01, "requestId": "r"} if found else None
        if name not in data:
            return None
        items = data[name]
        if name == "teams":
            items = [{k: v for k, v in t.items() if k != "members"} for t in items]
        if name == "schedules" and query.get("expand") != "rotation":
            items = [{k: v for k, v in s.items() if k != "rotations"} for s in items]
        offset = int(query.get("offset", 0))
        page = items[offset : offset + PAGE]
        body = {"data": page, "took": 0.01, "requestId": "r"}
        if offset + PAGE < len(items):
            extra = "&expand=rotation" if name == "schedules" else ""
            body["paging"] = {
                "next": f"{self.url}/opsgenie/v2/{name}?limit={PAGE}&offset={offset + PAGE}{extra}",
                "first": f"{self.url}/opsgenie/v2/{name}?limit={PAGE}&offset=0{extra}",
            }
        return body

    # --- Grafana OnCall: results + next (absolute URL) --------------------------------------

    def grafana_oncall(self, path: str, query: dict):
        data = self.data["grafana-oncall"]
        name = path.removeprefix("api/v1/")
        if name not in data:
            return None
        items = data[name]
        page_number = int(query.get("page", 1))
        start = (page_number - 1) * PAGE
        total_pages = max(1, -(-len(items) // PAGE))
        following = page_number < total_pages
        return {
            "count": len(items),
            "next": f"{self.url}/grafana-oncall/api/v1/{name}/?page={page_number + 1}"
            if following
            else None,
            "previous": None,
            "results": items[start : start + PAGE],
            "current_page_number": page_number,
            "page_size": PAGE,
            "total_pages": total_pages,
        }
