from django.contrib import admin

from incidents.models import (
    Incident,
    Reminder,
    RoleAssignment,
    Service,
    StakeholderUpdate,
    Team,
    TimelineEvent,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "tier", "team", "slo_target")
    prepopulated_fields = {"slug": ("name",)}


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "incident"
    extra = 0
    readonly_fields = ("role", "user", "assigned_at", "assigned_by", "ended_at", "ended_by")
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-mostly: writes belong in the app, where services record the timeline."""

    list_display = ("number", "title", "severity", "status", "kind", "private", "declared_at")
    list_filter = ("status", "severity", "kind", "private")
    search_fields = ("title", "summary")
    readonly_fields = [f.name for f in Incident._meta.fields]
    inlines = [RoleInline]

    def has_add_permission(self, request):
        return False


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ("incident", "kind", "occurred_at", "recorded_at", "actor", "highlighted")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(StakeholderUpdate)
admin.site.register(Reminder)
