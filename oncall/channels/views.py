"""A person's contact methods page (/profile/contact-methods/): list in failover order, add,
remove, move up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.errors import ApplicationError
from oncall.channels.forms import ContactMethodForm
from oncall.channels.selectors import channel_kinds, contact_methods_for
from oncall.channels.services import (
    contact_method_add,
    contact_method_move_up,
    contact_method_remove,
)
from oncall.forms import show_application_error


@login_required
def contact_methods(request):
    status = 200
    form = ContactMethodForm()
    if request.method == "POST":
        form = ContactMethodForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                method = contact_method_add(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    address=form.cleaned_data["address"],
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Added {method.get_kind_display()}.")
                return redirect("oncall:contact-methods")
    context = {
        "form": form,
        "methods": contact_methods_for(request.user),
        "kinds": channel_kinds(),
    }
    return render(request, "oncall/channels/contact_methods.html", context, status=status)


@login_required
@require_POST
def contact_method_delete(request, method_id: int):
    contact_method_remove(user=request.user, method_id=method_id)
    messages.success(request, "Contact method removed.")
    return redirect("oncall:contact-methods")


@login_required
@require_POST
def contact_method_up(request, method_id: int):
    contact_method_move_up(user=request.user, method_id=method_id)
    return redirect("oncall:contact-methods")
