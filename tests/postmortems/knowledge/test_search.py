"""Search over postmortems, incidents, notes and action items: ranking, snippets, filters, privacy.

Runs on SQLite (FTS5) and, with DATABASE_URL, on PostgreSQL (tsvector + GIN): same expectations.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection

from incidents import services as incident_services
from postmortems import services
from postmortems.search.migration_sql import FTS_TABLE, TABLE, VECTOR_COLUMN
from postmortems.search.models import SearchDocument
from postmortems.search.selectors import SearchFilters, search

pytestmark = pytest.mark.django_db


def _first(results):
    return (results.hits[0].type, results.hits[0].id) if results.hits else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("certificate expired", "certificate"),
        ("TLS certificate partner gateway", "certificate"),
        ("renewal manual step", "certificate"),
        ("DNS resolver latency", "dns"),
        ("mail queue consumer crashed", "queue"),
    ],
)
def test_root_cause_query_finds_its_postmortem_first(responder, archive, query, expected):
    results = search(user=responder, text=query)
    assert _first(results) == ("postmortem", archive[expected].pk)


def test_stemming_and_prefix_match_while_typing(responder, archive):
    assert _first(search(user=responder, text="certificates expiring")) == (
        "postmortem",
        archive["certificate"].pk,
    )
    assert _first(search(user=responder, text="resolv")) == ("postmortem", archive["dns"].pk)


def test_a_last_word_of_one_or_two_letters_is_a_whole_word_not_a_prefix(responder, archive):
    # "c" would otherwise rank every document with a word starting with c while typing.
    assert search(user=responder, text="c").hits == []
    assert search(user=responder, text="certificate pa").hits == []
    assert _first(search(user=responder, text="certificate par")) == (
        "postmortem",
        archive["certificate"].pk,
    )
    assert _first(search(user=responder, text="dns")) == ("postmortem", archive["dns"].pk)


def test_every_word_must_match(responder, archive):
    assert search(user=responder, text="certificate resolver").hits == []


def test_snippet_highlights_matches_and_escapes_everything_else(responder, write_postmortem):
    postmortem = write_postmortem(
        responder,
        title="Widget outage",
        root_cause="The <script>alert(1)</script> tag broke the widget renderer & parser.",
    )
    hit = search(user=responder, text="widget renderer").hits[0]
    assert (hit.type, hit.id) == ("postmortem", postmortem.pk)
    assert "<mark>renderer</mark>" in hit.snippet
    # The only markup is our own highlight: user text never becomes a tag.
    assert set(re.findall(r"</?[^>]*>", hit.snippet)) <= {"<mark>", "</mark>"}
    assert "&amp;" in hit.snippet
    assert hit.url == f"/postmortems/{postmortem.pk}/"


def test_incident_titles_notes_and_action_items_are_searchable(responder, write, archive):
    postmortem = archive["queue"]
    incident = postmortem.incident
    event = write(
        incident_services.timeline_note_add,
        incident=incident,
        user=responder,
        body="Paused the flamingo consumer to drain the backlog",
    )
    item = write(
        services.action_item_create,
        user=responder,
        incident=incident,
        postmortem=postmortem,
        title="Add a readiness probe to the flamingo consumer",
    )
    hits = {(h.type, h.id) for h in search(user=responder, text="flamingo consumer").hits}
    assert hits == {("timeline_note", event.pk), ("action_item", item.pk)}
    titles = search(user=responder, text="emails delayed").hits
    assert ("incident", incident.pk) in {(h.type, h.id) for h in titles}


def test_edits_are_reindexed(responder, write, archive):
    postmortem = archive["dns"]
    root = postmortem.sections.get(purpose="root_cause")
    write(
        services.postmortem_save,
        user=responder,
        postmortem=postmortem,
        version=postmortem.version,
        sections=[{"key": root.key, "body": "A kangaroo chewed the fibre."}],
    )
    assert search(user=responder, text="resolver latency").hits == []
    assert _first(search(user=responder, text="kangaroo")) == ("postmortem", postmortem.pk)
    incident = postmortem.incident
    write(
        incident_services.incident_update,
        incident=incident,
        user=responder,
        changes={"title": "Wombat storm"},
    )
    assert ("incident", incident.pk) in {
        (h.type, h.id) for h in search(user=responder, text="wombat").hits
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(service="payments"), {"certificate", "queue"}),
        (SearchFilters(team="network"), {"dns"}),
        (SearchFilters(severity="SEV1"), {"certificate"}),
        (SearchFilters(trigger_category="code_change"), {"queue"}),
        (SearchFilters(kind="incident"), set()),
    ],
)
def test_filters(responder, archive, filters, expected):
    # "expired"/"crashed"/"doubled" each appear in one root cause; OR them via three searches.
    found = set()
    for word in ("expired", "crashed", "doubled"):
        for hit in search(user=responder, text=word, filters=filters).hits:
            found |= {k for k, pm in archive.items() if (hit.type, hit.id) == ("postmortem", pm.pk)}
    assert found == expected


def test_date_filter(responder, archive):
    started = archive["dns"].incident.started_at.date()
    assert search(user=responder, text="resolver", filters=SearchFilters(date_from=started)).hits
    before = SearchFilters(date_to=started.replace(year=started.year - 1))
    assert search(user=responder, text="resolver", filters=before).hits == []


def test_private_postmortem_never_reaches_outsiders(
    responder, outsider, admin_user, write_postmortem, archive
):
    secret = write_postmortem(
        responder,
        title="Quiet incident",
        root_cause="A certificate expired on the zebra signing service.",
        private=True,
    )
    for_member = search(user=responder, text="zebra certificate")
    assert _first(for_member) == ("postmortem", secret.pk)
    assert _first(search(user=admin_user, text="zebra certificate")) == ("postmortem", secret.pk)

    hidden = search(user=outsider, text="zebra certificate")
    assert hidden.hits == [] and hidden.total == 0
    # The count for a shared word leaves the private rows out as well.
    member_total = search(user=responder, text="certificate expired").total
    outsider_results = search(user=outsider, text="certificate expired")
    assert outsider_results.total == member_total - 1
    assert all("zebra" not in hit.snippet for hit in outsider_results.hits)


def test_making_an_incident_private_hides_its_rows(responder, outsider, write, archive):
    incident = archive["dns"].incident
    write(
        incident_services.incident_update,
        incident=incident,
        user=responder,
        changes={"private": True},
    )
    assert search(user=outsider, text="resolver").hits == []
    assert search(user=responder, text="resolver").hits


def test_anonymous_users_find_nothing(archive, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert search(user=AnonymousUser(), text="certificate").total == 0


def test_rebuild_command_recreates_the_index(responder, archive):
    SearchDocument.objects.all().delete()
    assert search(user=responder, text="certificate").hits == []
    call_command("rebuild_search_index", verbosity=0)
    assert _first(search(user=responder, text="certificate expired")) == (
        "postmortem",
        archive["certificate"].pk,
    )
    count = SearchDocument.objects.count()
    call_command("rebuild_search_index", verbosity=0)
    assert SearchDocument.objects.count() == count


def test_queries_without_words_find_nothing(responder, archive):
    for text in ("", "   ", "the and of", '"*)(OR NEAR', "&|!:*"):
        assert search(user=responder, text=text).hits == []


@pytest.fixture
def tagged(responder, write, archive):
    """The certificate and queue incidents tagged; the certificate one also has a factor."""
    write(
        incident_services.incident_taxonomy_update,
        incident=archive["certificate"].incident,
        user=responder,
        tags=["certificates", "partners"],
        contributing_factors=["manual renewal"],
    )
    write(
        incident_services.incident_taxonomy_update,
        incident=archive["queue"].incident,
        user=responder,
        tags=["deploys"],
        contributing_factors=["missing readiness probe"],
    )
    return archive


def _postmortems_found(results, archive):
    return {
        k
        for k, pm in archive.items()
        for h in results.hits
        if (h.type, h.id) == ("postmortem", pm.pk)
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(tag="certificates"), {"certificate"}),
        (SearchFilters(tag="deploys"), {"queue"}),
        (SearchFilters(factor="manual renewal"), {"certificate"}),
        (SearchFilters(tag="partners", factor="manual renewal"), {"certificate"}),
        (SearchFilters(tag="deploys", factor="manual renewal"), set()),
        (SearchFilters(tag="deploys", service="edge"), set()),
    ],
)
def test_tag_and_factor_filters_match_postmortems_through_their_incident(
    responder, tagged, filters, expected
):
    found = set()
    for word in ("expired", "crashed", "doubled"):
        found |= _postmortems_found(search(user=responder, text=word, filters=filters), tagged)
    assert found == expected


def test_tag_filter_keeps_every_kind_of_hit_of_the_incident(responder, write, tagged):
    incident = tagged["certificate"].incident
    item = write(
        services.action_item_create,
        user=responder,
        incident=incident,
        postmortem=tagged["certificate"],
        title="Automate the partner certificate renewal",
    )
    results = search(user=responder, text="certificate", filters=SearchFilters(tag="certificates"))
    assert {(h.type, h.id) for h in results.hits} == {
        ("postmortem", tagged["certificate"].pk),
        ("action_item", item.pk),
    }
    assert results.total == 2


def test_unknown_tag_or_factor_finds_nothing_without_an_error(responder, tagged):
    for filters in (SearchFilters(tag="no-such-tag"), SearchFilters(factor="no such factor")):
        results = search(user=responder, text="expired", filters=filters)
        assert results.hits == [] and results.total == 0


def test_tag_filter_follows_tag_edits(responder, write, tagged):
    incident = tagged["dns"].incident
    by_tag = SearchFilters(tag="dns")
    assert search(user=responder, text="resolver", filters=by_tag).hits == []
    write(
        incident_services.incident_taxonomy_update, incident=incident, user=responder, tags=["dns"]
    )
    assert _first(search(user=responder, text="resolver", filters=by_tag)) == (
        "postmortem",
        tagged["dns"].pk,
    )


def test_tag_filter_never_reveals_private_incidents(
    responder, outsider, write, write_postmortem, tagged
):
    secret = write_postmortem(
        responder,
        title="Quiet incident",
        root_cause="A certificate expired on the zebra signing service.",
        private=True,
    )
    write(
        incident_services.incident_taxonomy_update,
        incident=secret.incident,
        user=responder,
        tags=["certificates"],
    )
    by_tag = SearchFilters(tag="certificates")
    member = search(user=responder, text="certificate expired", filters=by_tag)
    assert {(h.type, h.id) for h in member.hits} == {
        ("postmortem", secret.pk),
        ("postmortem", tagged["certificate"].pk),
    }
    outsider_results = search(user=outsider, text="certificate expired", filters=by_tag)
    assert [(h.type, h.id) for h in outsider_results.hits] == [
        ("postmortem", tagged["certificate"].pk)
    ]
    assert outsider_results.total == 1


def test_section_headings_are_not_indexed_as_text(responder, write_postmortem, archive):
    # Every postmortem has a "Timeline" and an "Appendix" section: their headings are not words
    # of the document, or "time" (a prefix while typing) would match every postmortem.
    for text in ("timeline", "time", "appendix", "action items"):
        hits = search(user=responder, text=text, filters=SearchFilters(kind="postmortem")).hits
        assert hits == [], text
    mentioned = write_postmortem(
        responder, title="Rollout confusion", root_cause="Nobody kept a timeline of the rollout."
    )
    hits = search(user=responder, text="time", filters=SearchFilters(kind="postmortem")).hits
    assert [(h.type, h.id) for h in hits] == [("postmortem", mentioned.pk)]


def test_the_full_text_index_is_laid_out_for_fast_ranking_on_this_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # In the row, not out of line (TOAST), where every ranked match costs an index
            # lookup: broad queries were 3x slower. And a GIN index to find the matches.
            cursor.execute(
                "SELECT attstorage FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attname = %s",
                [TABLE, VECTOR_COLUMN],
            )
            assert cursor.fetchone() == ("m",)
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [TABLE, "%USING gin%"],
            )
            assert VECTOR_COLUMN in cursor.fetchone()[0]
        else:
            # SQLite: the FTS5 table and the triggers that keep it in step with every write.
            cursor.execute(
                "SELECT type, name FROM sqlite_master WHERE name LIKE %s ORDER BY name",
                [f"{FTS_TABLE}%"],
            )
            objects = cursor.fetchall()
            assert ("table", FTS_TABLE) in objects
            assert {name for kind, name in objects if kind == "trigger"} == {
                f"{FTS_TABLE}_ai",
                f"{FTS_TABLE}_ad",
                f"{FTS_TABLE}_au",
            }
