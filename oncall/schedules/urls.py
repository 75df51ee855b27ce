"""Web routes for on-call schedules, overrides, swaps, hours and calendar feeds."""

from django.urls import path

from oncall.schedules import views

urlpatterns = [
    path("schedules/", views.schedule_list, name="schedule-list"),
    path("schedules/new/", views.schedule_create, name="schedule-create"),
    path("schedules/new/preview/", views.schedule_preview, name="schedule-preview"),
    path("schedules/hours/", views.hours_report, name="schedule-hours"),
    path("schedules/my-calendar/", views.my_feed, name="my-feed"),
    path("schedules/<slug:slug>/", views.schedule_detail, name="schedule-detail"),
    path("schedules/<slug:slug>/edit/", views.schedule_edit, name="schedule-edit"),
    path(
        "schedules/<slug:slug>/overrides/new/",
        views.override_create,
        name="override-create",
    ),
    path(
        "schedules/<slug:slug>/overrides/<int:override_id>/cancel/",
        views.override_cancel,
        name="override-cancel",
    ),
    path("schedules/<slug:slug>/swaps/new/", views.swap_create, name="swap-create"),
    path(
        "schedules/<slug:slug>/swaps/<int:swap_id>/cancel/",
        views.swap_cancel,
        name="swap-cancel",
    ),
    path(
        "schedules/<slug:slug>/people/<str:username>/promote/",
        views.participant_promote,
        name="participant-promote",
    ),
    path(
        "schedules/<slug:slug>/calendar-link/",
        views.schedule_feed_rotate,
        name="schedule-feed-rotate",
    ),
    # Secret iCal feeds for calendar apps: no session, the token in the URL is the credential.
    path("calendar/schedules/<str:token>.ics", views.schedule_feed, name="schedule-feed"),
    path("calendar/people/<str:token>.ics", views.person_feed, name="person-feed"),
]
