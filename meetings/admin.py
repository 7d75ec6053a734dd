"""The secretariat's admin for venues and meetings, with attendance and agenda inline."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.urls import reverse
from django.utils.html import format_html

from meetings.models import AgendaItem, Attendance, Meeting, Venue
from meetings.services import agenda_note_revision
from members.admin import rows_repeat


class AgendaItemChoicesMixin:
    """For inlines: agenda-item dropdowns list only the items of the meeting being edited.

    Inline instances are made afresh for every request, so remembering the
    meeting on the instance is safe.
    """

    agenda_item_fields = ("agenda_item",)

    def meeting_id_for(self, obj):
        """The id of the meeting whose items to offer, given the object being edited."""
        raise NotImplementedError

    def get_formset(self, request, obj=None, **kwargs):
        self.items_meeting_id = self.meeting_id_for(obj) if obj is not None else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.agenda_item_fields:
            kwargs["queryset"] = AgendaItem.objects.filter(
                meeting_id=self.items_meeting_id
            ).order_by("position")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "building", "address"]
    search_fields = ["name", "building", "address"]


class RecordInline(admin.TabularInline):
    """Rows the minutes are built from: read-only once the minutes are approved or published.

    The workspace's rule (see ``services.check_record_open``), kept here too, so
    that an agreed record cannot change through the admin either.
    """

    def _open(self, meeting) -> bool:
        return meeting is None or meeting.closed_minutes is None

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class AttendanceInline(RecordInline):
    model = Attendance
    fields = ["person", "status", "organisation", "is_guest", "role"]
    autocomplete_fields = ["person", "organisation"]
    extra = 1


class AgendaItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Django checks positions across the rows, but not numbers (their
        # uniqueness has a condition). Neither is checked against the stored
        # rows, and must not be: they are about to move (see MeetingAdmin).
        errors = []
        if rows_repeat(self, lambda row: row.get("number") or None):
            errors.append("Two items on this agenda have the same number.")
        # Deleting an item would delete what was minuted under it, silently.
        errors += [
            f"“{form.instance}” has minute text, decisions or actions, so it cannot be "
            "deleted. Remove them from the minutes first."
            for form in self.deleted_forms
            if form.instance.pk and form.instance.has_minutes_content()
        ]
        if errors:
            raise ValidationError(errors)


class AgendaItemInline(AgendaItemChoicesMixin, RecordInline):
    model = AgendaItem
    formset = AgendaItemFormSet
    fields = ["position", "number", "title", "kind", "previous_meeting", "parent"]
    autocomplete_fields = ["previous_meeting"]
    fk_name = "meeting"
    agenda_item_fields = ("parent",)
    ordering = ["position"]
    extra = 1

    def meeting_id_for(self, meeting):
        return meeting.pk


class MeetingAdminForm(forms.ModelForm):
    """Asks the meeting, as the workspace's services do, whether its date and status may change."""

    def clean(self):
        cleaned = super().clean()
        stored = self.instance  # not yet changed: the form's values go in after clean()
        if stored.pk is None:
            return cleaned
        moved = "date" in cleaned and cleaned["date"] != stored.date
        if moved and (why := stored.can_change_date()):
            self.add_error("date", why)
        if "status" in cleaned and (why := stored.can_take_status(cleaned["status"])):
            self.add_error("status", why)
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = ["date", "committee", "venue", "status", "minutes_status"]
    list_filter = ["committee", "status", "date"]
    list_select_related = ["committee", "venue", "minutes"]
    date_hierarchy = "date"
    search_fields = ["committee__name", "venue__name", "venue__building"]
    autocomplete_fields = ["committee", "venue"]
    fields = [
        "committee",
        "reference",
        "date",
        ("start_time", "end_time"),
        "venue",
        "status",
        "next_meeting_text",
        "item_numbering",
        "notice",
        ("agenda_published_at", "agenda_published_by"),
    ]
    # The agenda is published (and withdrawn) in the workspace, which tells the members.
    readonly_fields = ["agenda_published_at", "agenda_published_by"]
    inlines = [AttendanceInline, AgendaItemInline]
    # Part of the minutes' record, as in meetings.services.meeting_update.
    record_fields = [
        "committee",
        "reference",
        "date",
        "start_time",
        "end_time",
        "venue",
        "next_meeting_text",
        "item_numbering",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        if obj.closed_minutes is not None:
            fields += self.record_fields
        elif obj.has_published_minutes:
            fields += ["committee", "date"]  # published under this committee and date
        return fields

    @admin.display(description="Minutes")
    def minutes_status(self, meeting):
        minutes = getattr(meeting, "minutes", None)
        if minutes is None and meeting.is_cancelled:
            return "—"
        if minutes is None:
            url = reverse("admin:minutes_minutes_add") + f"?meeting={meeting.pk}"
            return format_html('<a href="{}">Start the minutes</a>', url)
        url = reverse("admin:minutes_minutes_change", args=[minutes.pk])
        return format_html('<a href="{}">{}</a>', url, minutes.get_status_display())

    def save_formset(self, request, form, formset, change):
        if formset.model is Attendance:
            self._save_attendance(formset)
        elif formset.model is AgendaItem:
            self._save_agenda(formset)
        else:
            super().save_formset(request, form, formset, change)

    def _save_attendance(self, formset):
        attendances = formset.save(commit=False)
        # Deleted first: a row taken out and added again must not meet itself.
        for attendance in formset.deleted_objects:
            attendance.delete()
        for attendance in attendances:
            # Someone added without an organisation came for the one they are with now.
            if attendance._state.adding and attendance.organisation_id is None:
                attendance.organisation = attendance.person.organisation
            attendance.save()

    def _save_agenda(self, formset):
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            item.delete()
        # Items change places one save at a time, so first park the moving ones
        # above every position in use: no two rows ever share one on the way.
        moving = [item.pk for item, _ in formset.changed_objects]
        if moving:
            in_use = AgendaItem.objects.filter(meeting=formset.instance).aggregate(
                top=Max("position")
            )["top"]
            top = max([in_use or 0, *(item.position for item in items)]) + 1
            AgendaItem.objects.filter(pk__in=moving).update(position=F("position") + top, number="")
        for item in items:
            item.save()
        if items or formset.deleted_objects:
            agenda_note_revision(formset.instance)
