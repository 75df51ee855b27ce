"""Forms for a person's own profile."""

from __future__ import annotations

from django import forms

from oncall.forms import WebForm
from oncall.people.models import timezone_choices


class ProfileForm(WebForm):
    timezone = forms.ChoiceField(
        label="Time zone",
        help_text="Every time in Firebreak is shown to you in this zone.",
    )
    slack_user_id = forms.CharField(
        label="Slack user id",
        required=False,
        max_length=32,
        help_text="Your Slack member id, e.g. U024BE7LH (Profile → ⋮ → Copy member ID).",
    )
    email = forms.EmailField(label="E-mail", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
