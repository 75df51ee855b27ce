"""Local stand-ins for the providers: real HTTP servers on 127.0.0.1 that record every request.

``FakeTwilio`` answers like Twilio's REST API (2010-04-01 Messages and Calls resources, JSON,
201 Created; errors as Twilio's error JSON with ``code``/``message``/``more_info``/``status``).
``FakeNtfy`` answers like ntfy's JSON publish (200 and the message). ``FakeTeams`` answers like a
Workflows webhook trigger (202, empty). ``FakeProvider`` is any regional SMS gateway (200).
Queue an answer with ``answer_next(status, body)``; ``delay`` makes every answer slow.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    @property
    def form(self) -> dict:
        """Form fields; a repeated field (Twilio's StatusCallbackEvent) keeps its last value."""
        return {k: v[-1] for k, v in parse_qs(self.body.decode(), keep_blank_values=True).items()}

    @property
    def json(self):
        return json.loads(self.body or b"null")


@dataclass
class FakeServer:
    server: ThreadingHTTPServer | None = None
    requests: list[Recorded] = field(default_factory=list)
    queued: list[tuple[int, object]] = field(default_factory=list)
    delay: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer_next(self, status: int, body: object = None, times: int = 1) -> None:
        self.queued.extend([(status, body)] * times)

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                return

            def do_POST(self):
                fake._handle(self)

            do_GET = do_PUT = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        parsed = urlparse(request.path)
        record = Recorded(
            method=request.command,
            path=parsed.path,
            query={k: v[-1] for k, v in parse_qs(parsed.query).items()},
            headers=dict(request.headers.items()),
            body=request.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.requests.append(record)
            forced = self.queued.pop(0) if self.queued else None
        if self.delay:
            time.sleep(self.delay)
        status, body = forced if forced else self.answer(record)
        data = (
            body
            if isinstance(body, bytes)
            else (b"" if body is None else json.dumps(body).encode())
        )
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            request.wfile.write(data)

    def answer(self, record: Recorded) -> tuple[int, object]:
        return 200, {}


class FakeTwilio(FakeServer):
    """``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` and ``…/Calls.json``."""

    def messages(self) -> list[dict]:
        return [r.form for r in self.requests if r.path.endswith("/Messages.json")]

    def calls(self) -> list[dict]:
        return [r.form for r in self.requests if r.path.endswith("/Calls.json")]

    def basic_auth(self, record: Recorded) -> tuple[str, str]:
        raw = base64.b64decode(record.headers["Authorization"].split()[1]).decode()
        user, _, password = raw.partition(":")
        return user, password

    def fail_invalid_number(self) -> None:
        """Twilio's answer to a "To" that is not a phone number (error 21211)."""
        self.answer_next(
            400,
            {
                "code": 21211,
                "message": "The 'To' number +15005550001 is not a valid phone number.",
                "more_info": "https://www.twilio.com/docs/errors/21211",
                "status": 400,
            },
        )

    def answer(self, record: Recorded) -> tuple[int, object]:
        account = record.path.split("/")[3]
        form = record.form
        now = "Thu, 02 Mar 2026 09:00:00 +0000"
        if record.path.endswith("/Messages.json"):
            sid = f"SM{next(self._ids):032x}"
            return 201, {
                "account_sid": account,
                "api_version": "2010-04-01",
                "body": form.get("Body"),
                "date_created": now,
                "date_sent": None,
                "date_updated": now,
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "num_media": "0",
                "num_segments": "1",
                "price": None,
                "price_unit": "USD",
                "sid": sid,
                "status": "queued",
                "subresource_uris": {
                    "media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"
                },
                "to": form.get("To"),
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            }
        if record.path.endswith("/Calls.json"):
            sid = f"CA{next(self._ids):032x}"
            return 201, {
                "account_sid": account,
                "answered_by": None,
                "api_version": "2010-04-01",
                "caller_name": None,
                "date_created": now,
                "date_updated": now,
                "direction": "outbound-api",
                "duration": None,
                "end_time": None,
                "from": form.get("From"),
                "from_formatted": form.get("From"),
                "parent_call_sid": None,
                "price": None,
                "price_unit": "USD",
                "sid": sid,
                "start_time": None,
                "status": "queued",
                "to": form.get("To"),
                "to_formatted": form.get("To"),
                "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json",
            }
        return 404, {
            "code": 20404,
            "message": "The requested resource was not found",
            "status": 404,
        }


class FakeNtfy(FakeServer):
    def answer(self, record: Recorded) -> tuple[int, object]:
        message = record.json or {}
        return 200, {
            "id": f"msg{next(self._ids)}",
            "time": int(time.time()),
            "expires": int(time.time()) + 43200,
            "event": "message",
            "topic": message.get("topic"),
            "title": message.get("title"),
            "message": message.get("message"),
            "priority": message.get("priority"),
        }


class FakeTeams(FakeServer):
    def answer(self, record: Recorded) -> tuple[int, object]:
        return 202, None


class FakeProvider(FakeServer):
    def answer(self, record: Recorded) -> tuple[int, object]:
        return 200, {"status": "accepted", "id": next(self._ids)}
