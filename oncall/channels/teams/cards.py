"""Adaptive Card messages as a Teams Workflows webhook takes them."""

from __future__ import annotations

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def card_message(
    *,
    title: str,
    text: str = "",
    facts: list[tuple[str, str]] = (),
    links: list[tuple[str, str]] = (),
    attention: bool = False,
) -> dict:
    """``{"type": "message", "attachments": [<Adaptive Card>]}``: a heading, a text, a fact set
    and one ``Action.OpenUrl`` button per ``(title, url)`` link."""
    body: list[dict] = [
        {
            "type": "TextBlock",
            "text": title,
            "weight": "bolder",
            "size": "medium",
            "wrap": True,
            "style": "heading",
            "color": "attention" if attention else "default",
        }
    ]
    if text:
        body.append({"type": "TextBlock", "text": text[:2000], "wrap": True})
    if facts:
        body.append({"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in facts]})
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": CARD_SCHEMA,
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "fallbackText": title,
                    "body": body,
                    "actions": [
                        {"type": "Action.OpenUrl", "title": t, "url": url} for t, url in links
                    ],
                },
            }
        ],
    }
