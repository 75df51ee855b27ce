"""Web forms for incidents. They only parse input; every rule lives in the services."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms

from config.errors import ApplicationError
from incidents.chronology import LABELS
from incidents.models import (
    TIMESTAMP_FIELDS,
    Incident,
    Kind,
    Role,
    Severity,
    StakeholderUpdate,
    Status,
    TriggerCategory,
)
from incidents.selectors import service_list, timeline_for
from incidents.services import update_interval_minutes
from incidents.services.taxonomy import FACTOR_MAX, TAG_MAX, lookup_name
from oncall.forms import DateTimeLocalInput, WebForm
from oncall.models import Alert
from oncall.people.selectors import active_responders

__all__ = [
    "DeclareForm",
    "EditDetailsForm",
    "FilterForm",
    "HighlightForm",
    "LinkAlertsForm",
    "MitigateForm",
    "NoteForm",
    "RoleAssignForm",
    "ResolveForm",
    "RoleReleaseForm",
    "SeverityForm",
    "SnoozeForm",
    "StatusForm",
    "TimestampsForm",
    "UpdateForm",
    "declare_initial_from_alerts",
    "responders_by_name",
    "show_application_error",
]

UPDATE_TEMPLATE = "What we know:\n\nWhat we are doing:\n\nNext update at:"
RESOLUTION_TEMPLATE = (
    "All clear: the service has recovered.\n\nImpact:\n\nWhat we did:\n\n"
    "A root-cause message will follow once we know more."
)
FOLLOW_UP_TEMPLATE = "Root cause:\n\nWhat we are changing so it does not happen again:"

_SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def in_user_words(message: str, form: forms.Form) -> str:
    """``message`` with every field name a service used (``follow_up_expected``) replaced by the
    label the person sees on ``form`` ("Follow-up expected?"), or by plain words."""

    def label(match: re.Match) -> str:
        name = match.group(0)
        field = form.fields.get(name)
        if field is not None and field.label:
            return f"“{str(field.label).rstrip('?')}”"
        return name.replace("_", " ")

    message = _SNAKE_CASE.sub(label, message)
    # "body is required." → "“Message” is required."
    first, _, rest = message.partition(" ")
    if first in form.fields and rest and form.fields[first].label:
        message = f"“{form.fields[first].label}” {rest}"
    return message


def show_application_error(form: forms.Form, exc: ApplicationError) -> str:
    """Put a service's error on the form in the person's words (see ``in_user_words``): its
    message on top, field errors beside their fields. Returns the message for the page."""
    message = in_user_words(exc.message, form)
    form.add_error(None, message)
    for field, errors in exc.field_errors.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, [in_user_words(str(e), form) for e in errors])
    return message


LOCAL_TIME_HELP = "In your time zone."


def _local_datetime(label: str, *, required: bool = False, help_text: str = LOCAL_TIME_HELP):
    return forms.DateTimeField(
        label=label, required=required, widget=DateTimeLocalInput(), help_text=help_text
    )


def _service_choices() -> list[tuple[str, str]]:
    return [(s.slug, s.name) for s in service_list()]


TEXT_MAX = 20_000
INTERVAL_MIN, INTERVAL_MAX = 1, 1440


def _multiline(value: str) -> str:
    """Browsers send textarea line breaks as CRLF; store and compare them as LF."""
    return (value or "").replace("\r\n", "\n")


def _update_interval_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Update interval (minutes)",
        required=False,
        min_value=INTERVAL_MIN,
        max_value=INTERVAL_MAX,
    )


def _severity_defaults_text() -> str:
    """``SEV1 15, SEV2 30, ...``: the interval each severity gets when none is set."""
    return ", ".join(
        f"{value} {update_interval_minutes(Incident(severity=value))}" for value in Severity.values
    )


class FilterForm(WebForm):
    """The GET form above the incident list. Every field is optional."""

    id_prefix = "filter"

    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(required=False)
    severity = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False)
    service = forms.ChoiceField(required=False)
    active = forms.BooleanField(label="Active only", required=False)
    trigger_category = forms.ChoiceField(label="Trigger", required=False)
    tag = forms.CharField(required=False, max_length=TAG_MAX * 2)
    factor = forms.CharField(label="Contributing factor", required=False, max_length=FACTOR_MAX * 2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", "Any")]
        self.fields["trigger_category"].choices = any_choice + list(TriggerCategory.choices)
        self.fields["status"].choices = any_choice + list(Status.choices)
        self.fields["severity"].choices = any_choice + list(Severity.choices)
        self.fields["kind"].choices = any_choice + list(Kind.choices)
        self.fields["service"].choices = any_choice + _service_choices()

    # Typed names are looked up as stored ("DNS " finds dns); one that cannot exist finds nothing.
    def clean_tag(self):
        return lookup_name(self.cleaned_data["tag"], "tags")

    def clean_factor(self):
        return lookup_name(self.cleaned_data["factor"], "contributing_factors")


# --- alert ids (declaring from alerts, linking alerts) ----------------------------------------

ALERT_ID_MAX = 2**63 - 1  # a PostgreSQL bigint; larger numbers name no alert


def parse_alert_ids(tokens: Iterable[str]) -> list[int]:
    """Alert ids typed or carried in the page, in order and without repeats.

    Raises ValidationError naming every token that is not a positive whole number.
    """
    ids: list[int] = []
    bad: list[str] = []
    for token in tokens:
        token = str(token).strip()
        if not token:
            continue
        if token.isascii() and token.isdigit() and 0 < int(token) <= ALERT_ID_MAX:
            ids.append(int(token))
        else:
            bad.append(token[:20])
    if bad:
        raise forms.ValidationError(
            "Alert ids are whole numbers, such as 42; not: %(bad)s.",
            code="invalid",
            params={"bad": ", ".join(repr(b) for b in bad)},
        )
    return list(dict.fromkeys(ids))


class AlertIdsField(forms.Field):
    """The alerts an incident is declared from: repeated hidden ``alerts`` inputs."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, (str, int)):
            value = [value]
        return parse_alert_ids(value)


