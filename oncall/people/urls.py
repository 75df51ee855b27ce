"""Web routes for people: profile, notifications inbox, notification preferences."""

from django.urls import path

from oncall.people import preference_views, views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notification_inbox, name="notifications"),
    path("notifications/read/", views.notification_read_all, name="notifications-read-all"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification-read",
    ),
    path(
        "profile/notifications/",
        preference_views.notification_preferences,
        name="notification-preferences",
    ),
]
