"""The weekly alert review, writes: mark alerts actionable, answer a group's questions, choose
recipients, close the week and send its summary. Reads and figures are in ``selectors``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.errors import Conflict, PermissionDenied
from oncall.access import can_respond
from oncall.alerts.models import Alert
from oncall.alerts.selectors import alert_list
from oncall.people.models import Notification
from oncall.people.services import notification_send
from oncall.review.models import AlertReview, AlertReviewDecision
from oncall.review.selectors import (
    ANSWER_FIELDS,
    MAX_ALERTS_PER_MARK,
    MAX_ANSWER_CHARS,
    MAX_RECIPIENTS,
    Scope,
    _invalid,
    closed_reviews_counting,
    review_alerts,
    review_scope,
    review_url,
    review_week,
    summary_text,
    week_label,
)

# --- writes -------------------------------------------------------------------------------------


def _require_responder(user, action: str) -> None:
    if not can_respond(user):
        raise PermissionDenied(f"Only responders and admins can {action}.")


def _alert_ids(alert_ids) -> list[int]:
    if isinstance(alert_ids, str | bytes) or not isinstance(alert_ids, list | tuple | set):
        raise _invalid("alert_ids", "Give a list of alert ids.")
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in alert_ids):
        raise _invalid("alert_ids", "Each alert id is a whole number.")
    wanted = list(dict.fromkeys(alert_ids))
    if not wanted:
        raise _invalid("alert_ids", "Choose at least one alert.")
    if len(wanted) > MAX_ALERTS_PER_MARK:
        raise _invalid("alert_ids", f"Mark at most {MAX_ALERTS_PER_MARK} alerts at a time.")
    return wanted


def alert_mark_actionable(*, user, alert_ids, actionable) -> int:
    """Mark alerts as actionable (a human had to do something) or not. Responders and admins.

    ``alert_ids``: ids of alerts this person may see; any other id is a 400 naming it, and then
    nothing is marked. ``actionable``: True or False. Returns how many alerts were marked.
    Conflict, and nothing marked, when a closed review counted one of them: its figures stand.
    """
    _require_responder(user, "mark alerts actionable")
    if not isinstance(actionable, bool):
        raise _invalid("actionable", "actionable must be true or false.")
    wanted = _alert_ids(alert_ids)
    visible = set(alert_list(user=user).filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [str(a) for a in wanted if a not in visible]
    if missing:
        message = f"Unknown alert(s): {', '.join(missing[:20])}."
        raise _invalid("alert_ids", message)
    alerts = Alert.objects.filter(pk__in=wanted).only("pk", "fired_at", "service_slug", "labels")
    counted = closed_reviews_counting(list(alerts.order_by("pk")))
    if counted:
        alert_id, review = next(iter(counted.items()))
        raise Conflict(
            f"Alert {alert_id} was counted by the closed review of "
            f"{week_label(review.week_start)} ({review_scope(review).describe()}); its "
            "answer can no longer change. Nothing was marked."
        )
    return Alert.objects.filter(pk__in=wanted).update(actionable=actionable)


def _review_for_update(*, week_start: date, scope: Scope) -> AlertReview:
    """The review row, created on first use, locked for this transaction (PostgreSQL)."""
    review, _ = AlertReview.objects.get_or_create(
        week_start=week_start,
        scope_key=scope.key,
        defaults={"service_slugs": list(scope.service_slugs), "team": scope.team},
    )
    return AlertReview.objects.select_for_update().get(pk=review.pk)


def _require_open(review: AlertReview) -> None:
    if review.closed_at is not None:
        raise Conflict(
            f"The review of {week_label(review.week_start)} is closed; its decisions can no "
            "longer change."
        )


def alert_review_decide(
    *, user, week_start: date, scope: Scope, alert_name: str, answers: dict
) -> AlertReviewDecision:
    """Record (or edit) the answers to the five questions for one alert name of the week.

    Responders and admins. ``answers`` maps question fields (``ANSWER_FIELDS``) to text; fields
    left out keep their previous answer. The alert name must have fired in the week and scope
    (in this person's time zone). Conflict once the review is closed.
    """
    _require_responder(user, "record alert review decisions")
    if not isinstance(alert_name, str) or not alert_name.strip():
        raise _invalid("alert_name", "Name the alert the decision is about.")
    if len(alert_name) > 200 or "\x00" in alert_name:
        raise _invalid("alert_name", "An alert name has at most 200 characters.")
    if not isinstance(answers, dict):
        raise _invalid("answers", "Give the answers as text per question.")
    unknown = sorted(set(answers) - set(ANSWER_FIELDS))
    if unknown:
        raise _invalid(unknown[0], f"Unknown question {unknown[0]!r}.")
    for name, text in answers.items():
        if not isinstance(text, str):
            raise _invalid(name, "An answer is text.")
        if len(text) > MAX_ANSWER_CHARS or "\x00" in text:
            raise _invalid(name, f"At most {MAX_ANSWER_CHARS} characters.")
    alert_name = alert_name.strip()
    if (
        not review_alerts(user=user, week_start=week_start, scope=scope)
        .filter(name=alert_name)
        .exists()
    ):
        raise _invalid(
            "alert_name",
            f"No alert named {alert_name[:200]!r} fired in {week_label(week_start)} "
            f"({scope.describe()}).",
        )
    with transaction.atomic():
        review = _review_for_update(week_start=week_start, scope=scope)
        _require_open(review)
        decision = AlertReviewDecision.objects.filter(review=review, alert_name=alert_name).first()
        if decision is None:
            decision = AlertReviewDecision(
                review=review, alert_name=alert_name, first_decided_by=user
            )
        for name, text in answers.items():
            setattr(decision, name, text.strip())
        decision.decided_by = user
        decision.decided_at = timezone.now()
        decision.save()
    return decision


def _usernames(usernames) -> list[str]:
    if isinstance(usernames, str) or not isinstance(usernames, list | tuple):
        raise _invalid("recipients", "Give the recipients as a list of usernames.")
    if not all(isinstance(u, str) for u in usernames):
        raise _invalid("recipients", "Each recipient is a username.")
    wanted = list(dict.fromkeys(u.strip() for u in usernames if u.strip()))
    if len(wanted) > MAX_RECIPIENTS:
        raise _invalid("recipients", f"At most {MAX_RECIPIENTS} recipients.")
    if any("\x00" in u or len(u) > 150 for u in wanted):
        raise _invalid("recipients", "A username has at most 150 characters.")
    known = set(
        get_user_model()
        .objects.filter(username__in=wanted, is_active=True)
        .values_list("username", flat=True)
    )
    missing = [u for u in wanted if u not in known]
    if missing:
        raise _invalid("recipients", f"Nobody active is called {', '.join(missing)}.")
    return sorted(wanted)


def alert_review_set_recipients(*, user, week_start: date, scope: Scope, usernames) -> AlertReview:
    """Replace the review's extra summary recipients. Responders and admins; Conflict once closed."""
    _require_responder(user, "choose who gets the alert review summary")
    recipients = _usernames(usernames)
    with transaction.atomic():
        review = _review_for_update(week_start=week_start, scope=scope)
        _require_open(review)
        review.recipients = recipients
        review.save(update_fields=["recipients"])
    return review


@dataclass
class CloseResult:
    review: AlertReview
    notified: list[str]  # usernames newly notified by this call


def alert_review_close(*, user, week_start: date, scope: Scope) -> CloseResult:
    """Close the review and send its summary to everyone who set a decision plus the review's
    recipients. Responders and admins.

    Idempotent: closing again keeps the first closing (time, person, summary) and notifies nobody
    twice (one notification key per review and person); it only reaches someone the first call
    missed. The summary uses the closing person's time zone for the week's bounds.
    """

    _require_responder(user, "close alert reviews")
    with transaction.atomic():
        review = _review_for_update(week_start=week_start, scope=scope)
        if review.closed_at is None:
            # The summary needs each group's newest instance only (its content check).
            week = review_week(user=user, week_start=week_start, scope=scope, instances=1)
            review.summary = summary_text(week)
            review.closed_at = timezone.now()
            review.closed_by = user
            review.save(update_fields=["summary", "closed_at", "closed_by"])
        deciders = {
            pk
            for pair in review.decisions.values_list("first_decided_by", "decided_by")
            for pk in pair
            if pk is not None
        }
        people = (
            get_user_model()
            .objects.filter(Q(pk__in=deciders) | Q(username__in=review.recipients))
            .filter(is_active=True)
            .order_by("username")
        )
        subject = f"Alert review {week_label(week_start)} closed ({scope.describe()})"
        notified = []
        for person in people:
            sent = notification_send(
                recipient=person,
                subject=subject,
                body=review.summary,
                url=review_url(week_start, scope),
                urgency=Notification.Urgency.LOW,
                key=f"alert-review:{review.pk}:closed",
            )
            if sent is not None:
                notified.append(person.username)
    return CloseResult(review=review, notified=notified)
