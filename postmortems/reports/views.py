"""Web pages for reports: the dashboard, the incidents behind a figure, and chart images.

Thin: parse the period and scope (``web_params``), read ``selectors``/``metrics``, render.
"""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import ValidationError

from config.api_errors import flatten_errors
from config.errors import ApplicationError
from incidents.models import Service, Severity, Team
from incidents.selectors import incident_visible_queryset
from oncall.access import is_admin
from oncall.alerts.selectors import alert_list
from oncall.forms import WebForm
from postmortems import services as postmortem_services
from postmortems.models import ReportFormat
from postmortems.reports import charts, humanize, metrics, people, selectors, story
from postmortems.reports import services as report_services
from postmortems.reports.metrics import Period
from postmortems.reports.models import ReportPackJob
from postmortems.reports.params import (
    parse_report_params,
    previous_quarter,
    quarter_of,
    quarter_period,
)

PRESETS = {
    "this_quarter": "This quarter (so far)",
    "last_quarter": "Last quarter",
    "last4": "Last 4 quarters",
    "ytd": "Year to date",
    "last30": "Last 30 days",
    "quarter": "A quarter …",
    "custom": "From … to",
}
FILTER_KEYS = ("preset", "quarter", "from", "to", "team", "service", "severity")

# Which incidents stand behind a figure (the "which" parameter of the incidents page).
WHICH = {
    "all": ("All incidents counted", None),
    "mttr_missing": ("Missing mitigated_at (not in MTTR)", "mitigated_at"),
    "mtta_missing": ("Missing acknowledged_at (not in MTTA)", "acknowledged_at"),
    "resolve_missing": ("Missing resolved_at", "resolved_at"),
}


def _preset_period(preset: str, now) -> tuple[Period, str] | None:
    """The period of a calendar preset and the label of the period before it (or None)."""
    this = quarter_of(now)
    if preset == "this_quarter":
        return quarter_period(this), previous_quarter(this)
    if preset == "last_quarter":
        last = previous_quarter(this)
        return quarter_period(last), previous_quarter(last)
    if preset == "last4":
        first = previous_quarter(previous_quarter(previous_quarter(this)))
        return Period(
            quarter_period(first).start, quarter_period(this).end
        ), "the 4 quarters before"
    if preset == "ytd":
        start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        return Period(start, quarter_period(this).end), "the same stretch before"
    return None


def web_params(query) -> tuple[dict, list[str]]:
    """The filter form's values, and the period/scope they mean (or error messages)."""
    values = {key: query.get(key, "").strip() for key in FILTER_KEYS}
    values["preset"] = values["preset"] if values["preset"] in PRESETS else "last30"
    api_query = {key: values[key] for key in ("team", "service", "severity") if values[key]}
    errors: list[str] = []
    values["previous_label"] = "the previous period"
    preset = _preset_period(values["preset"], timezone.now())
    if preset is not None:
        period, values["previous_label"] = preset
        api_query.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
        if values["preset"] in ("this_quarter", "last_quarter"):
            values["quarter"] = quarter_of(period.start)
    elif values["preset"] == "quarter":
        values["quarter"] = values["quarter"] or quarter_of(timezone.now())
        try:
            period = quarter_period(values["quarter"])
        except ValueError as error:
            errors.append(str(error))
        else:
            api_query.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
            values["previous_label"] = previous_quarter(values["quarter"].upper())
    elif values["preset"] == "custom":
        api_query.update({key: values[key] for key in ("from", "to") if values[key]})
    try:
        values["period"], values["scope"] = parse_report_params(api_query)
    except ValidationError as error:
        for field, messages in flatten_errors(error.detail).items():
            errors.extend(f"{field}: {message}" for message in messages)
    values["query"] = urlencode({k: values[k] for k in FILTER_KEYS if values[k]})
    return values, errors


def _change(current, previous, kind: str, better: str | None = None) -> tuple[str, str]:
    text, verdict = humanize.change(current, previous, better=better, kind=kind)
    if text in ("no comparison", "no change"):
        return text, verdict
    return f"{text} vs. previous period", verdict


ALERTS_PAGE_SIZE = 50
# Chips listed on the page (flapping fingerprints, repeated actions): the worst ones; the rest
# are counted (a big quarter has thousands; the pack lists them all).
LISTED_CHIPS = 20


