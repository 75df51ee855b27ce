"""Web views for people: profile (time zone, Slack id, e-mail) and the notifications inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.errors import ApplicationError
from oncall.forms import show_application_error
from oncall.people.forms import ProfileForm
from oncall.people.selectors import failed_deliveries, notification_list
from oncall.people.services import notification_mark_read, user_update_profile


@login_required
def profile(request):
    user = request.user
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user_update_profile(
                    user=user,
                    timezone_name=data["timezone"],
                    slack_user_id=data["slack_user_id"],
                    email=data["email"],
                )
            except ApplicationError as exc:
                user.refresh_from_db()  # the service may have set attributes before failing
                show_application_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Profile saved. Times are shown in {user.timezone}.")
                return redirect("oncall:profile")
    else:
        form = ProfileForm(
            initial={
                "timezone": user.timezone,
                "slack_user_id": user.slack_user_id,
                "email": user.email,
            }
        )
    return render(request, "oncall/profile.html", {"form": form}, status=status)


@login_required
def notification_inbox(request):
    return render(
        request,
        "oncall/notifications.html",
        {
            "notifications": notification_list(user=request.user)[:200],
            "failed_deliveries": failed_deliveries(user=request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, notification_id: int):
    notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("oncall:notifications")


@login_required
@require_POST
def notification_read_all(request):
    changed = notification_mark_read(user=request.user)
    messages.success(
        request, f"Marked {changed} notification{'s' if changed != 1 else ''} as read."
    )
    return redirect("oncall:notifications")
