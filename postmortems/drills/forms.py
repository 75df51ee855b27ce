"""Web form for starting a drill. Shape only: the service decides who may take part."""

from __future__ import annotations

from django import forms

from oncall.forms import WebForm
from oncall.people.selectors import active_responders


class DrillForm(WebForm):
    id_prefix = "drill"
    trainee = forms.ModelChoiceField(
        queryset=None,
        label="Trainee",
        empty_label="Choose who practises",
        help_text="They become incident commander of the drill and respond on its incident page.",
    )

    def __init__(self, *args, game_master, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = active_responders().exclude(pk=game_master.pk)
        self.fields["trainee"].label_from_instance = lambda u: u.display_name
