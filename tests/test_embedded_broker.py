"""The embedded default's broker (no REDIS_URL): a message is never handed to a worker half
written, so no worker dies on it and no message is lost (kombu's filesystem transport did both,
kombu issue #1551)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path
from queue import Empty

import pytest
from kombu import Connection

from config import embedded_broker

ROOT = Path(__file__).resolve().parent.parent
TRANSPORT = "config.embedded_broker:Transport"
MESSAGES = 3000

# Sends MESSAGES messages through the transport named in argv, as beat does from its own process.
PRODUCER = """
import sys
from kombu import Connection
folder, transport, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
options = {"data_folder_in": folder, "data_folder_out": folder,
           "control_folder": folder + "/control", "processed_folder": folder}
with Connection("filesystem://", transport=transport, transport_options=options) as connection:
    queue = connection.SimpleQueue("sweeps")
    for number in range(count):
        queue.put({"number": number, "padding": "x" * 2000})
"""


def connect(folder: Path) -> Connection:
    return Connection(
        "filesystem://",
        transport=TRANSPORT,
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder),
        },
    )


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "control").mkdir()
    return tmp_path


def test_messages_sent_from_another_process_while_a_worker_consumes_all_arrive_whole(folder):
    with connect(folder) as connection:
        queue = connection.SimpleQueue("sweeps")
        producer = subprocess.Popen(
            [sys.executable, "-c", PRODUCER, str(folder), TRANSPORT, str(MESSAGES)], cwd=ROOT
        )
        received, errors = [], []
        deadline = time.monotonic() + 120
        while len(received) < MESSAGES and time.monotonic() < deadline:
            try:
                message = queue.get(timeout=0.01)
            except Empty:
                continue
            except Exception as error:  # what killed kombu's stock consumer: an empty file
                errors.append(repr(error))
                continue
            received.append(message.payload["number"])
            message.ack()
        assert producer.wait(timeout=60) == 0

    assert errors == []
    assert sorted(received) == list(range(MESSAGES))
    assert [p.name for p in folder.iterdir() if p.name != "control"] == []


def test_a_message_being_written_is_invisible_until_it_is_complete(folder, monkeypatch):
    seen_while_writing = []
    rename = embedded_broker.os.replace

    with connect(folder) as worker, connect(folder) as beat:
        # Its own queue name: kombu keeps declared bindings per process, not per folder.
        consumer = worker.SimpleQueue("reminders")
        producer = beat.SimpleQueue("reminders")

        def replace_after_the_worker_looked(partial, final):
            assert Path(partial).read_bytes()  # written, not yet in the queue
            with contextlib.suppress(Empty):
                seen_while_writing.append(consumer.get(block=False).payload)
            rename(partial, final)

        monkeypatch.setattr(embedded_broker.os, "replace", replace_after_the_worker_looked)
        producer.put({"reminder": 1})
        monkeypatch.undo()

        assert seen_while_writing == []
        assert consumer.get(timeout=5).payload == {"reminder": 1}


def test_the_embedded_default_uses_it_and_redis_does_not(tmp_path):
    code = "from django.conf import settings; print(settings.CELERY_BROKER_TRANSPORT)"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "FIREBREAK_VAR_DIR": str(tmp_path),
    }

    def transport(**extra: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    assert transport() == TRANSPORT
    assert transport(REDIS_URL="redis://127.0.0.1:6379/9") == "None"
