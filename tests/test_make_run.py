"""`make run` is the quick start: Ctrl-C stops web, worker and scheduler together, and PORT=
moves the links Firebreak sends along with the server."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import subprocess
import sys
import termios
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORT = 8112


def processes_using(var_dir: Path) -> list[str]:
    """Command lines of the live processes started with FIREBREAK_VAR_DIR=var_dir."""
    found = []
    marker = f"FIREBREAK_VAR_DIR={var_dir}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (a fixed loopback URL)
            return True
    except OSError:
        return False


@pytest.mark.worker
def test_ctrl_c_stops_web_worker_and_beat(tmp_path):
    var_dir = tmp_path / "var"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIREBREAK_"))},
        "FIREBREAK_VAR_DIR": str(var_dir),
        "PYTHON": sys.executable,
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    # A terminal: Ctrl-C is the tty's interrupt character, and `make` runs with job control
    # available, as it does for a developer (without a tty the old bug did not show).
    master, terminal = pty.openpty()
    log_path = tmp_path / "make-run.log"
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={PORT}"],
        cwd=ROOT,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        start_new_session=True,
        preexec_fn=_take_terminal,
    )
    os.close(terminal)
    output = bytearray()
    reader = threading.Thread(target=_drain, args=(master, output, log_path), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while not (
            _answers(f"http://127.0.0.1:{PORT}/login/") and len(processes_using(var_dir)) >= 3
        ):
            assert make.poll() is None, output.decode(errors="replace")
            assert time.monotonic() < deadline, output.decode(errors="replace")
            time.sleep(0.5)
        running = " ".join(processes_using(var_dir))
        assert "worker" in running and "beat" in running and "runserver" in running

        os.write(master, b"\x03")  # Ctrl-C
        make.wait(timeout=60)
        deadline = time.monotonic() + 30
        while processes_using(var_dir) and time.monotonic() < deadline:
            time.sleep(0.5)

        assert processes_using(var_dir) == []
        assert f"http://127.0.0.1:{PORT}/" in output.decode(errors="replace")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(make.pid, signal.SIGKILL)
        _kill_leftovers(var_dir)


def _take_terminal() -> None:
    """In the child (a new session): make the pty its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _drain(master: int, output: bytearray, log_path: Path) -> None:
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            return
        if not chunk:
            return
        output.extend(chunk)
        with log_path.open("ab") as log:
            log.write(chunk)


def _kill_leftovers(var_dir: Path) -> None:
    """Whatever this test started and is still running (only ever after a failure)."""
    marker = f"FIREBREAK_VAR_DIR={var_dir}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    os.kill(int(entry.name), signal.SIGKILL)


def test_a_changed_port_changes_the_default_base_url(tmp_path):
    env = {**os.environ, "PORT": "8113", "FIREBREAK_VAR_DIR": str(tmp_path)}
    env.pop("FIREBREAK_BASE_URL", None)
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.FIREBREAK_BASE_URL)",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert printed == "http://127.0.0.1:8113"


def test_an_explicit_base_url_wins_over_the_port(tmp_path):
    env = {**os.environ, "PORT": "8113", "FIREBREAK_BASE_URL": "https://firebreak.example.com/"}
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.FIREBREAK_BASE_URL)",
        ],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "FIREBREAK_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert printed == "https://firebreak.example.com"
