"""The secretariat's admin for venues and meetings, with attendance and agenda inline."""

import functools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from config.admin_refusals import DeletionAskedOfEachObject, ServiceRefusalsAsFormErrors
from meetings.models import AgendaItem, Attendance, Meeting, Venue
from meetings.services import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    attendance_rows_save,
    check_record_open,
    meeting_cancel,
    meeting_move,
    meeting_schedule,
    meeting_update,
)


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
    """Rows the minutes are built from: read-only once the minutes are approved or published
    (``Meeting.can_change_record``, as the workspace's services ask)."""

    def _open(self, meeting) -> bool:
        return meeting is None or meeting.can_change_record() is None

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


class MeetingAdminForm(forms.ModelForm):
    """A meeting's details, checked as the workspace's services check them; the services
    save them (``MeetingAdmin.save_model``).

    A change is a correction that tells nobody, as the workspace's “Edit”, unless
    “Tell the members” is ticked: then, as its “Cancel” and “Move”, the members are
    emailed that the meeting is cancelled (status) or moved (date, times, venue).
    """

    tell_members = forms.BooleanField(
        label="Tell the members",
        required=False,
        help_text="Email the committee’s members that the meeting is cancelled or moved, with "
        "the reason below, which is shown beside the meeting. Otherwise the change corrects "
        "the record and nobody is told.",
    )
    reason = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why it is cancelled or moved, e.g. “Too few members could attend”.",
    )

    MOVE_FIELDS = ("date", "start_time", "end_time", "venue")

    def clean(self):
        cleaned = super().clean()
        stored = self.instance  # not yet changed: the form's values go in after clean()
        if stored.pk is None:
            new = Meeting(date=cleaned.get("date"))
            if new.date and (why := new.can_take_status(cleaned.get("status", new.status))):
                self.add_error("status", why)
            return cleaned
        moved = "date" in cleaned and cleaned["date"] != stored.date
        if moved and (why := stored.can_change_date()):
            self.add_error("date", why)
        if "status" in cleaned and (why := stored.can_take_status(cleaned["status"])):
            self.add_error("status", why)
        if cleaned.get("tell_members"):
            self._clean_telling(cleaned, stored)
        return cleaned

    def changed_of(self, names) -> list[str]:
        return [name for name in self.changed_data if name in names]

    def telling(self) -> str | None:
        """ "cancel" or "move" when the members are to be told, else None."""
        if not self.cleaned_data.get("tell_members"):
            return None
        if self.cleaned_data.get("status") == Meeting.Status.CANCELLED:
            return "cancel"
        return "move"

    def _clean_telling(self, cleaned, stored):
        told = [*self.MOVE_FIELDS, "status"]
        if others := [n for n in self.changed_data if n not in (*told, "tell_members", "reason")]:
            names = ", ".join(self.fields[n].label or n for n in others)
            self.add_error(
                "tell_members",
                "To tell the members, change only the status (to cancel the meeting) or its "
                f"date, times and venue (to move it); save the other changes ({names}) "
                "without telling them.",
            )
        cancelling = cleaned.get("status") == Meeting.Status.CANCELLED != stored.status
        moving = bool(self.changed_of(self.MOVE_FIELDS))
        if not cancelling and not moving:
            self.add_error(
                "tell_members",
                "There is nothing to tell the members: set the status to cancelled, or "
                "change the date, times or venue.",
            )
        elif cancelling and moving:
            self.add_error("tell_members", "Cancel the meeting or move it, not both at once.")
        elif moving and "status" in self.changed_data:
            self.add_error("status", "Move the meeting without changing its status.")
        elif moving and (why := stored.can_be_moved()):
            self.add_error("date", why)
        if not " ".join(cleaned.get("reason", "").split()):
            self.add_error("reason", "Say why, for the members.")


