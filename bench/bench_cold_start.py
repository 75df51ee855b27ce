"""First request to a fresh gunicorn worker, with and without the warm-up (deploy/gunicorn.conf.py).

Starts gunicorn (1 worker, the deploy config) on the embedded default in a throwaway folder,
waits until it listens, and times the first POST to /slack/commands (the 3-second budget) and
the first GET of /login/. Repeats for FIREBREAK_WARM_UP=1 and 0.

    .venv/bin/python bench/bench_cold_start.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(url: str, data: bytes | None = None) -> float:
    started = time.perf_counter()
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60).read()
    except urllib.error.HTTPError as error:
        error.read()
    return time.perf_counter() - started


def one_run(warm: bool, var_dir: str) -> tuple[float, float]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "0",
        "FIREBREAK_VAR_DIR": var_dir,
        "FIREBREAK_WARM_UP": "1" if warm else "0",
        "GUNICORN_WORKERS": "1",
        "SLACK_SIGNING_SECRET": "bench-secret",
        "SLACK_BOT_TOKEN": "xoxb-bench",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        time.sleep(0.5)  # the worker has forked
        slack = timed(
            f"http://127.0.0.1:{port}/slack/commands", data=b"command=%2Fincident&text=help"
        )
        login = timed(f"http://127.0.0.1:{port}/login/")
        return slack, login
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="firebreak-bench-cold-") as var_dir:
        env = {
            **os.environ,
            "FIREBREAK_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        for warm in (False, True):
            runs = [one_run(warm, var_dir) for _ in range(args.repeats)]
            slack = statistics.median(r[0] for r in runs) * 1000
            login = statistics.median(r[1] for r in runs) * 1000
            label = "warmed " if warm else "cold   "
            print(
                f"{label} first POST /slack/commands {slack:7.0f} ms   first GET /login/ {login:7.0f} ms  (median of {args.repeats})"
            )


if __name__ == "__main__":
    main()
