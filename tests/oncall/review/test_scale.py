"""The weekly review at storm sizes: figures computed by the database equal the ones worked out
by hand from METRICS.md (edge cases of every definition), a group lists its newest instances and
pages through the rest (web and API), and the page's query count does not grow with the week."""

from __future__ import annotations

from datetime import timedelta

import pytest

from oncall.alerts.services import integration_create
from oncall.models import Alert
from oncall.review.selectors import parse_scope, review_week
from tests.oncall.review.support import WEEK, utc

pytestmark = pytest.mark.django_db

REVIEW = "/alerts/review/"
API = "/api/v1/alert-reviews/"
MONDAY = utc(2026, 11, 16)  # W47 in UTC
W47 = MONDAY.date()


def make(integration, name, at, **fields) -> Alert:
    """One alert row exactly as given (no ingest rules in between: edge cases stay edge cases)."""
    values = {
        "fingerprint": f"{name}-{at:%d%H%M%S%f}",
        "summary": "Restart the queue workers",
        "runbook_url": "https://runbooks.example.com/q",
        "urgency": Alert.Urgency.TODAY,
        "first_received_at": at,
        "last_received_at": at,
        **fields,
    }
    return Alert.objects.create(integration=integration, name=name, fired_at=at, **values)


def many(integration, name, count, start=MONDAY + timedelta(hours=1)) -> list[Alert]:
    """``count`` alerts of one name a minute apart; returned newest first (the review's order)."""
    rows = [
        Alert(
            integration=integration,
            name=name,
            fingerprint=f"{name}-{k}",
            fired_at=start + timedelta(minutes=k),
            summary="Drain the backlog",
            first_received_at=start,
            last_received_at=start,
        )
        for k in range(count)
    ]
    Alert.objects.bulk_create(rows)
    return list(Alert.objects.filter(name=name).order_by("-fired_at", "-pk"))


@pytest.fixture
def source(responder):
    responder.timezone = "UTC"
    responder.save()
    return integration_create(user=responder, kind="generic", name="scripts").integration


# --- figures by SQL equal the hand-computed ones ---------------------------------------------


def test_sql_figures_equal_the_hand_computed_ones_on_edge_cases(responder, source):
    other_source = integration_create(user=responder, kind="generic", name="other").integration
    t = MONDAY + timedelta(days=1)
    # "Edge": every definition at its boundary.
    make(  # paged, acknowledged after 90 s, resolved later: counts in MTTA, not auto-resolved
        source,
        "Edge",
        t,
        fingerprint="e1",
        urgency="critical",
        acknowledged_at=t + timedelta(seconds=90),
        resolved_at=t + timedelta(minutes=5),
        actionable=True,
    )
    make(  # paged, acknowledged exactly when it resolved: acknowledged "before" resolving
        source,
        "Edge",
        t + timedelta(hours=12),
        fingerprint="e1",
        urgency="critical",
        acknowledged_at=t + timedelta(hours=12, seconds=30),
        resolved_at=t + timedelta(hours=12, seconds=30),
        actionable=False,
    )
    make(  # the third firing of e1 exactly 24 h after the first: flapping (within 24 h)
        source,
        "Edge",
        t + timedelta(hours=24),
        fingerprint="e1",
        urgency="critical",
        resolved_at=t + timedelta(hours=24, minutes=1),
    )
    make(  # acknowledged after it resolved: auto-resolved unacknowledged; not paged
        source,
        "Edge",
        t + timedelta(hours=2),
        fingerprint="e2",
        acknowledged_at=t + timedelta(hours=3),
        resolved_at=t + timedelta(hours=2, minutes=10),
        # 49 characters once the surrounding blanks (a tab, a newline, a no-break space) go
        summary="\t " + "R" + "x" * 48 + "\n\xa0",
    )
    make(  # a blank summary: the subject is the name; a blank runbook link is no runbook
        source, "Edge", t + timedelta(hours=4), fingerprint="e3", summary=" \n ", runbook_url="  "
    )
    make(  # 50 characters: a long subject
        source, "Edge", t + timedelta(hours=5), fingerprint="e4", summary="R" * 50
    )
    # The same fingerprint from two integrations, 3 firings within 24 h together but never
    # 3 from one integration: not flapping.
    for k, integration in enumerate([source, other_source, source]):
        make(integration, "Split", t + timedelta(hours=k), fingerprint="s1")
    # The third firing 24 h and 1 µs after the first: not flapping.
    for at in (t, t + timedelta(hours=1), t + timedelta(hours=24, microseconds=1)):
        make(source, "Slow", at, fingerprint="w1")

    week = review_week(user=responder, week_start=W47, scope=parse_scope())
    groups = {g.name: g for g in week.groups}

    edge = groups["Edge"].figures
    assert edge.instances == 6
    assert (edge.paged, edge.paged_acknowledged, edge.paged_unacknowledged) == (3, 2, 1)
    assert edge.mtta_seconds == 60  # (90 s + 30 s) / 2
    assert edge.unacknowledged_share == pytest.approx(1 / 3)
    assert edge.auto_resolved_unacknowledged == 2  # the unacknowledged page and e2
    assert (edge.long_subject, edge.no_runbook) == (1, 1)
    assert (edge.actionable, edge.not_actionable, edge.unreviewed) == (1, 1, 4)
    assert edge.actionable_rate == 0.5
    assert groups["Edge"].flapping == ["e1"]
    assert groups["Split"].flapping == []
    assert groups["Slow"].flapping == []

    totals = week.totals
    assert (totals.instances, totals.paged, totals.paged_acknowledged) == (12, 3, 2)
    assert totals.mtta_seconds == 60
    assert (totals.long_subject, totals.no_runbook, totals.unreviewed) == (1, 1, 10)
    assert [g.name for g in week.groups] == ["Edge", "Slow", "Split"]  # noisiest, then by name