@admin.register(Meeting)
class MeetingAdmin(DeletionAskedOfEachObject, ServiceRefusalsAsFormErrors, admin.ModelAdmin):
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
        "agenda",
    ]
    telling_fields = ["tell_members", "reason"]
    # The agenda is published (and withdrawn) in the workspace, which tells the members;
    # the notice is written when the meeting is cancelled or moved.
    readonly_fields = ["notice", "agenda_published_at", "agenda_published_by", "agenda"]
    # The agenda has a page of its own (a long agenda would make this one slow); see
    # AgendaItemAdmin.
    inlines = [AttendanceInline]
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

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None:  # a new meeting is scheduled; nobody is told of that
            return [f for f in fields if f not in ("notice", *self.telling_fields)]
        return [*fields, *(f for f in self.telling_fields if f not in fields)]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        fields.append("committee")  # a meeting stays with its committee, as in the workspace
        if obj.can_change_record():
            fields += self.record_fields
        elif obj.has_published_minutes:
            fields.append("date")  # published under this date
        return list(dict.fromkeys(fields))

    def save_model(self, request, obj, form, change):
        """Through the services, as the workspace: schedule (standard agenda), correct,
        cancel or move (telling the members)."""
        data = form.cleaned_data
        if not change:
            scheduled = meeting_schedule(
                committee=data["committee"],
                **{name: data[name] for name in form.MOVE_FIELDS},
                **{name: data[name] for name in self.DETAIL_FIELDS if name in data},
            )
            obj.pk, obj._state.adding, obj._state.db = scheduled.pk, False, scheduled._state.db
            return
        telling = form.telling()
        if telling == "cancel":
            meeting_cancel(meeting=obj, reason=data["reason"])
        elif telling == "move":
            meeting_move(
                meeting=obj,
                **{name: data[name] for name in form.MOVE_FIELDS},
                reason=data["reason"],
            )
        else:
            meeting_update(
                meeting=obj,
                **{name: getattr(obj, name) for name in form.MOVE_FIELDS},
                **{name: getattr(obj, name) for name in self.DETAIL_FIELDS},
            )

    DETAIL_FIELDS = ("status", "reference", "next_meeting_text", "item_numbering")

    @admin.display(description="Agenda")
    def agenda(self, meeting):
        if meeting.pk is None:
            return "Save the meeting, then add its agenda items."
        count = meeting.agenda_items.count()
        items = (
            reverse("admin:meetings_agendaitem_changelist") + f"?meeting__id__exact={meeting.pk}"
        )
        add = reverse("admin:meetings_agendaitem_add") + f"?meeting={meeting.pk}"
        return format_html(
            '<a href="{}">{} item{}</a> · <a href="{}">Add an item</a>',
            items,
            count,
            "" if count == 1 else "s",
            add,
        )

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
        else:
            super().save_formset(request, form, formset, change)

    def _save_attendance(self, formset):
        saved = formset.save(commit=False)  # fills deleted_objects; saves nothing
        attendance_rows_save(meeting=formset.instance, saved=saved, removed=formset.deleted_objects)


class AgendaItemAdminForm(forms.ModelForm):
    """An agenda item, checked as the workspace checks it; the services save it."""

    class Meta:
        model = AgendaItem
        fields = [
            "meeting",
            "number",
            "title",
            "kind",
            "parent",
            "presenter",
            "description",
            "previous_meeting",
        ]

    def __init__(self, *args, meeting_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        meeting_id = self.instance.meeting_id or meeting_id
        if "number" in self.fields:
            self.fields["number"].help_text = (
                "Only for a meeting whose items are numbered as typed; otherwise the agenda "
                "numbers itself."
            )
        if "parent" in self.fields:
            # Main items of this meeting only: never a thousand-row list of every agenda.
            self.fields["parent"].queryset = AgendaItem.objects.filter(
                meeting_id=meeting_id, parent__isnull=True
            ).order_by("position")
            if self.instance.pk:
                self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                    pk=self.instance.pk
                )
        if "meeting" in self.fields and meeting_id:
            self.initial.setdefault("meeting", meeting_id)

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting") or self.instance.meeting
        if meeting is not None:
            try:
                check_record_open(meeting)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return cleaned


@admin.register(AgendaItem)
class AgendaItemAdmin(DeletionAskedOfEachObject, ServiceRefusalsAsFormErrors, admin.ModelAdmin):
    """Agenda items on pages of their own, a page of items at a time, saved by the services
    (which number them and mark a published agenda revised)."""

    form = AgendaItemAdminForm
    list_display = ["number", "title", "kind", "meeting"]
    list_display_links = ["title"]
    list_select_related = ["meeting__committee"]
    list_per_page = 100
    ordering = ["meeting", "position"]
    search_fields = ["title", "meeting__committee__name"]
    autocomplete_fields = ["meeting", "previous_meeting"]
    fields = [
        "meeting",
        "number",
        "title",
        "kind",
        "parent",
        "presenter",
        "description",
        "previous_meeting",
    ]
    readonly_fields = []
    actions = ["move_up", "move_down"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        meeting_id = request.GET.get("meeting", "")
        return functools.partial(form, meeting_id=int(meeting_id) if meeting_id.isdigit() else None)

    def get_readonly_fields(self, request, obj=None):
        # An item stays on its meeting's agenda.
        return [*self.readonly_fields, "meeting"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return (
            obj is None or obj.meeting.can_change_record() is None
        ) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        details = {
            name: form.cleaned_data[name]
            for name in ("title", "kind", "parent", "presenter", "description", "previous_meeting")
        }
        # Taken only where the meeting's numbers are typed; otherwise the agenda numbers itself.
        number = form.cleaned_data.get("number", "")
        if change:
            agenda_item_update(item=obj, number=number, **details)
        else:
            added = agenda_item_add(meeting=form.cleaned_data["meeting"], number=number, **details)
            obj.pk, obj.number = added.pk, added.number

    def delete_model(self, request, obj):
        agenda_item_delete(item=obj)

    def _move(self, request, queryset, direction: str):
        for item in queryset.select_related("meeting"):
            try:
                agenda_item_move(item=item, direction=direction)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.action(description="Move the selected items up", permissions=["change"])
    def move_up(self, request, queryset):
        self._move(request, queryset.order_by("position"), "up")

    @admin.action(description="Move the selected items down", permissions=["change"])
    def move_down(self, request, queryset):
        self._move(request, queryset.order_by("-position"), "down")