def declare_initial_from_alerts(alerts: list[Alert]) -> dict:
    """The declare form's starting values for these alerts (at least one, in the chosen order).

    Title: the first alert's subject (summary, else name). Services: the alerts' services that
    exist. Severity: SEV2 when any alert is critical, else SEV3. The person can change them all.
    """
    first = alerts[0]
    known_services = {service.slug for service in service_list()}
    critical = any(alert.urgency == Alert.Urgency.CRITICAL for alert in alerts)
    return {
        "title": first.subject[: DeclareForm.base_fields["title"].max_length],
        "severity": Severity.SEV2 if critical else Severity.SEV3,
        "services": list(
            dict.fromkeys(a.service_slug for a in alerts if a.service_slug in known_services)
        ),
        "alerts": [alert.pk for alert in alerts],
    }


class DeclareForm(WebForm):
    id_prefix = "declare"

    title = forms.CharField(max_length=200, help_text="What is broken, as users see it.")
    severity = forms.ChoiceField(choices=Severity.choices, widget=forms.RadioSelect)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.INCIDENT)
    trigger_category = forms.ChoiceField(
        label="Trigger", choices=TriggerCategory.choices, initial=TriggerCategory.UNKNOWN
    )
    services = forms.MultipleChoiceField(
        required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    private = forms.BooleanField(
        required=False, help_text="Only members (role holders) and admins will see it."
    )
    started_at = _local_datetime(
        "Impact started", help_text="Optional, in your time zone. Defaults to detection."
    )
    detected_at = _local_datetime(
        "Detected", help_text="Optional, in your time zone. Defaults to now."
    )
    impact = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: who is affected, and how.",
    )
    update_interval_minutes = _update_interval_field()
    alerts = AlertIdsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = _service_choices()
        self.fields["update_interval_minutes"].help_text = (
            "Optional: minutes between stakeholder updates. Blank: the severity's default "
            f"({_severity_defaults_text()} minutes)."
        )

    def clean_summary(self) -> str:
        return _multiline(self.cleaned_data["summary"])

    def clean_impact(self) -> str:
        return _multiline(self.cleaned_data["impact"])


