"""Reads from the search index, on PostgreSQL (tsvector + GIN) and SQLite (FTS5) alike.

Both backends get the same parsed query: words only (no operator syntax from users), common
English stop words dropped, every word required ("all") or any word ("any"), the last word also
matching as a prefix so instant search finds "certif" while it is being typed — once it has
MIN_PREFIX_LENGTH letters: a prefix of one or two letters would rank most of the archive on every
keystroke for no useful hit, so it matches as a whole word (like "5" or "db"). Privacy is applied
before ranking by joining to the incidents the user may see, so a hidden row can never
contribute a hit, a snippet or a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from config.errors import ValidationFailed
from incidents.models import Severity, TriggerCategory
from incidents.selectors import incident_visible_queryset
from incidents.services.taxonomy import lookup_name
from postmortems.search.migration_sql import FTS_TABLE, TABLE, TS_CONFIG, VECTOR_COLUMN
from postmortems.search.models import SearchDocument

MAX_TERMS = 12
MIN_PREFIX_LENGTH = 3
MAX_TERM_LENGTH = 64
MAX_QUERY_LENGTH = 500
MAX_LIMIT = 100
# Highlight marks placed by the database around matched words; the only markup in a snippet.
MARK_START, MARK_STOP = "\ue000", "\ue001"
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
    ]
)
# Column weights: title 1.0, summary 0.4, body 0.2 (PostgreSQL's defaults for A, B, C).
_BM25_WEIGHTS = "5.0, 2.0, 1.0"


@dataclass(frozen=True)
class SearchFilters:
    kind: str = ""
    service: str = ""
    team: str = ""
    severity: str = ""
    trigger_category: str = ""
    # A tag or contributing factor of the hit's incident (normalised names; unknown → no hits).
    tag: str = ""
    factor: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class SearchHit:
    type: str
    id: int
    incident_id: int
    title: str
    snippet: SafeString
    score: float
    url: str
    occurred_at: datetime

    @property
    def type_label(self) -> str:
        return SearchDocument.DocKind(self.type).label


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int


def query_terms(text: str) -> list[str]:
    """The words of a user query, lower-cased, without stop words or operator syntax."""
    words = re.findall(r"[^\W_]+", (text or "")[:MAX_QUERY_LENGTH].lower())
    terms = [w[:MAX_TERM_LENGTH] for w in words if w not in STOP_WORDS]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def _is_prefix(term: str) -> bool:
    """Whether the last word also matches as the start of longer words (both backends)."""
    return len(term) >= MIN_PREFIX_LENGTH


def _date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(
            f"{field} must be a date (YYYY-MM-DD).", field_errors={field: ["A date, YYYY-MM-DD."]}
        ) from None


def _choice(value, choices, field: str) -> str:
    value = (value or "").strip()
    if value and value not in choices:
        raise ValidationFailed(
            f"Unknown {field}: {value[:40]!r}.",
            field_errors={field: [f"One of: {', '.join(choices)}."]},
        )
    return value


def _slug(value, field: str) -> str:
    value = (value or "").strip()
    if value and not re.fullmatch(r"[-\w]{1,64}", value):
        raise ValidationFailed(f"{field} must be a slug.", field_errors={field: ["A slug."]})
    return value


def search_filters_from(params) -> SearchFilters:
    """Validate filters from query parameters (a QueryDict or dict); bad values are a 400."""
    filters = SearchFilters(
        kind=_choice(params.get("type"), SearchDocument.DocKind.values, "type"),
        service=_slug(params.get("service"), "service"),
        team=_slug(params.get("team"), "team"),
        severity=_choice(params.get("severity"), Severity.values, "severity"),
        trigger_category=_choice(
            params.get("trigger_category"), TriggerCategory.values, "trigger_category"
        ),
        tag=lookup_name(params.get("tag"), "tags"),
        factor=lookup_name(params.get("factor"), "contributing_factors"),
        date_from=_date(params.get("from"), "from"),
        date_to=_date(params.get("to"), "to"),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationFailed(
            "from must not be after to.", field_errors={"from": ["After the end date."]}
        )
    return filters


def visible_documents(user, filters: SearchFilters | None = None) -> QuerySet[SearchDocument]:
    """Index rows of incidents the user may see (members and admins see private ones)."""
    # The row's incident must be one the user may see, looked up by its primary key for each
    # candidate row (a correlated subquery): cheaper than listing every visible incident when a
    # query matches a small part of the index, and the rule stays incident_visible_queryset's.
    visible = (
        incident_visible_queryset(user).filter(pk=OuterRef("incident_id")).order_by().values("pk")
    )
    qs = SearchDocument.objects.filter(incident_id=Subquery(visible[:1]))
    f = filters or SearchFilters()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.service:
        qs = qs.filter(service_slugs__contains=f" {f.service} ")
    if f.team:
        qs = qs.filter(team_slugs__contains=f" {f.team} ")
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.trigger_category:
        qs = qs.filter(trigger_category=f.trigger_category)
    # Through the incident, never copied into the index: a tag edit is seen at once. Names are
    # unique and an incident carries each once, so the joins add no duplicate rows.
    if f.tag:
        qs = qs.filter(incident__tags__name=f.tag)
    if f.factor:
        qs = qs.filter(incident__contributing_factors__name=f.factor)
    tz = timezone.get_current_timezone()
    if f.date_from:
        qs = qs.filter(occurred_at__gte=datetime.combine(f.date_from, time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(occurred_at__lt=datetime.combine(f.date_to, time.max, tzinfo=tz))
    return qs


def render_snippet(marked: str) -> SafeString:
    """Escape everything, then turn the database's highlight marks into <mark> elements."""
    text = escape(marked or "")
    opened = text.count(MARK_START)
    text = text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    # A mark cut off by the fragment boundary is closed so the markup always balances.
    text += "</mark>" * max(0, opened - marked.count(MARK_STOP))
    return mark_safe(text)  # noqa: S308  (escaped above; only our own <mark> tags added)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _pg_raw_query(terms: list[str], mode: str) -> str:
    joiner = " & " if mode == "all" else " | "
    last = f"{terms[-1]}:*" if _is_prefix(terms[-1]) else terms[-1]
    return joiner.join([*terms[:-1], last])


