"""Real gunicorn web processes for tests, on the test's own database (see celery_procs.py).

``start_web(tmp_path, port, **env)`` runs ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``
— the command the container runs — on 127.0.0.1:<port> and waits until it answers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


@dataclass
class WebProc:
    popen: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def deploy_commands() -> dict[str, list[str]]:
    """deploy/commands.yaml: the commands the Dockerfile, compose and Helm run."""
    import yaml

    return yaml.safe_load((ROOT / "deploy" / "commands.yaml").read_text())


def web_command(bind: str) -> list[str]:
    """The web process's command from deploy/commands.yaml, listening on ``bind``."""
    command = list(deploy_commands()["web"])
    return [*command[:-1], "--bind", bind, command[-1]]


def start_web(workdir: Path, port: int, *, workers: int = 1, **env: str) -> WebProc:
    # Imported here: pytest loads celery_procs as a plugin, and wants to import it first.
    from tests.support.celery_procs import database_url_for_subprocesses

    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"web-{port}.log"
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "FIREBREAK_TEST_WORKER_DB": "1",
        "DATABASE_URL": database_url_for_subprocesses(),
        "FIREBREAK_VAR_DIR": str(settings.VAR_DIR),
        "GUNICORN_WORKERS": str(workers),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    command = web_command(f"127.0.0.1:{port}")
    command[0] = str(Path(sys.executable).parent / "gunicorn")
    with log_path.open("ab") as log:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    proc = WebProc(popen=popen, port=port, log_path=log_path)
    deadline = time.monotonic() + 90
    while True:
        if popen.poll() is not None:
            raise AssertionError(f"gunicorn exited {popen.returncode}:\n{proc.log()}")
        try:
            with urllib.request.urlopen(f"{proc.base_url}/healthz", timeout=2):  # noqa: S310
                return proc
        except urllib.error.HTTPError:
            return proc  # it answers
        except OSError:
            if time.monotonic() > deadline:
                proc.stop()
                raise AssertionError(f"gunicorn did not answer on {port}:\n{proc.log()}") from None
            time.sleep(0.3)
