"""Serializers for the postmortem API: strict inputs (shape only; services decide) and outputs."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api_fields import (
    MAX_ID,
    AwareDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    UsernameField,
    UTCDateTimeField,
)
from incidents.services.taxonomy import FACTOR_MAX, TAG_MAX, TAXONOMY_MAX_ITEMS
from postmortems.blocks import incident_durations
from postmortems.lint import RULES
from postmortems.models import (
    ActionItem,
    Meeting,
    Postmortem,
    PostmortemReview,
    PostmortemRevision,
    PostmortemTemplate,
    SectionPurpose,
    Visibility,
)
from postmortems.trackers import tracker_name

# --- output -----------------------------------------------------------------------------------------


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    purpose = serializers.CharField()
    guidance = serializers.CharField()
    body = serializers.CharField(
        help_text="Markdown as written, with {{ placeholders }} for generated blocks."
    )


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username")
    decided_at = UTCDateTimeField(allow_null=True)
    requested_at = UTCDateTimeField()

    class Meta:
        model = PostmortemReview
        fields = [
            "reviewer",
            "decision",
            "comment",
            "requested_at",
            "decided_at",
            "decided_version",
            "acknowledged_warnings",
        ]


class DurationSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    formula = serializers.CharField()
    seconds = serializers.IntegerField(
        allow_null=True, help_text="null when a stamp is missing (METRICS.md v2)."
    )


class PostmortemSerializer(serializers.ModelSerializer):
    incident = serializers.IntegerField(source="incident_id", help_text="The incident's id.")
    incident_reference = serializers.CharField(source="incident.reference")
    template = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    durations = serializers.SerializerMethodField()
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    published_at = UTCDateTimeField(allow_null=True)
    web_url = serializers.SerializerMethodField()
    trigger_category = serializers.CharField(
        source="incident.trigger_category", help_text="The incident's trigger category."
    )
    incident_tags = serializers.SlugRelatedField(
        source="incident.tags",
        slug_field="name",
        many=True,
        read_only=True,
        help_text="The incident's tags (the same list as the incident's `tags`); `tags` are the "
        "postmortem's own.",
    )
    contributing_factors = serializers.SlugRelatedField(
        source="incident.contributing_factors",
        slug_field="name",
        many=True,
        read_only=True,
        help_text="The incident's contributing factors.",
    )

    class Meta:
        model = Postmortem
        fields = [
            "id", "incident", "incident_reference", "title", "status", "version", "visibility", "tags",
            "trigger_category", "incident_tags", "contributing_factors", "template", "owner", "due_date", "required", "required_reasons", "sections", "reviews",
            "durations", "created_at", "updated_at", "published_at", "web_url",
        ]  # fmt: skip

    def get_template(self, obj) -> str | None:
        return obj.template.slug if obj.template_id else None

    def get_owner(self, obj) -> str | None:
        return obj.owner.username if obj.owner_id else None

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, obj):
        return [
            {
                "key": s.key,
                "title": s.title,
                "purpose": s.purpose,
                "guidance": s.guidance,
                "body": s.body,
            }
            for s in obj.sections.all()
        ]

    @extend_schema_field(ReviewSerializer(many=True))
    def get_reviews(self, obj):
        return ReviewSerializer(
            obj.reviews.filter(active=True).select_related("reviewer"), many=True
        ).data

    @extend_schema_field(DurationSerializer(many=True))
    def get_durations(self, obj):
        return [vars(d) for d in incident_durations(obj.incident)]

    def get_web_url(self, obj) -> str:
        return f"/postmortems/{obj.pk}/"


class PostmortemListSerializer(serializers.ModelSerializer):
    incident = serializers.IntegerField(source="incident_id")
    incident_reference = serializers.CharField(source="incident.reference")
    owner = serializers.SerializerMethodField()
    updated_at = UTCDateTimeField()

    class Meta:
        model = Postmortem
        fields = [
            "id", "incident", "incident_reference", "title", "status", "version", "visibility", "owner",
            "due_date", "required", "updated_at",
        ]  # fmt: skip

    def get_owner(self, obj) -> str | None:
        return obj.owner.username if obj.owner_id else None


class LintWarningSerializer(serializers.Serializer):
    id = serializers.CharField()
    rule = serializers.ChoiceField(choices=RULES)
    message = serializers.CharField()
    hint = serializers.CharField(help_text="A rewrite built from the sentence.")
    excerpt = serializers.CharField()
    section = serializers.CharField()


class LintSerializer(serializers.Serializer):
    warnings = LintWarningSerializer(many=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current = serializers.DictField(
        help_text="{version, title, sections} as saved by someone else."
    )
    yours = serializers.DictField(
        help_text="{version, title, sections}: your refused edit, kept for merging."
    )
    conflict_revision = serializers.IntegerField(
        help_text="The revision that keeps your refused edit."
    )


class RevisionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    created_at = UTCDateTimeField()

    class Meta:
        model = PostmortemRevision
        fields = ["id", "kind", "version", "author", "created_at", "title", "note"]

    def get_author(self, obj) -> str | None:
        return obj.author.username if obj.author_id else None


class RevisionDetailSerializer(RevisionSerializer):
    sections = serializers.ListField(child=serializers.DictField())

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "sections"]


class SectionDiffSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())


class PreviewSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    html = serializers.CharField(help_text="Sanitised HTML.")


class PreviewSerializer(serializers.Serializer):
    sections = PreviewSectionSerializer(many=True)
    warnings = LintWarningSerializer(many=True)


class TemplateSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    purpose = serializers.CharField()
    guidance = serializers.CharField()
    body = serializers.CharField()


class TemplateSerializer(serializers.ModelSerializer):
    sections = serializers.SerializerMethodField()
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()

    class Meta:
        model = PostmortemTemplate
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "built_in",
            "sections",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(TemplateSectionSerializer(many=True))
    def get_sections(self, obj):
        return [
            {
                "key": s.key,
                "title": s.title,
                "purpose": s.purpose,
                "guidance": s.guidance,
                "body": s.body,
            }
            for s in obj.sections.all()
        ]


class ActionItemSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="item_type")
    owner = serializers.SerializerMethodField()
    incident = serializers.IntegerField(source="incident_id")
    incident_reference = serializers.CharField(source="incident.reference")
    postmortem = serializers.IntegerField(source="postmortem_id", allow_null=True)
    tracker = serializers.SerializerMethodField()
    tracker_key = serializers.CharField()
    overdue = serializers.SerializerMethodField()
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    completed_at = UTCDateTimeField(allow_null=True)

    class Meta:
        model = ActionItem
        fields = [
            "id", "title", "description", "type", "priority", "owner", "due_date", "status", "wont_do_reason",
            "tracker_url", "tracker", "tracker_key", "incident", "incident_reference", "postmortem", "overdue",
            "created_at", "updated_at", "completed_at",
        ]  # fmt: skip

    def get_owner(self, obj) -> str | None:
        return obj.owner.username if obj.owner_id else None

    def get_tracker(self, obj) -> str:
        return tracker_name(obj.tracker_url)

    def get_overdue(self, obj) -> bool:
        return obj.is_open and obj.due_date < timezone.localdate()


class MeetingSerializer(serializers.ModelSerializer):
    facilitator = serializers.SerializerMethodField()
    attendees = serializers.SerializerMethodField()
    starts_at = UTCDateTimeField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id", "starts_at", "duration_minutes", "location", "facilitator", "attendees", "format", "notes",
            "sequence", "cancelled", "ics_url",
        ]  # fmt: skip

    def get_facilitator(self, obj) -> str | None:
        return obj.facilitator.username if obj.facilitator_id else None

    def get_attendees(self, obj) -> list[str]:
        return sorted(u.username for u in obj.attendees.all())

    def get_ics_url(self, obj) -> str:
        return f"/api/v1/postmortems/{obj.postmortem_id}/meetings/{obj.pk}/ics/"


# --- input ------------------------------------------------------------------------------------------


class PostmortemCreateSerializer(serializers.Serializer):
    incident = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text="The incident's id.")
    template = StrictCharField(
        required=False, max_length=64, help_text="Template slug (default: real-world-sre)."
    )


class PostmortemRequestSerializer(serializers.Serializer):
    incident = StrictIntegerField(min_value=1, max_value=MAX_ID)
    reason = StrictCharField(required=False, allow_blank=True, max_length=500)


class SectionInputSerializer(serializers.Serializer):
    key = StrictCharField(max_length=64)
    body = StrictCharField(allow_blank=True, trim_whitespace=False, max_length=100_000)


class PostmortemUpdateSerializer(serializers.Serializer):
    DOCUMENT_FIELDS = ("sections", "title", "tags", "visibility")
    TAXONOMY_FIELDS = ("incident_tags", "contributing_factors")

    version = StrictIntegerField(
        min_value=1,
        required=False,
        help_text="The version you started editing from. Required unless the request sets only "
        "`incident_tags` and/or `contributing_factors`.",
    )
    sections = SectionInputSerializer(many=True, required=False)
    title = StrictCharField(required=False, max_length=200)
    tags = serializers.ListField(
        child=StrictCharField(max_length=40), required=False, max_length=20
    )
    visibility = StrictChoiceField(choices=Visibility.choices, required=False)
    note = StrictCharField(required=False, allow_blank=True, max_length=300)
    incident_tags = serializers.ListField(
        child=StrictCharField(max_length=TAG_MAX, allow_blank=True),
        required=False,
        max_length=TAXONOMY_MAX_ITEMS,
        help_text="Replaces the incident's tags: lower case, spaces become hyphens. Not versioned "
        "(the incident's list, not the document).",
    )
    contributing_factors = serializers.ListField(
        child=StrictCharField(max_length=FACTOR_MAX, allow_blank=True),
        required=False,
        max_length=TAXONOMY_MAX_ITEMS,
        help_text="Replaces the incident's contributing factors (lower-cased; no commas).",
    )

    def validate(self, attrs):
        edits_document = any(f in attrs for f in self.DOCUMENT_FIELDS)
        edits_taxonomy = any(f in attrs for f in self.TAXONOMY_FIELDS)
        if "version" not in attrs and (edits_document or not edits_taxonomy):
            raise serializers.ValidationError(
                {"version": ["The version you started editing from is required."]}
            )
        return attrs


class PreviewInputSerializer(serializers.Serializer):
    sections = SectionInputSerializer(many=True)


class SubmitSerializer(serializers.Serializer):
    reviewers = serializers.ListField(child=UsernameField(), min_length=1, max_length=2)


class ReviewInputSerializer(serializers.Serializer):
    decision = StrictChoiceField(
        choices=[PostmortemReview.Decision.APPROVED, PostmortemReview.Decision.CHANGES_REQUESTED]
    )
    comment = StrictCharField(required=False, allow_blank=True, max_length=10_000)
    acknowledge_warnings = StrictBooleanField(required=False, default=False)


class PublishSerializer(serializers.Serializer):
    visibility = StrictChoiceField(choices=Visibility.choices, required=False)


class OwnerSerializer(serializers.Serializer):
    owner = UsernameField()
    due_date = serializers.DateField(required=False)


class TemplateSectionInputSerializer(serializers.Serializer):
    key = StrictCharField(max_length=64)
    title = StrictCharField(max_length=120)
    purpose = StrictChoiceField(choices=SectionPurpose.choices, required=False)
    guidance = StrictCharField(required=False, allow_blank=True, max_length=2_000)
    body = StrictCharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=20_000
    )


class TemplateCreateSerializer(serializers.Serializer):
    slug = StrictCharField(max_length=64)
    name = StrictCharField(max_length=120)
    description = StrictCharField(required=False, allow_blank=True, max_length=2_000)
    sections = TemplateSectionInputSerializer(many=True)


class TemplateUpdateSerializer(serializers.Serializer):
    name = StrictCharField(required=False, max_length=120)
    description = StrictCharField(required=False, allow_blank=True, max_length=2_000)
    sections = TemplateSectionInputSerializer(many=True, required=False)


class TemplatePreviewSerializer(serializers.Serializer):
    incident = StrictIntegerField(
        min_value=1, max_value=MAX_ID, help_text="Render against this incident."
    )


class ActionItemCreateSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    incident = StrictIntegerField(min_value=1, max_value=MAX_ID, required=False)
    postmortem = StrictIntegerField(min_value=1, max_value=MAX_ID, required=False)
    description = StrictCharField(required=False, allow_blank=True, max_length=20_000)
    type = StrictChoiceField(choices=ActionItem.ItemType.choices, required=False)
    priority = StrictChoiceField(choices=ActionItem.Priority.choices, required=False)
    owner = UsernameField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    tracker_url = StrictCharField(required=False, allow_blank=True, max_length=500)


class ActionItemUpdateSerializer(serializers.Serializer):
    title = StrictCharField(required=False, max_length=200)
    description = StrictCharField(required=False, allow_blank=True, max_length=20_000)
    type = StrictChoiceField(choices=ActionItem.ItemType.choices, required=False)
    priority = StrictChoiceField(choices=ActionItem.Priority.choices, required=False)
    owner = UsernameField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False)
    tracker_url = StrictCharField(required=False, allow_blank=True, max_length=500)
    status = StrictChoiceField(choices=ActionItem.ItemStatus.choices, required=False)
    wont_do_reason = StrictCharField(required=False, allow_blank=True, max_length=2_000)


class MeetingInputSerializer(serializers.Serializer):
    starts_at = AwareDateTimeField()
    duration_minutes = StrictIntegerField(min_value=15, max_value=480, required=False)
    location = StrictCharField(required=False, allow_blank=True, max_length=300)
    attendees = serializers.ListField(child=UsernameField(), required=False, max_length=100)
    format = StrictChoiceField(choices=Meeting.Format.choices, required=False)


class MeetingNotesSerializer(serializers.Serializer):
    notes = serializers.DictField(
        help_text="Formal: {timeline_summary, root_cause, questions, action_items}. "
        "Informal: {username: {worked, did_not_work, start, stop, improve}}."
    )
