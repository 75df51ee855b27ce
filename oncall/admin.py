from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from oncall.channels.models import ContactMethod
from oncall.escalation.models import Page
from oncall.people.models import Notification, NotificationDelivery, User


class ContactMethodInline(admin.TabularInline):
    model = ContactMethod
    extra = 0
    fields = ("position", "kind", "address")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ContactMethodInline]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Firebreak", {"fields": ("timezone", "slack_user_id")}))
    list_display = ("username", "email", "first_name", "last_name", "timezone", "is_staff")


class DeliveryInline(admin.TabularInline):
    model = NotificationDelivery
    extra = 0
    readonly_fields = (
        "transport",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "subject", "urgency", "created_at", "read_at")
    inlines = [DeliveryInline]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """Read-only: who was paged for which alert, and what happened (incl. every channel failing)."""

    list_display = ("alert", "person", "step_index", "repeat", "status", "sent_at", "outcome")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Page._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
