"""Web pages for on-call schedules: who is on call now, the timeline, creating and editing (with
a three-month preview), overrides, swaps, the hours report and the secret iCal feeds.
Thin: parse, call, render. Who may manage which schedule: ``oncall.schedules.permissions``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.errors import ApplicationError, PermissionDenied
from oncall.access import is_admin
from oncall.forms import show_application_error
from oncall.people import selectors as people_selectors
from oncall.people.teams import service_entries
from oncall.schedules import permissions, selectors, services, shifts, timeline
from oncall.schedules.directory import people_directory
from oncall.schedules.exports import HOURS_DEFINITION, hours_csv, hours_records, shifts_calendar
from oncall.schedules.forms import HoursForm, OverrideForm, RotationForm, ScheduleForm, SwapForm
from oncall.schedules.models import CalendarFeed, Schedule, ScheduleOverride, ScheduleSwap
from oncall.schedules.rotations import continuous_runs
from oncall.schedules.shifts import FEED_BEHIND, VISIBLE_AHEAD

# The schedule page shows four weeks at a time (earlier/later move by four weeks); the preview
# while editing shows the next three months.
WINDOW_WEEKS = 4
PREVIEW_DAYS = 92
PREVIEW_MAX_SHIFTS = 400  # beyond this the preview shows fewer days (at least a week)


def _feed_url(request, name: str, token: str) -> str:
    return request.build_absolute_uri(reverse(name, args=[token]))


@login_required
def schedule_list(request):
    service = request.GET.get("service", "").strip()
    now = timezone.now()
    rows = selectors.oncall_for_service(service_slug=service, at=now)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "oncall/schedules/list.html",
        {
            "rows": rows,
            "service": service,
            "now": now,
            "may_create": permissions.may_create(request.user),
            "my_feed_url": _feed_url(request, "oncall:person-feed", feed.token) if feed else "",
        },
    )


def _first_day(request) -> date:
    raw = request.GET.get("from", "")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()
    # Far-off dates are typos (and would overflow the calendar's date arithmetic).
    return day if 2000 <= day.year <= 2200 else timezone.localdate()


def _require_manager(request, schedule: Schedule) -> None:
    if not permissions.may_manage(request.user, schedule):
        raise PermissionDenied(
            "Only admins and responders of the team that owns this schedule's service can "
            "change it."
        )


@login_required
def schedule_detail(request, slug):
    schedule = selectors.schedule_get(slug=slug)
    first_day = _first_day(request)
    monday = first_day - timedelta(days=first_day.weekday())
    now = timezone.now()
    tz = timezone.get_current_timezone()
    participants = shifts.current_participants(schedule)
    days = WINDOW_WEEKS * 7
    edges = timeline.window_edges(monday, days, tz)
    may_manage = permissions.may_manage(request.user, schedule)
    context = {
        "schedule": schedule,
        "now": now,
        "oncall": selectors.oncall_at(schedule=schedule, at=now),
        "timeline": timeline.build(
            shifts.effective_shifts(schedule, edges[0], edges[-1]),
            first_day=monday,
            days=days,
            tz=tz,
            people=[p.user for p in participants],
            now=now,
        ),
        "earlier": (monday - timedelta(weeks=WINDOW_WEEKS)).isoformat(),
        "later": (monday + timedelta(weeks=WINDOW_WEEKS)).isoformat(),
        "participants": participants,
        "history": selectors.schedule_history(schedule=schedule),
        "feed_url": _feed_url(request, "oncall:schedule-feed", schedule.feed_token),
        "may_edit": may_manage,
        "may_override": may_manage,
    }
    return render(request, "oncall/schedules/detail.html", context)


def _form_context(request, schedule=None) -> dict:
    """What the schedule form picks from: the people directory and the services this person
    may put a schedule on (every service for admins, their teams' services for responders)."""
    current = shifts.current_participants(schedule) if schedule is not None else []
    slugs = permissions.manageable_service_slugs(request.user)
    return {
        "directory": people_directory(now=timezone.now(), include_ids=[p.user.pk for p in current]),
        "current": current,
        "services": [s for s in service_entries() if slugs is None or s.slug in slugs],
        "current_service": schedule.service_slug if schedule is not None else "",
    }


def _preview(request, form: RotationForm) -> dict:
    """The next three months of the rotation on ``form`` (nothing saved), or what to fix."""
    if not form.is_valid():
        problems = [str(m) for errors in form.errors.values() for m in errors]
        return {"problems": problems}
    data = form.cleaned_data
    try:
        rotation = shifts.build_rotation(
            rotation=data["rotation"],
            timezone_name=data["timezone"],
            handoff_time=data["handoff_time"],
            start_date=data["start_date"],
            shift_hours=data["shift_hours"],
            participants=form.participant_inputs(),
        )
    except ApplicationError as exc:
        return {"problems": [exc.message]}
    tz = timezone.get_current_timezone()
    first_day = max(timezone.localdate(), data["start_date"])
    days = PREVIEW_DAYS
    edges = timeline.window_edges(first_day, days, tz)
    shifts_ahead = rotation.shifts(edges[0], edges[-1])
    if len(shifts_ahead) > PREVIEW_MAX_SHIFTS:
        # Very short shifts: three months would be thousands of slivers; show fewer days.
        days = max(7, PREVIEW_DAYS * PREVIEW_MAX_SHIFTS // len(shifts_ahead))
        edges = timeline.window_edges(first_day, days, tz)
        shifts_ahead = [s for s in shifts_ahead if s.start < edges[-1]]
    people = [p.user for p in form.participant_inputs()]
    return {
        "preview": timeline.build(
            shifts_ahead, first_day=first_day, days=days, tz=tz, people=people, show_covers=False
        ),
        "shortened": days < PREVIEW_DAYS,
        "nobody": not people,
    }


def _save_schedule(request, form: ScheduleForm, schedule=None):
    data = form.cleaned_data
    arguments = {
        "user": request.user,
        "name": data["name"],
        "timezone_name": data["timezone"],
        "rotation": data["rotation"],
        "handoff_time": data["handoff_time"],
        "start_date": data["start_date"],
        "participants": form.participant_inputs(),
        "shift_hours": data["shift_hours"],
        "service_slug": data["service_slug"],
        "description": data["description"],
    }
    if schedule is None:
        return services.schedule_create(slug=data["slug"], **arguments)
    return services.schedule_update(
        schedule=schedule, effective_from=data.get("effective_from"), **arguments
    )


def _new_initial(request) -> dict:
    """A new schedule starts in the creator's time zone, handing off at 09:00 next Monday."""
    today = timezone.localdate()
    return {
        "timezone": request.user.timezone,
        "handoff_time": time(9),
        "start_date": today + timedelta(days=7 - today.weekday()),
    }


def _schedule_form_page(request, schedule=None):
    """The create and edit pages: Save saves; Preview (without JavaScript) shows the next three
    months of the rotation under the form and saves nothing."""
    picks = _form_context(request, schedule)
    kwargs = {
        "editing": schedule is not None,
        "directory": picks["directory"],
        "current": picks["current"],
        "services": picks["services"],
        "current_service": picks["current_service"],
    }
    status = 200
    preview = {}
    if request.method == "POST":
        form = ScheduleForm(request.POST, **kwargs)
        if "preview" in request.POST:
            preview = _preview(request, form)
        elif form.is_valid():
            try:
                saved = _save_schedule(request, form, schedule)
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                verb = "created" if schedule is None else "saved"
                messages.success(request, f"Schedule {saved.name} {verb}.")
                return redirect("oncall:schedule-detail", slug=saved.slug)
        else:
            status = 400
    else:
        initial = (
            ScheduleForm.initial_for(schedule) if schedule is not None else _new_initial(request)
        )
        form = ScheduleForm(initial=initial, **kwargs)
    context = {"form": form, "schedule": schedule, "previewed": "preview" in request.POST}
    return render(request, "oncall/schedules/form.html", context | preview, status=status)


@login_required
def schedule_create(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied(
            "Only admins, and responders of a team that owns a service, can create on-call "
            "schedules."
        )
    return _schedule_form_page(request)


@login_required
def schedule_edit(request, slug):
    schedule = selectors.schedule_get(slug=slug)
    _require_manager(request, schedule)
    return _schedule_form_page(request, schedule)


@login_required
@require_POST
def schedule_preview(request):
    """The preview under the schedule form, fetched by its script as the rotation changes
    (``?editing=1`` from an existing schedule's form)."""
    if not permissions.may_create(request.user):
        raise PermissionDenied("Only people who can manage schedules preview them.")
    form = RotationForm(request.POST, directory=people_directory(now=timezone.now()))
    context = _preview(request, form) | {"editing": request.GET.get("editing") == "1"}
    return render(request, "oncall/schedules/_preview.html", context)


@login_required
@require_POST
def participant_promote(request, slug, username):
    schedule = selectors.schedule_get(slug=slug)
    person = people_selectors.user_by_username(username)
    if person is None:
        raise Http404("No such person.")
    try:
        services.participant_promote(user=request.user, schedule=schedule, person=person)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{person.display_name} can now be primary on {schedule.name}.")
    return redirect("oncall:schedule-detail", slug=schedule.slug)


@login_required
def override_create(request, slug):
    schedule = selectors.schedule_get(slug=slug)
    _require_manager(request, schedule)
    status = 200
    if request.method == "POST":
        form = OverrideForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.override_create(
                    user=request.user,
                    schedule=schedule,
                    layer=data["layer"],
                    covering_user=data["user"],
                    start=data["start"],
                    end=data["end"],
                    reason=data["reason"],
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    f"{data['user'].display_name} covers {data['layer']} on {schedule.name}.",
                )
                return redirect("oncall:schedule-detail", slug=schedule.slug)
    else:
        tomorrow = datetime.combine(timezone.localdate() + timedelta(days=1), time(9))
        form = OverrideForm(initial={"start": tomorrow, "end": tomorrow + timedelta(hours=8)})
    return render(
        request,
        "oncall/schedules/override_form.html",
        {"form": form, "schedule": schedule},
        status=status,
    )


@login_required
@require_POST
def override_cancel(request, slug, override_id):
    schedule = selectors.schedule_get(slug=slug)
    override = get_object_or_404(ScheduleOverride, pk=override_id, schedule=schedule)
    try:
        services.override_cancel(user=request.user, override=override)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Override cancelled.")
    return redirect("oncall:schedule-detail", slug=schedule.slug)


@login_required
def swap_create(request, slug):
    schedule = selectors.schedule_get(slug=slug)
    _require_manager(request, schedule)
    runs = shifts.upcoming_runs(schedule, now=timezone.now())
    status = 200
    form = SwapForm(request.POST or None, runs=runs)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.swap_create(user=request.user, schedule=schedule, **form.swap_arguments)
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Shifts swapped.")
                return redirect("oncall:schedule-detail", slug=schedule.slug)
    return render(
        request,
        "oncall/schedules/swap_form.html",
        {"form": form, "schedule": schedule},
        status=status,
    )


@login_required
@require_POST
def swap_cancel(request, slug, swap_id):
    schedule = selectors.schedule_get(slug=slug)
    swap = get_object_or_404(ScheduleSwap, pk=swap_id, schedule=schedule)
    try:
        services.swap_cancel(user=request.user, swap=swap)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Swap cancelled.")
    return redirect("oncall:schedule-detail", slug=schedule.slug)


@login_required
@require_POST
def schedule_feed_rotate(request, slug):
    schedule = selectors.schedule_get(slug=slug)
    services.schedule_feed_rotate(user=request.user, schedule=schedule)
    messages.success(request, "New calendar link made; the old one no longer works.")
    return redirect("oncall:schedule-detail", slug=schedule.slug)


@login_required
@require_POST
def my_feed(request):
    """Create (or, with ``rotate``, replace) the signed-in person's own calendar link."""
    if request.POST.get("rotate"):
        services.calendar_feed_rotate(user=request.user)
        messages.success(request, "New calendar link made; the old one no longer works.")
    else:
        services.calendar_feed_for(user=request.user)
    return redirect("oncall:schedule-list")


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0)), timezone.get_current_timezone())