def test_the_figures_agree_with_each_alerts_own_content_check(responder, source):
    t = MONDAY + timedelta(days=2)
    summaries = [
        "",
        "  ",
        "Restart x",
        " " * 3 + "y" * 49 + " ",
        "z" * 49,
        "é" * 50,
        "\u3000a\u3000",
    ]
    for k, summary in enumerate(summaries):
        make(
            source,
            "Mixed",
            t + timedelta(minutes=k),
            summary=summary,
            runbook_url="https://r" if k % 2 else " " * (k % 3),
        )

    figures = review_week(user=responder, week_start=W47, scope=parse_scope()).groups[0].figures

    alerts = list(Alert.objects.filter(name="Mixed"))
    assert figures.long_subject == sum(not a.subject_is_short for a in alerts) == 1
    assert figures.no_runbook == sum(not a.has_runbook for a in alerts) == 4


# --- paging within a group ----------------------------------------------------------------------


def test_a_group_lists_its_newest_alerts_and_its_own_page_pages_through_all(
    client, responder, source
):
    backlog = many(source, "QueueBacklog", 60)
    many(source, "DiskFull", 3)
    client.force_login(responder)

    review = client.get(f"{REVIEW}?week={WEEK}").content.decode()
    section = review[review.index('data-group="QueueBacklog"') :]
    section = section[: section.index("</section>")]
    listed = [int(pk) for pk in _alert_ids(section)]
    assert listed == [a.pk for a in backlog[:20]]  # the newest 20, newest first
    assert "the newest 20 of 60" in section
    more = f"{REVIEW}group/?week={WEEK}&amp;name=QueueBacklog"
    assert more in section

    first = client.get(more.replace("&amp;", "&")).content.decode()
    second = client.get(more.replace("&amp;", "&") + "&page=2").content.decode()
    assert "Alerts 1–50 of 60" in first and "Alerts 51–60 of 60" in second
    paged = [int(pk) for pk in _alert_ids(first) + _alert_ids(second)]
    assert paged == [a.pk for a in backlog]  # every instance once, newest first

    oldest = backlog[-1]
    response = client.post(
        f"{REVIEW}actionable/",
        {
            "week": WEEK,
            "alert": oldest.pk,
            "actionable": "no",
            "group": "QueueBacklog",
            "group_page": "2",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{REVIEW}group/?week={WEEK}&name=QueueBacklog&page=2"
    oldest.refresh_from_db()
    assert oldest.actionable is False


def test_a_group_page_for_an_alert_that_did_not_fire_is_a_404(client, responder, source):
    many(source, "DiskFull", 3)
    client.force_login(responder)

    response = client.get(f"{REVIEW}group/?week={WEEK}&name=NoSuchAlert")

    assert response.status_code == 404
    assert "No alert named" in response.content.decode()


def test_the_api_lists_the_newest_ids_per_group_and_pages_through_the_rest(api, responder, source):
    backlog = many(source, "QueueBacklog", 60)
    disk = many(source, "DiskFull", 3)
    client = api.as_user(responder)

    body = client.get(f"{API}?week={WEEK}&alerts_limit=5").json()

    queue, disk_group = body["groups"]
    assert queue["alert_ids"] == [a.pk for a in backlog[:5]]
    assert queue["alerts_more"] is True and queue["figures"]["instances"] == 60
    assert disk_group["alert_ids"] == [a.pk for a in disk] and disk_group["alerts_more"] is False
    url, seen = queue["alerts_url"] + "&limit=25", []
    while url:
        page = client.get(url).json()
        assert page["count"] == 60 and page["name"] == "QueueBacklog"
        seen += [alert["id"] for alert in page["results"]]
        url = page["next"]
    assert seen == [a.pk for a in backlog]
    last = client.get(queue["alerts_url"] + "&limit=25&offset=50").json()
    assert last["next"] is None and "offset=25" in last["previous"]
    assert last["results"][0]["subject"] == "Drain the backlog"
    # By default a group lists up to 100 ids.
    default = client.get(f"{API}?week={WEEK}").json()["groups"][0]
    assert len(default["alert_ids"]) == 60 and default["alerts_more"] is False


@pytest.mark.parametrize(
    "query",
    [
        "name=QueueBacklog&limit=0",
        "name=QueueBacklog&limit=1001",
        "name=QueueBacklog&offset=-1",
        "name=QueueBacklog&limit=ten",
        "",
        "name=QueueBacklog&week=2026-W99",
    ],
)
def test_bad_paging_input_is_a_400(api, responder, source, query):
    many(source, "QueueBacklog", 3)

    response = api.as_user(responder).get(f"{API}alerts/?week={WEEK}&{query}")

    assert response.status_code == 400


def test_bad_alerts_limit_is_a_400_and_an_unknown_group_a_404(api, responder, source):
    many(source, "QueueBacklog", 3)
    client = api.as_user(responder)

    assert client.get(f"{API}?week={WEEK}&alerts_limit=-1").status_code == 400
    assert client.get(f"{API}alerts/?week={WEEK}&name=Nope").status_code == 404


# --- bounded work --------------------------------------------------------------------------------


def test_the_review_page_makes_as_many_queries_for_a_big_week_as_for_a_small_one(
    client, responder, source
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(responder)
    many(source, "A", 2)
    with CaptureQueriesContext(connection) as small:
        client.get(f"{REVIEW}?week={WEEK}")
    for k in range(30):
        many(source, f"Noisy{k:02d}", 30, start=MONDAY + timedelta(hours=2 + k))
    with CaptureQueriesContext(connection) as big:
        page = client.get(f"{REVIEW}?week={WEEK}").content.decode()

    assert page.count('class="review-group-name"') == 20  # a page of groups
    assert len(big) == len(small)


def _alert_ids(html: str) -> list[str]:
    import re

    return re.findall(r'class="review-alert" data-alert-id="([0-9]+)"', html)


@pytest.mark.parametrize("name", ["", "x" * 201, "Queue\x00Backlog"])
def test_a_group_page_for_a_malformed_name_is_a_400(client, responder, source, name):
    many(source, "QueueBacklog", 3)
    client.force_login(responder)

    response = client.get(f"{REVIEW}group/", {"week": WEEK, "name": name})

    assert response.status_code == 400
    if "\x00" not in name:  # (a NUL anywhere in a request is refused before any view)
        assert "alert name" in response.content.decode()
