"""Postmortem meetings: schedule one, its page, its calendar invite.

Thin: load through selectors (visibility), parse with a form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ApplicationError
from oncall.forms import show_application_error
from postmortems import forms, selectors, services
from postmortems.models import Meeting
from postmortems.rendering import render_document
from postmortems.views.documents import detail_page


@login_required
@require_POST
def meeting_add(request, pk: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_schedule(
                user=request.user, postmortem=postmortem, **form.cleaned_data
            )
        except ApplicationError as exc:
            show_application_error(form, exc)
            return detail_page(request, postmortem, status=exc.status_code, meeting_form=form)
        messages.success(request, "Meeting scheduled; attendees were sent the invite.")
        return redirect("postmortems:meeting", pk=postmortem.pk, meeting_id=meeting.pk)
    return detail_page(request, postmortem, status=400, meeting_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk: int, meeting_id: int):
    """Run the meeting: the agenda beside the postmortem, notes saved on it."""
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    meeting = selectors.meeting_get(postmortem, meeting_id)
    status = 200
    form = forms.NotesForm(meeting=meeting)
    if request.method == "POST":
        form = forms.NotesForm(request.POST, meeting=meeting)
        status = 400
        if form.is_valid():
            try:
                services.meeting_save_notes(
                    user=request.user, meeting=meeting, notes=form.notes_payload()
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Notes saved on the postmortem.")
                return redirect("postmortems:meeting", pk=postmortem.pk, meeting_id=meeting.pk)
    return render(
        request,
        "postmortems/meeting_detail.html",
        {
            "postmortem": postmortem,
            "meeting": meeting,
            "form": form,
            "doc": render_document(postmortem),
            "formal": meeting.format == Meeting.Format.FORMAL,
        },
        status=status,
    )


@login_required
@require_GET
def meeting_invite(request, pk: int, meeting_id: int):
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    meeting = selectors.meeting_get(postmortem, meeting_id)
    response = HttpResponse(
        services.meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="postmortem-review-{meeting.pk}.ics"'
    return response
