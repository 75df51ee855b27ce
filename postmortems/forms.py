"""Web forms for postmortems, action items, meetings and templates. Shape only: services decide."""

from __future__ import annotations

from django import forms

from oncall.forms import DateTimeLocalInput, WebForm
from oncall.people.selectors import active_responders, active_users
from postmortems.models import ActionItem, Meeting, PostmortemTemplate, SectionPurpose, Visibility
from postmortems.services.meetings import FORMAL_KEYS, INFORMAL_KEYS

SECTION_PREFIX = "section__"


class CreateForm(WebForm):
    id_prefix = "create"
    incident = forms.ModelChoiceField(
        queryset=None, label="Incident", empty_label="Choose an incident"
    )
    template = forms.ModelChoiceField(
        queryset=PostmortemTemplate.objects.none(),
        label="Template",
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, incidents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = incidents
        self.fields["incident"].label_from_instance = lambda i: (
            f"{i.reference} {i.title} ({i.get_status_display()})"
        )
        self.fields["template"].queryset = PostmortemTemplate.objects.order_by("-built_in", "name")
        default = PostmortemTemplate.objects.filter(slug="real-world-sre").first()
        if default is not None:
            self.fields["template"].initial = default.pk


class EditForm(WebForm):
    """The editor: one textarea per section, plus the version it was loaded at (the lock)."""

    id_prefix = "edit"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(max_length=200)
    tags = forms.CharField(required=False, max_length=900, help_text="Comma-separated.")
    visibility = forms.ChoiceField(choices=Visibility.choices)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_list = list(sections)
        for section in self.section_list:
            self.fields[SECTION_PREFIX + section.key] = forms.CharField(
                label=section.title,
                required=False,
                strip=False,
                max_length=100_000,
                help_text=section.guidance,
                initial=section.body,
                widget=forms.Textarea(
                    attrs={
                        "rows": 8,
                        "data-section-key": section.key,
                        "class": "section-body",
                        "spellcheck": "true",
                    }
                ),
            )

    def section_fields(self):
        return [(s, self[SECTION_PREFIX + s.key]) for s in self.section_list]

    def section_payload(self) -> list[dict[str, str]]:
        return [
            {"key": s.key, "body": self.cleaned_data.get(SECTION_PREFIX + s.key) or ""}
            for s in self.section_list
        ]

    def tag_list(self) -> list[str]:
        return [t.strip() for t in (self.cleaned_data.get("tags") or "").split(",") if t.strip()]


class SubmitForm(WebForm):
    id_prefix = "submit"
    reviewers = forms.ModelMultipleChoiceField(
        queryset=None,
        help_text="One or two people who did not write it.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = active_responders().exclude(
            pk__in=[u.pk for u in exclude if u]
        )
        self.fields["reviewers"].label_from_instance = lambda u: u.display_name


class ReviewForm(WebForm):
    id_prefix = "review"
    decision = forms.ChoiceField(
        choices=[("approved", "Approve"), ("changes_requested", "Request changes")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000
    )
    acknowledge_warnings = forms.BooleanField(
        required=False, label="I have read the writing warnings above and accept the text as it is."
    )


class PublishForm(WebForm):
    id_prefix = "publish"
    visibility = forms.ChoiceField(choices=Visibility.choices)


class RequestForm(WebForm):
    id_prefix = "request"
    reason = forms.CharField(required=False, max_length=500, label="Why (optional)")


class ActionItemForm(WebForm):
    id_prefix = "item"
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=20_000
    )
    item_type = forms.ChoiceField(label="Type", choices=ActionItem.ItemType.choices)
    priority = forms.ChoiceField(
        choices=ActionItem.Priority.choices,
        initial=ActionItem.Priority.MEDIUM,
        help_text="Due date defaults to 28 / 56 / 90 days (high / medium / low).",
    )
    owner = forms.ModelChoiceField(queryset=None, required=False, empty_label="Unassigned")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tracker_url = forms.URLField(
        required=False,
        max_length=500,
        label="Tracker link",
        assume_scheme="https",
        help_text="Jira, GitHub or Linear issue URL.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()
        self.fields["owner"].label_from_instance = lambda u: u.display_name


class ActionItemStatusForm(WebForm):
    id_prefix = "status"
    status = forms.ChoiceField(choices=ActionItem.ItemStatus.choices)
    wont_do_reason = forms.CharField(
        required=False, max_length=2_000, label="Reason (for won't do)"
    )


class ActionItemFilterForm(forms.Form):
    view = forms.ChoiceField(
        choices=[("mine", "Mine"), ("team", "My teams'"), ("overdue", "Overdue"), ("all", "All")],
        required=False,
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ActionItem.ItemStatus.choices], required=False
    )


class MeetingForm(WebForm):
    id_prefix = "meeting"
    starts_at = forms.DateTimeField(label="Starts (your time zone)", widget=DateTimeLocalInput())
    duration_minutes = forms.IntegerField(min_value=15, max_value=480, initial=60, label="Minutes")
    location = forms.CharField(required=False, max_length=300, help_text="Room or video link.")
    format = forms.ChoiceField(choices=Meeting.Format.choices, initial=Meeting.Format.FORMAL)
    attendees = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = active_users()
        self.fields["attendees"].label_from_instance = lambda u: u.display_name


FORMAL_LABELS = {
    "timeline_summary": "Timeline summary",
    "root_cause": "Root cause",
    "questions": "Questions",
    "action_items": "Action items",
}
INFORMAL_LABELS = {
    "worked": "What worked",
    "did_not_work": "What didn't",
    "start": "Start doing",
    "stop": "Stop doing",
    "improve": "Improve",
}


class NotesForm(WebForm):
    """Formal: one field per agenda part. Informal: one field per attendee and question."""

    id_prefix = "notes"

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        notes = meeting.notes or {}
        textarea = {"rows": 3}
        if meeting.format == Meeting.Format.FORMAL:
            for key in FORMAL_KEYS:
                self.fields[key] = forms.CharField(
                    label=FORMAL_LABELS[key], required=False, strip=False, initial=notes.get(key, ""),
                    widget=forms.Textarea(attrs=textarea), max_length=20_000,
                )  # fmt: skip
        else:
            people = list(meeting.attendees.all())
            if meeting.facilitator and meeting.facilitator not in people:
                people.insert(0, meeting.facilitator)
            self.people = people
            for person in people:
                mine = notes.get(person.username, {})
                for key in INFORMAL_KEYS:
                    self.fields[f"{person.username}__{key}"] = forms.CharField(
                        label=f"{person.display_name}: {INFORMAL_LABELS[key]}", required=False, strip=False,
                        initial=mine.get(key, ""), widget=forms.Textarea(attrs={"rows": 2}), max_length=20_000,
                    )  # fmt: skip

    def notes_payload(self) -> dict:
        if self.meeting.format == Meeting.Format.FORMAL:
            return {key: self.cleaned_data.get(key, "") for key in FORMAL_KEYS}
        payload: dict[str, dict[str, str]] = {}
        for name, value in self.cleaned_data.items():
            username, key = name.rsplit("__", 1)
            payload.setdefault(username, {})[key] = value
        return payload


class TemplateForm(WebForm):
    id_prefix = "template"
    slug = forms.SlugField(
        max_length=64, help_text="Lowercase with hyphens, e.g. database-incident."
    )
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    preview_incident = forms.IntegerField(
        required=False,
        label="Preview against incident number",
        help_text="Shows the template filled in from INC-n.",
    )


class TemplateSectionForm(forms.Form):
    key = forms.CharField(max_length=64, help_text="e.g. root_cause")
    title = forms.CharField(max_length=120)
    purpose = forms.ChoiceField(choices=SectionPurpose.choices, initial=SectionPurpose.OTHER)
    guidance = forms.CharField(
        required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        required=False, strip=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 4})
    )


TemplateSectionFormSet = forms.formset_factory(
    TemplateSectionForm, extra=1, can_delete=True, max_num=30, validate_max=True
)
