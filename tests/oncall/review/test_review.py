"""The weekly alert review: grouping and figures (METRICS.md), actionable marks, decisions on the
five questions, and closing with one summary per recipient. See review/support.py for the
hand-made week of alerts."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.errors import Conflict, PermissionDenied, ValidationFailed
from oncall.alerts.services import integration_create
from oncall.models import Alert, AlertReview, Notification
from oncall.review.selectors import parse_scope, parse_week, review_week
from oncall.review.services import (
    alert_mark_actionable,
    alert_review_close,
    alert_review_decide,
    alert_review_set_recipients,
)
from tests.factories import declare
from tests.oncall.review.support import (
    AFTER_THE_WEEK,
    LONG_SUMMARY,
    build_week,
    fire,
    utc,
)

pytestmark = pytest.mark.django_db

BERLIN = "Europe/Berlin"
LOS_ANGELES = "America/Los_Angeles"
W47 = date(2026, 11, 16)
EVERYTHING = parse_scope()


@pytest.fixture
def week(responder):
    return build_week(responder)


def in_zone(user, tz):
    user.timezone = tz
    user.save()
    return user


def groups_of(user, scope=EVERYTHING, week_start=W47):
    review = review_week(user=user, week_start=week_start, scope=scope)
    return review, {group.name: group for group in review.groups}


def ids(alerts):
    return sorted(alert.pk for alert in alerts)


# --- weeks ----------------------------------------------------------------------------------


def test_a_week_is_named_by_its_iso_week_and_defaults_to_the_last_full_week():
    berlin = ZoneInfo(BERLIN)
    assert parse_week("2026-W47", tzinfo=berlin) == date(2026, 11, 16)
    assert parse_week("2026-W01", tzinfo=berlin) == date(2025, 12, 29)  # ISO year starts on Monday
    assert parse_week("", tzinfo=berlin, now=AFTER_THE_WEEK) == W47
    # Monday 00:30 in Berlin is still Sunday in UTC; the person's own calendar decides.
    assert parse_week(None, tzinfo=berlin, now=utc(2026, 11, 22, 23, 30)) == W47
    assert parse_week(None, tzinfo=ZoneInfo("UTC"), now=utc(2026, 11, 22, 23, 30)) == date(
        2026, 11, 9
    )


@pytest.mark.parametrize("bad", ["2026-47", "W47", "2026-W54", "2026-W00", "2026-w47 ", "x"])
def test_a_malformed_week_is_a_400_naming_the_format(bad):
    with pytest.raises(ValidationFailed) as error:
        parse_week(bad, tzinfo=ZoneInfo("UTC"))
    assert error.value.field_errors["week"]
    assert "YYYY-Www" in error.value.message or "52 or 53" in error.value.message


def test_a_bad_service_slug_or_team_is_a_400():
    with pytest.raises(ValidationFailed) as error:
        parse_scope(service_slugs=["check out"])
    assert "services" in error.value.field_errors
    with pytest.raises(ValidationFailed):
        parse_scope(team="x" * 101)


# --- grouping and figures ---------------------------------------------------------------------


def test_alerts_are_grouped_by_name_with_the_metrics_figures(responder, week):
    review, groups = groups_of(in_zone(responder, BERLIN))

    assert [g.name for g in review.groups] == [
        "CheckoutErrorRateHigh",
        "DiskWillFillIn4h",
        "NightlyBackupFailed",
    ]
    checkout = groups["CheckoutErrorRateHigh"]
    assert ids(checkout.alerts) == ids(week.checkout)
    f = checkout.figures
    assert (f.instances, f.paged, f.paged_acknowledged, f.paged_unacknowledged) == (4, 4, 2, 2)
    assert f.mtta_seconds == 7 * 60  # (4 min + 10 min) / 2; the two unacknowledged left out
    assert f.unacknowledged_share == 0.5
    assert f.auto_resolved_unacknowledged == 1  # resolved at 20:05 before anyone took it
    assert (f.long_subject, f.no_runbook) == (0, 0)
    assert checkout.flapping == ["checkout-5xx"]

    disk = groups["DiskWillFillIn4h"].figures
    assert (disk.instances, disk.paged, disk.paged_acknowledged) == (3, 0, 0)
    assert disk.mtta_seconds is None  # acknowledged, but not paged: not in alert MTTA
    assert disk.auto_resolved_unacknowledged == 0  # acknowledged before it resolved
    assert (disk.long_subject, disk.no_runbook) == (3, 3)
    assert groups["DiskWillFillIn4h"].content_problems == [
        f"Subject has {len(LONG_SUMMARY)} characters; keep it under 50.",
        "Subject does not start with what to do (an imperative verb), "
        "e.g. 'Roll back checkout: 5xx above 5%'.",
        "No runbook link (annotation runbook_url).",
    ]
    assert groups["DiskWillFillIn4h"].flapping == []  # 3 firings, never 3 within 24 h

    totals = review.totals
    assert (totals.instances, totals.paged, totals.paged_acknowledged) == (8, 5, 2)
    assert totals.paged_unacknowledged == 3
    assert totals.unacknowledged_share == pytest.approx(3 / 5)
    assert totals.mtta_seconds == 7 * 60


def test_week_boundaries_follow_the_viewers_time_zone(responder, other_responder, week):
    _, in_berlin = groups_of(in_zone(responder, BERLIN))
    _, in_la = groups_of(in_zone(other_responder, LOS_ANGELES))

    # Monday 04:00 in Berlin is Sunday evening of the week before in Los Angeles, and Sunday
    # 18:00 in Los Angeles is already Monday of the next week in Berlin.
    assert ids(in_berlin["NightlyBackupFailed"].alerts) == [week.backup_monday.pk]
    assert ids(in_la["NightlyBackupFailed"].alerts) == [week.backup_sunday.pk]
    _, la_week_before = groups_of(other_responder, week_start=date(2026, 11, 9))
    assert ids(la_week_before["NightlyBackupFailed"].alerts) == [week.backup_monday.pk]
    assert in_berlin["CheckoutErrorRateHigh"].figures.instances == 4
    assert in_la["CheckoutErrorRateHigh"].figures.instances == 4


def test_a_fingerprint_firing_three_times_within_24_hours_is_flapping(responder):
    source = integration_create(user=responder, kind="generic", name="g").integration
    for hour in (0, 12, 23):  # 3 firings in 23 h
        fire(source, name="Flappy", fingerprint="f1", at=utc(2026, 11, 18, hour))
    for day in (17, 18):  # only 2 firings of another fingerprint of the same name
        fire(source, name="Flappy", fingerprint="f2", at=utc(2026, 11, day, 6))
    for hour in (0, 12):  # 3 firings just over 24 h apart end to end
        fire(source, name="Steady", fingerprint="s1", at=utc(2026, 11, 19, hour))
    fire(source, name="Steady", fingerprint="s1", at=utc(2026, 11, 20, 0, 1))

    _, groups = groups_of(responder)

    assert groups["Flappy"].flapping == ["f1"]
    assert groups["Steady"].flapping == []


def test_the_scope_narrows_to_services_or_the_team_label(responder, week):
    def names(scope):
        return sorted(g.name for g in groups_of(responder, scope=scope)[0].groups)

    assert names(parse_scope(service_slugs=["checkout"])) == ["CheckoutErrorRateHigh"]
    assert names(parse_scope(team="storage")) == ["DiskWillFillIn4h"]
    assert names(parse_scope(service_slugs=["backup"], team="storage")) == [
        "DiskWillFillIn4h",
        "NightlyBackupFailed",
    ]


# --- actionable -----------------------------------------------------------------------------


def test_actionable_rate_is_over_reviewed_alerts_and_unreviewed_are_counted(responder, week):
    a1, a2, a3, _ = week.checkout
    alert_mark_actionable(user=responder, alert_ids=[a1.pk, a2.pk], actionable=True)
    alert_mark_actionable(user=responder, alert_ids=[a3.pk, week.disk[0].pk], actionable=False)

    review, groups = groups_of(in_zone(responder, BERLIN))

    checkout = groups["CheckoutErrorRateHigh"].figures
    assert (checkout.actionable, checkout.not_actionable, checkout.unreviewed) == (2, 1, 1)
    assert checkout.actionable_rate == pytest.approx(2 / 3)
    assert groups["NightlyBackupFailed"].figures.actionable_rate is None  # not guessed
    assert (review.totals.actionable, review.totals.reviewed, review.totals.unreviewed) == (2, 4, 4)
    assert review.totals.actionable_rate == 0.5


def test_marking_can_be_changed_and_is_all_or_nothing(responder, week):
    a1 = week.checkout[0]
    alert_mark_actionable(user=responder, alert_ids=[a1.pk], actionable=True)
    assert alert_mark_actionable(user=responder, alert_ids=[a1.pk], actionable=False) == 1
    with pytest.raises(ValidationFailed) as error:
        alert_mark_actionable(user=responder, alert_ids=[week.disk[0].pk, 999999], actionable=True)
    assert "999999" in error.value.message
    assert Alert.objects.get(pk=a1.pk).actionable is False
    assert Alert.objects.get(pk=week.disk[0].pk).actionable is None  # nothing half-written


@pytest.mark.parametrize(
    ("alert_ids", "actionable"), [([], True), ("1", True), ([True], True), ([1], "yes")]
)
def test_bad_marking_input_is_a_400(responder, alert_ids, actionable):
    with pytest.raises(ValidationFailed):
        alert_mark_actionable(user=responder, alert_ids=alert_ids, actionable=actionable)


def test_viewers_cannot_mark_decide_or_close(viewer, week):
    with pytest.raises(PermissionDenied):
        alert_mark_actionable(user=viewer, alert_ids=[week.disk[0].pk], actionable=True)
    with pytest.raises(PermissionDenied):
        alert_review_decide(
            user=viewer,
            week_start=W47,
            scope=EVERYTHING,
            alert_name="DiskWillFillIn4h",
            answers={"keep": "no"},
        )
    with pytest.raises(PermissionDenied):
        alert_review_close(user=viewer, week_start=W47, scope=EVERYTHING)
    assert Alert.objects.filter(actionable__isnull=False).count() == 0
    assert not AlertReview.objects.exists()


def test_alerts_of_a_private_incident_are_hidden_from_outsiders(responder, outsider, week):
    leak = fire(
        week.disk[0].integration,
        name="CredentialLeakDetected",
        fingerprint="leak",
        at=utc(2026, 11, 18, 15),
        urgency="critical",
    )
    with time_machine.travel(AFTER_THE_WEEK, tick=False):
        declare(
            responder, title="Credential leak", severity="SEV1", private=True, alert_ids=[leak.pk]
        )

    _, for_member = groups_of(responder)
    outsider_review, for_outsider = groups_of(outsider)

    assert "CredentialLeakDetected" in for_member
    assert "CredentialLeakDetected" not in for_outsider
    assert outsider_review.totals.instances == 8
    with pytest.raises(ValidationFailed):
        alert_mark_actionable(user=outsider, alert_ids=[leak.pk], actionable=False)
    with pytest.raises(ValidationFailed):
        alert_review_decide(
            user=outsider,
            week_start=W47,
            scope=EVERYTHING,
            alert_name="CredentialLeakDetected",
            answers={"keep": "yes"},
        )
    assert Alert.objects.get(pk=leak.pk).actionable is None


# --- decisions and closing --------------------------------------------------------------------


def decide(user, name, scope=EVERYTHING, **answers):
    return alert_review_decide(
        user=user, week_start=W47, scope=scope, alert_name=name, answers=answers
    )


def test_a_decision_is_saved_per_alert_name_and_can_be_edited(responder, other_responder, week):
    decide(
        responder,
        "CheckoutErrorRateHigh",
        responded_appropriately="Yes, rolled back twice.",
        keep="Yes",
    )
    decide(other_responder, "CheckoutErrorRateHigh", change="Page only after 5 minutes.")

    review, groups = groups_of(responder)

    decision = groups["CheckoutErrorRateHigh"].decision
    assert decision.responded_appropriately == "Yes, rolled back twice."  # kept
    assert decision.keep == "Yes"
    assert decision.change == "Page only after 5 minutes."
    assert (decision.first_decided_by, decision.decided_by) == (responder, other_responder)
    assert groups["DiskWillFillIn4h"].decision is None
    assert review.review.decisions.count() == 1


def test_decisions_belong_to_their_scope(responder, week):
    decide(responder, "CheckoutErrorRateHigh", parse_scope(service_slugs=["checkout"]), keep="Yes")

    _, everything = groups_of(responder)
    _, checkout_only = groups_of(responder, scope=parse_scope(service_slugs=["checkout"]))

    assert everything["CheckoutErrorRateHigh"].decision is None
    assert checkout_only["CheckoutErrorRateHigh"].decision.keep == "Yes"


def test_a_decision_needs_an_alert_of_that_name_in_the_week_and_known_questions(responder, week):
    with pytest.raises(ValidationFailed) as error:
        decide(responder, "NoSuchAlert", keep="Yes")
    assert "alert_name" in error.value.field_errors
    with pytest.raises(ValidationFailed) as error:
        decide(responder, "DiskWillFillIn4h", mood="grumpy")
    assert "mood" in error.value.field_errors
    with pytest.raises(ValidationFailed):
        decide(responder, "DiskWillFillIn4h", keep="x" * 5001)
    assert not AlertReview.objects.exists()


def test_closing_sends_one_summary_to_each_recipient_exactly_once(
    responder, other_responder, viewer, admin_user, week
):
    alert_mark_actionable(
        user=responder, alert_ids=[a.pk for a in week.checkout[:2]], actionable=True
    )
    decide(responder, "CheckoutErrorRateHigh", keep="Yes", change="Page after 5 minutes.")
    decide(other_responder, "DiskWillFillIn4h", right_level="No: should be a ticket.")
    alert_review_set_recipients(
        user=responder, week_start=W47, scope=EVERYTHING, usernames=[viewer.username]
    )

    with time_machine.travel(AFTER_THE_WEEK, tick=False):
        first = alert_review_close(user=responder, week_start=W47, scope=EVERYTHING)
    again = alert_review_close(user=admin_user, week_start=W47, scope=EVERYTHING)

    assert first.notified == ["omar", "rita", "victor"]
    assert again.notified == []
    sent = Notification.objects.filter(key__startswith="alert-review:")
    assert sorted(sent.values_list("recipient__username", flat=True)) == ["omar", "rita", "victor"]
    review = AlertReview.objects.get()
    assert review.closed_by == responder and review.closed_at == AFTER_THE_WEEK  # first stands
    summary = sent.get(recipient=viewer).body
    assert summary == review.summary
    assert "Alert review 2026-W47" in summary
    assert "8 alerts in 3 groups; 5 paged, alert MTTA 7 min 00 s over 2 acknowledged" in summary
    assert "Actionable rate: 100% (2 of 2 reviewed); 6 unreviewed." in summary
    assert "* CheckoutErrorRateHigh: 4 alerts, 4 paged" in summary
    assert "(flapping)" in summary
    assert "Change it (how)? Page after 5 minutes." in summary
    assert "Was it the right level (urgency)? No: should be a ticket." in summary
    assert "(content check failed)" in summary  # DiskWillFillIn4h


def test_a_closed_review_can_no_longer_change(responder, week):
    decide(responder, "CheckoutErrorRateHigh", keep="Yes")
    alert_review_close(user=responder, week_start=W47, scope=EVERYTHING)

    with pytest.raises(Conflict):
        decide(responder, "CheckoutErrorRateHigh", keep="No")
    with pytest.raises(Conflict):
        alert_review_set_recipients(user=responder, week_start=W47, scope=EVERYTHING, usernames=[])
    assert AlertReview.objects.get().decisions.get().keep == "Yes"


def test_an_alert_counted_by_a_closed_review_keeps_its_answer(responder, other_responder, week):
    """A closed week's figures stand: the answers of the alerts its review counted (its week on
    the wall clock of whoever closed it, its scope) no longer change, from the review page, the
    inbox or the API. Alerts outside that week or scope still can."""
    in_zone(responder, BERLIN)
    in_zone(other_responder, LOS_ANGELES)
    alert_mark_actionable(user=responder, alert_ids=[week.checkout[0].pk], actionable=True)
    checkout_and_backup = parse_scope(service_slugs=["checkout", "backup"])
    alert_review_close(user=responder, week_start=W47, scope=checkout_and_backup)

    with pytest.raises(Conflict) as refused:
        alert_mark_actionable(
            user=other_responder,
            alert_ids=[week.disk[0].pk, week.checkout[0].pk],
            actionable=False,
        )
    with pytest.raises(Conflict):  # Monday 04:00 in Berlin: in the closed week
        alert_mark_actionable(user=responder, alert_ids=[week.backup_monday.pk], actionable=False)

    assert refused.value.message == (
        f"Alert {week.checkout[0].pk} was counted by the closed review of 2026-W47 (services "
        "backup, checkout); its answer can no longer change. Nothing was marked."
    )
    assert Alert.objects.get(pk=week.checkout[0].pk).actionable is True
    assert Alert.objects.get(pk=week.disk[0].pk).actionable is None  # all or nothing
    # Another service, and Monday 03:00 of the next week in Berlin (Sunday in Los Angeles):
    assert (
        alert_mark_actionable(
            user=other_responder,
            alert_ids=[week.disk[0].pk, week.backup_sunday.pk],
            actionable=False,
        )
        == 2
    )


def test_recipients_must_be_active_people(responder, week):
    with pytest.raises(ValidationFailed) as error:
        alert_review_set_recipients(
            user=responder, week_start=W47, scope=EVERYTHING, usernames=["rita", "nobody"]
        )
    assert "nobody" in error.value.message
    assert not AlertReview.objects.exists()
