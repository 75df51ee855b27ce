"""Web routes for the weekly alert review."""

from django.urls import path

from oncall.review import answer_views, views

urlpatterns = [
    path("alerts/review/", views.review_page, name="alert-review"),
    path("alerts/review/group/", views.review_group, name="alert-review-group"),
    path("alerts/review/actionable/", views.review_mark, name="alert-review-mark"),
    path("alerts/review/decision/", views.review_decide, name="alert-review-decide"),
    path(
        "alerts/review/recipients/",
        views.review_recipients,
        name="alert-review-recipients",
    ),
    path("alerts/review/close/", views.review_close, name="alert-review-close"),
    # The inbox's inline answer (oncall.alerts posts here: a lower package cannot call review).
    path("alerts/<int:alert_id>/answer/", answer_views.alert_answer, name="alert-answer"),
]
