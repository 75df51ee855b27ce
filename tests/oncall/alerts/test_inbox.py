"""The alerts inbox: one row per alert, what needs someone first, repeats counted, the weekly
review's answer given from the row, and a bounded number of queries per page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oncall.alerts.services import alert_acknowledge, alert_ingest, integration_create
from oncall.models import Alert
from oncall.review.selectors import parse_scope
from oncall.review.services import alert_review_close

pytestmark = pytest.mark.django_db

ANSWERED_AT = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def scripts(admin_user):
    return integration_create(user=admin_user, kind="generic", name="cron scripts").integration


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def fire(integration, name, at, *, urgency="today", resolved=False, received=None, **fields):
    """One firing of the alert ``name`` (its fingerprint), started at ``at``."""
    alert = {
        "name": name,
        "fingerprint": name.lower(),
        "status": "resolved" if resolved else "firing",
        "starts_at": iso(at),
        "urgency": urgency,
        "summary": f"Restart {name.lower()}",
        "runbook_url": "https://runbooks.example/r",
        **fields,
    }
    if resolved:
        alert["ends_at"] = iso(at + timedelta(minutes=5))
    alert_ingest(integration=integration, payload={"alerts": [alert]}, received_at=received or at)
    return Alert.objects.get(integration=integration, fingerprint=name.lower(), fired_at=at)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def names_in_order(page: str) -> list[str]:
    return re.findall(r'class="alert-name">([^<]+)</a>', page)


def row(page: str, alert: Alert) -> str:
    start = page.index(f'data-alert-id="{alert.pk}"')
    return page[start : page.index("</tr>", start)]


# --- order ---------------------------------------------------------------------------------------


def test_firing_critical_comes_first_then_firing_by_urgency_then_acknowledged_then_resolved(
    client, responder, scripts
):
    fire(scripts, "ResolvedNewest", at(9), urgency="critical", resolved=True)
    acknowledged = fire(scripts, "AcknowledgedCritical", at(8), urgency="critical")
    alert_acknowledge(user=responder, alert=acknowledged)
    fire(scripts, "FiringEventually", at(7), urgency="eventually")
    fire(scripts, "FiringToday", at(6), urgency="today")
    fire(scripts, "FiringCriticalOld", at(2), urgency="critical")
    fire(scripts, "FiringCriticalNew", at(5), urgency="critical")
    fire(scripts, "ResolvedOlder", at(3), urgency="today", resolved=True)
    client.force_login(responder)

    page = client.get("/alerts/").content.decode()

    assert names_in_order(page) == [
        "FiringCriticalNew",  # firing critical, newest first within the group
        "FiringCriticalOld",
        "FiringToday",
        "FiringEventually",
        "AcknowledgedCritical",  # someone is on it
        "ResolvedNewest",
        "ResolvedOlder",
    ]


def test_the_api_inbox_has_the_same_order_and_says_how_often_each_alert_fired(
    api, responder, scripts
):
    fire(scripts, "DiskFull", at(2), urgency="eventually", resolved=True)
    fire(scripts, "DiskFull", at(4), urgency="eventually")
    fire(scripts, "CheckoutDown", at(3), urgency="critical", resolved=True)

    response = api.as_user(responder).get("/api/v1/alerts/inbox/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["count_is_capped"] is False
    assert [(r["name"], r["inbox_rank"], r["instances"]) for r in body["results"]] == [
        ("DiskFull", 2, 2),  # firing (eventually) before resolved (critical)
        ("CheckoutDown", 4, 1),
    ]
    assert body["results"][0]["fired_at"] == "2026-03-04T09:00:00Z"
    assert body["results"][0]["last_seen_at"] == "2026-03-04T09:00:00Z"


# --- repeats ---------------------------------------------------------------------------------------


def test_repeats_of_one_alert_are_one_row_with_how_often_it_fired_and_when_it_was_last_seen(
    client, responder, scripts
):
    # Flapping: fired, resolved, fired again, resolved, and fires now (redelivered twice).
    fire(scripts, "QueueStuck", at(2), resolved=True)
    fire(scripts, "QueueStuck", at(3), resolved=True)
    newest = fire(scripts, "QueueStuck", at(4), urgency="critical")
    fire(scripts, "QueueStuck", at(4), urgency="critical", received=at(4, 11))
    fire(scripts, "Backup", at(1), resolved=True)
    client.force_login(responder)

    page = client.get("/alerts/").content.decode()

    assert names_in_order(page) == ["QueueStuck", "Backup"]
    queue = row(page, newest)
    assert "Fired 3 times" in queue
    assert 'datetime="2026-03-04T11:00:00+00:00"' in queue  # last seen: the redelivery
    assert "Fired once" in page
    assert "2 alerts" in page  # the count is of alerts, not of firings


def test_the_repeat_count_links_to_every_firing_of_that_alert_newest_first(
    client, responder, scripts
):
    for day in (2, 3, 4):
        fire(scripts, "QueueStuck", at(day), resolved=True)
    fire(scripts, "Backup", at(5))
    client.force_login(responder)
    page = client.get("/alerts/").content.decode()
    link = re.search(r'href="([^"]+)">Fired 3 times', page).group(1).replace("&amp;", "&")

    firings = client.get("/alerts/" + link).content.decode()

    assert "Every firing of QueueStuck" in firings
    assert names_in_order(firings) == ["QueueStuck"] * 3
    assert firings.index("2026-03-04") < firings.index("2026-03-03") < firings.index("2026-03-02")
    assert "3 firings" in firings and "Back to the inbox" in firings


def test_a_late_delivery_of_an_older_firing_does_not_replace_the_newest_in_the_inbox(
    client, responder, scripts
):
    fire(scripts, "QueueStuck", at(4), urgency="critical")
    fire(scripts, "QueueStuck", at(2), resolved=True, received=at(5))  # arrives late
    client.force_login(responder)

    page = client.get("/alerts/").content.decode()

    assert names_in_order(page) == ["QueueStuck"]
    assert "Firing" in page and "Fired 2 times" in page


def test_a_half_given_alert_key_is_a_clear_400(client, responder, scripts):
    client.force_login(responder)

    response = client.get("/alerts/?fingerprint=queuestuck")

    assert response.status_code == 400
    assert "Give both the integration and the fingerprint." in response.content.decode()


# --- bounded ---------------------------------------------------------------------------------------


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_inbox_makes_as_many_queries_for_a_full_page_as_for_two_rows(
    client, api, responder, scripts
):
    client.force_login(responder)
    for n in range(2):
        fire(scripts, f"Alert{n}", at(1, n), resolved=True)
        fire(scripts, f"Alert{n}", at(2, n), urgency="critical")
    queries_for(api.as_user(responder), "/api/v1/alerts/inbox/")  # a first call sets up the session
    few_web = queries_for(client, "/alerts/")
    few_api = queries_for(api.as_user(responder), "/api/v1/alerts/inbox/?limit=50")
    for n in range(2, 60):
        fire(scripts, f"Alert{n}", at(1, n % 24), resolved=True)
        alert = fire(scripts, f"Alert{n}", at(2 + n // 24, n % 24), urgency="critical")
        if n % 3 == 0:
            alert_acknowledge(user=responder, alert=alert)

    many_web = queries_for(client, "/alerts/")
    many_api = queries_for(api.as_user(responder), "/api/v1/alerts/inbox/?limit=50")
    deep_web = queries_for(client, "/alerts/?page=2")
    small_api = queries_for(api.as_user(responder), "/api/v1/alerts/inbox/?limit=5")

    assert many_web == few_web == deep_web
    assert many_api == few_api == small_api


def test_the_inbox_count_stops_at_the_cap_and_never_counts_every_alert(
    client, responder, scripts, monkeypatch
):
    from oncall import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    for n in range(8):
        fire(scripts, f"Alert{n}", at(2, n))
    client.force_login(responder)

    with CaptureQueriesContext(connection) as captured:
        page = client.get("/alerts/").content.decode()
    counts = [q["sql"] for q in captured if "COUNT(*)" in q["sql"] and "oncall_alert" in q["sql"]]
    body = client.get("/api/v1/alerts/inbox/?limit=2").json()

    assert "50+ alerts" not in page and "8 alerts" in page  # the page size is past the cap
    [count] = counts
    assert "LIMIT 51" in count and "ORDER BY" not in count
    assert body["count"] == 5 and body["count_is_capped"] is True and body["next"]


# --- the review's answer on the row ---------------------------------------------------------------


def test_a_responder_answers_actionable_on_the_row_and_comes_back_to_the_same_list(
    client, responder, scripts
):
    queue = fire(scripts, "QueueStuck", at(9), urgency="critical")
    fire(scripts, "Backup", at(8))
    client.force_login(responder)
    listed = "/alerts/?urgency=critical&page=1"
    assert 'value="yes"' in row(client.get(listed).content.decode(), queue)

    response = client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "yes", "next": listed})

    assert response.status_code == 302
    assert response["Location"] == f"{listed}#alert-{queue.pk}"
    queue.refresh_from_db()
    assert queue.actionable is True
    after = client.get(listed).content.decode()
    assert 'data-answer="yes"' in row(after, queue)
    assert "Recorded QueueStuck as actionable." in after


def test_the_answer_given_on_the_inbox_is_the_one_the_weekly_review_shows(
    client, responder, scripts
):
    queue = fire(scripts, "QueueStuck", at(9), urgency="critical")  # Monday of 2026-W11
    client.force_login(responder)

    client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "no"})
    review = client.get("/alerts/review/?week=2026-W11").content.decode()

    assert re.search(
        rf'data-alert-id="{queue.pk}".*?<td class="actionable">not actionable', review, re.S
    )


def test_with_htmx_only_the_rows_answer_comes_back(client, responder, scripts):
    queue = fire(scripts, "QueueStuck", at(9), urgency="critical")
    client.force_login(responder)

    response = client.post(
        f"/alerts/{queue.pk}/answer/",
        {"actionable": "no", "next": "/alerts/"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("{#") is False and "<html" not in body
    assert f'id="answer-{queue.pk}"' in body and 'data-answer="no"' in body
    assert 'value="no" class="button small" aria-pressed="true"' in body


def test_a_viewer_sees_the_answer_but_no_buttons_and_a_post_is_refused_with_a_403(
    client, responder, viewer, scripts
):
    queue = fire(scripts, "QueueStuck", at(9), urgency="critical")
    client.force_login(responder)
    client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "yes"})
    client.force_login(viewer)

    page = client.get("/alerts/").content.decode()
    refused = client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "no"})
    refused_htmx = client.post(
        f"/alerts/{queue.pk}/answer/", {"actionable": "no"}, HTTP_HX_REQUEST="true"
    )

    assert 'data-answer="yes"' in row(page, queue)
    assert "/answer/" not in page and 'name="actionable"' not in page
    assert refused.status_code == 403
    assert "Only responders and admins can mark alerts actionable." in refused.content.decode()
    assert refused_htmx.status_code == 403
    assert refused_htmx.content.decode() == "Only responders and admins can mark alerts actionable."
    queue.refresh_from_db()
    assert queue.actionable is True


def test_a_bad_answer_or_an_unknown_alert_is_a_clear_refusal_and_changes_nothing(
    client, responder, scripts
):
    queue = fire(scripts, "QueueStuck", at(9), urgency="critical")
    client.force_login(responder)

    bad = client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "maybe"}, follow=True)
    unknown = client.post("/alerts/999999/answer/", {"actionable": "yes"})
    elsewhere = client.post(
        f"/alerts/{queue.pk}/answer/", {"actionable": "yes", "next": "https://evil.example/"}
    )

    assert bad.status_code == 200 and "Choose Actionable or Not actionable." in bad.content.decode()
    assert unknown.status_code == 404
    assert elsewhere["Location"] == f"/alerts/#alert-{queue.pk}"  # never off this site


def test_ingest_marks_every_firing_but_the_newest_of_an_alert_superseded(scripts):
    """What lets the inbox's index skip old firings: only the newest is unsuperseded, also when
    an older firing is delivered late and when one delivery carries several firings."""
    fire(scripts, "QueueStuck", at(3))
    fire(scripts, "QueueStuck", at(5))
    fire(scripts, "QueueStuck", at(4), received=at(6))  # late
    alert_ingest(
        integration=scripts,
        payload={
            "alerts": [
                {"name": "Backup", "status": "firing", "starts_at": iso(at(d))} for d in (1, 2)
            ]
        },
    )

    flags = dict(Alert.objects.values_list("fired_at", "superseded"))

    assert flags == {at(3): True, at(4): True, at(5): False, at(1): True, at(2): False}


def test_an_answer_for_an_alert_of_a_closed_review_is_refused_with_why(client, responder, scripts):
    queue = fire(scripts, "QueueStuck", at(9), urgency="critical")  # Monday of 2026-W11
    client.force_login(responder)
    client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "yes"})
    alert_review_close(user=responder, week_start=at(9).date(), scope=parse_scope())

    page = client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "no"}, follow=True)
    htmx = client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "no"}, HTTP_HX_REQUEST="true")

    why = f"Alert {queue.pk} was counted by the closed review of 2026-W11 (all alerts)"
    assert page.status_code == 200 and why in page.content.decode()
    assert htmx.status_code == 409 and htmx.content.decode().startswith(why)
    queue.refresh_from_db()
    assert queue.actionable is True


def test_a_row_a_closed_review_counted_shows_its_answer_and_why_it_stays_not_buttons(
    client, responder, scripts
):
    queue = fire(scripts, "QueueStuck", at(9), urgency="critical")  # Monday of 2026-W11
    backup = fire(scripts, "Backup", at(17))  # the week after
    client.force_login(responder)
    client.post(f"/alerts/{queue.pk}/answer/", {"actionable": "yes"})
    alert_review_close(user=responder, week_start=at(9).date(), scope=parse_scope())

    page = client.get("/alerts/").content.decode()

    assert 'data-answer="yes"' in row(page, queue)
    assert "The review of 2026-W11 is closed: no more answers." in row(page, queue)
    assert 'name="actionable"' not in row(page, queue)
    assert 'name="actionable"' in row(page, backup)
