"""The weekly alert review (Real-World SRE, ch. 4): last week's alerts grouped by alert name, the
five questions answered per group, each alert marked actionable or not, and a summary sent to
the team when the review is closed.

Figures follow METRICS.md ("Alerts and alert fatigue"):
- *paged* = critical alerts; **alert MTTA** = mean ``acknowledged_at − fired_at`` over paged
  alerts that were acknowledged; paged alerts nobody acknowledged are a separate count and share;
- *auto-resolved unacknowledged* = alerts that resolved before anyone acknowledged them;
- *flapping* = the same fingerprint firing 3+ times within 24 h;
- **actionable rate** = alerts reviewed as actionable ÷ alerts reviewed; unreviewed alerts are
  a count, never guessed.
They are computed by the database (``oncall.review.figures``): a week of 100k alerts is never
loaded into Python; each group lists only its newest instances and pages through the rest.

A week is Monday 00:00 to the next Monday 00:00 on the wall clock of the person looking (half-open).
A scope is a set of service slugs and/or a ``team`` label (an alert's ``team`` label): an alert is
in scope when its service is one of the slugs *or* its team label matches; an empty scope is every
alert. Teams live in the higher incidents layer, which this layer never imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from config.errors import ValidationFailed
from oncall.alerts.models import Alert
from oncall.alerts.selectors import alert_list
from oncall.review.figures import (
    Figures,
    figures_by_name,
    figures_total,
    flapping_by_name,
    format_duration,
    format_rate,
    newest_by_name,
)
from oncall.review.models import AlertReview, AlertReviewDecision

WEEK_PATTERN = re.compile(r"([0-9]{4})-W([0-9]{2})")
# Weeks far outside any real alert history would overflow date arithmetic (year 9999).
FIRST_YEAR, LAST_YEAR = 1970, 9000
# Instances listed under a group, newest first (a storm week has thousands of one alert); the
# figures count them all, and the group's own page (web) or ``alerts_url`` (API) pages through
# every one.
INSTANCES_PER_GROUP = 20
# Not shown by the review; left unloaded.
HEAVY_FIELDS = ("annotations", "details", "description", "labels", "generator_url", "group_key")
MAX_ALERTS_PER_MARK = 1000
MAX_SCOPE_SERVICES = 20
MAX_TEAM_CHARS = 100
MAX_RECIPIENTS = 50
MAX_ANSWER_CHARS = 5000

# The five questions (Real-World SRE, ch. 4), as (field, question) in the order they are asked.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("responded_appropriately", "Did we respond appropriately?"),
    ("right_level", "Was it the right level (urgency)?"),
    ("keep", "Keep it?"),
    ("change", "Change it (how)?"),
    ("wished_alerted_about", "What did we wish we had been alerted about?"),
)
ANSWER_FIELDS = tuple(name for name, _ in QUESTIONS)


# --- weeks and scopes ---------------------------------------------------------------------------


def parse_week(value: str | None, *, tzinfo, now: datetime | None = None) -> date:
    """The Monday of an ISO week ``YYYY-Www``; empty: the last full week in ``tzinfo``.

    Raises ValidationFailed (field ``week``) for anything else.
    """
    if value is None or value == "":
        today = timezone.localtime(now or timezone.now(), tzinfo).date()
        return today - timedelta(days=today.weekday() + 7)
    match = WEEK_PATTERN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise _invalid("week", "Give the week as YYYY-Www, for example 2026-W47.")
    if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise _invalid("week", f"Choose a week between {FIRST_YEAR} and {LAST_YEAR}.")
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise _invalid("week", f"{value} is not a week: ISO years have 52 or 53 weeks.") from None


def week_label(week_start: date) -> str:
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week_start: date, tzinfo) -> tuple[datetime, datetime]:
    """``[Monday 00:00, next Monday 00:00)`` on the wall clock of ``tzinfo`` (aware datetimes)."""
    start = datetime.combine(week_start, time.min, tzinfo=tzinfo)
    return start, datetime.combine(week_start + timedelta(days=7), time.min, tzinfo=tzinfo)


@dataclass(frozen=True)
class Scope:
    """Which alerts a review covers. Build with ``parse_scope`` (validated, canonical order)."""

    service_slugs: tuple[str, ...] = ()
    team: str = ""

    @property
    def key(self) -> str:
        return f"services={','.join(self.service_slugs)};team={self.team}"

    @property
    def is_everything(self) -> bool:
        return not self.service_slugs and not self.team

    def describe(self) -> str:
        parts = []
        if self.service_slugs:
            parts.append("services " + ", ".join(self.service_slugs))
        if self.team:
            parts.append(f"team {self.team}")
        return " or ".join(parts) or "all alerts"

    def filter(self, alerts: QuerySet[Alert]) -> QuerySet[Alert]:
        if self.is_everything:
            return alerts
        condition = Q()
        if self.service_slugs:
            condition |= Q(service_slug__in=self.service_slugs)
        if self.team:
            condition |= Q(labels__team=self.team)
        return alerts.filter(condition)

    def covers(self, alert: Alert) -> bool:
        """Whether ``alert`` is in this scope: ``filter``'s condition, for one alert in hand."""
        return (
            self.is_everything
            or alert.service_slug in self.service_slugs
            or bool(self.team)
            and alert.labels.get("team") == self.team
        )

    def query(self) -> list[tuple[str, str]]:
        """The scope as URL query parameters (``service`` repeated, ``team``)."""
        pairs = [("service", slug) for slug in self.service_slugs]
        return pairs + ([("team", self.team)] if self.team else [])


