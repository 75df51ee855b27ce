"""Slash-command acknowledgement latency with 20 concurrent senders, Slack fast vs. Slack slow.

    .venv/bin/python bench/bench_slack_ack.py [--senders 20] [--requests 25] [--slow 2.0]
                                              [--web-workers 4]

Serves Firebreak as in production: gunicorn (``--web-workers`` sync processes) on 127.0.0.1 and
a real Celery worker, with the bot pointed at the local fake Slack of the test suite. The
database is a throwaway SQLite file and the broker the file-based one, or, when
``DATABASE_URL`` / ``REDIS_URL`` are set, a throwaway PostgreSQL database
(``firebreak_bench_slack`` on that server) and that Redis. Database connections are kept for
60 s (``DATABASE_CONN_MAX_AGE``), as in production. ``--senders`` threads post signed ``/incident note …`` commands from an incident
channel, as Slack does, each on a new connection; each request is timed until the 200 arrives.

The same load runs twice: the fake Slack answering at once, then answering every call
``--slow`` seconds late. The worker runs the commands and answers through Slack meanwhile
(its calls are counted), but the acknowledgement only hands work to the queue, so the two p99s
should match (target: p99 < 100 ms, ratio ≈ 1). Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_alert_ingest import admin_connection, with_database  # noqa: E402

from tests.incidents.slack.fake_slack import FakeSlack  # noqa: E402

SECRET = "bench-signing-secret"
TARGET_P99_MS = 100
# Unique per run: two runs on one server never drop each other's database (WITH (FORCE)).
BENCH_DB = f"firebreak_bench_slack_{os.getpid()}_{secrets.token_hex(3)}"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def configure(fake: FakeSlack, var_dir: str) -> str | None:
    """Environment shared by this process, gunicorn and the worker; returns the PostgreSQL
    server URL when the run uses a throwaway database there."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["FIREBREAK_VAR_DIR"] = var_dir
    os.makedirs(os.path.join(var_dir, "staticfiles"), exist_ok=True)
    os.environ["SLACK_BOT_TOKEN"] = "xoxb-bench"
    os.environ["SLACK_SIGNING_SECRET"] = SECRET
    os.environ["SLACK_API_URL"] = fake.url
    os.environ["FIREBREAK_LOG_LEVEL"] = "WARNING"
    os.environ["FIREBREAK_CELERY_QUEUE_PREFIX"] = f"firebreak-bench-{os.getpid()}-"
    os.environ["DATABASE_CONN_MAX_AGE"] = "60"  # as in production: no connection per request
    server_url = os.environ.get("DATABASE_URL")
    if server_url and server_url.startswith("postgres"):
        with admin_connection(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        os.environ["DATABASE_URL"] = with_database(server_url, BENCH_DB)
        return server_url
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    return None


def seed() -> str:
    """Migrate; a responder with a Slack id and an incident with a channel; returns the channel."""
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    from incidents import services
    from incidents.slack.models import IncidentSlackChannel
    from oncall.models import User

    user = User.objects.create_user(username="bench", password="x", slack_user_id="U0BENCH")
    user.groups.add(Group.objects.get_or_create(name="responder")[0])
    incident = services.incident_declare(user=user, title="Benchmark incident", severity="SEV3")
    IncidentSlackChannel.objects.get_or_create(
        incident=incident, defaults={"channel_id": "C0BENCH", "name": "inc-bench"}
    )
    connections.close_all()
    return "C0BENCH"


def start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=sys.stderr
    )


def stop(process: subprocess.Popen) -> None:
    try:
        os.kill(process.pid, signal.SIGTERM)  # the leader shuts its children down itself
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def wait_until_serving(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("POST", "/slack/commands", body=b"")
            if connection.getresponse().status == 401:  # unsigned: refused, as it should be
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on port {port}")


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
    go = threading.Barrier(senders)

    def sender(index: int) -> None:
        go.wait()  # all senders start together
        for i in range(per_sender):
            elapsed = send(port, channel, offset + index * per_sender + i)
            with lock:
                timings.append(elapsed)

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
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
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn processes")
    args = parser.parse_args()

    fake = FakeSlack().start()
    server_url = None
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="firebreak-bench-") as var_dir:
        try:
            server_url = configure(fake, var_dir)
            channel = seed()
            port = free_port()
            processes.append(
                start(
                    [
                        str(BIN / "gunicorn"),
                        "config.wsgi:application",
                        f"--bind=127.0.0.1:{port}",
                        f"--workers={args.web_workers}",
                        "--backlog=256",
                        "--log-level=warning",
                    ]
                )
            )
            processes.append(
                start(
                    [
                        str(BIN / "celery"),
                        "-A",
                        "config",
                        "worker",
                        "--pool=prefork",
                        "--concurrency=1",
                        "--loglevel=WARNING",
                        "--queues="
                        + ",".join(
                            os.environ["FIREBREAK_CELERY_QUEUE_PREFIX"] + latency
                            for latency in ("critical", "default", "slow")
                        ),
                    ]
                )
            )
            wait_until_serving(port)
            run_load(port, channel, args.senders, 5, offset=0)  # warm-up: every process serves
            fake.delay = 0.0
            calls_before = len(fake.calls)
            normal = run_load(port, channel, args.senders, args.requests, offset=10_000)
            normal_calls = len(fake.calls) - calls_before
            fake.delay = args.slow
            calls_before = len(fake.calls)
            slow = run_load(port, channel, args.senders, args.requests, offset=20_000)
            slow_calls = len(fake.calls) - calls_before
        finally:
            for process in processes:
                stop(process)
            fake.stop()
            if server_url:
                with admin_connection(server_url) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            if os.environ.get("REDIS_URL"):
                import redis

                prefix = os.environ["FIREBREAK_CELERY_QUEUE_PREFIX"]
                client = redis.Redis.from_url(os.environ["REDIS_URL"])
                for latency in ("critical", "default", "slow"):
                    queue = prefix + latency
                    client.delete(queue, *client.keys(f"_kombu.binding*{queue}"))
    stack = "PostgreSQL + Redis" if server_url else "SQLite + file broker"
    normal_p99, slow_p99 = p99(normal) * 1000, p99(slow) * 1000
    print(
        f"Python {sys.version.split()[0]}, {stack}, gunicorn × {args.web_workers} + 1 Celery "
        f"worker; {args.senders} senders × {args.requests} commands per run"
    )
    print(
        f"Slack answering normally : p99 {normal_p99:7.1f} ms "
        f"(median {statistics.median(normal) * 1000:.1f} ms, max {max(normal) * 1000:.1f} ms); "
        f"Slack calls made meanwhile: {normal_calls}"
    )
    print(
        f"Slack answering {args.slow:.1f} s late: p99 {slow_p99:7.1f} ms "
        f"(median {statistics.median(slow) * 1000:.1f} ms, max {max(slow) * 1000:.1f} ms); "
        f"Slack calls made meanwhile: {slow_calls}"
    )
    print(
        f"ratio slow/normal p99    : {slow_p99 / normal_p99:.2f} "
        f"(target: p99 < {TARGET_P99_MS} ms, ratio ≈ 1)"
    )


if __name__ == "__main__":
    main()
