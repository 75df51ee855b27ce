"""Blameless-lint preview latency with 5,000 users in the directory (not a test).

    .venv/bin/python bench/bench_lint.py [--users 5000] [--words 2000] [--runs 200]

Creates a throwaway database (``firebreak_bench_lint_<pid>``) on the server of ``DATABASE_URL``
(default postgres://root@127.0.0.1:5432/test), migrates it, adds ``--users`` users (names,
usernames, Slack ids), declares an incident and writes a postmortem of about ``--words`` words
(blaming and blameless sentences from the lint corpus, spread over summary, impact, root cause
and lessons). Then, as the editor does while someone types (one more word each time):

* the lint alone (``lint_postmortem`` on unsaved text, directory cached);
* the whole preview request (``POST /postmortems/<pk>/preview/``: render + lint), as the browser
  sends it;
* one rebuild of the cached directory (what a preview pays once a minute).

Prints p50/p95/max; target: preview p95 < 50 ms. Timings are printed, never asserted. The
database is dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_alert_ingest import admin_connection, with_database  # noqa: E402

BENCH_DB = f"firebreak_bench_lint_{os.getpid()}"
DEFAULT_URL = "postgres://root@127.0.0.1:5432/test"
TARGET_P95_MS = 50.0
SECTIONS = ["summary", "impact", "root_cause", "lessons"]


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _line(label: str, times: list[float]) -> str:
    return (
        f"  {label}: p50 {statistics.median(times):.1f} ms, p95 {_p(times, 0.95):.1f} ms, "
        f"max {max(times):.1f} ms"
    )


def make_users(count: int, rng: random.Random) -> None:
    from django.contrib.auth import get_user_model

    from postmortems.lint.given_names import GIVEN_NAMES

    first_names = sorted(GIVEN_NAMES)
    last_names = [n + suffix for n in first_names[:600] for suffix in ("son", "ez", "ova", "i")]
    User = get_user_model()
    users = []
    for n in range(count):
        first, last = rng.choice(first_names), rng.choice(last_names)
        users.append(
            User(
                username=f"{first[:1].lower()}{last.lower()}{n}",
                first_name=first,
                last_name=last,
                email=f"u{n}@example.com",
                slack_user_id=f"U{n:08d}",
                password="!",
            )
        )
    User.objects.bulk_create(users, batch_size=1000)


def make_document(words: int, rng: random.Random) -> dict[str, str]:
    """About ``words`` words of corpus sentences, in paragraphs of four, over four sections."""
    import yaml

    corpus = ROOT / "tests" / "postmortems" / "lint" / "corpus.yaml"
    sentences = [s["text"] for s in yaml.safe_load(corpus.read_text())["sentences"]]
    sentences = [s for s in sentences if "\n" not in s and not s.startswith("|")]
    bodies: dict[str, list[str]] = {key: [] for key in SECTIONS}
    total = 0
    while total < words:
        paragraph = " ".join(rng.choice(sentences) for _ in range(4))
        bodies[SECTIONS[rng.randrange(len(SECTIONS))]].append(paragraph)
        total += len(paragraph.split())
    return {key: "\n\n".join(parts) for key, parts in bodies.items()}


def run(user_count: int, words: int, runs: int) -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from postmortems import services
    from postmortems.lint import lint_postmortem
    from postmortems.lint.names import directory_cache_clear, directory_index
    from tests.factories import UserFactory
    from tests.postmortems.conftest import build_edge_router_incident

    call_command("migrate", verbosity=0)
    rng = random.Random(20261206)
    make_users(user_count, rng)
    author = UserFactory(username="bench-author", first_name="Rita", groups=["responder"])
    incident = build_edge_router_incident(author)
    postmortem = services.postmortem_create(user=author, incident=incident)
    document = make_document(words, rng)
    word_count = sum(len(body.split()) for body in document.values())

    client = Client(HTTP_HOST="localhost")
    client.force_login(author)
    form = {"version": str(postmortem.version), "title": postmortem.title, "tags": ""}
    form["visibility"] = postmortem.visibility
    for section in postmortem.sections.all():
        form[f"section__{section.key}"] = document.get(section.key, section.body)

    directory_cache_clear()
    started = time.perf_counter()
    directory_index()
    rebuild_ms = (time.perf_counter() - started) * 1000

    typed = [rng.choice(["the", "alert", "we", "deploy", "fired"]) for _ in range(runs)]
    lint_times, preview_times, warning_counts = [], [], []
    # CPU time of this process as well: on a shared machine the wall clock also counts waiting
    # for a core (see the load average printed below).
    lint_cpu: list[float] = []
    preview_cpu: list[float] = []
    root_cause = document["root_cause"]
    for n, word in enumerate(typed):
        root_cause += " " + word
        sections = [{"key": key, "body": body} for key, body in document.items()]
        sections.append({"key": "root_cause", "body": root_cause})
        started, cpu = time.perf_counter(), time.process_time()
        warnings_found = lint_postmortem(postmortem, sections=sections)
        lint_times.append((time.perf_counter() - started) * 1000)
        lint_cpu.append((time.process_time() - cpu) * 1000)
        warning_counts.append(len(warnings_found))
        form["section__root_cause"] = root_cause
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post(f"/postmortems/{postmortem.pk}/preview/", form)
        preview_times.append((time.perf_counter() - started) * 1000)
        preview_cpu.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.status_code
        if n == 0:  # the first round warms Python's caches and the connection
            for series in (lint_times, preview_times, lint_cpu, preview_cpu):
                series.clear()

    print(
        f"{user_count} users in the directory, a {word_count}-word postmortem, "
        f"{statistics.median(warning_counts):.0f} warnings, {len(lint_times)} keystrokes"
    )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(_line("lint alone (directory cached), wall  ", lint_times))
    print(_line("lint alone (directory cached), CPU   ", lint_cpu))
    print(_line("preview request (render + lint), wall", preview_times))
    print(_line("preview request (render + lint), CPU ", preview_cpu))
    print(f"  directory rebuild (once a minute): {rebuild_ms:.1f} ms")
    for label, series in (("lint", lint_times), ("preview", preview_times)):
        met = _p(series, 0.95) < TARGET_P95_MS
        print(
            f"  target {label} p95 < {TARGET_P95_MS:.0f} ms (wall): {'met' if met else 'NOT met'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must point at PostgreSQL for this benchmark.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = with_database(server_url, BENCH_DB)
    with admin_connection(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        run(args.users, args.words, args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
