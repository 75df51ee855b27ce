"""The form to add a contact method."""

from __future__ import annotations

from django import forms

from oncall.channels.models import ContactMethod
from oncall.forms import WebForm


class ContactMethodForm(WebForm):
    kind = forms.ChoiceField(label="Channel", choices=ContactMethod.Kind.choices)
    address = forms.CharField(
        label="Number, topic or URL",
        max_length=500,
        help_text="SMS and calls: your number in international form (+4915112345678). "
        "Push: your ntfy topic. Teams: your workflow's webhook URL.",
    )