def _current_details(incident: Incident) -> dict:
    """The editable details as the edit form shows them (services as sorted slugs)."""
    return {
        "title": incident.title,
        "severity": incident.severity,
        "summary": _multiline(incident.summary),
        "impact": _multiline(incident.impact),
        "kind": incident.kind,
        "trigger_category": incident.trigger_category,
        "services": sorted(s.slug for s in incident.services.all()),
        "private": incident.private,
        "update_interval_minutes": incident.update_interval_minutes,
    }


class EditDetailsForm(WebForm):
    """An incident's details, pre-filled from ``incident``; ``changes()`` keeps only real edits.

    Precondition: ``incident`` is the row the person is editing (its values are the baseline).
    """

    id_prefix = "edit"
    DETAIL_FIELDS = (
        "title",
        "severity",
        "summary",
        "impact",
        "kind",
        "trigger_category",
        "services",
        "private",
        "update_interval_minutes",
    )

    title = forms.CharField(max_length=200, help_text="What is broken, as users see it.")
    severity = forms.ChoiceField(choices=Severity.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    impact = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who is affected, and how.",
    )
    kind = forms.ChoiceField(choices=Kind.choices)
    trigger_category = forms.ChoiceField(label="Trigger", choices=TriggerCategory.choices)
    services = forms.MultipleChoiceField(
        required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    private = forms.BooleanField(
        required=False, help_text="Only members (role holders) and admins will see it."
    )
    update_interval_minutes = _update_interval_field()
    reason = forms.CharField(
        required=False, max_length=500, help_text="Optional: why (goes on the timeline)."
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        self.incident = incident
        self.current = _current_details(incident)
        kwargs.setdefault("initial", self.current)
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = _service_choices()
        effective = update_interval_minutes(incident)
        source = (
            "set for this incident"
            if incident.update_interval_minutes
            else f"the {incident.severity} default"
        )
        self.fields["update_interval_minutes"].help_text = (
            f"Minutes between stakeholder updates. Now every {effective} minutes ({source}). "
            "Blank: the severity's default."
        )

    def clean_summary(self) -> str:
        return _multiline(self.cleaned_data["summary"])

    def clean_impact(self) -> str:
        return _multiline(self.cleaned_data["impact"])

    def changes(self) -> dict:
        """Only the details that differ from the incident's current values."""
        result = {}
        for field in self.DETAIL_FIELDS:
            new = self.cleaned_data.get(field)
            if field == "services":
                new = sorted(new or [])
            if new != self.current[field]:
                result[field] = new
        return result

    def changed_labels(self, changes: dict) -> list[str]:
        return [str(self[f].label).lower() for f in changes]


class SeverityForm(WebForm):
    """The quick severity change next to the status buttons."""

    id_prefix = "sev"

    severity = forms.ChoiceField(choices=Severity.choices)
    reason = forms.CharField(required=False, max_length=500)


class StatusForm(WebForm):
    id_prefix = "status"

    status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(required=False, max_length=2000)


class ResolveForm(WebForm):
    """Resolve: when the impact has no recorded end yet, ask when it ended (blank: now)."""

    id_prefix = "resolve"

    impact_ended_at = _local_datetime(
        "When did impact end?", help_text="In your time zone. Blank: now."
    )
    note = forms.CharField(required=False, max_length=2000)


class MitigateForm(WebForm):
    id_prefix = "mitigate"

    at = _local_datetime(
        "Impact ended at", help_text="Optional, in your time zone. Defaults to now."
    )
    note = forms.CharField(required=False, max_length=2000)


class _UserChoiceField(forms.ModelChoiceField):
    """People by the name everyone knows them by (their username only when they gave none)."""

    def label_from_instance(self, obj):
        return obj.display_name


def responders_by_name():
    """People who may hold a role (never viewers), in the order their names sort."""
    return active_responders().order_by("first_name", "last_name", "username")


class RoleAssignForm(WebForm):
    id_prefix = "role"

    role = forms.ChoiceField(choices=Role.choices, initial=Role.INCIDENT_COMMANDER)
    user = _UserChoiceField(label="Person", queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = responders_by_name()


class RoleReleaseForm(WebForm):
    id_prefix = "release"

    role = forms.ChoiceField(choices=Role.choices)
    user = _UserChoiceField(queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_responders()


class TimestampsForm(WebForm):
    """The seven METRICS.md timestamps, edited to the minute in the viewer's time zone."""

    id_prefix = "stamp"

    reason = forms.CharField(
        required=False, max_length=500, help_text="Why the correction (goes on the timeline)."
    )

    def __init__(self, *args, incident=None, **kwargs):
        if incident is not None:
            kwargs.setdefault("initial", {f: getattr(incident, f) for f in TIMESTAMP_FIELDS})
        super().__init__(*args, **kwargs)
        for field in TIMESTAMP_FIELDS:
            required = field in ("started_at", "detected_at", "declared_at")
            self.fields[field] = _local_datetime(LABELS[field].capitalize(), required=required)
        # Keep the stamps first and the reason last.
        self.order_fields([*TIMESTAMP_FIELDS, "reason"])

    def changes(self, incident) -> dict:
        """Only the stamps the person actually changed (inputs have minute precision)."""
        result = {}
        for field in TIMESTAMP_FIELDS:
            new = self.cleaned_data.get(field)
            old = getattr(incident, field)
            old_minute = old.replace(second=0, microsecond=0) if old else None
            if new != old_minute:
                result[field] = new
        return result


FOLLOW_UP_CHOICES = [("", "—"), ("yes", "Yes, a root-cause follow-up will come"), ("no", "No")]


class UpdateForm(WebForm):
    id_prefix = "update"

    kind = forms.ChoiceField(
        choices=StakeholderUpdate.UpdateKind.choices,
        initial=StakeholderUpdate.UpdateKind.UPDATE,
        widget=forms.RadioSelect,
    )
    audience = forms.ChoiceField(
        choices=StakeholderUpdate.Audience.choices, initial=StakeholderUpdate.Audience.INTERNAL
    )
    body = forms.CharField(
        label="Message", initial=UPDATE_TEMPLATE, widget=forms.Textarea(attrs={"rows": 7})
    )
    next_update_at = _local_datetime(
        "Next update at",
        help_text="Optional, in your time zone. Defaults to the incident's update interval.",
    )
    follow_up_expected = forms.ChoiceField(
        label="Follow-up expected?",
        choices=FOLLOW_UP_CHOICES,
        required=False,
        help_text="Required for an all-clear message.",
    )
    public_title = forms.CharField(
        label="Public title",
        max_length=200,
        required=False,
        help_text="For customers only: what the status page calls this incident. Default: the "
        "incident's title when first published, then the title already published.",
    )

    @staticmethod
    def initial_for(incident: Incident) -> dict:
        """Once the incident is resolved, the composer starts on the message due next: the
        all-clear, then the root-cause follow-up. An incident already published on the status
        page keeps telling customers: its composer starts on the external audience."""
        initial: dict = {}
        audiences = set(incident.updates.values_list("audience", flat=True).distinct())
        if StakeholderUpdate.Audience.EXTERNAL in audiences:
            initial["audience"] = StakeholderUpdate.Audience.EXTERNAL
            initial["public_title"] = incident.public_title
        if incident.status not in (Status.RESOLVED, Status.CLOSED):
            return initial
        kinds = set(incident.updates.values_list("kind", flat=True).distinct())
        Kind = StakeholderUpdate.UpdateKind
        if Kind.RESOLUTION not in kinds:
            return initial | {"kind": Kind.RESOLUTION, "body": RESOLUTION_TEMPLATE}
        if Kind.FOLLOW_UP not in kinds:
            return initial | {"kind": Kind.FOLLOW_UP, "body": FOLLOW_UP_TEMPLATE}
        return initial

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        if lines and all(line.endswith(":") for line in lines):
            raise forms.ValidationError(
                "Write the update under the template's headings: they are still empty."
            )
        return body

    def follow_up_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("follow_up_expected") or "")


SNOOZE_CHOICES = [(10, "10 minutes"), (15, "15 minutes"), (30, "30 minutes"), (60, "1 hour")]


class SnoozeForm(WebForm):
    id_prefix = "snooze"

    minutes = forms.TypedChoiceField(choices=SNOOZE_CHOICES, coerce=int, initial=15)


class NoteForm(WebForm):
    """A note; ``corrects`` names an earlier event by number (``#42`` or ``42``), found through
    the picker's search rather than a list of every event."""

    id_prefix = "note"

    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    occurred_at = _local_datetime(
        "Happened at", help_text="Optional: back-date the note, in your time zone."
    )
    highlighted = forms.BooleanField(label="Highlight", required=False)
    corrects = forms.CharField(
        label="Corrects event",
        required=False,
        max_length=200,
        help_text="Optional: type the event's number or words from it (the original stays).",
    )

    def clean_corrects(self) -> int | None:
        text = self.cleaned_data["corrects"].strip().lstrip("#").split(" ", 1)[0]
        if not text:
            return None
        if not (text.isascii() and text.isdigit() and len(text) < 19):
            raise forms.ValidationError("Choose an event from the list, or type its number.")
        return int(text)

    def check_against(self, incident: Incident) -> None:
        """Precondition: valid. Keeps the event itself in ``corrected_event`` (None: no
        correction); an event of another incident is an error on the field."""
        self.corrected_event = None
        number = self.cleaned_data.get("corrects")
        if number is None:
            return
        self.corrected_event = timeline_for(incident).filter(pk=number).first()
        if self.corrected_event is None:
            self.add_error("corrects", f"There is no event #{number} on this timeline.")


class HighlightForm(WebForm):
    id_prefix = "highlight"

    highlighted = forms.BooleanField(required=False)


class LinkAlertsForm(WebForm):
    """Link more alerts to an incident by their ids (shown on the alerts page)."""

    id_prefix = "link"

    alerts = forms.CharField(
        label="Alert ids",
        max_length=2000,
        help_text="Numbers from the alerts page, separated by commas or spaces.",
    )

    move_start = forms.BooleanField(
        required=False,
        label="Yes, impact began when that alert fired: move the start back",
    )

    def clean_alerts(self) -> list[int]:
        return parse_alert_ids(re.split(r"[\s,]+", self.cleaned_data["alerts"]))


def _split_names(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace("\n", ",").split(",") if part.strip()]


class TaxonomyForm(WebForm):
    """Tags and contributing factors as comma-separated text; the service normalises them.

    Used on the incident page and on its postmortem's page (the same lists).
    """

    id_prefix = "taxonomy"

    tags = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Comma-separated, e.g. dns, tls-certificates. Spaces become hyphens.",
    )
    contributing_factors = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Comma-separated, e.g. missing alert, manual deploy.",
    )
    reason = forms.CharField(
        required=False, max_length=500, help_text="Optional: why (goes on the timeline)."
    )

    @staticmethod
    def initial_for(incident: Incident) -> dict:
        return {
            "tags": ", ".join(t.name for t in incident.tags.all()),
            "contributing_factors": ", ".join(f.name for f in incident.contributing_factors.all()),
        }

    def lists(self) -> dict[str, list[str]]:
        return {
            "tags": _split_names(self.cleaned_data["tags"]),
            "contributing_factors": _split_names(self.cleaned_data["contributing_factors"]),
        }
