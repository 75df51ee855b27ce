"""A postmortem becomes required on resolution (METRICS.md rules); owners are reminded; digests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from incidents import services as incident_services
from incidents.models import Incident
from oncall.models import Notification
from postmortems import services
from postmortems.models import Postmortem
from tests.factories import ServiceFactory, UserFactory


def _resolve(incident, user, capture):
    with capture(execute=True):
        incident_services.incident_change_status(incident=incident, user=user, status="resolved")


def _declare(user, **kwargs):
    kwargs.setdefault("title", "Checkout errors")
    return incident_services.incident_declare(user=user, **kwargs)


def test_sev2_resolution_creates_a_required_draft_owned_by_the_ic(
    responder, django_capture_on_commit_callbacks
):
    incident = _declare(responder, severity="SEV2")
    _resolve(incident, responder, django_capture_on_commit_callbacks)
    postmortem = Postmortem.objects.get(incident=incident)
    assert postmortem.owner == responder and postmortem.required
    assert postmortem.required_reasons == ["severity SEV2"]
    assert postmortem.due_date == services.default_due_date(Incident.objects.get(pk=incident.pk))


def test_long_outage_is_required_short_sev3_is_not(responder, django_capture_on_commit_callbacks):
    long_one = _declare(responder, severity="SEV3", title="Long")
    Incident.objects.filter(pk=long_one.pk).update(
        started_at=long_one.declared_at - timedelta(minutes=45)
    )
    incident_services.incident_mitigate(incident=long_one, user=responder)
    _resolve(long_one, responder, django_capture_on_commit_callbacks)
    reasons = Postmortem.objects.get(incident=long_one).required_reasons
    assert len(reasons) == 1 and reasons[0].startswith("time to recover was 4")

    short = _declare(responder, severity="SEV3", title="Short")
    incident_services.incident_mitigate(incident=short, user=responder)
    _resolve(short, responder, django_capture_on_commit_callbacks)
    assert not Postmortem.objects.filter(incident=short).exists()


def test_same_service_same_trigger_twice_within_three_days(
    responder, django_capture_on_commit_callbacks
):
    service = ServiceFactory(slug="checkout")
    first = _declare(
        responder,
        severity="SEV4",
        services=["checkout"],
        trigger_category="config_change",
        title="First",
    )
    second = _declare(
        responder,
        severity="SEV4",
        services=["checkout"],
        trigger_category="config_change",
        title="Second",
    )
    _resolve(second, responder, django_capture_on_commit_callbacks)
    reasons = Postmortem.objects.get(incident=second).required_reasons
    assert reasons == [
        f"{first.reference} hit the same service with the same trigger (configuration change) within 3 days"
    ]
    assert service.incidents.count() == 2


def test_a_long_outage_resolved_without_marking_mitigated_requires_a_postmortem(
    responder, django_capture_on_commit_callbacks
):
    """The usual way to close: resolve (and post the all-clear) without "Mark mitigated". The
    resolution records when impact ended, so the TTR rule applies (METRICS.md v2)."""
    incident = _declare(responder, severity="SEV3", title="Long")
    Incident.objects.filter(pk=incident.pk).update(
        started_at=incident.declared_at - timedelta(minutes=45)
    )
    _resolve(incident, responder, django_capture_on_commit_callbacks)

    reasons = Postmortem.objects.get(incident=incident).required_reasons
    assert len(reasons) == 1 and reasons[0].startswith("time to recover was 4")


def test_an_all_clear_records_when_impact_ended(responder, django_capture_on_commit_callbacks):
    incident = _declare(responder, severity="SEV3", title="Long")
    Incident.objects.filter(pk=incident.pk).update(
        started_at=incident.declared_at - timedelta(minutes=45)
    )
    update = incident_services.status_update_post(
        incident=incident,
        user=responder,
        body="All clear: checkout works again.",
        kind="resolution",
        follow_up_expected=False,
    )
    incident.refresh_from_db()
    assert incident.mitigated_at == update.posted_at

    _resolve(incident, responder, django_capture_on_commit_callbacks)
    incident.refresh_from_db()
    assert incident.mitigated_at == update.posted_at
    assert (
        Postmortem.objects.get(incident=incident)
        .required_reasons[0]
        .startswith("time to recover was 4")
    )


def test_a_private_repeat_is_counted_not_named_in_the_reasons(
    responder, django_capture_on_commit_callbacks
):
    ServiceFactory(slug="checkout")
    secret = _declare(
        responder,
        severity="SEV4",
        services=["checkout"],
        trigger_category="config_change",
        title="Leaked credentials rotated",
        private=True,
    )
    second = _declare(
        responder, severity="SEV4", services=["checkout"], trigger_category="config_change"
    )
    _resolve(second, responder, django_capture_on_commit_callbacks)

    [reason] = Postmortem.objects.get(incident=second).required_reasons
    assert secret.reference not in reason
    assert reason.startswith("a private incident hit the same service")


@override_settings(FIREBREAK_POSTMORTEM_SEVERITIES=[])
def test_rules_are_settings(responder, django_capture_on_commit_callbacks):
    incident = _declare(responder, severity="SEV1")
    _resolve(incident, responder, django_capture_on_commit_callbacks)
    assert not Postmortem.objects.filter(incident=incident).exists()


def test_drills_do_not_require_postmortems(responder, django_capture_on_commit_callbacks):
    drill = _declare(responder, severity="SEV1", kind="drill")
    _resolve(drill, responder, django_capture_on_commit_callbacks)
    assert not Postmortem.objects.filter(incident=drill).exists()


def test_resolving_again_adds_reasons_without_a_second_draft(
    responder, django_capture_on_commit_callbacks
):
    incident = _declare(responder, severity="SEV1")
    _resolve(incident, responder, django_capture_on_commit_callbacks)
    incident_services.incident_change_status(
        incident=incident, user=responder, status="investigating"
    )
    _resolve(incident, responder, django_capture_on_commit_callbacks)
    assert Postmortem.objects.filter(incident=incident).count() == 1


def test_due_date_is_five_business_days_after_resolution(responder):
    incident = _declare(responder, severity="SEV2")
    friday = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    Incident.objects.filter(pk=incident.pk).update(resolved_at=friday)
    incident.refresh_from_db()
    assert services.default_due_date(incident) == date(2026, 3, 13)


def test_owner_is_reminded_as_the_due_date_nears_once_per_day(responder, incident):
    postmortem = services.postmortem_request(user=responder, incident=incident)
    Postmortem.objects.filter(pk=postmortem.pk).update(due_date=date(2026, 3, 13))
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=UTC), tick=False):
        assert services.postmortem_due_reminders_send() == 0  # four days left: not yet
    with time_machine.travel(datetime(2026, 3, 11, 9, 0, tzinfo=UTC), tick=False):
        assert services.postmortem_due_reminders_send() == 1
        assert services.postmortem_due_reminders_send() == 0  # a second beat: nothing twice
    with time_machine.travel(datetime(2026, 3, 16, 9, 0, tzinfo=UTC), tick=False):
        assert services.postmortem_due_reminders_send() == 1
    subjects = list(
        Notification.objects.filter(recipient=responder).values_list("subject", flat=True)
    )
    assert any(s.startswith("Due in 2 days") for s in subjects)
    assert any(s.startswith("Overdue") for s in subjects)


def test_published_postmortems_are_not_reminded(responder, incident):
    postmortem = services.postmortem_request(user=responder, incident=incident)
    Postmortem.objects.filter(pk=postmortem.pk).update(
        due_date=date(2026, 3, 13), status="published"
    )
    with time_machine.travel(datetime(2026, 3, 12, 9, 0, tzinfo=UTC), tick=False):
        assert services.postmortem_due_reminders_send() == 0


def test_weekly_digest_lists_open_and_overdue_items_once_per_week(responder, incident, db):
    other = UserFactory(username="quiet", groups=["responder"])
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False):
        services.action_item_create(
            user=responder, incident=incident, title="Old", owner=responder, due_date="2026-03-01"
        )
        services.action_item_create(user=responder, incident=incident, title="New", owner=responder)
        done = services.action_item_create(
            user=responder, incident=incident, title="Done", owner=other
        )
        services.action_item_complete(user=responder, item=done)
        assert services.action_item_digest_send() == 1
        assert services.action_item_digest_send() == 0
    digest = Notification.objects.get(recipient=responder, key__startswith="action-digest:")
    assert digest.subject == "Your action items: 2 open, 1 overdue"
    assert "OVERDUE Old" in digest.body and "New" in digest.body
    assert not Notification.objects.filter(
        recipient=other, key__startswith="action-digest:"
    ).exists()


def test_digest_warns_an_owner_of_more_than_five_items(responder, incident):
    for index in range(6):
        services.action_item_create(
            user=responder, incident=incident, title=f"Item {index}", owner=responder
        )
    services.action_item_digest_send()
    digest = Notification.objects.get(recipient=responder, key__startswith="action-digest:")
    assert "You own 6 open action items, more than 5" in digest.body


@pytest.mark.parametrize("task_name", ["postmortem_due_reminders", "action_item_digest"])
def test_beat_schedule_names_real_tasks(task_name):
    from django.conf import settings

    from postmortems import tasks

    tasks_in_schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert f"postmortems.tasks.{task_name}" in tasks_in_schedule
    assert callable(getattr(tasks, task_name))


def test_beat_tasks_call_their_services(responder, incident):
    from postmortems import tasks

    services.action_item_create(
        user=responder, incident=incident, title="Write the runbook", owner=responder
    )
    assert tasks.action_item_digest.apply().get() == 1
    assert tasks.postmortem_due_reminders.apply().get() == 0
