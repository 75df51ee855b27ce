"""Django's last-resort error views (``handler400`` … ``handler500`` in config/urls.py).

The API and the webhooks answer JSON whatever goes wrong — a body over Django's upload limit,
an unknown path, a crash — so a client never has to parse Django's HTML error page.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.views import defaults

from config.middleware import error_response, machine_client_path


def bad_request(request, exception, template_name="400.html"):
    if isinstance(exception, RequestDataTooBig):
        return error_response(
            request,
            413,
            "The request body is too large (at most 2.5 MB); send less in one request.",
            "too_large",
        )
    if machine_client_path(request.path):
        return error_response(request, 400, "The request could not be understood.", "bad_request")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception, template_name="403.html"):
    if machine_client_path(request.path):
        return error_response(
            request, 403, "You do not have permission to do that.", "permission_denied"
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception, template_name="404.html"):
    if machine_client_path(request.path):
        return error_response(request, 404, "There is nothing at this address.", "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request, template_name="500.html"):
    if machine_client_path(request.path):
        return error_response(
            request,
            500,
            "Something went wrong on our side; it has been logged. Try again shortly.",
            "server_error",
        )
    return defaults.server_error(request)