def _more(rows: list) -> str:
    """How many rows more than the chips shown ("1,234"), or "" when all are shown."""
    return humanize.count(len(rows) - LISTED_CHIPS) if len(rows) > LISTED_CHIPS else ""


def _cards(now: dict, before: dict, query: str) -> list[dict]:
    link = f"incidents/?{query}"

    def alerts(which: str) -> str:
        return f"alerts/?{query}&which={which}"

    def card(label, path, kind, link_to=link, note="", better="lower"):
        def pick(data):
            value = data
            for key in path:
                value = value[key]
            return value

        value, previous = pick(now), pick(before)
        shown = {"duration": humanize.duration, "percent": humanize.percent}.get(
            kind, humanize.count
        )(value)
        if value is None and path[0] == "mtbf":
            shown = "no failures"
        change, verdict = _change(value, previous, kind, better)
        return {
            "label": label,
            "value": shown,
            "change": change,
            "verdict": verdict,
            "link": link_to,
            "note": note,
        }

    def missing(key, which):
        stats = now[key]
        ongoing = stats.get("ongoing", 0)
        parts = [f"{stats['count']} measured"]
        if ongoing:
            parts.append(f"{ongoing} still ongoing")
        if stats["missing"] > ongoing or not ongoing:
            parts.append(f"{stats['missing'] - ongoing} missing data")
        return ", ".join(parts), f"{link}&which={which}"

    mttr_note, mttr_link = missing("mttr", "mttr_missing")
    mtta_note, mtta_link = missing("mtta", "mtta_missing")
    return [
        card("Incidents", ("incidents", "count"), "number"),
        card("MTTR (mean)", ("mttr", "mean_seconds"), "duration", mttr_link, mttr_note),
        card("MTTR median", ("mttr", "median_seconds"), "duration"),
        card("MTTR p90", ("mttr", "p90_seconds"), "duration"),
        card("MTTD (mean)", ("mttd", "mean_seconds"), "duration"),
        card("MTTA (mean)", ("mtta", "mean_seconds"), "duration", mtta_link, mtta_note),
        card("MTBF", ("mtbf", "seconds"), "duration", better="higher"),
        card("Downtime (merged)", ("mtbf", "downtime_seconds"), "duration"),
        card("Updates on time", ("updates", "on_time_rate"), "percent", better="higher"),
        card("Alerts fired", ("alerts", "fired"), "number", alerts("fired")),
        card("Alerts paged", ("alerts", "paged"), "number", alerts("paged")),
        card(
            "Actionable rate",
            ("alerts", "actionable_rate"),
            "percent",
            alerts("reviewed"),
            note=f"{now['alerts']['unreviewed']} alerts not reviewed",
            better="higher",
        ),  # fmt: skip
        # Interruptions are pages to people, not alerts: the per-person table is behind them.
        card("Interruptions", ("alerts", "interruptions"), "number", "#interruptions"),
        card(
            "Sleep-hour interruptions",
            ("alerts", "sleep_interruptions"),
            "number",
            "#interruptions",
        ),
        card(
            "Postmortem coverage",
            ("postmortems", "coverage"),
            "percent",
            note=f"{now['postmortems']['published']} of {now['postmortems']['required']} "
            "required published",
            better="higher",
        ),  # fmt: skip
        card("Action items on time", ("action_items", "on_time_rate"), "percent", better="higher"),
        card("Action items overdue", ("action_items", "overdue"), "number"),
    ]


