from django.urls import include, path

from postmortems import knowledge_views, views
from postmortems.reports import views as report_views

app_name = "postmortems"

urlpatterns = [
    path("postmortems/", views.postmortem_list, name="list"),
    path("postmortems/new/", views.postmortem_new, name="new"),
    path("postmortems/request/<int:number>/", views.postmortem_request, name="request"),
    path("postmortems/<int:pk>/", views.postmortem_detail, name="detail"),
    path(
        "postmortems/incident/<int:number>/action-items/",
        views.incident_action_item_add,
        name="incident-action-item-add",
    ),
    path("postmortems/<int:pk>/edit/", views.postmortem_edit, name="edit"),
    path("postmortems/<int:pk>/taxonomy/", knowledge_views.postmortem_taxonomy, name="taxonomy"),
    path("postmortems/<int:pk>/preview/", views.postmortem_preview, name="preview"),
    path("postmortems/<int:pk>/history/", views.postmortem_history, name="history"),
    path(
        "postmortems/<int:pk>/revisions/<int:revision_id>/", views.revision_detail, name="revision"
    ),
    path("postmortems/<int:pk>/submit/", views.postmortem_submit, name="submit"),
    path("postmortems/<int:pk>/review/", views.postmortem_review, name="review"),
    path("postmortems/<int:pk>/publish/", views.postmortem_publish, name="publish"),
    path("postmortems/<int:pk>/export/<str:fmt>/", views.postmortem_export, name="export"),
    path("postmortems/<int:pk>/action-items/", views.action_item_add, name="action-item-add"),
    path("postmortems/<int:pk>/meetings/", views.meeting_add, name="meeting-add"),
    path("postmortems/<int:pk>/meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path(
        "postmortems/<int:pk>/meetings/<int:meeting_id>/invite.ics",
        views.meeting_invite,
        name="meeting-invite",
    ),
    path("postmortem-templates/", views.template_list, name="templates"),
    path("postmortem-templates/new/", views.template_edit, name="template-new"),
    path("postmortem-templates/<slug:slug>/edit/", views.template_edit, name="template-edit"),
    path("action-items/", views.action_item_list, name="action-items"),
    path(
        "action-items/repeated/",
        knowledge_views.repeated_action_items,
        name="repeated-action-items",
    ),
    path("action-items/<int:pk>/", views.action_item_detail, name="action-item"),
    path("drills/", include("postmortems.drills.urls")),
    path("reports/", report_views.dashboard, name="reports"),
    path("reports/incidents/", report_views.incidents_behind, name="report-incidents"),
    path("reports/alerts/", report_views.alerts_behind, name="report-alerts"),
    path(
        "reports/subscriptions/",
        report_views.subscription_create,
        name="report-subscription-create",
    ),
    path(
        "reports/subscriptions/<int:pk>/delete/",
        report_views.subscription_delete,
        name="report-subscription-delete",
    ),
    path("reports/charts/<slug:name>.png", report_views.chart, name="report-chart"),
    path("reports/pack/", report_views.pack, name="report-pack"),
    path(
        "reports/pack/<int:pk>/download/", report_views.pack_download, name="report-pack-download"
    ),
]