def _pg_query(terms: list[str], mode: str) -> SearchQuery:
    return SearchQuery(_pg_raw_query(terms, mode), search_type="raw", config=TS_CONFIG)


def _pg_vector():
    # Constant names only: the generated column is not a model field, so it is named in SQL.
    return RawSQL(f'"{TABLE}"."{VECTOR_COLUMN}"', [], output_field=SearchVectorField())  # noqa: S611


def _pg_ranking(qs, terms, mode, limit, offset) -> tuple[str, list]:
    """SQL and parameters of ``(id, rank, total)`` for one page, best first: every match is
    ranked, and COUNT(*) OVER () gives the total in the same pass.

    The ranks are computed in a subquery the planner may not flatten (OFFSET 0), so the window
    and the sort carry ids and ranks, not each match's tsvector: with the vectors, a broad query
    ("database", a third of the archive) spilled the window to disk and took twice as long.
    Raises ``EmptyResultSet`` when ``qs`` can match nothing (e.g. an anonymous user).
    """
    query = _pg_query(terms, mode)
    ranked = (
        qs.annotate(vector=_pg_vector())
        .filter(vector=query)
        .annotate(rank=SearchRank(_pg_vector(), query))
        .order_by()
        .values("id", "rank", "occurred_at")
    )
    inner_sql, inner_params = ranked.query.sql_with_params()
    # The ORM's own SQL only; every value is a parameter.
    sql = (
        f"SELECT m.id, m.rank, COUNT(*) OVER () AS total FROM ({inner_sql} OFFSET 0) AS m"  # noqa: S608
        " ORDER BY m.rank DESC, m.occurred_at DESC, m.id LIMIT %s OFFSET %s"
    )
    return sql, [*inner_params, limit, offset]


def _pg_ranked(qs, terms, mode, limit, offset) -> tuple[list[tuple[int, float]], int | None]:
    """(id, rank) of one page, best first, and the total number of matches."""
    try:
        sql, params = _pg_ranking(qs, terms, mode, limit, offset)
    except EmptyResultSet:
        return [], None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = rows[0][2] if rows else None
    return [(pk, float(rank)) for pk, rank, _ in rows], total


_HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=35, MinWords=15, MaxFragments=2, '
    'FragmentDelimiter=" … "'
)
_DOC_COLUMNS = ", ".join(f'd."{f.column}"' for f in SearchDocument._meta.concrete_fields)


def _pg_page(
    qs, terms, limit, offset
) -> tuple[list[tuple[SearchDocument, float, str]], int | None]:
    """One page of hits with their rows and highlighted snippets, in one query.

    The ranking runs over ids only; ts_headline (which parses the whole text) runs afterwards
    for the page's rows alone, never for every match.
    """
    try:
        ranked_sql, ranked_params = _pg_ranking(qs, terms, "all", limit, offset)
    except EmptyResultSet:  # e.g. an anonymous user: nothing is visible
        return [], None
    # Constant names and the ORM's own SQL only; every value is a parameter.
    sql = " ".join(
        [
            f"SELECT {_DOC_COLUMNS}, r.rank, r.total,",
            "ts_headline(%s::regconfig, d.summary || %s || d.body, to_tsquery(%s::regconfig, %s), %s)",
            f"AS snippet FROM ({ranked_sql}) AS r JOIN {TABLE} AS d ON d.id = r.id",
            "ORDER BY r.rank DESC, d.occurred_at DESC, d.id",
        ]
    )
    params = [TS_CONFIG, " \n ", TS_CONFIG, _pg_raw_query(terms, "any"), _HEADLINE_OPTIONS]
    rows = list(SearchDocument.objects.raw(sql, [*params, *ranked_params]))  # noqa: S611
    total = rows[0].total if rows else None
    return [(doc, float(doc.rank), doc.snippet) for doc in rows], total