class SubscriptionForm(WebForm):
    """Subscribe to the quarterly pack by e-mail. ``person`` and ``email`` are for admins."""

    id_prefix = "subscription"

    format = forms.ChoiceField(choices=ReportFormat.choices, initial=ReportFormat.PDF)
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, to_field_name="slug",
        empty_label="All teams",
    )  # fmt: skip
    service = forms.ModelChoiceField(
        queryset=Service.objects.order_by("name"), required=False, to_field_name="slug",
        empty_label="All services",
    )  # fmt: skip
    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False, to_field_name="username", empty_label="Me",
    )  # fmt: skip
    email = forms.EmailField(
        label="or e-mail address", required=False, help_text="Admins: someone without an account."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_admin(user):
            del self.fields["person"], self.fields["email"]


def _subscriptions_context(user, form: SubscriptionForm | None = None) -> dict:
    return {
        "subscriptions": postmortem_services.report_subscriptions_visible(user).order_by(
            "-created_at", "-pk"
        ),
        "subscription_form": form or SubscriptionForm(user=user),
    }


@login_required
@require_POST
def subscription_create(request):
    """Subscribe (oneself, or — admins — anyone) to the quarterly pack by e-mail."""
    form = SubscriptionForm(request.POST, user=request.user)
    back = reverse("postmortems:reports") + "#subscriptions"
    if form.is_valid():
        data = form.cleaned_data
        try:
            subscription = postmortem_services.report_subscription_create(
                user=request.user,
                fmt=data["format"],
                team=data["team"],
                service=data["service"],
                person=data.get("person"),
                email=data.get("email", ""),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"{subscription.recipient_email} gets the quarterly pack "
                f"({subscription.get_format_display()}, {subscription.scope_label}) on the first "
                "day of each quarter.",
            )
        return redirect(back)
    errors = "; ".join(
        f"{form.fields[field].label or field if field in form.fields else ''}: {' '.join(msgs)}"
        for field, msgs in form.errors.items()
    )
    messages.error(request, f"Not subscribed: {errors}")
    return redirect(back)


@login_required
@require_POST
def subscription_delete(request, pk: int):
    try:
        postmortem_services.report_subscription_delete(user=request.user, subscription_id=pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Unsubscribed from the quarterly pack.")
    return redirect(reverse("postmortems:reports") + "#subscriptions")


@login_required
@require_GET
def dashboard(request):
    values, errors = web_params(request.GET)
    context = {
        "values": values,
        "errors": errors,
        "presets": PRESETS,
        "teams": Team.objects.order_by("name"),
        "services": Service.objects.order_by("name"),
        "severities": Severity.choices,
        "charts": [(slug, title) for slug, (title, _) in charts.CHARTS.items()],
        **_subscriptions_context(request.user),
    }
    if errors:
        return render(request, "postmortems/reports/dashboard.html", context, status=400)
    period, scope = values["period"], values["scope"]
    current = selectors.report_summary(request.user, period, scope)
    # The calendar quarter before a quarter; otherwise the same length just before.
    before = period.previous()
    if values["quarter"] and values["preset"] in ("quarter", "this_quarter", "last_quarter"):
        before = Period(quarter_period(previous_quarter(values["quarter"])).start, period.start)
    previous = selectors.report_summary(request.user, before, scope, comparison=True)
    context.update(
        {
            "period": period,
            "summary": current,
            "story": story.sentences(current, previous, values["previous_label"]),
            "page_mtta": humanize.duration(current["alerts"]["mtta"]["mean_seconds"]),
            "measured_to": period.measured_end(timezone.now()),
            "people": [
                {**row, "hours_on_call_text": humanize.hours(row["hours_on_call"])}
                for row in people.people_health(
                    period, scope, per_person=current["alerts"]["per_person"]
                )
            ],
            # The quarter the period ends in (last 4 quarters, year to date: the latest one).
            "pack_quarter": values["quarter"]
            or quarter_of(period.measured_end(timezone.now()) - timedelta(microseconds=1)),
            "pack_formats": [
                ("pdf", "PDF"),
                ("xlsx", "XLSX"),
                ("csv", "CSV (zip)"),
                ("json", "JSON"),
            ],
            "cards": _cards(current, previous, values["query"]),
            "flapping": current["alerts"]["flapping"][:LISTED_CHIPS],
            "flapping_more": _more(current["alerts"]["flapping"]),
            "repeated": current["action_items"]["repeated"][:LISTED_CHIPS],
            "repeated_more": _more(current["action_items"]["repeated"]),
            "availability": [
                {
                    **row,
                    "downtime": humanize.duration(row["downtime_seconds"]),
                    "availability_text": humanize.percent(row["availability"], 2),
                    "slo_text": humanize.percent(row["slo_target"], 2),
                    "budget_text": humanize.percent(row["error_budget_used"]),
                }
                for row in current["availability"]
            ],
        }
    )
    return render(request, "postmortems/reports/dashboard.html", context)


@login_required
@require_GET
def incidents_behind(request):
    """The incidents behind a figure. Private incidents the person may not see are counted, not
    named: a row without number or title (they count in the figures)."""
    values, errors = web_params(request.GET)
    which = request.GET.get("which", "all")
    if which not in WHICH:
        errors.append(f"Unknown figure {which[:40]!r}; choose one of {', '.join(WHICH)}.")
    if errors:
        context = {"errors": errors, "values": values, "incidents": [], "title": "Incidents"}
        return render(request, "postmortems/reports/incidents.html", context, status=400)
    title, stamp = WHICH[which]
    incidents = metrics.incidents_in(values["period"], values["scope"])
    if stamp:
        incidents = incidents.filter(**{f"{stamp}__isnull": True})
    visible = set(
        incident_visible_queryset(request.user)
        .filter(pk__in=incidents.values("pk"))
        .values_list("pk", flat=True)
    )
    rows = [
        {"incident": incident, "visible": incident.pk in visible}
        for incident in incidents.order_by("started_at", "number")
    ]
    context = {"values": values, "incidents": rows, "title": title, "errors": []}
    return render(request, "postmortems/reports/incidents.html", context)


@login_required
@require_GET
def alerts_behind(request):
    """The alerts behind an alert figure (``which``; optionally one ``name`` or ``fingerprint``).
    Alerts of private incidents the person may not see count but are not listed."""
    values, errors = web_params(request.GET)
    which = request.GET.get("which", "fired")
    name = request.GET.get("name", "").strip()[:200]
    fingerprint = request.GET.get("fingerprint", "").strip()[:200]
    if which not in metrics.ALERT_FIGURES:
        errors.append(
            f"Unknown figure {which[:40]!r}; choose one of {', '.join(metrics.ALERT_FIGURES)}."
        )
    context = {"values": values, "errors": errors, "title": "Alerts", "page": None}
    if errors:
        return render(request, "postmortems/reports/alerts.html", context, status=400)
    title = metrics.ALERT_FIGURES[which][0]
    if name:
        title += f" named {name}"
    if fingerprint:
        title += f" with fingerprint {fingerprint}"
    counted = metrics.alerts_behind(
        values["period"], values["scope"], which, name=name, fingerprint=fingerprint
    )
    visible = alert_list(user=request.user).filter(pk__in=counted.values("pk"))
    total = counted.count()
    page = Paginator(visible.order_by("-fired_at", "-pk"), ALERTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    keep = {k: v for k, v in request.GET.items() if k != "page"}
    context.update(
        {
            "title": title,
            "page": page,
            "total": total,
            "hidden": total - page.paginator.count,
            "page_query": urlencode(keep),
        }
    )
    return render(request, "postmortems/reports/alerts.html", context)


@login_required
@require_GET
def chart(request, name: str):
    if name not in charts.CHARTS:
        raise Http404("No such chart.")
    values, errors = web_params(request.GET)
    if errors:
        return HttpResponse("; ".join(errors), status=400, content_type="text/plain")
    png = charts.CHARTS[name][1](values["period"], values["scope"])
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def pack(request):
    """Start the quarterly pack (or find it being made) and show its progress; the page polls
    itself until the download is ready (the same job as ``GET /api/v1/reports/quarterly/``)."""
    from postmortems.reports.api import QuarterlyParamsSerializer
    from postmortems.reports.params import ReportParamsSerializer

    query = {k: v for k, v in request.GET.items() if v != "" and k != "partial"}
    wanted = QuarterlyParamsSerializer(data=query)
    scope_params = ReportParamsSerializer(
        data={k: query[k] for k in ("team", "service", "severity") if k in query}
    )
    valid = [wanted.is_valid(), scope_params.is_valid()]  # both, to report every error
    if not all(valid):
        errors = [
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in {**wanted.errors, **scope_params.errors}.items()
        ]
        context = {"errors": errors, "job": None}
        return render(request, "postmortems/reports/pack.html", context, status=400)
    job = report_services.report_pack_request(
        user=request.user,
        quarter=wanted.validated_data["quarter"],
        fmt=wanted.validated_data["format"],
        scope=scope_params.validated_data["scope"],
    )
    context = {"job": job, "errors": [], "poll": f"{request.path}?{urlencode(query)}&partial=1"}
    if request.GET.get("partial"):
        return render(request, "postmortems/reports/_pack_progress.html", context)
    return render(request, "postmortems/reports/pack.html", context)


@login_required
@require_GET
def pack_download(request, pk: int):
    """A finished pack, to the person who asked for it (it lists what they may see)."""
    job = ReportPackJob.objects.filter(
        pk=pk, requested_by=request.user, status=ReportPackJob.Status.READY
    ).first()
    if job is None or not os.path.exists(job.path):
        raise Http404("No such pack, or it is not ready yet.")
    from postmortems.reports.pack import FORMATS

    return FileResponse(
        open(job.path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=job.file_name,
        content_type=FORMATS[job.format][0],
    )
