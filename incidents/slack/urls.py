from django.urls import path

from incidents.slack import views

app_name = "slack"

urlpatterns = [
    path("commands", views.slack_commands, name="commands"),
    path("events", views.slack_events, name="events"),
    path("interactivity", views.slack_interactivity, name="interactivity"),
]
