from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.api_router import urlpatterns as api_urlpatterns
from config.login_throttle import ThrottledAdminAuthenticationForm, ThrottledAuthenticationForm
from config.ops import views as ops_views

admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("", RedirectView.as_view(pattern_name="incidents:list", permanent=False)),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=ThrottledAuthenticationForm,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("oncall.urls")),
    path("incidents/", include("incidents.urls")),
    path("", include("postmortems.urls")),
    path("", include("postmortems.search.urls")),
    path("hooks/", include("oncall.webhook_urls")),
    path("slack/", include("incidents.slack.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "config.error_views.bad_request"
handler403 = "config.error_views.permission_denied"
handler404 = "config.error_views.page_not_found"
handler500 = "config.error_views.server_error"
