from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("declare/", views.incident_declare, name="declare"),
    path("<int:number>/", views.incident_detail, name="detail"),
    path("<int:number>/timeline/", views.incident_timeline, name="timeline"),
    path("<int:number>/timeline/search/", views.timeline_search, name="timeline-search"),
    path("<int:number>/status/", views.incident_status, name="status"),
    path("<int:number>/resolve/", views.incident_resolve, name="resolve"),
    path("<int:number>/mitigate/", views.incident_mitigate, name="mitigate"),
    path("<int:number>/roles/", views.role_assign, name="role-assign"),
    path("<int:number>/roles/release/", views.role_release, name="role-release"),
    path("<int:number>/timestamps/", views.incident_timestamps, name="timestamps"),
    path("<int:number>/details/", views.incident_edit_details, name="edit-details"),
    path("<int:number>/severity/", views.incident_severity, name="severity"),
    path("<int:number>/taxonomy/", views.incident_taxonomy, name="taxonomy"),
    path("<int:number>/updates/", views.update_post, name="update-post"),
    path("<int:number>/reminders/snooze/", views.reminders_snooze, name="snooze"),
    path("<int:number>/notes/", views.note_add, name="note-add"),
    path("<int:number>/alerts/", views.incident_link_alerts, name="link-alerts"),
    path(
        "<int:number>/events/<int:event_id>/highlight/",
        views.event_highlight,
        name="event-highlight",
    ),
]
