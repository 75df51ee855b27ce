"""Web views for incidents: thin — load through selectors, parse with a form, call one service.

A domain error (ApplicationError) from a service is shown on the form that caused it, with the
service's status code (400/403/404/409); success is announced with a message and a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.errors import ApplicationError, NotFound
from incidents import selectors, services
from incidents.forms import (
    DeclareForm,
    EditDetailsForm,
    FilterForm,
    HighlightForm,
    LinkAlertsForm,
    MitigateForm,
    NoteForm,
    ResolveForm,
    RoleAssignForm,
    RoleReleaseForm,
    SeverityForm,
    SnoozeForm,
    StatusForm,
    TaxonomyForm,
    TimestampsForm,
    UpdateForm,
    declare_initial_from_alerts,
    responders_by_name,
    show_application_error,
)
from incidents.models import (
    ACTIVE_STATUSES,
    SEVERITY_DESCRIPTIONS,
    TIMESTAMP_FIELDS,
    Incident,
    Role,
    Severity,
    Status,
)
from incidents.ui import incident_links, render_incident_panels
from oncall.access import can_respond, is_admin
from oncall.alerts.selectors import alert_list
from oncall.models import Alert

PAGE_SIZE = 50
UPDATES_SHOWN = 20  # the incident page lists the latest stakeholder updates, not all of them
READ_ONLY_MESSAGE = (
    "Only responders can declare incidents; your account can only read them. "
    "Ask an admin for the responder role."
)


def web_login_required(view):
    """``login_required``, except that an HTMX request gets a 401 that sends the page to login
    instead of swapping the login form into a fragment."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and request.headers.get("HX-Request"):
            current = urlsplit(request.headers.get("HX-Current-URL", "")).path or request.path
            response = HttpResponse("Your session has ended; please log in again.", status=401)
            response["HX-Redirect"] = f"{reverse('login')}?{urlencode({'next': current})}"
            return response
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def _detail_url(incident: Incident, anchor: str = "") -> str:
    url = reverse("incidents:detail", kwargs={"number": incident.number})
    return f"{url}#{anchor}" if anchor else url


# --- list and declare -----------------------------------------------------------------------


@login_required
@require_GET
def incident_list(request):
    form = FilterForm(request.GET)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        incidents = selectors.incident_list(
            user=request.user,
            status=data["status"] or None,
            severity=data["severity"] or None,
            kind=data["kind"] or None,
            service=data["service"] or None,
            active=True if data["active"] else None,
            query=data["q"] or None,
            trigger_category=data["trigger_category"] or None,
            tag=data["tag"] or None,
            factor=data["factor"] or None,
        )
    else:
        incidents = Incident.objects.none()
        status = 400
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/incident_list.html",
        {
            "form": form,
            "page": page,
            "filtered": any(request.GET.get(k) for k in form.fields),
            "taxonomy": selectors.taxonomy_counts(user=request.user),
        },
        status=status,
    )


def _chosen_alerts(user, raw_ids: list[str]) -> tuple[list[Alert], list[str]]:
    """The alerts named by ``raw_ids`` that this person may see (in the given order), and the
    ids that name no such alert (typos, deleted, or hidden by a private incident)."""
    wanted = list(dict.fromkeys(raw.strip() for raw in raw_ids if raw.strip()))
    numeric = [int(raw) for raw in wanted if raw.isascii() and raw.isdigit() and len(raw) < 19]
    found = {str(a.pk): a for a in alert_list(user=user).filter(pk__in=numeric)}
    missing = [raw for raw in wanted if raw not in found]
    return [found[raw] for raw in wanted if raw in found], missing


def _unknown_alerts_text(missing: list[str]) -> str:
    return (
        f"Unknown alert(s): {', '.join(m[:20] for m in missing)}. They do not exist or you may "
        "not see them; go back to the alerts page and choose again."
    )


