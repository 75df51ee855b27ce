"""A throwaway PostgreSQL database for one bench run: a unique name, migrated, dropped at the end.

    with throwaway_database("firebreak_bench_alerts"):
        setup_django()
        ...

The server is the one of ``DATABASE_URL`` (default postgres://root@127.0.0.1:5432/test); the
database name gets the process id and random hex, so two runs (or two engineers) never collide.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://root@127.0.0.1:5432/test"


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
        autocommit=True,
    )


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Create ``<prefix>_<pid>_<hex>``, point Django at it (test settings, no Redis), yield its
    name, and drop it afterwards, also on failure."""
    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at PostgreSQL for this benchmark.")
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with _admin_connection(server_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = _with_database(server_url, name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("REDIS_URL", None)
    try:
        yield name
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        with _admin_connection(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django() -> None:
    """django.setup() and migrate the throwaway database."""
    import warnings

    import django

    # Whitenoise warns that collectstatic has not run; static files play no part in benches.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def server_line() -> str:
    """PostgreSQL and Python versions and CPU count, to print above a bench's figures."""
    import platform

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version}, Python {platform.python_version()}, {os.cpu_count()} CPUs"


# For benches that manage their own database's life (create, reuse with --keep, drop).
admin_connection = _admin_connection
with_database = _with_database
