"""The quarterly manager pack by e-mail: subscriptions from the reports page and the admin, and
the deliveries the beat sweep sends — once per subscription and quarter, on the quarter's first
day, never twice (second sweep, replayed task) and never lost (dead worker, SMTP down)."""

from __future__ import annotations

import io
import smtplib
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.core import mail

from incidents.models import Team
from postmortems import services, tasks
from postmortems.models import ReportDelivery, ReportSubscription
from postmortems.services import report_packs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
State = ReportDelivery.Status

BEFORE_Q4 = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)
LAST_MINUTE_OF_Q3 = datetime(2026, 9, 30, 23, 59, tzinfo=UTC)
FIRST_DAY_OF_Q4 = datetime(2026, 10, 1, 0, 1, tzinfo=UTC)


def sweep() -> list[int]:
    """What one beat tick does, with the send tasks run right here (in order)."""
    services.report_deliveries_plan()
    claimed = services.report_deliveries_claim_due()
    for delivery_id in claimed:
        tasks.report_delivery_send.apply(args=[delivery_id]).get()
    return claimed


@pytest.fixture
def subscribed(dataset, admin_user):
    """rita (a member of private INC-4) gets the PDF; an address without an account gets the
    payments team's XLSX. Both subscribed in 2026Q3."""
    rita = dataset["people"]["rita"]
    with time_machine.travel(BEFORE_Q4, tick=False):
        own = services.report_subscription_create(user=rita)
        address = services.report_subscription_create(
            user=admin_user,
            email="cfo@example.org",
            fmt="xlsx",
            team=Team.objects.get(slug="payments"),
        )
    return {"rita": own, "address": address}


def sheet(message, name: str) -> list[list]:
    [(filename, content, mimetype)] = message.attachments
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for row in workbook[name].iter_rows()]


