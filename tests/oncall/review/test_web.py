"""The weekly alert review page (/alerts/review/) and its API (/api/v1/alert-reviews/)."""

from __future__ import annotations

import re

import pytest
import time_machine

from oncall.models import Alert, AlertReview, Notification
from tests.oncall.review.support import AFTER_THE_WEEK, WEEK, build_week

pytestmark = pytest.mark.django_db

REVIEW = "/alerts/review/"
MAX_SHOWN = 20  # instances listed per group (oncall.review.views.INSTANCES_SHOWN)
API = "/api/v1/alert-reviews/"


@pytest.fixture
def week(responder):
    return build_week(responder)


def login(client, user, tz="Europe/Berlin"):
    user.timezone = tz
    user.save()
    client.force_login(user)


def group_names(page: str) -> list[str]:
    return re.findall(r'class="review-group-name">([^<]+)<', page)


def figure(page: str, group: str, name: str) -> str:
    section = page[page.index(f'data-group="{group}"') :]
    return re.search(rf'data-figure="{name}">([^<]*)<', section)[1].strip()


# --- the page -------------------------------------------------------------------------------


def test_the_content_check_gives_one_verdict_on_the_list_and_the_review(client, responder, week):
    login(client, responder)
    # "NightlyBackupFailed": short, with a runbook, but it does not say what to do.
    with time_machine.travel(AFTER_THE_WEEK, tick=False):
        review = client.get(f"{REVIEW}?week={WEEK}").content.decode()
    listed = client.get("/alerts/?name=NightlyBackupFailed").content.decode()

    backup = review[review.index('data-group="NightlyBackupFailed"') :]
    backup = backup[: backup.index("</section>")]
    assert "Content check failed" in backup and "Content check passed" not in backup
    assert "imperative verb" in backup
    assert "Content check failed" in listed
    checkout = review[review.index('data-group="CheckoutErrorRateHigh"') :]
    assert "Content check passed" in checkout[: checkout.index("</section>")]


def test_a_noisy_group_lists_its_newest_instances_and_links_to_all_of_them(client, responder):
    from datetime import UTC, datetime, timedelta

    from oncall.alerts.services import integration_create
    from tests.oncall.review.support import fire

    source = integration_create(user=responder, kind="generic", name="cron").integration
    first = datetime(2026, 11, 17, 1, 0, tzinfo=UTC)
    for k in range(MAX_SHOWN + 5):
        fire(source, name="QueueBacklog", fingerprint=f"q-{k}", at=first + timedelta(minutes=k))
    login(client, responder, tz="UTC")

    page = client.get(f"{REVIEW}?week={WEEK}").content.decode()

    assert page.count('class="review-alert"') == MAX_SHOWN
    assert f"the newest {MAX_SHOWN} of {MAX_SHOWN + 5}" in page
    assert "/alerts/?name=QueueBacklog" in page
    assert figure(page, "QueueBacklog", "instances") == str(MAX_SHOWN + 5)  # figures count all


def test_the_page_defaults_to_last_week_grouped_by_alert_name(client, responder, week):
    login(client, responder)

    with time_machine.travel(AFTER_THE_WEEK, tick=False):
        response = client.get(REVIEW)
    page = response.content.decode()

    assert response.status_code == 200
    assert "Weekly alert review" in page and WEEK in page
    assert group_names(page) == ["CheckoutErrorRateHigh", "DiskWillFillIn4h", "NightlyBackupFailed"]
    assert figure(page, "CheckoutErrorRateHigh", "instances") == "4"
    assert figure(page, "CheckoutErrorRateHigh", "paged") == "4"
    assert figure(page, "CheckoutErrorRateHigh", "acknowledged") == "2"
    assert figure(page, "CheckoutErrorRateHigh", "mtta") == "7 min 00 s"
    assert figure(page, "CheckoutErrorRateHigh", "unacknowledged") == "2 (50%)"
    assert figure(page, "CheckoutErrorRateHigh", "auto-resolved") == "1"
    assert figure(page, "DiskWillFillIn4h", "mtta") == "n/a"
    assert figure(page, "DiskWillFillIn4h", "actionable-rate").startswith("n/a")
    section = page[page.index('data-group="CheckoutErrorRateHigh"') :]
    assert "Flapping" in section[: section.index("Decision")]
    disk = page[page.index('data-group="DiskWillFillIn4h"') :]
    assert "Content check failed" in disk[: disk.index("Decision")]
    assert "Flapping" not in disk[: disk.index("Decision")]
    # Mon 00:00 to Mon 00:00 in the viewer's own zone.
    assert "Mon 2026-11-16 00:00 to Mon 2026-11-23 00:00 (Europe/Berlin)" in page


