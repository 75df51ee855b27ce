"""Web form helpers shared by every capability (and by the incidents and postmortems apps):
the base form, the datetime-local widget, and showing a domain error on a form."""

from __future__ import annotations

from django import forms

from config.errors import ApplicationError


def show_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Put a service's error on the form: its message on top, field errors beside their fields.

    Field errors for fields the form does not have are only covered by the message on top.
    """
    form.add_error(None, exc.message)
    for field, messages in exc.field_errors.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, list(messages))


class WebForm(forms.Form):
    """Base for web forms: no colon after labels, and element ids unique on a page with many forms."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    """``<input type="datetime-local">``; Django reads it in the active (the viewer's) time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