def test_the_first_sweep_of_a_quarter_mails_the_quarter_that_ended_once(subscribed):
    with time_machine.travel(LAST_MINUTE_OF_Q3, tick=False):
        assert sweep() == []
    assert mail.outbox == []

    with time_machine.travel(FIRST_DAY_OF_Q4, tick=False):
        assert len(sweep()) == 2
        assert sweep() == []  # the next tick
    with time_machine.travel(FIRST_DAY_OF_Q4 + timedelta(days=20), tick=False):
        assert sweep() == []

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["cfo@example.org", "rita@example.com"]
    pdf = by_recipient["rita@example.com"]
    assert pdf.subject == "Firebreak: incident response report 2026Q3 (all services)"
    assert pdf.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Incidents: 4" in pdf.body
    [(filename, content, mimetype)] = pdf.attachments
    assert (filename, mimetype) == ("firebreak-report-2026q3.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert pdf.extra_headers["Message-ID"].startswith("<firebreak-report-")

    xlsx = by_recipient["cfo@example.org"]
    assert xlsx.subject == "Firebreak: incident response report 2026Q3 (team payments)"
    assert xlsx.attachments[0][0] == "firebreak-report-2026q3.xlsx"
    incidents = sheet(xlsx, "incidents")
    titles = {row[0]: row[1] for row in incidents[1:]}
    # The bare address belongs to nobody: the private incident counts but its title is hidden.
    assert "INC-4" not in titles and titles[None] == "A private incident"
    assert titles["INC-1"] == "Incident 1"
    assert ReportDelivery.objects.filter(status=State.SENT, quarter="2026Q3").count() == 2


def test_a_subscription_made_during_a_quarter_waits_for_the_next_first_day(dataset):
    rita = dataset["people"]["rita"]
    with time_machine.travel(datetime(2026, 10, 10, 12, 0, tzinfo=UTC), tick=False):
        services.report_subscription_create(user=rita, fmt="xlsx")
        assert sweep() == []
    with time_machine.travel(datetime(2027, 1, 1, 0, 0, 30, tzinfo=UTC), tick=False):
        assert len(sweep()) == 1
    [message] = mail.outbox
    assert message.subject == "Firebreak: incident response report 2026Q4 (all services)"


def test_a_scheduler_that_was_down_on_the_first_day_catches_up(subscribed):
    with time_machine.travel(FIRST_DAY_OF_Q4 + timedelta(days=3), tick=False):
        assert len(sweep()) == 2
    assert len(mail.outbox) == 2


def test_two_sweeps_claim_each_delivery_once_and_a_replayed_task_sends_nothing(subscribed):
    with time_machine.travel(FIRST_DAY_OF_Q4, tick=False):
        services.report_deliveries_plan()
        assert services.report_deliveries_plan() == 0  # a second beat: no new rows
        first = services.report_deliveries_claim_due()
        second = services.report_deliveries_claim_due()
        assert len(first) == 2 and second == []
        for delivery_id in first:
            tasks.report_delivery_send.apply(args=[delivery_id]).get()
            tasks.report_delivery_send.apply(args=[delivery_id]).get()  # replayed / redelivered
    assert len(mail.outbox) == 2


def test_a_delivery_whose_worker_died_is_sent_after_the_lease_and_only_then(subscribed):
    own = subscribed["rita"]
    with time_machine.travel(FIRST_DAY_OF_Q4, tick=False):
        services.report_deliveries_plan()
        services.report_deliveries_claim_due()
        # The worker took the row (claimed → sending) and was killed while building the pack.
        ReportDelivery.objects.filter(subscription=own).update(status=State.SENDING)
        ReportDelivery.objects.exclude(subscription=own).update(status=State.SENT)
    with time_machine.travel(FIRST_DAY_OF_Q4 + report_packs.claim_lease() / 2, tick=False):
        assert sweep() == []
    assert mail.outbox == []
    with time_machine.travel(FIRST_DAY_OF_Q4 + report_packs.claim_lease() * 1.5, tick=False):
        assert len(sweep()) == 1
    [message] = mail.outbox
    assert message.to == ["rita@example.com"]
    delivery = ReportDelivery.objects.get(subscription=own)
    assert (delivery.status, delivery.attempts) == (State.SENT, 1)


def test_smtp_failures_are_retried_with_back_off_then_marked_failed(subscribed, monkeypatch):
    subscribed["address"].delete()
    calls = []

    def refuse(self, fail_silently=False):
        calls.append(self.to)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    moment = FIRST_DAY_OF_Q4
    for attempt in range(1, settings.FIREBREAK_NOTIFICATION_MAX_ATTEMPTS + 1):
        with time_machine.travel(moment, tick=False):
            assert len(sweep()) == 1
            assert sweep() == []  # not again before the back-off
        delivery = ReportDelivery.objects.get()
        assert delivery.attempts == attempt
        assert "SMTPServerDisconnected" in delivery.last_error
        moment = delivery.due_at + timedelta(seconds=1)
    assert delivery.status == State.FAILED
    assert len(calls) == settings.FIREBREAK_NOTIFICATION_MAX_ATTEMPTS


def test_a_failed_attempt_is_sent_on_the_retry(subscribed, monkeypatch):
    subscribed["address"].delete()
    original = report_packs.EmailMessage.send
    failures = [smtplib.SMTPServerDisconnected("closed")]

    def flaky(self, fail_silently=False):
        if failures:
            raise failures.pop()
        return original(self, fail_silently)

    monkeypatch.setattr("django.core.mail.EmailMessage.send", flaky)
    with time_machine.travel(FIRST_DAY_OF_Q4, tick=False):
        sweep()
    assert mail.outbox == []
    with time_machine.travel(FIRST_DAY_OF_Q4 + timedelta(minutes=3), tick=False):
        sweep()
    [message] = mail.outbox
    assert message.to == ["rita@example.com"]
    assert ReportDelivery.objects.get().status == State.SENT


def test_an_inactive_subscriber_is_skipped(subscribed):
    rita = subscribed["rita"].person
    rita.is_active = False
    rita.save()
    subscribed["address"].delete()
    with time_machine.travel(FIRST_DAY_OF_Q4, tick=False):
        sweep()
    assert mail.outbox == []
    assert ReportDelivery.objects.get().status == State.SKIPPED


def test_the_beat_schedule_runs_the_sweep(subscribed, monkeypatch):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "postmortems.tasks.report_deliveries_sweep" in entries
    sent = []
    monkeypatch.setattr(tasks.report_delivery_send, "delay", sent.append)
    with time_machine.travel(FIRST_DAY_OF_Q4, tick=False):
        assert tasks.report_deliveries_sweep.apply().get() == 2
    assert sorted(sent) == sorted(ReportDelivery.objects.values_list("pk", flat=True))


# --- managing subscriptions -------------------------------------------------------------------


def test_a_viewer_subscribes_and_unsubscribes_from_the_reports_page(client, dataset):
    viewer = UserFactory(username="vera", groups=["viewer"])
    client.force_login(viewer)

    response = client.post(
        "/reports/subscriptions/", {"format": "xlsx", "service": "api"}, follow=True
    )

    html = response.content.decode()
    assert "vera@example.com gets the quarterly pack (XLSX, service api)" in html
    [subscription] = ReportSubscription.objects.all()
    assert (subscription.person, subscription.format, subscription.service.slug) == (
        viewer,
        "xlsx",
        "api",
    )
    assert "<td>service api</td>" in html

    response = client.post(f"/reports/subscriptions/{subscription.pk}/delete/", follow=True)
    assert "Unsubscribed" in response.content.decode()
    assert not ReportSubscription.objects.exists()


def test_only_admins_subscribe_other_addresses_and_see_every_subscription(
    client, dataset, admin_user
):
    rita, omar = dataset["people"]["rita"], dataset["people"]["omar"]
    client.force_login(admin_user)
    client.post(
        "/reports/subscriptions/", {"format": "pdf", "email": "cfo@example.org"}, follow=True
    )
    client.post("/reports/subscriptions/", {"format": "pdf", "person": "omar"}, follow=True)
    assert ReportSubscription.objects.filter(person=omar).exists()

    client.force_login(rita)
    # rita's form has no person or address fields; a forged one is not honoured.
    page = client.get("/reports/", {"preset": "quarter", "quarter": "2026Q3"}).content.decode()
    assert 'name="email"' not in page and "cfo@example.org" not in page
    client.post("/reports/subscriptions/", {"format": "pdf", "email": "me@elsewhere.example"})
    assert ReportSubscription.objects.get(person=rita).email == ""
    with pytest.raises(services.report_packs.PermissionDenied):
        services.report_subscription_create(user=rita, email="me@elsewhere.example")
    address = ReportSubscription.objects.get(email="cfo@example.org")
    response = client.post(f"/reports/subscriptions/{address.pk}/delete/", follow=True)
    assert "No such subscription" in response.content.decode()
    assert ReportSubscription.objects.filter(pk=address.pk).exists()


def test_a_service_outside_the_team_and_a_duplicate_are_refused(client, dataset):
    rita = dataset["people"]["rita"]
    other = Team.objects.create(slug="web", name="Web")
    client.force_login(rita)

    response = client.post(
        "/reports/subscriptions/", {"format": "pdf", "team": "web", "service": "api"}, follow=True
    )
    assert "does not belong to the team" in response.content.decode()
    client.post("/reports/subscriptions/", {"format": "pdf", "team": other.slug})
    response = client.post(
        "/reports/subscriptions/", {"format": "pdf", "team": other.slug}, follow=True
    )
    assert "exists already" in response.content.decode()
    assert ReportSubscription.objects.count() == 1


def test_admins_manage_subscriptions_in_the_admin(client, admin_user, dataset):
    admin_user.is_staff = admin_user.is_superuser = True  # Django's admin site wants staff
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        "/admin/postmortems/reportsubscription/add/",
        {
            "email": "board@example.org",
            "format": "pdf",
            "active": "on",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/postmortems/reportsubscription/"
    subscription = ReportSubscription.objects.get(email="board@example.org")
    assert subscription.created_by == admin_user
    assert client.get("/admin/postmortems/reportdelivery/").status_code == 200
    # Neither a person nor an address: refused by the model's validation.
    response = client.post(
        "/admin/postmortems/reportsubscription/add/",
        {"format": "pdf", "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "Give a person or an e-mail address." in response.content.decode()