def _pg_count(qs, terms, mode) -> int:
    return qs.annotate(vector=_pg_vector()).filter(vector=_pg_query(terms, mode)).count()


# --- SQLite FTS5 -----------------------------------------------------------------------------------


def _fts_query(terms: list[str], mode: str) -> str:
    last = f'"{terms[-1]}"*' if _is_prefix(terms[-1]) else f'"{terms[-1]}"'
    quoted = [f'"{t}"' for t in terms[:-1]] + [last]
    return (" " if mode == "all" else " OR ").join(quoted)


def _fts_from(qs) -> tuple[str, list]:
    inner_sql, inner_params = qs.values("id").query.sql_with_params()
    sql = (
        f"FROM {FTS_TABLE} JOIN {TABLE} AS d ON d.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND d.id IN ({inner_sql})"
    )
    return sql, list(inner_params)


def _fts_ranked(qs, terms, mode, limit, offset) -> tuple[list[tuple[int, float]], int | None]:
    try:
        from_sql, params = _fts_from(qs)
    except EmptyResultSet:  # e.g. an anonymous user: nothing is visible
        return [], None
    sql = (
        f"SELECT d.id, bm25({FTS_TABLE}, {_BM25_WEIGHTS}) AS score {from_sql} "
        "ORDER BY score, d.occurred_at DESC, d.id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts_query(terms, mode), *params, limit, offset])
        # bm25() is lower-is-better; negate so a higher score is a better hit on both databases.
        return [(pk, -float(score)) for pk, score in cursor.fetchall()], None


def _fts_snippets(ids: list[int], terms: list[str]) -> dict[int, str]:
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    # Constant names and placeholders only; every value is a parameter.
    sql = " ".join(
        [
            f"SELECT {FTS_TABLE}.rowid, snippet({FTS_TABLE}, -1, %s, %s, ' … ', 24)",
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            f"AND {FTS_TABLE}.rowid IN ({placeholders})",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK_START, MARK_STOP, _fts_query(terms, "any"), *ids])
        return dict(cursor.fetchall())


def _fts_page(
    qs, terms, limit, offset
) -> tuple[list[tuple[SearchDocument, float, str]], int | None]:
    rows, total = _fts_ranked(qs, terms, "all", limit, offset)
    ids = [pk for pk, _ in rows]
    docs = SearchDocument.objects.in_bulk(ids)
    marked = _fts_snippets(ids, terms)
    return [(docs[pk], score, marked.get(pk) or "") for pk, score in rows if pk in docs], total


def _fts_count(qs, terms, mode) -> int:
    try:
        from_sql, params = _fts_from(qs)
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {from_sql}", [_fts_query(terms, mode), *params])
        return cursor.fetchone()[0]


# --- entry points --------------------------------------------------------------------------------------


def _backend():
    """(ranked ids, page of hits, count) for the database in use."""
    if connection.vendor == "postgresql":
        return _pg_ranked, _pg_page, _pg_count
    return _fts_ranked, _fts_page, _fts_count


def ranked_document_ids(
    *, user, text: str, filters: SearchFilters | None = None, mode: str = "all", limit: int = 20
) -> list[tuple[SearchDocument, float]]:
    """The best-ranked visible index rows for ``text`` with their scores (no snippets)."""
    terms = query_terms(text)
    if not terms:
        return []
    ranked, _, _ = _backend()
    rows, _ = ranked(visible_documents(user, filters), terms, mode, limit, 0)
    docs = SearchDocument.objects.in_bulk([pk for pk, _ in rows])
    return [(docs[pk], score) for pk, score in rows if pk in docs]


def search(
    *,
    user,
    text: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Ranked hits (best first) with highlighted snippets and the total number of matches.

    Every word must match (the last one also as a prefix). Only rows of incidents ``user`` may
    see take part, so private hits, snippets and counts never reach non-members.
    """
    terms = query_terms(text)
    if not terms:
        return SearchResults(query=text or "", hits=[], total=0)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    _, page, count = _backend()
    qs = visible_documents(user, filters)
    rows, known_total = page(qs, terms, limit, offset)
    hits = []
    for doc, score, snippet in rows:
        if MARK_START not in (snippet or ""):
            # The match was in the title only: show the start of the text instead.
            snippet = (doc.summary or doc.body)[:200]
        hits.append(
            SearchHit(
                type=doc.kind,
                id=doc.object_id,
                incident_id=doc.incident_id,
                title=doc.title,
                snippet=render_snippet(snippet),
                score=round(score, 6),
                url=doc.url,
                occurred_at=doc.occurred_at,
            )
        )
    if known_total is not None:
        total = known_total
    elif offset == 0 and len(hits) < limit:
        total = len(hits)
    else:
        total = count(qs, terms, "all")
    return SearchResults(query=text, hits=hits, total=total)
