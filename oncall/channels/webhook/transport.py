"""A regional SMS or voice provider by HTTP webhook: ``sms_webhook`` and ``phone_webhook``.

The admin sets, per channel, ``FIREBREAK_<SMS|PHONE>_WEBHOOK_URL``, ``…_METHOD`` (GET, POST,
PUT), ``…_AUTH_HEADER`` ("Header-Name: value") and ``…_BODY``, a template with ``$to``,
``$text``, ``$subject``, ``$reference``, ``$ack_url`` and ``$code``. A body that starts with ``{``
or ``[`` is sent as JSON (values escaped for a JSON string); any other is sent form-encoded (values
URL-encoded); with GET the filled-in body becomes the query string.
"""

from __future__ import annotations

import json
from string import Template
from urllib.parse import quote_plus

from django.conf import settings

from oncall.channels.common import ChannelTransport, page_facts, plain_text
from oncall.channels.http import provider_call
from oncall.people.notify import PermanentDeliveryError

TEXT_LIMIT = 480


def render_body(template: str, values: dict[str, str]) -> tuple[str, str]:
    """``(body, content type)`` of the admin's template filled in with ``values``."""
    is_json = template.lstrip().startswith(("{", "["))
    if is_json:
        escaped = {k: json.dumps(v)[1:-1] for k, v in values.items()}
        return Template(template).safe_substitute(escaped), "application/json"
    escaped = {k: quote_plus(v) for k, v in values.items()}
    return Template(template).safe_substitute(escaped), "application/x-www-form-urlencoded"


class WebhookTransport(ChannelTransport):
    """One provider per channel, read from settings named ``FIREBREAK_<prefix>_WEBHOOK_*``."""

    def __init__(self, name: str, prefix: str):
        self.name, self.prefix = name, prefix

    def setting(self, suffix: str) -> str:
        return getattr(settings, f"FIREBREAK_{self.prefix}_WEBHOOK_{suffix}")

    def is_configured(self) -> bool:
        return bool(self.setting("URL"))

    def send(self, notification) -> None:
        method = self.contact(notification.recipient)
        if method is None:
            raise PermanentDeliveryError("No phone number for this provider.")
        facts = page_facts(notification)
        values = {
            "to": method.address,
            "text": plain_text(notification, facts, limit=TEXT_LIMIT, reply_code=False),
            "subject": notification.subject,
            "reference": facts.reference if facts else "",
            "ack_url": facts.ack_url if facts else "",
            "code": facts.ack_code if facts else "",
        }
        body, content_type = render_body(self.setting("BODY"), values)
        headers = {"Content-Type": content_type}
        auth = self.setting("AUTH_HEADER")
        if auth:
            key, _, value = auth.partition(":")
            headers[key.strip()] = value.strip()
        http_method = self.setting("METHOD")
        url = self.setting("URL")
        if http_method == "GET":
            url += ("&" if "?" in url else "?") + body
            provider_call(f"The {self.prefix.lower()} provider", "GET", url, headers=headers)
            return
        provider_call(
            f"The {self.prefix.lower()} provider",
            http_method,
            url,
            data=body.encode(),
            headers=headers,
        )
