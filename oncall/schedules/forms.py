"""Web forms for on-call schedules: the rotation, overrides, swaps and the hours report.

Forms only parse what a person typed; the services (oncall.schedules.services) decide what is allowed.
Date-times are read in the viewer's time zone (the middleware activates it).
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from oncall.forms import DateTimeLocalInput, WebForm
from oncall.people.models import timezone_choices
from oncall.schedules.models import Schedule, ShiftLayer
from oncall.schedules.shifts import ParticipantInput

NEW_MARKER = "new"


class ParticipantsField(forms.CharField):
    """One username per line, in rotation order; ``new`` after a name marks a new person."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *, site: int = 0, **kwargs):
        self.site = site
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value) or ""
        entries: list[tuple[str, bool]] = []
        problems = []
        for number, line in enumerate(text.splitlines(), start=1):
            words = line.split()
            if not words:
                continue
            flags = [w.lower() for w in words[1:]]
            if any(flag != NEW_MARKER for flag in flags):
                problems.append(f"Line {number}: write a username, optionally followed by “new”.")
                continue
            entries.append((words[0], NEW_MARKER in flags))
        if problems:
            raise forms.ValidationError(problems)
        usernames = [name for name, _ in entries]
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=usernames, is_active=True)
        }
        unknown = [name for name in usernames if name not in users]
        if unknown:
            raise forms.ValidationError(f"No active person with the username {', '.join(unknown)}.")
        return [ParticipantInput(users[name], new=new, site=self.site) for name, new in entries]


class ScheduleForm(WebForm):
    id_prefix = "schedule"

    name = forms.CharField(max_length=100)
    slug = forms.SlugField(
        max_length=100, help_text="Used in the page address, e.g. payments-primary."
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    service_slug = forms.SlugField(
        label="Service",
        required=False,
        max_length=100,
        help_text="The slug of the service this schedule covers.",
    )
    timezone = forms.ChoiceField(
        label="Time zone", help_text="Hand-offs follow this zone's wall clock."
    )
    rotation = forms.ChoiceField(choices=Schedule.Rotation.choices)
    handoff_time = forms.TimeField(
        label="Hand-off time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    start_date = forms.DateField(
        label="First hand-off",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Weekly rotations hand off on this weekday; "
        "a three-four split starts on a Monday.",
    )
    shift_hours = forms.IntegerField(
        label="Shift length (hours)",
        required=False,
        min_value=1,
        max_value=28 * 24,
        help_text="Custom rotations only.",
    )
    participants = ParticipantsField(
        label="People",
        help_text="One username per line, in order. Add “new” after a name for someone new on "
        "the rotation: they are secondary only, shadowing the person listed just before them.",
    )
    participants_site_b = ParticipantsField(
        site=1,
        label="People at the second site",
        help_text="Follow-the-sun only: they cover the second 12 hours.",
    )
    effective_from = forms.DateTimeField(
        label="Takes effect",
        required=False,
        widget=DateTimeLocalInput(),
        help_text="Leave empty for now. Shifts already worked never change.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
        if editing:
            del self.fields["slug"]
        else:
            del self.fields["effective_from"]

    def clean(self):
        data = super().clean()
        if data.get("rotation") != Schedule.Rotation.CUSTOM:
            data["shift_hours"] = None
        if data.get("rotation") != Schedule.Rotation.FOLLOW_THE_SUN and data.get(
            "participants_site_b"
        ):
            self.add_error(
                "participants_site_b", "Only follow-the-sun rotations have a second site."
            )
        return data

    def participant_inputs(self) -> list[ParticipantInput]:
        return [
            *self.cleaned_data.get("participants", []),
            *self.cleaned_data.get("participants_site_b", []),
        ]

    @staticmethod
    def initial_for(schedule: Schedule, participants: list[ParticipantInput]) -> dict:
        def lines(site: int) -> str:
            return "\n".join(
                p.user.username + (f" {NEW_MARKER}" if p.new else "")
                for p in participants
                if p.site == site
            )

        return {
            "name": schedule.name,
            "description": schedule.description,
            "service_slug": schedule.service_slug,
            "timezone": schedule.timezone,
            "rotation": schedule.rotation,
            "handoff_time": schedule.handoff_time,
            "start_date": schedule.start_date,
            "shift_hours": schedule.shift_hours,
            "participants": lines(0),
            "participants_site_b": lines(1),
        }


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("username")


class OverrideForm(WebForm):
    id_prefix = "override"

    layer = forms.ChoiceField(choices=ShiftLayer.choices, initial=ShiftLayer.PRIMARY)
    user = forms.ModelChoiceField(queryset=_people(), to_field_name="username", label="Who covers")
    start = forms.DateTimeField(widget=DateTimeLocalInput(), help_text="In your time zone.")
    end = forms.DateTimeField(widget=DateTimeLocalInput())
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people()
        self.fields["user"].label_from_instance = lambda u: u.display_name  # names, not usernames


def shift_choice_value(shift) -> str:
    return "|".join(
        [str(shift.layer), str(shift.person.pk), shift.start.isoformat(), shift.end.isoformat()]
    )


def shift_choice_label(shift) -> str:
    tz = timezone.get_current_timezone()
    start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
    return (
        f"{str(shift.layer).capitalize()} · {shift.person.username} · "
        f"{start:%a %d %b %H:%M} → {end:%a %d %b %H:%M %Z}"
    )


class SwapForm(WebForm):
    """Pick two upcoming shifts of the schedule; their holders exchange them."""

    id_prefix = "swap"

    first_shift = forms.ChoiceField(label="This shift")
    second_shift = forms.ChoiceField(label="is exchanged with")
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(shift_choice_value(r), shift_choice_label(r)) for r in runs]
        self.fields["first_shift"].choices = choices
        self.fields["second_shift"].choices = choices
        self._people_by_pk = {r.person.pk: r.person for r in runs}

    def _parse(self, value: str):
        layer, person_pk, start, end = value.split("|")
        return (
            layer,
            self._people_by_pk[int(person_pk)],
            datetime.fromisoformat(start),
            datetime.fromisoformat(end),
        )

    def clean(self):
        data = super().clean()
        if not data.get("first_shift") or not data.get("second_shift"):
            return data
        first_layer, first_user, first_start, first_end = self._parse(data["first_shift"])
        second_layer, second_user, second_start, second_end = self._parse(data["second_shift"])
        if first_layer != second_layer:
            self.add_error(
                "second_shift", "Swap two primary shifts or two secondary shifts, not one of each."
            )
            return data
        self.swap_arguments = {
            "layer": first_layer,
            "first_user": first_user,
            "first_start": first_start,
            "first_end": first_end,
            "second_user": second_user,
            "second_start": second_start,
            "second_end": second_end,
            "reason": data.get("reason", ""),
        }
        return data


class HoursForm(WebForm):
    id_prefix = "hours"

    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="Until (exclusive)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    schedule = forms.ModelChoiceField(
        queryset=Schedule.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All schedules",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end must be after the start.")
        if start and end and (end - start).days > 366:
            self.add_error("end", "Report at most one year at a time.")
        return data
