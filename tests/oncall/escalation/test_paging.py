"""Paging through escalation policies, with the beat's steps (claim, fire) called in-process.

The real worker and beat are in test_paging_worker.py. Time is frozen with time-machine: the
payments schedule (ana, ben, cy; dev is their manager) and its policy page the primary at once,
the secondary 5 minutes later and dev 10 minutes after that.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oncall.escalation.paging import (
    ACK_LINK_SALT,
    ack_link_path,
    page_fire,
    pages_claim_due,
    paging_start,
)
from oncall.escalation.services import StepInput, escalation_policy_create
from oncall.models import Alert, Notification, Page
from tests.oncall.escalation.support import (
    fire,
    generic_integration,
    on_call,
    payments_team,
    three_step_policy,
)
from tests.oncall.schedules.support import make_schedule, person

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Status = Page.Status


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)

    class Clock:
        def at(self, when):
            time_machine.move_to(when, tick=False)

    return Clock()


@pytest.fixture
def team(admin_user):
    schedule, dev = payments_team(admin_user, date(2026, 2, 23))
    primary, secondary = on_call(schedule, T0)
    assert primary and secondary and len({primary, secondary, dev}) == 3
    return schedule, dev, primary, secondary


@pytest.fixture
def deliver(django_capture_on_commit_callbacks, admin_user):
    integration = generic_integration(admin_user)

    def deliver(**kwargs):
        kwargs.setdefault("at", T0)
        with django_capture_on_commit_callbacks(execute=True):
            return fire(integration, **kwargs)

    return deliver


def sweep() -> list[Page]:
    """What one beat tick does: claim the due pages and fire each."""
    return [page_fire(page_id=pk) for pk in pages_claim_due()]


def pages_of(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, key__startswith="page:"))


def test_critical_alert_pages_the_primary_at_once_with_an_acknowledge_link(
    clock, team, admin_user, deliver
):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)

    alert = deliver()
    [fired] = sweep()

    assert fired.person == primary and fired.status == Status.SENT
    [notice] = pages_of(primary)
    assert notice.urgency == "high"
    assert notice.subject == "PAGE: Payments are failing"
    assert "Runbook: https://runbooks.example.com/payments" in notice.body
    assert notice.url.startswith(f"/alerts/{alert.pk}/ack/")
    assert pages_of(secondary) == [] and pages_of(dev) == []
    [planned] = Page.objects.filter(status=Status.PENDING)
    assert (planned.person, planned.due_at) == (secondary, T0 + timedelta(minutes=5))


def test_an_alert_that_becomes_critical_on_a_redelivery_starts_paging_from_then(
    clock, team, admin_user, deliver
):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    deliver(urgency="today")
    assert sweep() == [] and Page.objects.count() == 0  # not critical: nobody is woken

    later = T0 + timedelta(minutes=20)
    clock.at(later)
    alert = deliver(urgency="critical", received_at=later)  # same instance, now critical
    [fired] = sweep()

    assert alert.receive_count == 2 and alert.urgency == Alert.Urgency.CRITICAL
    assert fired.person == primary and len(pages_of(primary)) == 1
    # The escalation runs from the moment it became critical, not from when it first fired.
    [planned] = Page.objects.filter(status=Status.PENDING)
    assert (planned.person, planned.due_at) == (secondary, later + timedelta(minutes=5))

    deliver(urgency="critical", received_at=later + timedelta(minutes=1))  # still critical
    assert sweep() == [] and Page.objects.count() == 2  # no second first page


def test_unacknowledged_alert_escalates_to_the_secondary_after_the_delay_exactly_once(
    clock, team, admin_user, deliver
):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    deliver()
    sweep()

    clock.at(T0 + timedelta(minutes=4, seconds=59))
    assert sweep() == []
    clock.at(T0 + timedelta(minutes=5))
    [escalated] = sweep()
    assert sweep() == []  # a second beat tick finds nothing more to claim
    assert page_fire(page_id=escalated.pk).status == Status.SENT  # a replayed task

    assert escalated.person == secondary
    assert len(pages_of(secondary)) == 1
    assert "escalated to you" in pages_of(secondary)[0].body
    assert len(pages_of(primary)) == 1
    [next_step] = Page.objects.filter(status=Status.PENDING)
    assert (next_step.person, next_step.due_at) == (dev, T0 + timedelta(minutes=15))


def test_acknowledging_before_the_delay_stops_the_escalation(clock, team, admin_user, deliver, api):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    alert = deliver()
    sweep()

    clock.at(T0 + timedelta(minutes=2))
    response = api.as_user(primary).post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 200
    clock.at(T0 + timedelta(hours=1))
    assert sweep() == []

    assert pages_of(secondary) == [] and pages_of(dev) == []
    assert not Page.objects.filter(status__in=[Status.PENDING, Status.CLAIMED]).exists()
    assert Page.objects.get(person=secondary).outcome == "The alert was acknowledged"


def test_a_claimed_page_of_an_alert_acknowledged_meanwhile_is_not_sent(
    clock, team, admin_user, deliver
):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    alert = deliver()
    sweep()
    clock.at(T0 + timedelta(minutes=5))
    [claimed] = pages_claim_due()
    # Acknowledged directly in the database, as a late acknowledgement racing the claim would be.
    Alert.objects.filter(pk=alert.pk).update(acknowledged_at=T0 + timedelta(minutes=5))

    page = page_fire(page_id=claimed)

    assert page.status == Status.CANCELLED
    assert pages_of(secondary) == []


def test_resolved_alert_stops_the_escalation(clock, team, admin_user, deliver):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    deliver()
    sweep()

    clock.at(T0 + timedelta(minutes=3))
    deliver(status="resolved")
    clock.at(T0 + timedelta(hours=1))

    assert sweep() == []
    assert pages_of(secondary) == []
    assert Page.objects.get(person=secondary).status == Status.CANCELLED


def test_a_three_person_rotation_pages_the_secondary_only_after_the_delay(
    clock, team, admin_user, deliver
):
    """Two people are on call now, but three share the rotation: the book's page-everyone rule
    for small teams does not apply, so primary and secondary are not paged at the same instant."""
    schedule, dev, primary, secondary = team
    S = StepInput
    escalation_policy_create(
        user=admin_user,
        name="Payments",
        slug="payments",
        service_slug="payments",
        steps=[
            S(target="schedule_primary", schedule=schedule),
            S(target="schedule_secondary", delay_minutes=30, schedule=schedule),
        ],
    )

    deliver()
    assert {p.person for p in sweep()} == {primary}
    assert pages_of(secondary) == []
    clock.at(T0 + timedelta(minutes=30))
    assert {p.person for p in sweep()} == {secondary}


def test_with_fewer_than_three_people_everyone_is_paged_at_the_first_step(
    clock, admin_user, deliver
):
    ana, ben = person("ana"), person("ben")
    schedule = make_schedule(
        admin_user, [ana, ben], handoff=time(0), start=date(2026, 2, 23), service_slug="payments"
    )
    S = StepInput
    escalation_policy_create(
        user=admin_user,
        name="Payments",
        slug="payments",
        service_slug="payments",
        steps=[
            S(target="schedule_primary", schedule=schedule),
            S(target="schedule_secondary", delay_minutes=30, schedule=schedule),
        ],
    )

    deliver()
    fired = sweep()

    assert {p.person for p in fired} == {ana, ben}
    assert len(pages_of(ana)) == len(pages_of(ben)) == 1
    clock.at(T0 + timedelta(hours=2))
    assert sweep() == []  # no second step: both already had the page


def test_the_policy_repeats_the_given_number_of_times(clock, team, admin_user, deliver):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev, repeats=2, repeat_after=20)
    deliver()

    for minutes in range(0, 24 * 60, 1):
        clock.at(T0 + timedelta(minutes=minutes))
        sweep()

    # Each pass: primary at +0, secondary at +5, dev at +15; the next pass 20 minutes later.
    sent = Page.objects.filter(status=Status.SENT).order_by("due_at")
    assert [(p.repeat, p.person, p.due_at - T0) for p in sent] == [
        (repeat, who, timedelta(minutes=35 * repeat + offset))
        for repeat in range(3)
        for who, offset in ((primary, 0), (secondary, 5), (dev, 15))
    ]
    assert len(pages_of(primary)) == len(pages_of(secondary)) == len(pages_of(dev)) == 3


def test_a_step_with_nobody_on_call_is_passed_over(clock, team, admin_user, deliver):
    schedule, dev, primary, secondary = team
    gone = person("gone")
    S = StepInput
    escalation_policy_create(
        user=admin_user,
        name="Payments",
        slug="payments",
        service_slug="payments",
        steps=[
            S(target="schedule_primary", schedule=schedule),
            S(target="schedule_secondary", delay_minutes=5, schedule=schedule),
            S(target="users", delay_minutes=5, usernames=("gone",)),
            S(target="user", delay_minutes=5, user=dev),
        ],
    )
    gone.is_active = False  # left the company after the policy was written
    gone.save(update_fields=["is_active"])

    deliver()
    sweep()
    clock.at(T0 + timedelta(minutes=5))
    assert [p.person for p in sweep()] == [secondary]

    [next_step] = Page.objects.filter(status=Status.PENDING)
    assert (next_step.person, next_step.due_at) == (dev, T0 + timedelta(minutes=15))


def test_only_critical_alerts_of_services_with_a_policy_page(clock, team, admin_user, deliver):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)

    deliver(urgency="today", fingerprint="slow")
    deliver(service="search", fingerprint="search-down")

    assert not Page.objects.exists()
    assert sweep() == []


def test_critical_alerts_of_services_without_a_policy_cost_paging_one_query(
    clock, team, admin_user, deliver
):
    """An alert storm on a service nobody set a policy for: paging looks once and stops."""
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    storm = [deliver(service="search", fingerprint=f"search-{n}") for n in range(20)]

    with CaptureQueriesContext(connection) as queries:
        planned = paging_start(alert_ids=[alert.pk for alert in storm])

    assert planned == 0 and len(queries) == 1


def test_a_replayed_delivery_does_not_page_twice(clock, team, admin_user, deliver):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    alert = deliver()
    sweep()

    deliver()  # the sender retries the same instance
    paging_start(alert_ids=[alert.pk])  # and a replayed signal
    sweep()

    assert len(pages_of(primary)) == 1
    assert Page.objects.filter(person=primary).count() == 1


def test_a_claim_whose_worker_died_is_taken_back_after_the_lease(
    clock, team, admin_user, deliver, settings
):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    deliver()
    [lost] = pages_claim_due()  # its worker dies before firing

    clock.at(T0 + timedelta(seconds=settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS - 1))
    assert pages_claim_due() == []
    clock.at(T0 + timedelta(seconds=settings.FIREBREAK_REMINDER_CLAIM_LEASE_SECONDS + 1))
    assert pages_claim_due() == [lost]
    page_fire(page_id=lost)

    assert len(pages_of(primary)) == 1


# --- the acknowledge link in a page ----------------------------------------------------------------


@pytest.fixture
def paged(clock, team, admin_user, deliver):
    schedule, dev, primary, secondary = team
    three_step_policy(admin_user, schedule, dev)
    alert = deliver()
    sweep()
    [notice] = pages_of(primary)
    return alert, primary, secondary, notice.url


def test_the_link_shows_a_confirm_button_and_acknowledges_on_post_without_signing_in(client, paged):
    alert, primary, secondary, url = paged

    page = client.get(url)
    assert page.status_code == 200
    assert f"Acknowledge as {primary.display_name}" in page.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None  # a mail scanner following the link acknowledges nothing

    response = client.post(url)

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == primary and alert.acknowledged_at == T0
    assert Page.objects.get(person=secondary).status == Status.CANCELLED
    again = client.get(url)
    assert "Acknowledged by" in again.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused_and_acknowledges_nothing(client, paged, method):
    alert, primary, secondary, url = paged
    tampered = url.rstrip("/")[:-3] + "xyz/"

    response = getattr(client, method)(tampered)

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_link_made_for_another_alert_is_refused(client, paged):
    alert, primary, secondary, url = paged
    token = url.rstrip("/").rsplit("/", 1)[1]

    response = client.post(f"/alerts/{alert.pk + 1}/ack/{token}/")

    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_expired_link_is_refused(client, paged, clock):
    alert, primary, secondary, url = paged

    clock.at(T0 + timedelta(hours=24, seconds=1))
    response = client.post(url)

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_forged_signature_with_another_key_is_refused(client, paged):
    alert, primary, secondary, url = paged
    forged = signing.dumps(
        {"alert": alert.pk, "person": primary.pk}, key="not-the-secret", salt=ACK_LINK_SALT
    )

    assert client.post(f"/alerts/{alert.pk}/ack/{forged}/").status_code == 400
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_viewer_cannot_acknowledge_through_a_link(client, paged, viewer):
    alert, primary, secondary, url = paged
    link = ack_link_path(alert, viewer)

    assert client.post(link).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