def test_the_week_follows_the_viewers_time_zone(client, responder, week):
    login(client, responder, tz="America/Los_Angeles")

    page = client.get(f"{REVIEW}?week={WEEK}").content.decode()

    backup = page[page.index('data-group="NightlyBackupFailed"') :]
    assert f'data-alert-id="{week.backup_sunday.pk}"' in backup
    assert f'data-alert-id="{week.backup_monday.pk}"' not in page


def test_a_bad_week_is_a_400_with_the_expected_format(client, responder, week):
    login(client, responder)

    response = client.get(f"{REVIEW}?week=2026-W99")

    assert response.status_code == 400
    assert "52 or 53 weeks" in response.content.decode()


def test_marking_a_group_and_one_alert_from_the_page(client, responder, week):
    login(client, responder)
    checkout = [a.pk for a in week.checkout]

    response = client.post(
        f"{REVIEW}actionable/",
        {"week": WEEK, "alert": checkout, "actionable": "yes"},
    )
    client.post(f"{REVIEW}actionable/", {"week": WEEK, "alert": [checkout[3]], "actionable": "no"})

    assert response.status_code == 302 and f"week={WEEK}" in response["Location"]
    marks = dict(Alert.objects.filter(pk__in=checkout).values_list("pk", "actionable"))
    assert marks == {checkout[0]: True, checkout[1]: True, checkout[2]: True, checkout[3]: False}
    page = client.get(f"{REVIEW}?week={WEEK}").content.decode()
    assert figure(page, "CheckoutErrorRateHigh", "actionable-rate") == "75% (3 of 4 reviewed)"
    assert figure(page, "CheckoutErrorRateHigh", "unreviewed") == "0"


def test_saving_and_editing_a_decision_from_the_page(client, responder, week):
    login(client, responder)
    form = {"week": WEEK, "alert_name": "DiskWillFillIn4h", "keep": "Yes", "change": ""}

    client.post(f"{REVIEW}decision/", form)
    client.post(f"{REVIEW}decision/", form | {"change": "Make it a ticket, not a page."})

    page = client.get(f"{REVIEW}?week={WEEK}").content.decode()
    disk = page[page.index('data-group="DiskWillFillIn4h"') :]
    assert ">Make it a ticket, not a page.</textarea>" in disk
    assert ">Yes</textarea>" in disk
    assert AlertReview.objects.get().decisions.count() == 1


def test_unanswered_questions_are_folded_and_a_recorded_decision_is_open(client, responder, week):
    """Twenty groups of five open text boxes made a phone page 16,000 px long: the questions of a
    group wait behind one line until someone opens them; recorded answers stay in view."""
    login(client, responder)
    client.post(
        f"{REVIEW}decision/", {"week": WEEK, "alert_name": "DiskWillFillIn4h", "keep": "Yes"}
    )

    page = client.get(f"{REVIEW}?week={WEEK}").content.decode()

    def decision_box(group):
        section = page[page.index(f'data-group="{group}"') :]
        return section[section.index('<details class="review-decision-box"') :].split(">", 1)[0]

    assert " open" not in decision_box("CheckoutErrorRateHigh")
    assert " open" in decision_box("DiskWillFillIn4h")


def test_a_viewer_reads_the_review_but_gets_403_on_every_write(client, viewer, week):
    login(client, viewer)

    page = client.get(f"{REVIEW}?week={WEEK}").content.decode()
    assert group_names(page) == ["CheckoutErrorRateHigh", "DiskWillFillIn4h", "NightlyBackupFailed"]
    assert "Save decision" not in page and "Close review" not in page

    for action, data in (
        ("actionable/", {"alert": [week.disk[0].pk], "actionable": "yes"}),
        ("decision/", {"alert_name": "DiskWillFillIn4h", "keep": "No"}),
        ("recipients/", {"recipients": "rita"}),
        ("close/", {}),
    ):
        assert client.post(f"{REVIEW}{action}", {"week": WEEK, **data}).status_code == 403
    assert Alert.objects.get(pk=week.disk[0].pk).actionable is None
    assert not AlertReview.objects.exists()


