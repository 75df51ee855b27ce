"""Web pages for escalation policies (list, detail, create, edit) and the acknowledge link that
pages carry (works from an e-mail without signing in). Thin: parse, call a service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from config.errors import ApplicationError, PermissionDenied
from oncall.access import can_respond
from oncall.escalation.models import EscalationStep
from oncall.escalation.paging import ack_link_resolve, alert_acknowledge_by_link
from oncall.escalation.selectors import (
    effective_steps,
    escalation_policy_get,
    escalation_policy_list,
)
from oncall.escalation.services import (
    MAX_REPEATS,
    MAX_STEPS,
    StepInput,
    escalation_policy_create,
    escalation_policy_update,
)
from oncall.forms import WebForm, show_application_error
from oncall.schedules.models import Schedule

Target = EscalationStep.Target
STEP_WORDS = {
    "primary": Target.SCHEDULE_PRIMARY,
    "secondary": Target.SCHEDULE_SECONDARY,
    "person": Target.USER,
    "people": Target.USERS,
}
STEPS_HELP = (
    "One step per line: minutes to wait, then whom to page. "
    "“0 primary payments” pages the primary of the schedule payments at once; "
    "“10 secondary payments” its secondary 10 minutes later; "
    "“15 person ana”; “20 people ana,ben,dev” (e.g. a team)."
)


def steps_as_text(policy) -> str:
    words = {v: k for k, v in STEP_WORDS.items()}
    lines = []
    for step in policy.steps.all():
        if step.target in (Target.SCHEDULE_PRIMARY, Target.SCHEDULE_SECONDARY):
            what = step.schedule.slug if step.schedule else ""
        elif step.target == Target.USER:
            what = step.user.get_username() if step.user else ""
        else:
            what = ",".join(step.usernames)
        lines.append(f"{step.delay_minutes} {words[step.target]} {what}")
    return "\n".join(lines)


def parse_steps(text: str) -> list[StepInput]:
    """Steps from the form's text; forms.ValidationError naming the line on bad input."""
    steps = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_STEPS:
        raise forms.ValidationError(f"At most {MAX_STEPS} steps.")
    users = get_user_model().objects
    for number, line in enumerate(lines, start=1):
        parts = line.split(None, 2)
        if len(parts) != 3 or not parts[0].isdigit() or parts[1].lower() not in STEP_WORDS:
            raise forms.ValidationError(
                f"Line {number} (“{line[:60]}”): write minutes, then primary, secondary, person "
                "or people, then a schedule or username(s)."
            )
        delay, target, what = int(parts[0][:6]), STEP_WORDS[parts[1].lower()], parts[2].strip()
        if target in (Target.SCHEDULE_PRIMARY, Target.SCHEDULE_SECONDARY):
            schedule = Schedule.objects.filter(slug=what[:100]).first()
            if schedule is None:
                raise forms.ValidationError(f"Line {number}: there is no schedule {what[:60]!r}.")
            steps.append(StepInput(target=target, delay_minutes=delay, schedule=schedule))
        elif target == Target.USER:
            person = users.filter(username=what[:150], is_active=True).first()
            if person is None:
                raise forms.ValidationError(f"Line {number}: nobody is called {what[:60]!r}.")
            steps.append(StepInput(target=target, delay_minutes=delay, user=person))
        else:
            names = tuple(name.strip()[:150] for name in what.split(",") if name.strip())
            steps.append(StepInput(target=target, delay_minutes=delay, usernames=names))
    return steps


class PolicyForm(WebForm):
    name = forms.CharField(max_length=100)
    slug = forms.SlugField(max_length=100, help_text="Short name in addresses, e.g. payments.")
    service_slug = forms.SlugField(
        max_length=100,
        required=False,
        label="Service",
        help_text="Critical alerts for this service (its slug) page through this policy.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), help_text=STEPS_HELP)
    repeats = forms.IntegerField(
        min_value=0,
        max_value=MAX_REPEATS,
        initial=0,
        help_text="How many more times the whole policy runs while nobody acknowledges.",
    )
    repeat_after_minutes = forms.IntegerField(
        min_value=1,
        max_value=1440,
        initial=15,
        label="Repeat after (minutes)",
        help_text="Wait after the last step before the policy runs again.",
    )

    def clean_steps(self):
        return parse_steps(self.cleaned_data["steps"])


@login_required
def policy_list(request):
    return render(
        request,
        "oncall/escalation/list.html",
        {"policies": escalation_policy_list(), "may_edit": can_respond(request.user)},
    )


@login_required
def policy_detail(request, slug):
    policy = escalation_policy_get(slug=slug)
    now = timezone.now()
    steps = list(policy.steps.all())
    now_people = effective_steps(policy, now)
    collapsed = len(now_people) < len(steps)
    return render(
        request,
        "oncall/escalation/detail.html",
        {
            "policy": policy,
            "steps": steps,
            "now": now,
            "now_people": now_people,
            "collapsed": collapsed,
            "may_edit": can_respond(request.user),
        },
    )


@login_required
def policy_create(request):
    return _policy_form(request, None)


@login_required
def policy_edit(request, slug):
    return _policy_form(request, escalation_policy_get(slug=slug))


def _policy_form(request, policy):
    if not can_respond(request.user):
        raise PermissionDenied("Only responders and admins can change escalation policies.")
    status = 200
    if request.method == "POST":
        form = PolicyForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            arguments = {
                "user": request.user,
                "name": data["name"],
                "slug": data["slug"],
                "description": data["description"],
                "service_slug": data["service_slug"],
                "repeats": data["repeats"],
                "repeat_after_minutes": data["repeat_after_minutes"],
                "steps": data["steps"],
            }
            try:
                if policy is None:
                    saved = escalation_policy_create(**arguments)
                else:
                    saved = escalation_policy_update(policy=policy, **arguments)
            except ApplicationError as exc:
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Escalation policy {saved.name} saved.")
                return redirect("oncall:escalation-policy-detail", saved.slug)
    elif policy is not None:
        form = PolicyForm(
            initial={
                "name": policy.name,
                "slug": policy.slug,
                "service_slug": policy.service_slug,
                "description": policy.description,
                "steps": steps_as_text(policy),
                "repeats": policy.repeats,
                "repeat_after_minutes": policy.repeat_after_minutes,
            }
        )
    else:
        form = PolicyForm()
    return render(
        request, "oncall/escalation/form.html", {"form": form, "policy": policy}, status=status
    )


def alert_ack_link(request, alert_id: int, token: str):
    """The acknowledge link in a page. GET shows a confirm button (so mail scanners that follow
    links acknowledge nothing); POST acknowledges as the person the page was sent to.
    A wrong or expired token is a 400 page (ApplicationErrorMiddleware), nothing acknowledged."""
    alert, person = ack_link_resolve(alert_id=alert_id, token=token)
    if request.method == "POST":
        alert = alert_acknowledge_by_link(alert_id=alert_id, token=token)
        if alert.acknowledged_by_id == person.pk:
            messages.success(request, f"Acknowledged as {person.display_name}. Paging stopped.")
        else:  # the first acknowledgement stands
            messages.info(request, "Someone acknowledged this alert before you. Paging stopped.")
        return redirect(request.path)
    return render(request, "oncall/escalation/ack_link.html", {"alert": alert, "person": person})
