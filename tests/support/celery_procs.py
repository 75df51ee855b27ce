"""Real Celery worker and beat processes for tests (DESIGN.md: a real worker for reminder tests).

A test that uses the ``celery_procs`` fixture gets a private queue on the run's broker (the
filesystem broker of ``make test`` or the Redis of ``make test-pg``) and can start workers and
beats that share the test's database. The test's own ``.delay()`` calls go to that queue too.
Every process is started in its own process group and SIGKILLed at teardown, even when the
test failed; the queue's leftovers are purged from Redis.

Subprocesses load ``tests.support.worker_hooks`` (task log, delivery recorder, hang point).

A test module gets the fixture with ``pytest_plugins = ["tests.support.celery_procs"]``, and
should mark its tests ``worker`` and ``django_db(transaction=True, serialized_rollback=True)``:
the processes only see committed data, and the flush after each such test would otherwise leave
the next one without the rows the migrations seed (groups, postmortem templates).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import pytest
from billiard.util import set_pdeathsig
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

T = TypeVar("T")

REMINDERS_SWEEP = "incidents.tasks.reminders_sweep"
WAIT_SECONDS = 60  # generous: the machine running the suite may be busy
LOG_TAIL_LINES = 40


def database_url_for_subprocesses() -> str:
    """A DATABASE_URL for the database the running test uses (its test database)."""
    db = connection.settings_dict
    name = db["NAME"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if not name or connection.is_in_memory_db():
            raise RuntimeError(
                "Worker processes cannot open an in-memory SQLite database; "
                "config/settings/test.py makes the test database a file."
            )
        return f"sqlite:///{Path(name).resolve()}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def wait_for(
    predicate: Callable[[], T],
    what: str,
    *,
    timeout: float = WAIT_SECONDS,
    interval: float = 0.2,
    procs: CeleryProcesses | None = None,
) -> T:
    """Poll ``predicate`` until it returns something truthy; fail (with the logs) after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            details = procs.diagnostics() if procs else ""
            raise AssertionError(f"Gave up after {timeout:.0f} s waiting for {what}.\n{details}")
        time.sleep(interval)


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None


