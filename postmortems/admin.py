"""Read-mostly admin: writes belong in the app, where services keep revisions and the lock."""

from django.contrib import admin

from postmortems.models import (
    ActionItem,
    Meeting,
    Postmortem,
    PostmortemRevision,
    PostmortemTemplate,
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