def test_closing_from_the_page_sends_the_summary_once(client, responder, viewer, week):
    login(client, responder)
    client.post(
        f"{REVIEW}decision/", {"week": WEEK, "alert_name": "NightlyBackupFailed", "keep": "Yes"}
    )
    client.post(f"{REVIEW}recipients/", {"week": WEEK, "recipients": "victor"})

    client.post(f"{REVIEW}close/", {"week": WEEK})
    client.post(f"{REVIEW}close/", {"week": WEEK})

    recipients = Notification.objects.filter(key__startswith="alert-review:").values_list(
        "recipient__username", flat=True
    )
    assert sorted(recipients) == ["rita", "victor"]
    page = client.get(f"{REVIEW}?week={WEEK}").content.decode()
    assert "Closed" in page and "Save decision" not in page
    response = client.post(
        f"{REVIEW}decision/",
        {"week": WEEK, "alert_name": "NightlyBackupFailed", "keep": "No"},
        follow=True,
    )
    assert "is closed" in response.content.decode()
    assert AlertReview.objects.get().decisions.get().keep == "Yes"


# --- the API --------------------------------------------------------------------------------


def test_the_api_lists_groups_and_figures(api, responder, week):
    responder.timezone = "Europe/Berlin"
    responder.save()

    body = api.as_user(responder).get(f"{API}?week={WEEK}").json()

    assert body["week"] == WEEK
    assert body["starts_at"] == "2026-11-15T23:00:00Z"
    assert [g["name"] for g in body["groups"]] == [
        "CheckoutErrorRateHigh",
        "DiskWillFillIn4h",
        "NightlyBackupFailed",
    ]
    checkout = body["groups"][0]
    assert checkout["figures"]["mtta_seconds"] == 420
    assert checkout["figures"]["paged_unacknowledged"] == 2
    assert checkout["figures"]["actionable_rate"] is None
    assert checkout["figures"]["unreviewed"] == 4
    assert checkout["flapping"] == ["checkout-5xx"]
    assert sorted(checkout["alert_ids"]) == sorted(a.pk for a in week.checkout)
    assert body["totals"]["instances"] == 8
    assert body["review"] is None and body["closed"] is False


def test_the_api_scope_and_bad_week(api, responder, week):
    client = api.as_user(responder)

    scoped = client.get(f"{API}?week={WEEK}&service=checkout").json()
    bad = client.get(f"{API}?week=last-week")

    assert [g["name"] for g in scoped["groups"]] == ["CheckoutErrorRateHigh"]
    assert bad.status_code == 400 and "week" in bad.json()["errors"]


def test_the_api_records_decisions_marks_and_closes(api, responder, other_responder, week):
    client = api.as_user(responder)
    decision = client.post(
        f"{API}decisions/",
        {"week": WEEK, "alert_name": "CheckoutErrorRateHigh", "keep": "Yes"},
        format="json",
    )
    marked = client.post(
        f"{API}actionable/",
        {"alert_ids": [a.pk for a in week.checkout], "actionable": False},
        format="json",
    )
    client.post(f"{API}recipients/", {"week": WEEK, "recipients": ["omar"]}, format="json")
    closed = client.post(f"{API}close/", {"week": WEEK}, format="json")
    again = client.post(f"{API}close/", {"week": WEEK}, format="json")
    late = client.post(
        f"{API}decisions/", {"week": WEEK, "alert_name": "CheckoutErrorRateHigh"}, format="json"
    )

    assert decision.status_code == 200 and decision.json()["decided_by"] == "rita"
    assert marked.json() == {"marked": 4}
    assert closed.json()["notified"] == ["omar", "rita"]
    assert again.status_code == 200 and again.json()["notified"] == []
    assert late.status_code == 409
    assert Notification.objects.filter(key__startswith="alert-review:").count() == 2


def test_the_api_refuses_viewers_and_bad_input(api, responder, viewer, week):
    as_viewer = api.as_user(viewer)
    forbidden = as_viewer.post(
        f"{API}actionable/", {"alert_ids": [week.disk[0].pk], "actionable": True}, format="json"
    )
    assert forbidden.status_code == 403
    assert as_viewer.get(f"{API}?week={WEEK}").status_code == 200

    as_responder = api.as_user(responder)
    for body in (
        {"alert_ids": ["1"], "actionable": True},
        {"alert_ids": [week.disk[0].pk], "actionable": "yes"},
        {"alert_ids": [], "actionable": True},
        {"alert_ids": [week.disk[0].pk, 2**62], "actionable": True},
    ):
        response = as_responder.post(f"{API}actionable/", body, format="json")
        assert response.status_code == 400, body
    bad_scope = as_responder.post(
        f"{API}decisions/",
        {"week": WEEK, "services": ["not a slug"], "alert_name": "X"},
        format="json",
    )
    assert bad_scope.status_code == 400 and "services" in bad_scope.json()["errors"]
    assert Alert.objects.filter(actionable__isnull=False).count() == 0
