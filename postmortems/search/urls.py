from django.urls import path

from postmortems import status_page
from postmortems.search import views

app_name = "knowledge"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("incidents/similar/", views.similar_partial, name="similar"),
    path("status/", status_page.status_page, name="status"),
    path("status/postmortems/<int:pk>/", status_page.public_postmortem, name="status-postmortem"),
    path("status/feed.atom", status_page.status_feed, name="status-feed"),
]
