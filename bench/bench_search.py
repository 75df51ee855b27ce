"""Knowledge-base search latency on PostgreSQL over 20,000 postmortems (not a test).

    .venv/bin/python bench/bench_search.py [--postmortems 20000] [--queries 200]

Creates a throwaway database (``firebreak_bench_search``) on the server of ``DATABASE_URL``
(default postgres://root@127.0.0.1:5432/test), migrates it, generates incidents (10% private)
with one postmortem each (five sections of generated prose, one a root cause built from a
shared vocabulary), fills the search index, then times ``postmortems.search.selectors.search``
(ranked hits, snippets and the total, as the page and the API call it) for a non-admin
responder, and the naive scan the postmortem list used before (``icontains`` over titles and
section bodies, through ``postmortem_list``) for the same queries. Prints p50/p95/max and the
ratio; timings are printed, never asserted. The database is dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_alert_ingest import admin_connection, with_database  # noqa: E402

# Unique per run: two runs on one server never drop each other's database (WITH (FORCE)).
BENCH_DB = f"firebreak_bench_search_{os.getpid()}_{secrets.token_hex(3)}"
DEFAULT_URL = "postgres://root@127.0.0.1:5432/test"
TARGET_P95_MS = 50.0
TYPED_WORDS = ["database", "certificate", "deploy", "connection"]

COMPONENTS = [
    "certificate",
    "database",
    "cache",
    "queue",
    "resolver",
    "gateway",
    "loadbalancer",
    "scheduler",
    "replica",
    "kubernetes",
    "node",
    "disk",
    "memory",
    "thread",
    "pool",
    "connection",
    "index",
    "migration",
    "config",
    "deploy",
    "router",
    "firewall",
    "cron",
    "backup",
    "storage",
    "bucket",
    "token",
    "session",
    "payment",
    "checkout",
    "search",
    "email",
    "webhook",
    "partner",
    "mobile",
    "api",
    "frontend",
    "worker",
    "broker",
    "shard",
    "leader",
    "lock",
]
FAILURES = [
    "expired",
    "exhausted",
    "saturated",
    "corrupted",
    "throttled",
    "partitioned",
    "leaked",
    "deadlocked",
    "misconfigured",
    "overloaded",
    "evicted",
    "stalled",
    "crashed",
    "rotated",
    "dropped",
    "timed",
]
FILLER = [
    "the",
    "team",
    "noticed",
    "that",
    "during",
    "traffic",
    "because",
    "when",
    "after",
    "before",
    "while",
    "customers",
    "requests",
    "latency",
    "errors",
    "increased",
    "dashboards",
    "alerts",
    "responders",
    "investigated",
    "rollback",
    "mitigated",
    "restored",
    "monitoring",
    "graphs",
    "retries",
    "capacity",
    "region",
    "weekend",
    "night",
    "release",
]


def _vocabulary(size: int = 8000) -> list[str]:
    """Pronounceable made-up words: real postmortems use thousands of distinct words, and a
    tiny vocabulary would make every query match every document."""
    rng = random.Random(7)
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < size:
        length = rng.randint(2, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(length)))
    return sorted(words)


VOCABULARY = _vocabulary()
# Zipf-like word frequencies, as in natural text: a few words are everywhere, most are rare.
ZIPF_WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def _sentence(rng: random.Random, words: int) -> str:
    common = [rng.choice(FILLER) for _ in range(words // 3)]
    rare = rng.choices(VOCABULARY, weights=ZIPF_WEIGHTS, k=words - len(common) - 1)
    mixed = common + rare + [rng.choice(COMPONENTS)]
    rng.shuffle(mixed)
    return " ".join(mixed).capitalize() + "."


def _root_cause(rng: random.Random) -> tuple[str, str]:
    a, b = rng.sample(COMPONENTS, 2)
    failure = rng.choice(FAILURES)
    text = f"The {a} {failure} because the {b} was {rng.choice(FAILURES)}. " + " ".join(
        _sentence(rng, 14) for _ in range(3)
    )
    return text, f"{a} {failure}"


def generate(count: int, rng: random.Random) -> list[str]:
    """Write ``count`` incidents with postmortems and sections; return root-cause queries."""
    from django.db import transaction

    from incidents.models import Incident
    from postmortems.models import Postmortem, PostmortemSection

    queries = []
    start = datetime(2024, 1, 1, tzinfo=UTC)
    batch = 2000
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        with transaction.atomic():
            incidents = Incident.objects.bulk_create(
                [
                    Incident(
                        number=offset + i + 1,
                        title=_sentence(rng, 6)[:-1],
                        summary=_sentence(rng, 20),
                        severity=rng.choice(["SEV1", "SEV2", "SEV3", "SEV4"]),
                        status="closed",
                        private=rng.random() < 0.1,
                        started_at=start + timedelta(hours=offset + i),
                        detected_at=start + timedelta(hours=offset + i),
                        declared_at=start + timedelta(hours=offset + i),
                    )
                    for i in range(size)
                ]
            )
            postmortems = Postmortem.objects.bulk_create(
                [
                    Postmortem(incident=inc, title=f"INC-{inc.number}: {inc.title}")
                    for inc in incidents
                ]
            )
            sections = []
            for pm in postmortems:
                root, query = _root_cause(rng)
                queries.append(query)
                for position, (key, purpose, body) in enumerate(
                    [
                        ("summary", "summary", _sentence(rng, 30)),
                        ("impact", "impact", _sentence(rng, 25)),
                        ("timeline", "timeline", " ".join(_sentence(rng, 12) for _ in range(6))),
                        ("root_cause", "root_cause", root),
                        ("lessons", "lessons", " ".join(_sentence(rng, 15) for _ in range(3))),
                    ]
                ):
                    sections.append(
                        PostmortemSection(
                            postmortem=pm,
                            position=position,
                            key=key,
                            title=key.replace("_", " ").capitalize(),
                            purpose=purpose,
                            body=body,
                        )
                    )
            PostmortemSection.objects.bulk_create(sections)
        print(f"\r  generated {offset + size}/{count}", end="", flush=True)
    print()
    return queries


def build_index() -> None:
    """The indexer's own row builder, in bulk (what rebuild_search_index writes per incident)."""
    from django.db import transaction

    from incidents.models import Incident
    from postmortems.models import Postmortem
    from postmortems.search.indexer import _incident_fields, _postmortem_doc
    from postmortems.search.models import SearchDocument

    postmortems = Postmortem.objects.select_related("incident").prefetch_related("sections")
    docs = []
    for pm in postmortems.iterator(chunk_size=2000):
        docs.append(_postmortem_doc(pm, _incident_fields(pm.incident)))
        if len(docs) >= 2000:
            with transaction.atomic():
                SearchDocument.objects.bulk_create(docs)
            docs = []
    SearchDocument.objects.bulk_create(docs)
    print(
        f"  indexed {SearchDocument.objects.count()} documents of {Incident.objects.count()} incidents"
    )