def parse_scope(*, service_slugs=None, team=None) -> Scope:
    """A validated scope. ``service_slugs``: a list of slugs (or None); ``team``: text or None."""
    if service_slugs is None:
        service_slugs = []
    if isinstance(service_slugs, str) or not isinstance(service_slugs, list | tuple):
        raise _invalid("services", "Give the services as a list of service slugs.")
    slugs = []
    for slug in service_slugs:
        if not isinstance(slug, str):
            raise _invalid("services", "Each service is a slug, such as checkout.")
        slug = slug.strip()
        if not slug:
            continue
        try:
            validate_slug(slug)
            if len(slug) > 100:
                raise ValidationError("At most 100 characters.")
        except ValidationError as exc:
            message = f"{slug[:100]!r} is not a service slug: {exc.messages[0]}"
            raise _invalid("services", message) from None
        slugs.append(slug)
    slugs = sorted(set(slugs))
    if len(slugs) > MAX_SCOPE_SERVICES:
        raise _invalid("services", f"Review at most {MAX_SCOPE_SERVICES} services at a time.")
    if team is None:
        team = ""
    if not isinstance(team, str):
        raise _invalid("team", "The team is the text of the alerts' team label.")
    team = team.strip()
    if len(team) > MAX_TEAM_CHARS or "\x00" in team:
        raise _invalid("team", f"A team label has at most {MAX_TEAM_CHARS} characters.")
    return Scope(service_slugs=tuple(slugs), team=team)


def _invalid(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field_name: [message]})


@dataclass
class AlertGroup:
    """One alert name in the week: its figures (over every instance), its flapping fingerprints,
    its decision, and the newest instances once loaded (``review_week_load_details``)."""

    name: str
    figures: Figures
    flapping: list[str]
    decision: AlertReviewDecision | None = None
    alerts: list[Alert] = field(default_factory=list)  # the newest few, newest first
    url: str = ""  # the group's own page: every instance, page by page

    @property
    def is_flapping(self) -> bool:
        return bool(self.flapping)

    @property
    def flapping_set(self) -> frozenset[str]:
        return frozenset(self.flapping)

    @property
    def has_more(self) -> bool:
        """More instances than the ones listed under the group."""
        return self.figures.instances > len(self.alerts)

    @property
    def answers(self) -> list[tuple[str, str, str]]:
        """``(field, question, answer)`` for each of the five questions ("" when unanswered)."""
        return [
            (name, question, getattr(self.decision, name) if self.decision else "")
            for name, question in QUESTIONS
        ]

    @property
    def content_problems(self) -> list[str]:
        """The content check of the newest instance (the rule as it is written today)."""
        return self.alerts[0].content_problems if self.alerts else []


