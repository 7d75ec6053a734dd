from django.contrib import admin, messages

from outbox import services
from outbox.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What became of each email; read-only, with "send again" for those given up or unconfirmed."""

    list_display = ["to", "kind", "meeting", "status", "attempts", "queued_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    list_select_related = ["meeting__committee"]
    date_hierarchy = "queued_at"
    fields = [
        "kind",
        "meeting",
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "queued_at",
        "attempted_at",
        "handed_over_at",
        "next_attempt_at",
        "sent_at",
        "message_id",
        "body",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected emails again (those given up or unconfirmed)")
    def send_again(self, request, queryset):
        count = sum(services.retry(email) for email in queryset)
        self.message_user(request, f"{count} email(s) queued to be sent again.", messages.SUCCESS)
