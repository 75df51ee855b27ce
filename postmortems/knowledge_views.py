"""Knowledge-base views beside the postmortem pages: the incident's tags and contributing factors
edited from its postmortem, and the action items repeated across postmortems."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from config.errors import ApplicationError
from incidents.forms import TaxonomyForm
from incidents.services.taxonomy import LABELS
from oncall.forms import show_application_error
from postmortems import selectors, services
from postmortems.views.documents import detail_page, detail_url

GROUPS_PER_PAGE = 25


@login_required
@require_POST
def postmortem_taxonomy(request, pk: int):
    """The taxonomy card's form on the postmortem page (the incident's lists, one service call)."""
    postmortem = selectors.postmortem_get(user=request.user, pk=pk)
    form = TaxonomyForm(request.POST)
    if not form.is_valid():
        return detail_page(
            request,
            postmortem,
            status=400,
            page_error="Please correct the errors below.",
            taxonomy_form=form,
        )
    try:
        changed = services.postmortem_taxonomy_update(
            user=request.user,
            postmortem=postmortem,
            reason=form.cleaned_data["reason"],
            **form.lists(),
        )
    except ApplicationError as exc:
        show_application_error(form, exc)
        return detail_page(
            request, postmortem, status=exc.status_code, page_error=exc.message, taxonomy_form=form
        )
    if changed:
        messages.success(
            request,
            f"{postmortem.incident.reference} updated: {', '.join(LABELS[f] for f in changed)}.",
        )
    else:
        messages.info(request, "Nothing changed.")
    return redirect(detail_url(postmortem, "taxonomy"))


@login_required
@require_GET
def repeated_action_items(request):
    """Action items repeated across postmortems: the same fix asked for more than once."""
    repeats = selectors.repeated_action_item_list(user=request.user)
    page = Paginator(repeats, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    groups = selectors.repeated_action_item_groups(user=request.user, repeats=page)
    return render(
        request, "postmortems/repeated_action_items.html", {"page": page, "groups": groups}
    )
