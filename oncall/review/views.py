"""Web pages for the weekly alert review. Thin: parse the week and scope, call one service or
selector from oncall.review, render or redirect back to the review page.

Every page and form carries the week (``week=YYYY-Www``) and the scope (``service`` repeated,
``team``) in its query string or fields, so a review can be bookmarked and shared.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from config.errors import ApplicationError, PermissionDenied, ValidationFailed
from oncall.access import can_respond
from oncall.review.selectors import (
    ANSWER_FIELDS,
    INSTANCES_PER_GROUP,
    parse_scope,
    parse_week,
    review_group_instances,
    review_group_url,
    review_url,
    review_week,
    review_week_load_details,
    week_label,
)
from oncall.review.services import (
    alert_mark_actionable,
    alert_review_close,
    alert_review_decide,
    alert_review_set_recipients,
)

GROUPS_PER_PAGE = 20
# Instances listed per group on the review page, newest first (a storm week has thousands of one
# alert); the figures count them all and the group's own page pages through every one.
INSTANCES_SHOWN = INSTANCES_PER_GROUP
INSTANCES_PER_PAGE = 50
READ_ONLY = "Viewers can read the alert review; responders and admins take part in it."


def _parse(request, data):
    """(week_start, scope) from a GET or POST QueryDict, the week in the viewer's time zone.

    Raises ValidationFailed for a malformed week or scope.
    """
    week_start = parse_week(data.get("week", ""), tzinfo=request.user.tzinfo)
    # The page's filter is one text box ("checkout payments"); forms repeat ``service``.
    slugs = [slug for value in data.getlist("service") for slug in re.split(r"[\s,]+", value)]
    scope = parse_scope(service_slugs=slugs, team=data.get("team"))
    return week_start, scope


def _bad_week_or_scope(request, exc: ApplicationError):
    """The review page with the parse error in place of the week (its status, e.g. 400)."""
    return render(
        request,
        "oncall/review/page.html",
        {"error": exc.message, "week_value": request.GET.get("week", "")},
        status=exc.status_code,
    )


def _back(week_start, scope, data=None):
    """Back to the review page, or to the group's page a form was posted from."""
    name = (data or {}).get("group", "")
    if name:
        page = (data or {}).get("group_page", "")
        return redirect(review_group_url(week_start, scope, name, page if page.isdigit() else 1))
    return redirect(review_url(week_start, scope))


@login_required
@require_GET
def review_page(request):
    try:
        week_start, scope = _parse(request, request.GET)
    except ApplicationError as exc:
        return _bad_week_or_scope(request, exc)
    week = review_week(user=request.user, week_start=week_start, scope=scope, details=False)
    page = Paginator(week.groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    review_week_load_details(week, list(page.object_list), per_group=INSTANCES_SHOWN)
    previous_week = week_start.fromordinal(week_start.toordinal() - 7)
    next_week = week_start.fromordinal(week_start.toordinal() + 7)
    return render(
        request,
        "oncall/review/page.html",
        {
            "week": week,
            "page": page,
            "instances_shown": INSTANCES_SHOWN,
            "can_write": can_respond(request.user) and not week.is_closed,
            "services_value": " ".join(scope.service_slugs),
            "week_value": week.week,
            "previous_url": review_url(previous_week, scope),
            "next_url": review_url(next_week, scope),
            "recipients_value": " ".join(week.review.recipients) if week.review else "",
        },
    )


@login_required
@require_GET
def review_group(request):
    """Every instance of one alert name in the week, a page at a time, newest first."""
    try:
        week_start, scope = _parse(request, request.GET)
    except ApplicationError as exc:
        return _bad_week_or_scope(request, exc)
    name = request.GET.get("name", "")
    if not name.strip() or len(name) > 200 or "\x00" in name:
        return render(
            request,
            "oncall/review/page.html",
            {
                "error": "Give the alert name of one group (at most 200 characters).",
                "week_value": week_label(week_start),
            },
            status=400,
        )
    week = review_week(
        user=request.user, week_start=week_start, scope=scope, instances=0, only_name=name
    )
    group = week.group(name)
    if group is None:
        return render(
            request,
            "oncall/review/page.html",
            {
                "error": f"No alert named {name[:200]!r} fired in {week.week} "
                f"({scope.describe()}).",
                "week_value": week.week,
            },
            status=404,
        )
    paginator = Paginator(review_group_instances(week, name), INSTANCES_PER_PAGE)
    paginator.count = group.figures.instances  # known from the figures: no COUNT(*) again
    page = paginator.get_page(request.GET.get("page"))
    group.alerts = list(page.object_list)
    return render(
        request,
        "oncall/review/group.html",
        {
            "week": week,
            "group": group,
            "page": page,
            "can_write": can_respond(request.user) and not week.is_closed,
            "back_url": review_url(week_start, scope),
        },
    )


def _responder_post(request):
    if not can_respond(request.user):
        raise PermissionDenied(READ_ONLY)
    return _parse(request, request.POST)


@login_required
@require_POST
def review_mark(request):
    """Mark the ticked alerts (or one alert) actionable or not actionable."""
    week_start, scope = _responder_post(request)
    choice = request.POST.get("actionable")
    raw_ids = request.POST.getlist("alert")
    try:
        if choice not in ("yes", "no"):
            raise ValidationFailed("Choose actionable or not actionable.")
        if not all(re.fullmatch(r"[0-9]{1,18}", raw) for raw in raw_ids):
            raise ValidationFailed("Choose alerts from the review.")
        marked = alert_mark_actionable(
            user=request.user, alert_ids=[int(raw) for raw in raw_ids], actionable=choice == "yes"
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        label = "actionable" if choice == "yes" else "not actionable"
        messages.success(request, f"Marked {marked} alert{'s' if marked != 1 else ''} {label}.")
    return _back(week_start, scope, request.POST)


@login_required
@require_POST
def review_decide(request):
    """Save the five answers for one alert name."""
    week_start, scope = _responder_post(request)
    answers = {name: request.POST.get(name, "") for name in ANSWER_FIELDS}
    name = request.POST.get("alert_name", "")
    try:
        alert_review_decide(
            user=request.user, week_start=week_start, scope=scope, alert_name=name, answers=answers
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Saved the decision on {name.strip()}.")
    return _back(week_start, scope)


@login_required
@require_POST
def review_recipients(request):
    """Set who else gets the summary (usernames separated by spaces or commas)."""
    week_start, scope = _responder_post(request)
    usernames = [u for u in re.split(r"[\s,]+", request.POST.get("recipients", "")) if u]
    try:
        review = alert_review_set_recipients(
            user=request.user, week_start=week_start, scope=scope, usernames=usernames
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        who = ", ".join(review.recipients) or "nobody besides the people who decided"
        messages.success(request, f"The summary will also go to: {who}.")
    return _back(week_start, scope)


@login_required
@require_POST
def review_close(request):
    """Close the review and send the summary (once per person, however often this is posted)."""
    week_start, scope = _responder_post(request)
    try:
        result = alert_review_close(user=request.user, week_start=week_start, scope=scope)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if result.notified:
            messages.success(
                request, f"Review closed; summary sent to {', '.join(result.notified)}."
            )
        else:
            messages.info(request, "The review is closed; nobody new to send the summary to.")
    return _back(week_start, scope)