@dataclass
class CeleryProcesses:
    workdir: Path
    queue: str
    procs: list[Proc] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.task_log = self.workdir / "tasks.jsonl"
        self.delivery_log = self.workdir / "deliveries.jsonl"
        self.base_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "FIREBREAK_TEST_WORKER_DB": "1",
            "DATABASE_URL": database_url_for_subprocesses(),
            "FIREBREAK_CELERY_EAGER": "0",
            "FIREBREAK_CELERY_QUEUE_PREFIX": f"{self.queue}-",
            "FIREBREAK_VAR_DIR": str(settings.VAR_DIR),
            "FIREBREAK_REMINDER_SWEEP_SECONDS": "1",
            "FIREBREAK_TEST_TASK_LOG": str(self.task_log),
            "FIREBREAK_TEST_DELIVERY_LOG": str(self.delivery_log),
            "FIREBREAK_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        self.base_env.pop("REDIS_URL", None)
        if settings.REDIS_URL:
            self.base_env["REDIS_URL"] = settings.REDIS_URL

    # --- starting and stopping ----------------------------------------------------------------

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> Proc:
        log_path = self.workdir / f"{name}.log"
        log = log_path.open("ab")
        try:
            popen = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", *args],
                cwd=settings.BASE_DIR,
                env={**self.base_env, **env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so kill() reaches pool children
                preexec_fn=_die_with_pytest,
            )
        finally:
            log.close()
        proc = Proc(name=name, popen=popen, log_path=log_path)
        self.procs.append(proc)
        return proc

    @property
    def queues(self) -> dict[str, str]:
        """This test's queue per latency class (config/celery_routing.py)."""
        return {latency: f"{self.queue}-{latency}" for latency in ("critical", "default", "slow")}

    def worker(
        self,
        name: str = "worker",
        *,
        concurrency: int = 1,
        latency: tuple[str, ...] = ("critical", "default", "slow"),
        **env: str,
    ) -> Proc:
        """Start ``celery worker`` (prefork) on this test's queues of the ``latency`` classes
        (all three by default). ``env`` overrides settings."""
        return self._start(
            name,
            [
                "worker",
                "--loglevel=INFO",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                f"--hostname={name}-{self.queue}@%h",
                "--queues=" + ",".join(self.queues[latency] for latency in latency),
                "--include=tests.support.worker_hooks",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env,
        )

    def beat(self, name: str = "beat", **env: str) -> Proc:
        """Start ``celery beat`` with a schedule file of its own."""
        return self._start(
            name,
            [
                "beat",
                "--loglevel=INFO",
                f"--schedule={self.workdir / f'{name}-schedule'}",
                f"--pidfile={self.workdir / f'{name}.pid'}",
            ],
            {"FIREBREAK_BEAT_SCHEDULE_FILE": str(self.workdir / f"{name}-schedule"), **env},
        )

    def deployed(
        self, name: str, command: list[str], *, concurrency: int | None = None, **env: str
    ) -> Proc:
        """Start a process from deploy/commands.yaml (``celery -A config worker|beat …``) as
        deployed, pointed at this test's queues and files: ``--queues=critical`` becomes this
        test's critical queue, the beat's schedule file is private, and workers load the test
        hooks; ``concurrency`` (when given) replaces the deployed pool size, to spare the machine.
        Everything else is the deployed command itself."""
        assert command[:3] == ["celery", "-A", "config"], command
        args = []
        for arg in command[3:]:
            if arg.startswith("--queues="):
                latencies = arg.split("=", 1)[1].split(",")
                arg = "--queues=" + ",".join(self.queues[latency] for latency in latencies)
            elif arg.startswith("--schedule="):
                arg = f"--schedule={self.workdir / f'{name}-schedule'}"
            elif arg.startswith("--concurrency=") and concurrency is not None:
                arg = f"--concurrency={concurrency}"
            args.append(arg)
        if args[0] == "worker":
            args += [f"--hostname={name}-{self.queue}@%h", "--include=tests.support.worker_hooks"]
        return self._start(name, args, env)

    def kill(self, proc: Proc) -> None:
        """SIGKILL the process and everything in its process group (prefork children)."""
        with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
            os.killpg(proc.pid, signal.SIGKILL)
        proc.popen.wait(timeout=30)  # SIGKILL cannot be ignored; this reaps the process

    def stop_all(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(Exception):  # one failure must not leave the others running
                self.kill(proc)

    def wait_for(
        self, predicate: Callable[[], T], what: str, *, timeout: float = WAIT_SECONDS
    ) -> T:
        """``wait_for`` that shows these processes' logs when it gives up."""
        return wait_for(predicate, what, timeout=timeout, procs=self)

    def wait_until_sweeping(self, beats: int = 1) -> None:
        """Wait until workers run the reminder sweeps sent by ``beats`` different beat processes."""
        wait_for(
            lambda: len({t["origin"] for t in self.tasks(REMINDERS_SWEEP)}) >= beats,
            f"workers to run sweeps from {beats} beat process(es)",
            procs=self,
        )

    def settle(self, sweeps: int = 3) -> None:
        """Let ``sweeps`` more reminder sweeps start, and every claimed reminder and delivery finish.

        Afterwards, anything the processes would still (wrongly) send has had its chance.
        """
        from incidents.models import Reminder
        from oncall.models import NotificationDelivery

        target = len(self.tasks(REMINDERS_SWEEP)) + sweeps
        busy = [NotificationDelivery.Status.SENDING]

        def settled() -> bool:
            return (
                len(self.tasks(REMINDERS_SWEEP)) >= target
                and not Reminder.objects.filter(status=Reminder.ReminderStatus.CLAIMED).exists()
                and not NotificationDelivery.objects.filter(status__in=busy).exists()
                and not NotificationDelivery.objects.filter(
                    status=NotificationDelivery.Status.PENDING, next_attempt_at__isnull=True
                ).exists()
            )

        wait_for(settled, f"{sweeps} more sweeps and no reminder or delivery in flight", procs=self)

    # --- what the processes did ---------------------------------------------------------------

    def tasks(self, name: str | None = None) -> list[dict]:
        """Task starts logged by the workers, oldest first (optionally only the task ``name``)."""
        records = _read_jsonl(self.task_log)
        return [r for r in records if name is None or r["task"] == name]

    def deliveries(self) -> list[dict]:
        """Messages the ``recorder`` transport delivered: what people actually received."""
        return _read_jsonl(self.delivery_log)

    def logs(self) -> str:
        """Everything the processes logged so far."""
        return "\n".join(
            proc.log_path.read_text(errors="replace")
            for proc in self.procs
            if proc.log_path.exists()
        )

    def diagnostics(self) -> str:
        parts = []
        for proc in self.procs:
            state = "running" if proc.alive() else f"exited {proc.popen.returncode}"
            try:
                lines = proc.log_path.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
            except FileNotFoundError:
                lines = []
            parts.append(f"--- {proc.name} ({state}) {proc.log_path}\n" + "\n".join(lines))
        return "\n".join(parts)

    # --- broker hygiene -----------------------------------------------------------------------

    def purge_broker(self) -> None:
        """Drop this test's queue and its unacknowledged messages (Redis); files go with the run."""
        if not settings.REDIS_URL:
            return
        import redis

        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        try:
            for key in client.scan_iter(match=f"*{self.queue}*"):
                client.delete(key)
            # The workers' remote-control (pidbox) queues are bound to a shared fanout exchange.
            for key in client.scan_iter(match="_kombu.binding.*", _type="set"):
                for member in client.smembers(key):
                    if self.queue.encode() in member:
                        client.srem(key, member)
                if not client.exists(key):
                    exchange = key.decode().removeprefix("_kombu.binding.")
                    client.zrem("_kombu.binding_deadlines", exchange)
            for tag, payload in client.hgetall("unacked").items():
                try:
                    _message, exchange, routing_key = json.loads(payload)
                except (ValueError, TypeError):
                    continue
                if self.queue in exchange or self.queue in routing_key:
                    client.hdel("unacked", tag)
                    client.zrem("unacked_index", tag)
        finally:
            client.close()


def _die_with_pytest() -> None:
    """In the child: get SIGKILLed if pytest itself dies before its teardown could run.

    Pool processes of a prefork worker already die with their worker (Celery sets the same).
    """
    set_pdeathsig(signal.SIGKILL)


def _read_jsonl(path: Path) -> list[dict]:
    try:
        text = path.read_text()
    except FileNotFoundError:
        return []
    # Only complete lines: one being written right now is read on the next poll.
    return [json.loads(line) for line in text.split("\n")[:-1] if line]


@pytest.fixture
def celery_procs(transactional_db, tmp_path):
    """Start real Celery processes on a private queue; all are killed when the test ends."""
    procs = CeleryProcesses(workdir=tmp_path / "celery", queue=f"fbtest-{uuid.uuid4().hex[:12]}")
    saved = (celery_app.conf.task_default_queue, celery_app.conf.task_always_eager)
    saved_queues = settings.FIREBREAK_CELERY_QUEUES
    settings.FIREBREAK_CELERY_QUEUES = procs.queues  # read by config.celery_routing
    celery_app.conf.task_default_queue = procs.queues["default"]
    celery_app.conf.task_always_eager = False
    try:
        yield procs
    finally:
        procs.stop_all()
        settings.FIREBREAK_CELERY_QUEUES = saved_queues
        celery_app.conf.task_default_queue, celery_app.conf.task_always_eager = saved
        procs.purge_broker()