@login_required
@require_GET
def hours_report(request):
    """On-call hours per person in METRICS.md buckets; admins see everyone, others themselves."""
    today = timezone.localdate()
    defaults = {"start": today.replace(day=1) - timedelta(days=1), "end": today.replace(day=1)}
    defaults["start"] = defaults["start"].replace(day=1)
    form = HoursForm(request.GET if "start" in request.GET else None, initial=defaults)
    rows = []
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else defaults | {"schedule": None}
        start, end = _local_day_start(data["start"]), _local_day_start(data["end"])
        schedules = [data["schedule"]] if data.get("schedule") else None
        person = None if is_admin(request.user) else request.user
        rows = shifts.hours_report(start=start, end=end, schedules=schedules, person=person)
        if request.GET.get("format") == "csv":
            response = HttpResponse(hours_csv(rows), content_type="text/csv; charset=utf-8")
            filename = f"oncall-hours-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    context = {
        "form": form,
        "records": hours_records(rows),
        "definition": HOURS_DEFINITION,
        "everyone": is_admin(request.user),
        "csv_query": request.GET.urlencode(),
    }
    return render(request, "oncall/schedules/hours.html", context, status=status)


def _calendar_response(title: str, pairs) -> HttpResponse:
    body = shifts_calendar(title=title, shifts=pairs, stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def schedule_feed(request, token):
    """The schedule's shifts as iCal, for calendar apps (no session: the token is the secret)."""
    schedule = selectors.schedule_by_feed_token(token)
    if schedule is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    runs = continuous_runs(
        shifts.effective_shifts(schedule, now - FEED_BEHIND, now + VISIBLE_AHEAD)
    )
    return _calendar_response(f"On call: {schedule.name}", [(schedule, run) for run in runs])


@require_GET
def person_feed(request, token):
    """One person's shifts on every schedule as iCal (no session: the token is the secret)."""
    feed = selectors.calendar_feed_by_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    pairs = shifts.person_shifts(feed.user, now - FEED_BEHIND, now + VISIBLE_AHEAD)
    return _calendar_response(f"My on-call shifts ({feed.user.display_name})", pairs)
