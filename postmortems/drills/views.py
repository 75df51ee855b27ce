"""Web views for drills: start one from a published postmortem, and the game master's page.

Thin: load through selectors, call one service per POST, then redirect (POST-redirect-GET). A
domain error is shown on the page with the service's status code.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import ApplicationError, PermissionDenied
from oncall.access import can_respond
from oncall.forms import show_application_error
from postmortems import selectors as postmortem_selectors
from postmortems.drills import selectors, services
from postmortems.drills.forms import DrillForm


@login_required
@require_GET
def drill_list(request):
    return render(
        request, "drills/drill_list.html", {"drills": selectors.drill_list_for(user=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def drill_new(request, postmortem_pk: int):
    postmortem = postmortem_selectors.postmortem_get(user=request.user, pk=postmortem_pk)
    if not can_respond(request.user):
        raise PermissionDenied("Only responders can run drills; your account can only read.")
    status = 200
    if request.method == "POST":
        form = DrillForm(request.POST, game_master=request.user)
        status = 400
        if form.is_valid():
            try:
                drill = services.drill_create(
                    user=request.user,
                    postmortem=postmortem,
                    trainee=form.cleaned_data["trainee"],
                )
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    f"Drill {drill.incident.reference} started; "
                    f"{drill.trainee.display_name} is its incident commander.",
                )
                return redirect("postmortems:drills:detail", pk=drill.pk)
    else:
        form = DrillForm(game_master=request.user)
    return render(
        request, "drills/drill_new.html", {"postmortem": postmortem, "form": form}, status=status
    )


def _detail_page(request, drill, *, status: int = 200, page_error: str = ""):
    return render(
        request,
        "drills/drill_detail.html",
        {
            "drill": drill,
            "incident": drill.incident,
            "steps": [
                {**step, "revealed": i < drill.revealed_steps}
                for i, step in enumerate(drill.scenario)
            ],
            "next_step": drill.scenario[drill.revealed_steps] if drill.steps_left else None,
            "page_error": page_error,
        },
        status=status,
    )


@login_required
@require_GET
def drill_detail(request, pk: int):
    return _detail_page(request, selectors.drill_get_for_game_master(user=request.user, pk=pk))


@login_required
@require_POST
def drill_reveal(request, pk: int):
    drill = selectors.drill_get_for_game_master(user=request.user, pk=pk)
    try:
        services.drill_reveal_next(user=request.user, drill=drill)
    except ApplicationError as exc:
        return _detail_page(request, drill, status=exc.status_code, page_error=exc.message)
    messages.success(request, "Step revealed on the drill's timeline.")
    return redirect("postmortems:drills:detail", pk=drill.pk)


@login_required
@require_POST
def drill_end(request, pk: int):
    drill = selectors.drill_get_for_game_master(user=request.user, pk=pk)
    try:
        services.drill_end(user=request.user, drill=drill)
    except ApplicationError as exc:
        return _detail_page(request, drill, status=exc.status_code, page_error=exc.message)
    messages.success(request, "Drill ended; its incident is resolved.")
    return redirect("postmortems:drills:detail", pk=drill.pk)
