"""A small Slack Web API stand-in: a real HTTP server on 127.0.0.1 that records every call.

slack-sdk's ``WebClient`` talks to it over HTTP (``SLACK_API_URL=http://127.0.0.1:<port>/api/``).
Tell it to answer slowly (``delay``), with 429 + Retry-After (``rate_limit``) or with an error
(``fail``); see ``FakeSlack``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse


@dataclass
class Call:
    method: str
    params: dict


@dataclass
class FakeSlack:
    server: ThreadingHTTPServer | None = None
    calls: list[Call] = field(default_factory=list)
    delay: float = 0.0
    # method -> list of error codes answered (one per call) before normal answers resume
    errors: dict[str, list[str]] = field(default_factory=dict)
    # method -> how many 429s to answer first
    rate_limits: dict[str, int] = field(default_factory=dict)
    channels: dict[str, dict] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict] = field(default_factory=dict)
    users: dict[str, dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def fail(self, method: str, error: str, times: int = 1) -> None:
        self.errors.setdefault(method, []).extend([error] * times)

    def rate_limit(self, method: str, times: int = 1) -> None:
        self.rate_limits[method] = times

    def calls_to(self, method: str) -> list[dict]:
        return [c.params for c in self.calls if c.method == method]

    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                return

            def do_POST(self):
                fake._handle(self)

            def do_GET(self):
                fake._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- request handling ---------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(request.path)
        method = parsed.path.rsplit("/", 1)[-1]
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode() if length else ""
        params = dict(parse_qsl(parsed.query))
        if "json" in (request.headers.get("Content-Type") or ""):
            params.update(json.loads(raw or "{}"))
        elif raw:
            params.update(dict(parse_qsl(raw)))
        with self._lock:
            self.calls.append(Call(method, params))
            limited = self.rate_limits.get(method, 0)
            if limited:
                self.rate_limits[method] = limited - 1
            queued = self.errors.get(method) or []
            error = queued.pop(0) if queued and not limited else None
        if self.delay:
            time.sleep(self.delay)
        if limited:
            self._send(request, 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
            return
        if error:
            self._send(request, 200, {"ok": False, "error": error})
            return
        answer = getattr(self, "_api_" + method.replace(".", "_"), None)
        body = answer(params) if answer else {"ok": True}
        self._send(request, 200, body)

    def _send(self, request, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.end_headers()
        # The caller went away (a stopped worker): nothing to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            request.wfile.write(data)

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    # --- the Web API methods the bot calls -------------------------------------------------------

    def _api_conversations_create(self, params: dict) -> dict:
        name = params["name"]
        with self._lock:
            if any(c["name"] == name for c in self.channels.values()):
                return {"ok": False, "error": "name_taken"}
            channel_id = f"C{next(self._ids):08d}"
            private = str(params.get("is_private", "")).lower() in {"true", "1"}
            self.channels[channel_id] = {"id": channel_id, "name": name, "is_private": private}
        return {"ok": True, "channel": self.channels[channel_id]}

    def _api_conversations_invite(self, params: dict) -> dict:
        return {
            "ok": True,
            "channel": self.channels.get(params["channel"], {"id": params["channel"]}),
        }

    def _api_chat_postMessage(self, params: dict) -> dict:
        ts = self._next_ts()
        message = {"ts": ts, "text": params.get("text", ""), "blocks": params.get("blocks")}
        self.messages[(params["channel"], ts)] = message
        return {"ok": True, "channel": params["channel"], "ts": ts, "message": message}

    def _api_chat_postEphemeral(self, params: dict) -> dict:
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_update(self, params: dict) -> dict:
        key = (params["channel"], params["ts"])
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        self.messages[key].update(text=params.get("text", ""), blocks=params.get("blocks"))
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    def _api_views_open(self, params: dict) -> dict:
        return {"ok": True, "view": {"id": f"V{next(self._ids):08d}"}}

    def _api_conversations_history(self, params: dict) -> dict:
        message = self.messages.get((params["channel"], params.get("latest", "")))
        return {"ok": True, "messages": [message] if message else []}

    def _api_users_info(self, params: dict) -> dict:
        user = self.users.get(params["user"])
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _api_bookmarks_add(self, params: dict) -> dict:
        return {
            "ok": True,
            "bookmark": {"id": f"Bk{next(self._ids):08d}", "link": params.get("link")},
        }
