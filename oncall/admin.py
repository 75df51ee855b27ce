from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from oncall.people.models import Notification, NotificationDelivery, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