def _timed(fn, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        began = time.perf_counter()
        fn(query)
        times.append((time.perf_counter() - began) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def run(count: int, query_count: int) -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from postmortems.search import selectors as search_selectors
    from postmortems.search.selectors import MIN_PREFIX_LENGTH, ranked_document_ids, search
    from postmortems.selectors import postmortem_list

    call_command("migrate", verbosity=0)
    from tests.factories import UserFactory

    reader = UserFactory(username="bench-reader", groups=["responder"])
    rng = random.Random(20260301)
    queries = generate(count, rng)
    build_index()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sample = rng.sample(queries, query_count)

    def ranked(q):
        return search(user=reader, text=q, limit=20)

    def naive(q):
        return list(postmortem_list(user=reader, query=q)[:20]), postmortem_list(
            user=reader, query=q
        ).count()

    _timed(ranked, sample[:20])  # warm-up
    _timed(naive, sample[:5])
    fts = _timed(ranked, sample)
    rank_only = _timed(lambda q: ranked_document_ids(user=reader, text=q, limit=20), sample)
    scan = _timed(naive, sample[: max(20, query_count // 5)])
    hits = sum(1 for q in sample[:50] if ranked(q).hits)
    # Instant search sends every keystroke: the short prefixes are the broad ones.
    typing = [w[:n] for w in TYPED_WORDS for n in range(1, len(w) + 1)] * 3
    keystrokes = _timed(ranked, typing)
    slowest = max(zip(keystrokes, typing, strict=True))
    # The same keystrokes with every last word a prefix, as before MIN_PREFIX_LENGTH.
    search_selectors.MIN_PREFIX_LENGTH = 1
    every_prefix = _timed(ranked, typing)
    slowest_before = max(zip(every_prefix, typing, strict=True))
    search_selectors.MIN_PREFIX_LENGTH = MIN_PREFIX_LENGTH
    print(
        f"PostgreSQL {connection.pg_version // 10000}, {count} postmortems, {len(sample)} queries"
    )
    print(
        f"  full-text search: p50 {statistics.median(fts):.1f} ms, p95 {_p95(fts):.1f} ms, "
        f"max {max(fts):.1f} ms (target p95 < {TARGET_P95_MS:.0f} ms: "
        f"{'met' if _p95(fts) < TARGET_P95_MS else 'NOT met'})"
    )
    print(
        f"  (ranking alone, no snippets or total: p50 {statistics.median(rank_only):.1f} ms, "
        f"p95 {_p95(rank_only):.1f} ms)"
    )
    print(
        f"  naive icontains:  p50 {statistics.median(scan):.1f} ms, p95 {_p95(scan):.1f} ms, "
        f"max {max(scan):.1f} ms"
    )
    print(
        f"  typing {len(TYPED_WORDS)} words a keystroke at a time ({len(typing)} queries), "
        f"prefixes from {MIN_PREFIX_LENGTH} letters: p50 {statistics.median(keystrokes):.1f} ms, "
        f"p95 {_p95(keystrokes):.1f} ms, max {slowest[0]:.1f} ms ({slowest[1]!r})"
    )
    print(
        f"  the same, every last word a prefix: p50 {statistics.median(every_prefix):.1f} ms, "
        f"p95 {_p95(every_prefix):.1f} ms, max {slowest_before[0]:.1f} ms "
        f"({slowest_before[1]!r}); ratio p95 {_p95(every_prefix) / _p95(keystrokes):.1f}x, "
        f"max {slowest_before[0] / slowest[0]:.1f}x"
    )
    print(
        f"  ratio (naive / full-text): p50 {statistics.median(scan) / statistics.median(fts):.1f}x, "
        f"p95 {_p95(scan) / _p95(fts):.1f}x; {hits}/50 sample queries found hits"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postmortems", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="Keep the database for EXPLAIN.")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at PostgreSQL for this benchmark.")
    with admin_connection(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = with_database(server_url, BENCH_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("REDIS_URL", None)
    try:
        run(args.postmortems, args.queries)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with admin_connection(server_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