@dataclass
class ReviewWeek:
    week_start: date
    starts_at: datetime
    ends_at: datetime
    scope: Scope
    groups: list[AlertGroup]
    totals: Figures
    review: AlertReview | None
    decisions: list[AlertReviewDecision] = field(default_factory=list)
    tzinfo: object = None
    user: object = None

    def alerts(self) -> QuerySet[Alert]:
        """The week's alerts in scope that the viewer may see (a query, not loaded)."""
        return review_alerts(
            user=self.user, week_start=self.week_start, scope=self.scope, tzinfo=self.tzinfo
        )

    def group(self, name: str) -> AlertGroup | None:
        return next((g for g in self.groups if g.name == name), None)

    @property
    def week(self) -> str:
        return week_label(self.week_start)

    @property
    def is_closed(self) -> bool:
        return self.review is not None and self.review.closed_at is not None


# --- reads --------------------------------------------------------------------------------------


def review_get(*, week_start: date, scope: Scope) -> AlertReview | None:
    return AlertReview.objects.filter(week_start=week_start, scope_key=scope.key).first()


def review_alerts(*, user, week_start: date, scope: Scope, tzinfo=None) -> QuerySet[Alert]:
    """The alerts of the week (in ``tzinfo``, default the person's zone) and scope this person
    may see (the registered visibility filters apply: private incidents' alerts stay hidden)."""
    start, end = week_bounds(week_start, tzinfo or user.tzinfo)
    alerts = alert_list(user=user).filter(fired_at__gte=start, fired_at__lt=end)
    return scope.filter(alerts)


def closed_reviews_counting(alerts: list[Alert]) -> dict[int, AlertReview]:
    """For each of ``alerts`` that a closed review counted, by alert id, one such review. A
    review counts the alerts of its scope that fired in its week on the wall clock of the person
    who closed it (what they saw when they closed it). One query, whatever the alerts."""
    if not alerts:
        return {}
    earliest = min(alert.fired_at for alert in alerts).date() - timedelta(days=8)
    latest = max(alert.fired_at for alert in alerts).date() + timedelta(days=1)
    closed = AlertReview.objects.filter(
        closed_at__isnull=False, week_start__gte=earliest, week_start__lte=latest
    ).select_related("closed_by")
    counting: dict[int, AlertReview] = {}
    for review in closed:
        start, end = week_bounds(
            review.week_start, review.closed_by.tzinfo if review.closed_by else UTC
        )
        scope = review_scope(review)
        for alert in alerts:
            if alert.pk not in counting and start <= alert.fired_at < end and scope.covers(alert):
                counting[alert.pk] = review
    return counting


def closed_review_answer_locks(alerts: list[Alert]) -> dict[int, str]:
    """For the inbox (``oncall.alerts.selectors.register_answer_locks``): why an answer stays."""
    return {
        alert_id: f"the review of {week_label(review.week_start)} is closed"
        for alert_id, review in closed_reviews_counting(alerts).items()
    }


def review_scope(review: AlertReview) -> Scope:
    """The scope a stored review was taken over."""
    return Scope(service_slugs=tuple(review.service_slugs), team=review.team)


def review_week(
    *,
    user,
    week_start: date,
    scope: Scope,
    tzinfo=None,
    instances=INSTANCES_PER_GROUP,
    only_name: str | None = None,
    details: bool = True,
) -> ReviewWeek:
    """The week's alerts grouped by name, noisiest first, with figures and the decisions.

    Figures and flapping come from SQL aggregates (a few queries whatever the week's size).
    ``instances``: how many of each group's newest instances to load (0: none).
    ``details=False`` leaves every group's flapping fingerprints and instances unloaded: a page
    of groups loads its own with ``review_week_load_details``. ``only_name``: just that group
    (its own page); the totals are then that group's.
    """
    tzinfo = tzinfo or user.tzinfo
    alerts = review_alerts(user=user, week_start=week_start, scope=scope, tzinfo=tzinfo)
    if only_name is not None:
        alerts = alerts.filter(name=only_name)
    figures = figures_by_name(alerts)
    review = review_get(week_start=week_start, scope=scope)
    decisions = (
        list(review.decisions.select_related("decided_by", "first_decided_by")) if review else []
    )
    decision_by_name = {d.alert_name: d for d in decisions}
    groups = [
        AlertGroup(
            name=name,
            figures=group_figures,
            flapping=[],
            decision=decision_by_name.get(name),
            url=review_group_url(week_start, scope, name),
        )
        for name, group_figures in figures.items()
    ]
    groups.sort(key=lambda g: (-g.figures.instances, g.name))
    start, end = week_bounds(week_start, tzinfo)
    week = ReviewWeek(
        week_start=week_start,
        starts_at=start,
        ends_at=end,
        scope=scope,
        groups=groups,
        totals=figures_total(g.figures for g in groups),
        review=review,
        decisions=decisions,
        tzinfo=tzinfo,
        user=user,
    )
    if details:
        review_week_load_details(week, groups, per_group=instances)
    return week


