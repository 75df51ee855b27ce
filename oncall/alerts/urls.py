"""Web routes for alerts and alert integrations (the webhooks are in ``webhook_urls``)."""

from django.urls import path

from oncall.alerts import views

urlpatterns = [
    path("alerts/", views.alert_list_page, name="alert-list"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert-detail"),
    path(
        "alerts/<int:alert_id>/acknowledge/",
        views.alert_acknowledge,
        name="alert-acknowledge",
    ),
    path("integrations/", views.integration_list_page, name="integration-list"),
    path(
        "integrations/<int:integration_id>/enabled/",
        views.integration_enable,
        name="integration-enable",
    ),
    path(
        "integrations/<int:integration_id>/rotate-token/",
        views.integration_rotate,
        name="integration-rotate",
    ),
]
