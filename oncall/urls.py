from django.urls import path

from oncall import views

app_name = "oncall"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notification_inbox, name="notifications"),
    path("notifications/read/", views.notification_read_all, name="notifications-read-all"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification-read",
    ),
]

# --- on-call schedules (oncall/schedule_views.py) -------------------------------------------------
from oncall import schedule_views  # noqa: E402

urlpatterns += [
    path("schedules/", schedule_views.schedule_list, name="schedule-list"),
    path("schedules/new/", schedule_views.schedule_create, name="schedule-create"),
    path("schedules/hours/", schedule_views.hours_report, name="schedule-hours"),
    path("schedules/my-calendar/", schedule_views.my_feed, name="my-feed"),
    path("schedules/<slug:slug>/", schedule_views.schedule_detail, name="schedule-detail"),
    path("schedules/<slug:slug>/edit/", schedule_views.schedule_edit, name="schedule-edit"),
    path(
        "schedules/<slug:slug>/overrides/new/",
        schedule_views.override_create,
        name="override-create",
    ),
    path(
        "schedules/<slug:slug>/overrides/<int:override_id>/cancel/",
        schedule_views.override_cancel,
        name="override-cancel",
    ),
    path("schedules/<slug:slug>/swaps/new/", schedule_views.swap_create, name="swap-create"),
    path(
        "schedules/<slug:slug>/swaps/<int:swap_id>/cancel/",
        schedule_views.swap_cancel,
        name="swap-cancel",
    ),
    path(
        "schedules/<slug:slug>/people/<str:username>/promote/",
        schedule_views.participant_promote,
        name="participant-promote",
    ),
    path(
        "schedules/<slug:slug>/calendar-link/",
        schedule_views.schedule_feed_rotate,
        name="schedule-feed-rotate",
    ),
    # Secret iCal feeds for calendar apps: no session, the token in the URL is the credential.
    path("calendar/schedules/<str:token>.ics", schedule_views.schedule_feed, name="schedule-feed"),
    path("calendar/people/<str:token>.ics", schedule_views.person_feed, name="person-feed"),
]

# --- alerts and alert integrations (oncall/alert_views.py) ---------------------------------------
from oncall import alert_views  # noqa: E402

urlpatterns += [
    path("alerts/", alert_views.alert_list_page, name="alert-list"),
    path("alerts/<int:alert_id>/", alert_views.alert_detail, name="alert-detail"),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        alert_views.alert_acknowledge,
        name="alert-acknowledge",
    ),
    path("integrations/", alert_views.integration_list_page, name="integration-list"),
    path(
        "integrations/<int:integration_id>/enabled/",
        alert_views.integration_enable,
        name="integration-enable",
    ),
    path(
        "integrations/<int:integration_id>/rotate-token/",
        alert_views.integration_rotate,
        name="integration-rotate",
    ),
]

# --- weekly alert review (oncall/review_views.py) ------------------------------------------------
from oncall import review_views  # noqa: E402

urlpatterns += [
    path("alerts/review/", review_views.review_page, name="alert-review"),
    path("alerts/review/actionable/", review_views.review_mark, name="alert-review-mark"),
    path("alerts/review/decision/", review_views.review_decide, name="alert-review-decide"),
    path(
        "alerts/review/recipients/",
        review_views.review_recipients,
        name="alert-review-recipients",
    ),
    path("alerts/review/close/", review_views.review_close, name="alert-review-close"),
]

# --- escalation policies and acknowledge links (oncall/escalation_views.py) ----------------------
# --- notification preferences (oncall/preference_views.py) ---------------------------------------
from oncall import escalation_views, preference_views  # noqa: E402

urlpatterns += [
    path(
        "profile/notifications/",
        preference_views.notification_preferences,
        name="notification-preferences",
    ),
    path("escalation-policies/", escalation_views.policy_list, name="escalation-policy-list"),
    path(
        "escalation-policies/new/",
        escalation_views.policy_create,
        name="escalation-policy-create",
    ),
    path(
        "escalation-policies/<slug:slug>/",
        escalation_views.policy_detail,
        name="escalation-policy-detail",
    ),
    path(
        "escalation-policies/<slug:slug>/edit/",
        escalation_views.policy_edit,
        name="escalation-policy-edit",
    ),
    # From a page's e-mail, without signing in: the signed token is the credential.
    path(
        "alerts/<int:alert_id>/ack/<str:token>/",
        escalation_views.alert_ack_link,
        name="alert-ack-link",
    ),
]
