"""Postmortem templates: built-ins (read-only) and admins' own."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction

from config.errors import PermissionDenied, ValidationFailed
from postmortems.builtin_templates import BUILTIN_TEMPLATES
from postmortems.models import PostmortemTemplate, SectionPurpose, TemplateSection
from postmortems.placeholders import template_errors
from postmortems.services._common import authorize_admin, validate_choice, validate_text

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
MAX_SECTIONS = 30
BODY_MAX = 20_000


def _validate_sections(sections: Any) -> list[dict[str, str]]:
    if not isinstance(sections, list) or not sections:
        raise ValidationFailed(
            "A template needs at least one section.", field_errors={"sections": ["At least one."]}
        )
    if len(sections) > MAX_SECTIONS:
        raise ValidationFailed(
            f"At most {MAX_SECTIONS} sections.",
            field_errors={"sections": [f"At most {MAX_SECTIONS}."]},
        )
    cleaned, keys = [], set()
    errors: dict[str, list[str]] = {}
    for index, raw in enumerate(sections):
        if not isinstance(raw, dict):
            raise ValidationFailed(
                f"sections[{index}] must be an object.", field_errors={"sections": ["Objects."]}
            )
        key = validate_text(raw.get("key"), f"sections[{index}].key", required=True, max_length=64)
        if not KEY_RE.match(key):
            errors.setdefault(f"sections[{index}].key", []).append(
                "Lowercase letters, digits and underscores, e.g. root_cause."
            )
        if key in keys:
            errors.setdefault(f"sections[{index}].key", []).append(f"{key!r} is used twice.")
        keys.add(key)
        title = validate_text(
            raw.get("title"), f"sections[{index}].title", required=True, max_length=120
        )
        purpose = raw.get("purpose") or SectionPurpose.OTHER
        validate_choice(purpose, SectionPurpose.choices, f"sections[{index}].purpose")
        guidance = validate_text(
            raw.get("guidance"), f"sections[{index}].guidance", max_length=2_000
        )
        body = validate_text(
            raw.get("body"), f"sections[{index}].body", max_length=BODY_MAX, strip=False
        )
        for message in template_errors(body):
            errors.setdefault(f"sections[{index}].body", []).append(message)
        cleaned.append(
            {"key": key, "title": title, "purpose": purpose, "guidance": guidance, "body": body}
        )
    if errors:
        summary = " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
        raise ValidationFailed(f"The template has errors. {summary}", field_errors=errors)
    return cleaned


def _write_sections(template: PostmortemTemplate, sections: list[dict[str, str]]) -> None:
    template.sections.all().delete()
    TemplateSection.objects.bulk_create(
        [
            TemplateSection(template=template, position=i, **section)
            for i, section in enumerate(sections)
        ]
    )


@transaction.atomic
def postmortem_template_create(
    *, user, slug: str, name: str, sections: Any, description: str = ""
) -> PostmortemTemplate:
    """Admins create their own templates. Placeholders must come from the allow-list."""
    authorize_admin(user, "create postmortem templates")
    slug = validate_text(slug, "slug", required=True, max_length=64)
    if not SLUG_RE.match(slug):
        raise ValidationFailed(
            "slug: lowercase letters, digits and hyphens.",
            field_errors={"slug": ["e.g. my-template"]},
        )
    name = validate_text(name, "name", required=True, max_length=120)
    description = validate_text(description, "description", max_length=2_000)
    cleaned = _validate_sections(sections)
    try:
        with transaction.atomic():
            template = PostmortemTemplate.objects.create(
                slug=slug, name=name, description=description, created_by=user
            )
    except IntegrityError:
        raise ValidationFailed(
            "A template with this slug or name already exists.",
            field_errors={"slug": ["Taken."], "name": ["Taken."]},
        ) from None
    _write_sections(template, cleaned)
    return template


@transaction.atomic
def postmortem_template_update(
    *,
    user,
    template: PostmortemTemplate,
    name: Any = None,
    description: Any = None,
    sections: Any = None,
) -> PostmortemTemplate:
    """Change an admin-made template. Postmortems already written from it keep their text."""
    authorize_admin(user, "edit postmortem templates")
    if template.built_in:
        raise PermissionDenied(
            "Built-in templates cannot be changed; duplicate one and edit the copy."
        )
    if name is not None:
        template.name = validate_text(name, "name", required=True, max_length=120)
    if description is not None:
        template.description = validate_text(description, "description", max_length=2_000)
    cleaned = _validate_sections(sections) if sections is not None else None
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ValidationFailed(
            "A template with this name already exists.", field_errors={"name": ["Taken."]}
        ) from None
    if cleaned is not None:
        _write_sections(template, cleaned)
    return template


@transaction.atomic
def postmortem_template_delete(*, user, template: PostmortemTemplate) -> None:
    authorize_admin(user, "delete postmortem templates")
    if template.built_in:
        raise PermissionDenied("Built-in templates cannot be deleted.")
    template.delete()


def postmortem_templates_sync_builtin() -> int:
    """Create or refresh the built-in templates from ``builtin_templates``. Returns how many."""
    with transaction.atomic():
        for slug, (name, description, sections) in BUILTIN_TEMPLATES.items():
            template, _ = PostmortemTemplate.objects.update_or_create(
                slug=slug, defaults={"name": name, "description": description, "built_in": True}
            )
            _write_sections(
                template,
                [
                    {"key": k, "title": t, "purpose": p, "guidance": g, "body": b}
                    for k, t, p, g, b in sections
                ],
            )
    return len(BUILTIN_TEMPLATES)
