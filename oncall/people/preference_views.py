"""Web page for a person's own notification preferences (/profile/notifications/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from config.errors import ApplicationError
from oncall.forms import WebForm, show_application_error
from oncall.people.preferences import optional_transports, preference_for
from oncall.people.services import notification_preferences_update


class NotificationPreferenceForm(WebForm):
    high_transports = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="High urgency (pages) through",
        help_text="The web inbox is always used.",
    )
    low_transports = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Low urgency (reminders, digests) through",
    )
    quiet_hours_enabled = forms.BooleanField(
        required=False,
        label="Quiet hours",
        help_text="Low-urgency notifications wait until your quiet hours end; pages still come.",
    )
    quiet_start = forms.TimeField(
        required=False, label="Quiet from", widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        required=False, label="Quiet until", widget=forms.TimeInput(attrs={"type": "time"})
    )
    phone_number = forms.CharField(
        required=False,
        max_length=20,
        label="Phone number",
        help_text="International form, e.g. +4915112345678. Pages go by SMS or call only through your contact methods.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(t.name, t.label) for t in optional_transports()]
        self.fields["high_transports"].choices = choices
        self.fields["low_transports"].choices = choices


@login_required
def notification_preferences(request):
    user = request.user
    status = 200
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                notification_preferences_update(
                    user=user,
                    high_transports=data["high_transports"],
                    low_transports=data["low_transports"],
                    quiet_hours_enabled=data["quiet_hours_enabled"],
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                    phone_number=data["phone_number"],
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, "Notification preferences saved.")
                return redirect("oncall:notification-preferences")
    else:
        preference = preference_for(user)
        names = [t.name for t in optional_transports()]
        if preference is None:
            initial = {"high_transports": names, "low_transports": names}
        else:
            initial = {
                "high_transports": [
                    n for n in names if n not in preference.high_disabled_transports
                ],
                "low_transports": [n for n in names if n not in preference.low_disabled_transports],
                "quiet_hours_enabled": preference.quiet_hours_enabled,
                "quiet_start": preference.quiet_start,
                "quiet_end": preference.quiet_end,
                "phone_number": preference.phone_number,
            }
        form = NotificationPreferenceForm(initial=initial)
    return render(request, "oncall/notification_preferences.html", {"form": form}, status=status)
