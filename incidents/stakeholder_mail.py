"""Stakeholder updates by e-mail (FIREBREAK_STAKEHOLDER_EMAILS), sent by a worker after commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from incidents import signals
from incidents.models import StakeholderUpdate
from incidents.stakeholder_messages import clock_text, stakeholder_text

TITLES = {
    StakeholderUpdate.UpdateKind.UPDATE: "Update",
    StakeholderUpdate.UpdateKind.RESOLUTION: "Resolved",
    StakeholderUpdate.UpdateKind.FOLLOW_UP: "Root cause",
}


def stakeholder_update_message(update: StakeholderUpdate) -> EmailMessage:
    """The e-mail stakeholders receive; times in the incident's zone, which names itself."""
    incident = update.incident

    def when(moment):
        local = clock_text(moment, incident.timezone)
        utc = clock_text(moment)
        return local if local == utc else f"{local} = {utc}"

    link = settings.FIREBREAK_BASE_URL + reverse(
        "incidents:detail", kwargs={"number": incident.number}
    )
    return EmailMessage(
        subject=f"[{incident.reference}] {TITLES[update.kind]}: {incident.title}"[:200],
        body=f"{stakeholder_text(update, when)}\n\n{incident.reference}: {link}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(settings.FIREBREAK_STAKEHOLDER_EMAILS),
    )


def stakeholder_update_email_send(*, update_id: int) -> bool:
    """Send the update if it reaches stakeholders and its incident is not private."""
    update = StakeholderUpdate.objects.select_related("incident").filter(pk=update_id).first()
    if (
        update is None
        or not settings.FIREBREAK_STAKEHOLDER_EMAILS
        or not update.reaches_stakeholders
        or update.incident.private
    ):
        return False
    stakeholder_update_message(update).send()
    return True


def _on_update_posted(sender, *, incident_id: int, update_id: int, **kwargs) -> None:
    if settings.FIREBREAK_STAKEHOLDER_EMAILS:
        from incidents.tasks import stakeholder_update_email

        stakeholder_update_email.delay(update_id)


def connect() -> None:
    signals.stakeholder_update_posted.connect(
        _on_update_posted, dispatch_uid="incidents.stakeholder_mail"
    )
