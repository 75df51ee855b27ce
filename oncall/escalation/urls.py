"""Web routes for escalation policies and acknowledge links from a page."""

from django.urls import path

from oncall.escalation import views

urlpatterns = [
    path("escalation-policies/", views.policy_list, name="escalation-policy-list"),
    path(
        "escalation-policies/new/",
        views.policy_create,
        name="escalation-policy-create",
    ),
    path(
        "escalation-policies/<slug:slug>/",
        views.policy_detail,
        name="escalation-policy-detail",
    ),
    path(
        "escalation-policies/<slug:slug>/edit/",
        views.policy_edit,
        name="escalation-policy-edit",
    ),
    # From a page's e-mail, without signing in: the signed token is the credential.
    path(
        "alerts/<int:alert_id>/ack/<str:token>/",
        views.alert_ack_link,
        name="alert-ack-link",
    ),
]
