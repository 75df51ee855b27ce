"""Web forms for on-call schedules: the rotation (people picked from the directory, the service
from a list), overrides, swaps and the hours report.

Forms only parse what a person typed; the services (oncall.schedules.services) decide what is allowed.
Date-times are read in the viewer's time zone (the middleware activates it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from oncall.forms import DateTimeLocalInput, WebForm
from oncall.people.models import timezone_choices
from oncall.schedules.directory import PersonEntry
from oncall.schedules.models import Schedule, ShiftLayer
from oncall.schedules.shifts import ParticipantInput

MAX_POSITION = 999


@dataclass(frozen=True)
class PickRow:
    """One person of the directory on the form: whether they are on the rotation, where, whether
    they only shadow (secondary only), and their follow-the-sun site."""

    entry: PersonEntry
    on: bool = False
    order: str = ""
    new: bool = False
    site: int = 0

    @property
    def prefix(self) -> str:
        return f"person-{self.entry.user.pk}"


class RotationForm(WebForm):
    """The rotation: its clock and the people on it, picked from the directory. Enough to
    preview the shifts it makes; ``ScheduleForm`` adds the name, the service and the rest.

    People are picked in the posted fields ``person-<id>-on`` (ticked), ``person-<id>-order``
    (position, 1 first; ticked people without a number follow in directory order),
    ``person-<id>-new`` (shadows: secondary only) and ``person-<id>-site`` (0 or 1).
    """

    id_prefix = "schedule"

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
    # Carries the picker's errors (the picker itself is the person-<id>-* inputs).
    participants = forms.CharField(required=False, widget=forms.HiddenInput, label="People")

    def __init__(self, *args, directory: Sequence[PersonEntry] = (), current=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
        self.directory = list(directory)
        self._index = {e.user.pk: i for i, e in enumerate(self.directory)}
        self._current = list(current)

    # --- the picker ---------------------------------------------------------------------------

    def pick_rows(self) -> list[PickRow]:
        """The directory as the form shows it: people on the rotation first, in order."""
        if self.is_bound:
            rows = [self._posted_row(e) for e in self.directory]
        else:
            by_user = {p.user.pk: (i, p) for i, p in enumerate(self._current)}
            rows = []
            for entry in self.directory:
                found = by_user.get(entry.user.pk)
                if found is None:
                    rows.append(PickRow(entry))
                else:
                    i, p = found
                    rows.append(PickRow(entry, True, str(i + 1), bool(p.new), int(p.site)))
        return sorted(rows, key=self._row_key)

    def _posted_row(self, entry: PersonEntry) -> PickRow:
        prefix = f"person-{entry.user.pk}"
        order = (self.data.get(f"{prefix}-order") or "").strip()
        return PickRow(
            entry,
            on=bool(self.data.get(f"{prefix}-on")) or bool(order),
            order=order,
            new=bool(self.data.get(f"{prefix}-new")),
            site=1 if self.data.get(f"{prefix}-site") == "1" else 0,
        )

    def _row_key(self, row: PickRow):
        index = self._index[row.entry.user.pk]
        position = int(row.order) if row.order.isdigit() else MAX_POSITION + 1
        return (not row.on, position, index)

    def _clean_people(self) -> list[ParticipantInput]:
        problems = []
        known = {e.user.pk for e in self.directory}
        for key in self.data:
            match = _PICK.fullmatch(key)
            if match and int(match.group(1)) not in known and self.data.get(key):
                problems.append(
                    "Someone you picked is no longer an active responder; pick again from the list."
                )
                break
        chosen = []
        for row in self.pick_rows():
            if not row.on:
                continue
            if row.order and not (row.order.isdigit() and 1 <= int(row.order) <= MAX_POSITION):
                problems.append(
                    f"Write the position of {row.entry.user.display_name} as a whole number from 1, "
                    f"not “{row.order}”."
                )
                continue
            chosen.append(ParticipantInput(row.entry.user, new=row.new, site=row.site))
        if problems:
            raise forms.ValidationError(problems)
        return chosen

    def clean(self):
        data = super().clean()
        if data.get("rotation") != Schedule.Rotation.CUSTOM:
            data["shift_hours"] = None
        try:
            people = self._clean_people()
        except forms.ValidationError as exc:
            self.add_error("participants", exc)
            people = []
        if data.get("rotation") != Schedule.Rotation.FOLLOW_THE_SUN:
            # Sites mean nothing to other rotations (the page hides the choice for them).
            people = [ParticipantInput(p.user, new=p.new, site=0) for p in people]
        self.people = people
        return data

    def participant_inputs(self) -> list[ParticipantInput]:
        return list(getattr(self, "people", []))


_PICK = re.compile(r"person-([0-9]+)-on")


class ScheduleForm(RotationForm):
    field_order = [
        "name",
        "slug",
        "service_slug",
        "description",
        "timezone",
        "rotation",
        "handoff_time",
        "start_date",
        "shift_hours",
        "effective_from",
    ]

    name = forms.CharField(max_length=100)
    slug = forms.SlugField(
        max_length=100, help_text="Used in the page address, e.g. payments-primary."
    )
    service_slug = forms.ChoiceField(
        label="Service",
        required=False,
        help_text="The service this schedule covers; its team manages the schedule.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_from = forms.DateTimeField(
        label="Takes effect",
        required=False,
        widget=DateTimeLocalInput(),
        help_text="Leave empty for now. Shifts already worked never change.",
    )

    def __init__(self, *args, editing: bool = False, services=(), current_service="", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(s.slug, s.label) for s in services]
        if current_service and current_service not in {slug for slug, _ in choices}:
            choices.append((current_service, f"{current_service} (kept as it is)"))
        self.fields["service_slug"].choices = [("", "— choose a service —"), *choices]
        if editing:
            del self.fields["slug"]
        else:
            del self.fields["effective_from"]

    def about_fields(self):
        return [
            self[n] for n in ("name", "slug", "service_slug", "description") if n in self.fields
        ]

    def rotation_fields(self):
        names = ("timezone", "rotation", "handoff_time", "start_date", "shift_hours")
        return [self[n] for n in (*names, "effective_from") if n in self.fields]

    @staticmethod
    def initial_for(schedule: Schedule) -> dict:
        return {
            "name": schedule.name,
            "description": schedule.description,
            "service_slug": schedule.service_slug,
            "timezone": schedule.timezone,
            "rotation": schedule.rotation,
            "handoff_time": schedule.handoff_time,
            "start_date": schedule.start_date,
            "shift_hours": schedule.shift_hours,
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
