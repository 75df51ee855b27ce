"""Web pages of the knowledge base: search (instant results with HTMX) and similar incidents.

Thin: validate query parameters, call one selector, render. Visibility is applied by the
selectors, so a private incident contributes nothing for a non-member.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.errors import ValidationFailed
from incidents.models import Service, Severity, Team, TriggerCategory
from incidents.selectors import incident_get, taxonomy_counts
from incidents.views import web_login_required
from postmortems.search.models import SearchDocument
from postmortems.search.selectors import SearchFilters, search, search_filters_from
from postmortems.similar import similar_incidents, similar_to_incident

PAGE_SIZE = 20


@web_login_required
@require_GET
def search_page(request):
    """The search page; an HTMX request (typing in the box) gets only the results partial."""
    text = request.GET.get("q", "")[:500]
    error = ""
    try:
        filters = search_filters_from(request.GET)
        results = search(user=request.user, text=text, filters=filters, limit=PAGE_SIZE)
    except ValidationFailed as exc:
        filters, results, error = SearchFilters(), None, exc.message
    context = {
        "q": text,
        "params": request.GET,
        "results": results,
        "error": error,
        "types": SearchDocument.DocKind.choices,
        "severities": Severity.choices,
        "triggers": TriggerCategory.choices,
    }
    status = 400 if error else 200
    if request.headers.get("HX-Request"):
        return render(request, "knowledge/_search_results.html", context, status=status)
    # Tags and factors are free text: only those of incidents the user may see are offered.
    taxonomy = taxonomy_counts(user=request.user)
    context |= {
        "services": Service.objects.order_by("name"),
        "teams": Team.objects.order_by("name"),
        "tags": [row.value for row in taxonomy["tags"]],
        "factors": [row.value for row in taxonomy["contributing_factors"]],
    }
    return render(request, "knowledge/search.html", context, status=status)


@web_login_required
@require_GET
def similar_partial(request):
    """Similar past incidents: for what is being declared (``title``, ``services`` as typed), or
    for an existing incident (``incident`` number, from the postmortem editor; 404 if hidden)."""
    number = request.GET.get("incident", "")
    if number:
        # The postmortem editor: past incidents like the one being written up.
        incident = incident_get(
            user=request.user, number=int(number) if number.isdigit() and len(number) <= 9 else None
        )
        rows = similar_to_incident(user=request.user, incident=incident)
        return render(request, "knowledge/_similar_partial.html", {"similar": rows, "asked": True})
    title = request.GET.get("title", "")[:500]
    slugs = [s for s in request.GET.getlist("services") if s][:20]
    asked = bool(title.strip() or slugs)
    rows = similar_incidents(user=request.user, text=title, service_slugs=slugs) if asked else []
    return render(request, "knowledge/_similar_partial.html", {"similar": rows, "asked": asked})