@login_required
def incident_declare(request):
    """The declare form; ``?alerts=<id>&alerts=<id>`` (from the alerts page) pre-fills it from
    those alerts and links them when the incident is declared."""
    if not can_respond(request.user):
        return render(
            request, "error.html", {"message": READ_ONLY_MESSAGE, "status": 403}, status=403
        )
    status = 200
    alerts_error = ""
    if request.method == "POST":
        form = DeclareForm(request.POST)
        chosen_alerts, _ = _chosen_alerts(request.user, request.POST.getlist("alerts"))
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.incident_declare(
                    user=request.user,
                    title=data["title"],
                    severity=data["severity"],
                    summary=data["summary"],
                    kind=data["kind"],
                    trigger_category=data["trigger_category"],
                    services=list(data["services"]),
                    private=data["private"],
                    started_at=data["started_at"],
                    detected_at=data["detected_at"],
                    impact=data["impact"],
                    update_interval_minutes=data["update_interval_minutes"],
                    alert_ids=data["alerts"] or None,
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                linked = f" Linked {len(data['alerts'])} alert(s)." if data["alerts"] else ""
                messages.success(
                    request,
                    f"Declared {incident.reference}. You are the incident commander.{linked}",
                )
                return redirect(_detail_url(incident))
    else:
        chosen_alerts, missing = _chosen_alerts(request.user, request.GET.getlist("alerts"))
        if missing:
            alerts_error = _unknown_alerts_text(missing)
            status = 400
        initial = declare_initial_from_alerts(chosen_alerts) if chosen_alerts else None
        form = DeclareForm(initial=initial)
    # One open incident per alert: point at the one that already holds them (the service
    # refuses a second; saying so before the form is filled saves the work).
    open_incidents = (
        list(
            selectors.incident_visible_queryset(request.user)
            .filter(alerts__in=chosen_alerts, status__in=ACTIVE_STATUSES)
            .distinct()
            .order_by("number")
        )
        if chosen_alerts
        else []
    )
    return render(
        request,
        "incidents/incident_declare.html",
        {
            "form": form,
            "severity_descriptions": SEVERITY_DESCRIPTIONS,
            "chosen_alerts": chosen_alerts,
            "open_incidents": open_incidents,
            "earliest_alert_at": min((a.fired_at for a in chosen_alerts), default=None),
            "alerts_error": alerts_error,
        },
        status=status,
    )


# --- the incident page ----------------------------------------------------------------------


def _allowed_statuses(incident: Incident) -> list[tuple[str, str]]:
    allowed = services.ALLOWED_TRANSITIONS.get(incident.status, set())
    return [(value, label) for value, label in Status.choices if value in allowed]


def _acting_as_commander(user, roles) -> bool:
    commander = next(r for r in roles if r.role == Role.INCIDENT_COMMANDER)
    return is_admin(user) or any(u.pk == user.pk for u in commander.holders)


def _header_context(request, incident: Incident) -> dict:
    """What the header strip shows: who leads, how long it has lasted, what is due, where to go.

    Also rendered alone (out of band) when the live refresh brings new events.
    """
    roles = selectors.effective_roles(incident)
    by_role = {r.role: r for r in roles}
    can_write = can_respond(request.user)
    commands = can_write and _acting_as_commander(request.user, roles)
    now = timezone.now()
    allowed = _allowed_statuses(incident)
    return {
        "incident": incident,
        "roles": roles,
        "head_roles": [by_role[Role.INCIDENT_COMMANDER], by_role[Role.COMMUNICATIONS_LEAD]],
        "responders": list(responders_by_name()) if commands else [],
        "severity_choices": Severity.choices,
        # Resolving has its own form (it asks when impact ended); the rest are one click.
        "status_moves": [(v, label) for v, label in allowed if v != Status.RESOLVED],
        "commander_role": by_role[Role.INCIDENT_COMMANDER],
        "comms_role": by_role[Role.COMMUNICATIONS_LEAD],
        "commander": (by_role[Role.INCIDENT_COMMANDER].holders or [None])[0],
        "can_write": can_write,
        "can_assign_roles": commands,
        "seconds_since_start": int((now - incident.started_at).total_seconds()),
        "seconds_since_declared": int((now - incident.declared_at).total_seconds()),
        "impact_seconds": (
            int((incident.mitigated_at - incident.started_at).total_seconds())
            if incident.mitigated_at
            else None
        ),
        "seconds_until_next_update": selectors.seconds_until_next_update(incident),
        "allowed_statuses": allowed,
        "can_resolve": Status.RESOLVED in services.ALLOWED_TRANSITIONS.get(incident.status, ()),
        "can_mitigate": incident.is_active and incident.mitigated_at is None,
        "links": incident_links(request, incident),
    }


def _incident_page(
    request, incident: Incident, *, status: int = 200, page_error: str = "", **forms
):
    """Render the incident page; ``forms`` replace the blank forms (to show their errors).

    Bounded at any length of incident: the latest page of the timeline, the latest highlights.
    """
    # Loaded once for the header, the about card, the edit and taxonomy forms and their cards.
    prefetch_related_objects([incident], "services", "tags", "contributing_factors")
    header = _header_context(request, incident)
    page = selectors.timeline_page(incident)
    highlights, highlight_count = selectors.timeline_highlights(incident)
    updates = list(selectors.updates_for(incident)[:UPDATES_SHOWN])
    context = {
        **header,
        "timeline": page,
        "events": page.events,
        "event_count": incident.timeline.count(),
        "highlights": highlights,
        "highlight_count": highlight_count,
        "role_history": selectors.role_history(incident),
        "updates": updates,
        "update_count": (
            len(updates)
            if len(updates) < UPDATES_SHOWN
            else selectors.updates_for(incident).count()
        ),
        "timestamps": [(f, getattr(incident, f)) for f in TIMESTAMP_FIELDS],
        "can_edit_timestamps": header["can_assign_roles"],
        "page_error": page_error,
        "status_form": StatusForm(),
        "resolve_form": ResolveForm(),
        "mitigate_form": MitigateForm(),
        "role_form": RoleAssignForm(),
        "handoff_form": RoleAssignForm(),
        "timestamps_form": TimestampsForm(incident=incident),
        "update_form": UpdateForm(initial=UpdateForm.initial_for(incident)),
        "snooze_form": SnoozeForm(),
        "note_form": NoteForm(initial={"corrects": request.GET.get("corrects", "")[:20]}),
        "edit_form": EditDetailsForm(incident=incident),
        "taxonomy_form": TaxonomyForm(initial=TaxonomyForm.initial_for(incident)),
        "taxonomy_action": reverse("incidents:taxonomy", args=[incident.number]),
        "recurrences": selectors.incident_recurrences(incident, user=request.user),
        "severity_form": SeverityForm(initial={"severity": incident.severity}),
        "linked_alerts": selectors.linked_alerts(incident, user=request.user),
        "link_alerts_form": LinkAlertsForm(),
        # Cards that higher layers (postmortems) register in incidents.ui.
        "main_panels": render_incident_panels(request, incident, "main"),
        "side_panels": render_incident_panels(request, incident, "side"),
    }
    context.update(forms)
    return render(request, "incidents/incident_detail.html", context, status=status)


@login_required
@require_GET
def incident_detail(request, number: int):
    incident = selectors.incident_get(user=request.user, number=number)
    return _incident_page(request, incident)


def _cursor(request, name: str) -> int | None:
    """A timeline cursor (an event id) from the query string; junk counts as absent."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None


@web_login_required
@require_GET
def incident_timeline(request, number: int):
    """The live timeline, polled by HTMX every few seconds.

    ``?after=<id>``: only events newer than that one — nothing new is an empty 204, so a viewer
    costs a few hundred bytes per poll however long the incident; new events come with a fresh
    poller (the next cursor), the header and the countdown, swapped in out of band.
    ``?before=<id>``: the next older page (loaded on demand). No cursor: the latest page.
    """
    incident = selectors.incident_get(user=request.user, number=number)
    after = _cursor(request, "after")
    if after is not None:
        # Bounded like a page: a poller far behind gets the latest events, then reloads older.
        new = list(
            selectors.timeline_for(incident)
            .filter(pk__gt=after)
            .order_by("-id")[: selectors.TIMELINE_PAGE_SIZE]
        )
        if not new:
            return HttpResponse(status=204)
        return render(
            request,
            "incidents/_timeline_new.html",
            {
                **_header_context(request, incident),
                "events": sorted(new, key=lambda e: (e.occurred_at, e.pk), reverse=True),
                "newest_id": new[0].pk,
            },
        )
    before = _cursor(request, "before")
    if before is not None:
        page = selectors.timeline_page(incident, before_id=before)
        return render(
            request,
            "incidents/_timeline_older.html",
            {"incident": incident, "timeline": page, "can_write": can_respond(request.user)},
        )
    return _timeline_fragment(request, incident)


def _timeline_fragment(request, incident: Incident, *, status: int = 200):
    page = selectors.timeline_page(incident)
    return render(
        request,
        "incidents/_timeline.html",
        {
            "incident": incident,
            "timeline": page,
            "events": page.events,
            "can_write": can_respond(request.user),
            "seconds_until_next_update": selectors.seconds_until_next_update(incident),
            "oob": True,
        },
        status=status,
    )


@web_login_required
@require_GET
def timeline_search(request, number: int):
    """Options for the note form's "corrects" picker: events matching what was typed."""
    incident = selectors.incident_get(user=request.user, number=number)
    found = selectors.timeline_search(incident, request.GET.get("corrects", ""))
    return render(request, "incidents/_corrects_options.html", {"found": found})


def _incident_action(
    request,
    number: int,
    *,
    form_name: str,
    make_form: Callable[[Incident], object],
    call: Callable[[Incident, dict, object], str],
    anchor: str = "",
):
    """POST handler shared by the incident page's forms.

    ``call(incident, cleaned_data, form)`` calls exactly one service and returns the success
    message. Invalid input re-renders the page with the form's errors (400); a domain error does
    the same with the service's status code.
    """
    incident = selectors.incident_get(user=request.user, number=number)
    form = make_form(incident)
    if form.is_valid() and hasattr(form, "check_against"):
        form.check_against(incident)
    if not form.is_valid():
        return _incident_page(
            request,
            incident,
            status=400,
            page_error="Please correct the errors below.",
            **{form_name: form},
        )
    try:
        message = call(incident, form.cleaned_data, form)
    except ApplicationError as exc:
        message = show_application_error(form, exc)
        return _incident_page(
            request, incident, status=exc.status_code, page_error=message, **{form_name: form}
        )
    if message:
        messages.success(request, message)
    return redirect(_detail_url(incident, anchor))


@login_required
@require_POST
def incident_status(request, number: int):
    def call(incident, data, form):
        changed = services.incident_change_status(
            incident=incident, user=request.user, status=data["status"], note=data["note"]
        )
        return f"{changed.reference} is now {changed.get_status_display().lower()}."

    return _incident_action(
        request,
        number,
        form_name="status_form",
        make_form=lambda incident: StatusForm(request.POST),
        call=call,
    )


@login_required
@require_POST
def incident_resolve(request, number: int):
    def call(incident, data, form):
        ended = data["impact_ended_at"] if incident.mitigated_at is None else None
        changed = services.incident_change_status(
            incident=incident,
            user=request.user,
            status=Status.RESOLVED,
            note=data["note"],
            impact_ended_at=ended,
        )
        return (
            f"{changed.reference} is resolved. Post the all-clear to stakeholders: the composer "
            "is ready for it."
        )

    return _incident_action(
        request,
        number,
        form_name="resolve_form",
        make_form=lambda incident: ResolveForm(request.POST),
        call=call,
        anchor="compose",
    )


@login_required
@require_POST
def incident_mitigate(request, number: int):
    def call(incident, data, form):
        services.incident_mitigate(
            incident=incident, user=request.user, at=data["at"], note=data["note"]
        )
        return f"{incident.reference} is marked mitigated: update reminders have stopped."

    return _incident_action(
        request,
        number,
        form_name="mitigate_form",
        make_form=lambda incident: MitigateForm(request.POST),
        call=call,
    )


@login_required
@require_POST
def role_assign(request, number: int):
    def call(incident, data, form):
        assignment = services.role_assign(
            incident=incident, user=request.user, role=data["role"], assignee=data["user"]
        )
        return f"{assignment.user.display_name} is now {Role(assignment.role).label.lower()}."

    return _incident_action(
        request,
        number,
        form_name="role_form",
        make_form=lambda incident: RoleAssignForm(request.POST),
        call=call,
        anchor="roles",
    )


@login_required
@require_POST
def role_release(request, number: int):
    def call(incident, data, form):
        services.role_release(
            incident=incident, user=request.user, role=data["role"], assignee=data["user"]
        )
        return f"{data['user'].display_name} no longer holds the {Role(data['role']).label.lower()} role."

    return _incident_action(
        request,
        number,
        form_name="role_release_form",
        make_form=lambda incident: RoleReleaseForm(request.POST),
        call=call,
        anchor="roles",
    )


@login_required
@require_POST
def incident_timestamps(request, number: int):
    def call(incident, data, form):
        changes = form.changes(incident)
        if not changes:
            return "No timestamp changed."
        services.incident_update(
            incident=incident, user=request.user, changes=changes, reason=data["reason"]
        )
        return f"Timestamps corrected: {', '.join(f.removesuffix('_at') for f in changes)}."

    return _incident_action(
        request,
        number,
        form_name="timestamps_form",
        make_form=lambda incident: TimestampsForm(request.POST, incident=incident),
        call=call,
        anchor="timestamps",
    )


@login_required
@require_POST
def incident_edit_details(request, number: int):
    def call(incident, data, form):
        changes = form.changes()
        if not changes:
            return "Nothing changed."
        updated = services.incident_update(
            incident=incident, user=request.user, changes=changes, reason=data["reason"]
        )
        return f"{updated.reference} updated: {', '.join(form.changed_labels(changes))}."

    return _incident_action(
        request,
        number,
        form_name="edit_form",
        make_form=lambda incident: EditDetailsForm(request.POST, incident=incident),
        call=call,
    )


@login_required
@require_POST
def incident_taxonomy(request, number: int):
    def call(incident, data, form):
        changed = services.incident_taxonomy_update(
            incident=incident, user=request.user, reason=data["reason"], **form.lists()
        )
        if not changed:
            return "Nothing changed."
        labels = {"tags": "tags", "contributing_factors": "contributing factors"}
        return f"{incident.reference} updated: {', '.join(labels[f] for f in changed)}."

    return _incident_action(
        request,
        number,
        form_name="taxonomy_form",
        make_form=lambda incident: TaxonomyForm(request.POST),
        call=call,
        anchor="taxonomy",
    )


@login_required
@require_POST
def incident_severity(request, number: int):
    def call(incident, data, form):
        if data["severity"] == incident.severity:
            return f"{incident.reference} is already {incident.severity}."
        updated = services.incident_update(
            incident=incident,
            user=request.user,
            changes={"severity": data["severity"]},
            reason=data["reason"],
        )
        return f"{updated.reference} is now {updated.severity}."

    return _incident_action(
        request,
        number,
        form_name="severity_form",
        make_form=lambda incident: SeverityForm(request.POST),
        call=call,
    )


@login_required
@require_POST
def update_post(request, number: int):
    def call(incident, data, form):
        update = services.status_update_post(
            incident=incident,
            user=request.user,
            body=data["body"],
            audience=data["audience"],
            next_update_at=data["next_update_at"],
            kind=data["kind"],
            follow_up_expected=form.follow_up_value(),
            public_title=data["public_title"],
        )
        return f"Posted the {update.get_audience_display().lower()} {update.get_kind_display().lower()}."

    return _incident_action(
        request,
        number,
        form_name="update_form",
        make_form=lambda incident: UpdateForm(request.POST),
        call=call,
        anchor="updates",
    )


@login_required
@require_POST
def reminders_snooze(request, number: int):
    def call(incident, data, form):
        services.reminders_snooze(incident=incident, user=request.user, minutes=data["minutes"])
        return f"Update reminders snoozed for {data['minutes']} minutes."

    return _incident_action(
        request,
        number,
        form_name="snooze_form",
        make_form=lambda incident: SnoozeForm(request.POST),
        call=call,
    )


@login_required
@require_POST
def note_add(request, number: int):
    def call(incident, data, form):
        corrects = form.corrected_event
        services.timeline_note_add(
            incident=incident,
            user=request.user,
            body=data["body"],
            occurred_at=data["occurred_at"],
            highlighted=data["highlighted"],
            corrects=corrects,
        )
        return "Correction added to the timeline." if corrects else "Note added to the timeline."

    return _incident_action(
        request,
        number,
        form_name="note_form",
        make_form=lambda incident: NoteForm(request.POST),
        call=call,
        anchor="timeline-section",
    )


@web_login_required
@require_POST
def event_highlight(request, number: int, event_id: int):
    """Toggle an event's highlight. HTMX gets the refreshed timeline; a plain form a redirect."""
    incident = selectors.incident_get(user=request.user, number=number)
    event = selectors.timeline_for(incident).filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such timeline event on this incident.")
    form = HighlightForm(request.POST)
    form.is_valid()  # a lone checkbox: absent means "not highlighted"
    try:
        services.timeline_event_highlight(
            incident=incident,
            user=request.user,
            event=event,
            highlighted=bool(form.cleaned_data.get("highlighted")),
        )
    except ApplicationError as exc:
        if _is_htmx(request):
            return HttpResponse(exc.message, status=exc.status_code)
        return _incident_page(request, incident, status=exc.status_code, page_error=exc.message)
    if _is_htmx(request):
        event.refresh_from_db(fields=["highlighted"])
        return render(
            request,
            "incidents/_event.html",
            {"incident": incident, "event": event, "can_write": True},
        )
    return redirect(_detail_url(incident, f"event-{event.pk}"))


@login_required
@require_POST
def incident_link_alerts(request, number: int):
    def call(incident, data, form):
        linked = services.incident_link_alerts(
            incident=incident,
            user=request.user,
            alert_ids=data["alerts"],
            move_start=data["move_start"],
        )
        if not linked:
            return "Those alerts were already linked."
        names = ", ".join(dict.fromkeys(alert.name for alert in linked))
        return f"Linked {len(linked)} alert(s) to {incident.reference}: {names}."

    return _incident_action(
        request,
        number,
        form_name="link_alerts_form",
        make_form=lambda incident: LinkAlertsForm(request.POST),
        call=call,
        anchor="alerts",
    )