def review_week_load_details(week: ReviewWeek, groups: list[AlertGroup], *, per_group: int):
    """Load the flapping fingerprints and the newest ``per_group`` instances (0: none) of each
    of ``groups`` (a window query each, over these groups' alerts only)."""
    if not groups:
        return
    names = [g.name for g in groups]
    alerts = week.alerts()
    if len(groups) < len(week.groups):
        alerts = alerts.filter(name__in=names)
    flapping = flapping_by_name(alerts)
    newest = (
        newest_by_name(alerts.defer(*HEAVY_FIELDS), names=names, per_name=per_group)
        if per_group
        else {}
    )
    for group in groups:
        group.flapping = flapping.get(group.name, [])
        group.alerts = newest.get(group.name, [])


def review_group_instances(week: ReviewWeek, name: str) -> QuerySet[Alert]:
    """Every instance of one alert name in the week, newest first (to page through)."""
    return week.alerts().filter(name=name).defer(*HEAVY_FIELDS).order_by("-fired_at", "-pk")


def summary_text(week: ReviewWeek) -> str:
    """The plain-text summary sent when a review closes (and kept on the review)."""
    totals = week.totals
    lines = [
        f"Alert review {week.week} ({week.starts_at:%Y-%m-%d} to "
        f"{week.ends_at - timedelta(days=1):%Y-%m-%d}, {week.starts_at.tzinfo}), "
        f"{week.scope.describe()}.",
        f"{totals.instances} alerts in {len(week.groups)} groups; {totals.paged} paged, "
        f"alert MTTA {format_duration(totals.mtta_seconds)} over {totals.paged_acknowledged} "
        f"acknowledged, {totals.paged_unacknowledged} paged alerts unacknowledged.",
        f"Actionable rate: {format_rate(totals.actionable_rate)} ({totals.actionable} of "
        f"{totals.reviewed} reviewed); {totals.unreviewed} unreviewed.",
        "",
    ]
    for group in week.groups:
        f = group.figures
        flags = []
        if group.is_flapping:
            flags.append("flapping")
        if group.content_problems:  # the same verdict as the page and the alert list
            flags.append("content check failed")
        lines.append(
            f"* {group.name}: {f.instances} alerts, {f.paged} paged, MTTA "
            f"{format_duration(f.mtta_seconds)}, actionable {format_rate(f.actionable_rate)}, "
            f"{f.unreviewed} unreviewed" + (f" ({', '.join(flags)})" if flags else "")
        )
        if group.decision is not None:
            for name, question in QUESTIONS:
                answer = getattr(group.decision, name)
                if answer:
                    lines.append(f"    {question} {answer}")
    other = [d for d in week.decisions if d.alert_name not in {g.name for g in week.groups}]
    for decision in other:  # a decided group whose alerts are no longer visible or in range
        lines.append(f"* {decision.alert_name}")
        for name, question in QUESTIONS:
            if getattr(decision, name):
                lines.append(f"    {question} {getattr(decision, name)}")
    return "\n".join(lines).rstrip() + "\n"


def review_url(week_start: date, scope: Scope) -> str:
    query = urlencode([("week", week_label(week_start)), *scope.query()])
    return f"{reverse('oncall:alert-review')}?{query}"


def review_group_url(week_start: date, scope: Scope, name: str, page: int | str = 1) -> str:
    """The page listing every instance of one alert name in the week and scope."""
    query = [("week", week_label(week_start)), *scope.query(), ("name", name)]
    if str(page) != "1":
        query.append(("page", str(page)))
    return f"{reverse('oncall:alert-review-group')}?{urlencode(query)}"
