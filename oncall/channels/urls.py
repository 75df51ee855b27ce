"""Web routes for a person's contact methods."""

from django.urls import path

from oncall.channels import views

urlpatterns = [
    path("profile/contact-methods/", views.contact_methods, name="contact-methods"),
    path(
        "profile/contact-methods/<int:method_id>/delete/",
        views.contact_method_delete,
        name="contact-method-delete",
    ),
    path(
        "profile/contact-methods/<int:method_id>/up/",
        views.contact_method_up,
        name="contact-method-up",
    ),
]
