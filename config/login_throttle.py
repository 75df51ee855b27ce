"""Brute-force protection for password log-in (the web log-in page and the admin's).

Failures are counted in the cache, per account (username, case-insensitive) and per client
address. Past either limit, log-in is refused — even with the right password — until
``FIREBREAK_LOGIN_LOCKOUT_MINUTES`` after the last failure. When the cache is unreachable the
counters degrade to "allow" (config.cache), so an outage never locks everyone out.
"""

from __future__ import annotations

import hashlib
import logging

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache

logger = logging.getLogger(__name__)

LOCKED_MESSAGE = (
    "Too many failed log-in attempts for this account or from your network. "
    "For your safety, log-in is paused for %(minutes)s minutes; try again later, or ask an "
    "admin to reset your password."
)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the entry a trusted proxy added to X-Forwarded-For.

    ``FIREBREAK_TRUSTED_PROXY_COUNT`` proxies (ingress, load balancer) sit in front of the web
    process; each appends the address it saw, so the client is that many entries from the end.
    """
    proxies = settings.FIREBREAK_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(request, username: str) -> list[tuple[str, int]]:
    account = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return [
        (f"login-failures:account:{account}", settings.FIREBREAK_LOGIN_FAILURES_PER_ACCOUNT),
        (
            f"login-failures:address:{client_address(request)}",
            settings.FIREBREAK_LOGIN_FAILURES_PER_ADDRESS,
        ),
    ]


def login_locked(request, username: str) -> bool:
    counts = cache.get_many([key for key, _ in _keys(request, username)])
    return any(counts.get(key, 0) >= limit for key, limit in _keys(request, username))


def login_failed(request, username: str) -> None:
    """Count one failure for the account and the address; each lock lasts from the last failure."""
    lockout = settings.FIREBREAK_LOGIN_LOCKOUT_MINUTES * 60
    for key, limit in _keys(request, username):
        cache.add(key, 0, lockout)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, lockout)
            count = 1
        cache.touch(key, lockout)
        if count == limit:
            logger.warning("log-in locked for %s after %s failures", key.split(":")[1], count)


def login_succeeded(request, username: str) -> None:
    """The right password outside a lock clears the account's count (not the address's)."""
    cache.delete(_keys(request, username)[0][0])


class ThrottledLoginMixin:
    """For an AuthenticationForm: refuse while locked, count each failure."""

    locked_message = ""  # shown by the log-in page instead of "did not match"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and login_locked(self.request, username):
            self.locked_message = LOCKED_MESSAGE % {
                "minutes": settings.FIREBREAK_LOGIN_LOCKOUT_MINUTES
            }
            raise forms.ValidationError(self.locked_message, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failed(self.request, username)
            raise
        login_succeeded(self.request, username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
