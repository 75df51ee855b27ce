"""Web forms for alerts and alert integrations. They only parse input; the rules live in
``oncall.alerts.services``."""

from __future__ import annotations

from django import forms
from django.core.validators import validate_slug

from oncall.alerts.models import Alert, Integration
from oncall.forms import WebForm


class AlertFilterForm(WebForm):
    """The GET form above the alert list. Every field is optional."""

    id_prefix = "filter"

    status = forms.ChoiceField(required=False, choices=[("", "Any"), *Alert.Status.choices])
    urgency = forms.ChoiceField(
        required=False,
        choices=[("", "Any")] + [(value, value.capitalize()) for value in Alert.Urgency.values],
    )
    service = forms.CharField(
        label="Service", required=False, max_length=100, validators=[validate_slug]
    )
    name = forms.CharField(label="Alert name", required=False, max_length=200)
    # Both set: list every firing of that one alert (integration, fingerprint), newest first.
    integration = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    fingerprint = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if bool(data.get("integration")) != bool(data.get("fingerprint")):
            raise forms.ValidationError("Give both the integration and the fingerprint.")
        return data

    def alert_key(self) -> tuple[int, str] | None:
        """(integration id, fingerprint) when one alert's firings are asked for; after is_valid()."""
        data = self.cleaned_data
        if data.get("integration") and data.get("fingerprint"):
            return data["integration"], data["fingerprint"]
        return None

    def filters(self) -> dict:
        """Keyword arguments for ``alert_list``; call only after ``is_valid()``."""
        data = self.cleaned_data
        return {
            "status": data["status"] or None,
            "urgency": data["urgency"] or None,
            "service_slug": data["service"] or None,
            "name_contains": data["name"].strip() or None,
        }


class IntegrationCreateForm(WebForm):
    id_prefix = "integration"

    kind = forms.ChoiceField(
        choices=Integration.Kind.choices, initial=Integration.Kind.ALERTMANAGER
    )
    name = forms.CharField(
        max_length=100, help_text="Which system sends, e.g. “Production Alertmanager”."
    )
    service = forms.CharField(
        label="Default service",
        required=False,
        max_length=100,
        help_text="Optional: the service slug for alerts that carry no service label.",
    )
    signing_secret = forms.CharField(
        label="Signing secret",
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=(
            "Optional, Grafana and PagerDuty only: the shared secret the sender signs requests "
            "with (Grafana's HMAC signature secret). It is never shown again."
        ),
    )


class IntegrationEnableForm(WebForm):
    """The enable/disable button: a hidden ``enabled`` of ``1`` or ``0``."""

    id_prefix = "enable"

    enabled = forms.TypedChoiceField(
        choices=[("1", "Enable"), ("0", "Disable")], coerce=lambda value: value == "1"
    )
