"""Read-mostly admin: writes belong in the app, where services keep revisions and the lock."""

from django.contrib import admin

from postmortems.models import (
    ActionItem,
    Meeting,
    Postmortem,
    PostmortemRevision,
    PostmortemTemplate,
    ReportDelivery,
    ReportSubscription,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PostmortemTemplate)
class PostmortemTemplateAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "built_in", "updated_at")


@admin.register(Postmortem)
class PostmortemAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "incident",
        "status",
        "version",
        "visibility",
        "owner",
        "due_date",
        "required",
    )
    list_filter = ("status", "visibility", "required")


@admin.register(PostmortemRevision)
class PostmortemRevisionAdmin(ReadOnlyAdmin):
    list_display = ("postmortem", "version", "kind", "author", "created_at")
    list_filter = ("kind",)


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "incident", "priority", "owner", "due_date", "status")
    list_filter = ("status", "priority", "item_type")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("postmortem", "starts_at", "format", "facilitator", "cancelled")


class ReportDeliveryInline(admin.TabularInline):
    model = ReportDelivery
    extra = 0
    can_delete = False
    fields = ("quarter", "status", "due_at", "sent_at", "attempts", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    """Subscriptions are plain configuration: admins add, change and remove them here too."""

    list_display = ("__str__", "person", "email", "format", "team", "service", "active")
    list_filter = ("format", "active")
    raw_id_fields = ("person",)
    readonly_fields = ("created_by", "created_at")
    inlines = [ReportDeliveryInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ReadOnlyAdmin):
    """Deliveries are written by the beat sweep only."""

    list_display = ("subscription", "quarter", "status", "due_at", "sent_at", "attempts")
    list_filter = ("status", "quarter")
