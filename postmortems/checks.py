"""System checks for the postmortem settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from postmortems.builtin_templates import BUILTIN_TEMPLATES

SEVERITIES = {"SEV1", "SEV2", "SEV3", "SEV4"}


@register()
def postmortem_settings_check(app_configs, **kwargs):
    errors = []
    unknown = [s for s in settings.FIREBREAK_POSTMORTEM_SEVERITIES if s not in SEVERITIES]
    if unknown:
        errors.append(
            Error(
                f"FIREBREAK_POSTMORTEM_SEVERITIES has unknown severities: {', '.join(unknown)}.",
                hint="Use a comma-separated list from SEV1, SEV2, SEV3, SEV4, or leave it empty to turn the rule off.",
                id="postmortems.E001",
            )
        )
    slug = settings.FIREBREAK_POSTMORTEM_DEFAULT_TEMPLATE
    if slug not in BUILTIN_TEMPLATES:
        # An admin-made template is fine too, but it cannot be checked without the database.
        from django.core.checks import Info

        errors.append(
            Info(
                f"FIREBREAK_POSTMORTEM_DEFAULT_TEMPLATE={slug!r} is not a built-in template; "
                "required postmortems fail to generate unless an admin created it.",
                id="postmortems.I001",
            )
        )
    return errors
