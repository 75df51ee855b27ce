from django.urls import path

from postmortems.drills import views

app_name = "drills"

urlpatterns = [
    path("", views.drill_list, name="list"),
    path("new/<int:postmortem_pk>/", views.drill_new, name="new"),
    path("<int:pk>/", views.drill_detail, name="detail"),
    path("<int:pk>/reveal/", views.drill_reveal, name="reveal"),
    path("<int:pk>/end/", views.drill_end, name="end"),
]
