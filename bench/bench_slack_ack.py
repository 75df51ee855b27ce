"""Slash-command acknowledgement latency with 20 concurrent senders, Slack fast vs. Slack slow.

    .venv/bin/python bench/bench_slack_ack.py [--senders 20] [--requests 25] [--slow 2.0]

Runs Firebreak's WSGI application in a threaded HTTP server on 127.0.0.1 (a throwaway SQLite
database and filesystem broker in a temporary folder, or ``DATABASE_URL`` / ``REDIS_URL`` when
set), with the bot pointed at the local fake Slack of the test suite. ``--senders`` threads post
signed ``/incident note …`` commands from an incident channel, as Slack does; each request is
timed until the 200 arrives. The same load runs twice: the fake Slack answering at once, then
answering every call ``--slow`` seconds late. Work is handed to Celery, so the acknowledgement
does not wait for Slack and the two p99s should match (target: p99 < 100 ms). No worker runs:
the benchmark measures the web process only. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import os
import socketserver
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.incidents.slack.fake_slack import FakeSlack  # noqa: E402

SECRET = "bench-signing-secret"
TARGET_P99_MS = 100


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        return


def setup_django(fake: FakeSlack, var_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["FIREBREAK_VAR_DIR"] = var_dir
    os.makedirs(os.path.join(var_dir, "staticfiles"), exist_ok=True)
    os.environ["SLACK_BOT_TOKEN"] = "xoxb-bench"
    os.environ["SLACK_SIGNING_SECRET"] = SECRET
    os.environ["SLACK_API_URL"] = fake.url
    os.environ["FIREBREAK_LOG_LEVEL"] = "WARNING"
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed() -> str:
    """A responder with a Slack id and an incident with a channel; returns the channel id."""
    from django.contrib.auth.models import Group

    from incidents import services
    from incidents.slack.models import IncidentSlackChannel
    from oncall.models import User

    user = User.objects.create_user(username="bench", password="x", slack_user_id="U0BENCH")
    user.groups.add(Group.objects.get_or_create(name="responder")[0])
    incident = services.incident_declare(user=user, title="Benchmark incident", severity="SEV3")
    IncidentSlackChannel.objects.get_or_create(
        incident=incident, defaults={"channel_id": "C0BENCH", "name": "inc-bench"}
    )
    return "C0BENCH"


def send(port: int, channel: str, n: int) -> float:
    body = urlencode(
        {
            "command": "/incident",
            "text": f"note benchmark note {n}",
            "user_id": "U0BENCH",
            "channel_id": channel,
            "trigger_id": f"bench-{n}-{time.time_ns()}",
        }
    ).encode()
    stamp = str(int(time.time()))
    signature = (
        "v0="
        + hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/slack/commands", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise SystemExit(f"Unexpected HTTP {response.status} from /slack/commands")
    return elapsed


def run_load(port: int, channel: str, senders: int, per_sender: int, offset: int) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        for i in range(per_sender):
            elapsed = send(port, channel, offset + index * per_sender + i)
            with lock:
                timings.append(elapsed)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per sender and run")
    parser.add_argument("--slow", type=float, default=2.0, help="fake Slack delay in seconds")
    args = parser.parse_args()

    fake = FakeSlack().start()
    with tempfile.TemporaryDirectory(prefix="firebreak-bench-") as var_dir:
        setup_django(fake, var_dir)
        channel = seed()
        from django.core.wsgi import get_wsgi_application

        server = make_server(
            "127.0.0.1",
            0,
            get_wsgi_application(),
            server_class=ThreadingWSGIServer,
            handler_class=QuietHandler,
        )
        port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            run_load(port, channel, args.senders, 2, offset=0)  # warm-up
            fake.delay = 0.0
            normal = run_load(port, channel, args.senders, args.requests, offset=10_000)
            fake.delay = args.slow
            slow = run_load(port, channel, args.senders, args.requests, offset=20_000)
        finally:
            server.shutdown()
            fake.stop()
    normal_p99, slow_p99 = p99(normal) * 1000, p99(slow) * 1000
    print(
        f"Python {sys.version.split()[0]}, {args.senders} senders × {args.requests} commands per run"
    )
    print(
        f"Slack answering normally : p99 {normal_p99:7.1f} ms (median {statistics.median(normal) * 1000:.1f} ms)"
    )
    print(
        f"Slack answering {args.slow:.1f} s late: p99 {slow_p99:7.1f} ms (median {statistics.median(slow) * 1000:.1f} ms)"
    )
    print(
        f"ratio slow/normal p99    : {slow_p99 / normal_p99:.2f} (target: p99 < {TARGET_P99_MS} ms, ratio ≈ 1)"
    )
    print(
        f"Slack calls during the runs: {len(fake.calls)} (none expected: work waits for a worker)"
    )


if __name__ == "__main__":
    main()
