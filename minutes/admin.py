"""The secretariat's admin for minutes: typing item text, decisions and actions, and publishing.

Published minutes are the record: once approved or published their page is
read-only, and stays so until a correction is started in the workspace.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from config.admin_refusals import DeletionAskedOfEachObject, ServiceRefusalsAsFormErrors
from meetings.admin import AgendaItemChoicesMixin
from members.roles import is_secretariat
from minutes.models import Action, Decision, ItemMinute, Minutes, MinutesEvent, MinutesVersion
from minutes.services import (
    EditConflict,
    WorkflowError,
    action_add,
    action_close,
    action_delete,
    action_follow_up,
    action_update,
    decision_add,
    decision_delete,
    decision_update,
    item_minute_delete,
    item_minute_save,
    minutes_publish,
)


def _editable(minutes) -> bool:
    """Only draft minutes and those being corrected change; the rest are the record."""
    return minutes is not None and minutes.can_change() is None


class MinutesRowInline(AgendaItemChoicesMixin, admin.TabularInline):
    """Item text, decisions or actions of the minutes being edited, read-only once published."""

    extra = 1

    def meeting_id_for(self, minutes):
        return minutes.meeting_id

    def has_add_permission(self, request, obj=None):
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if _editable(obj):
            return super().get_readonly_fields(request, obj)
        return [name for name in self.fields if name not in self.form.declared_fields]

    def get_extra(self, request, obj=None, **kwargs):
        return self.extra if _editable(obj) else 0


class ItemMinuteForm(forms.ModelForm):
    """Item text remembers the revision it was opened at, as the workspace's editor does."""

    opened_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_revision"].initial = self.instance.revision
        if self.instance.pk and "agenda_item" in self.fields:
            # The text belongs to its item; another item gets a row of its own.
            self.fields["agenda_item"].disabled = True


class ItemMinuteFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.initial_forms:
            opened = getattr(form, "cleaned_data", {}).get("opened_revision")
            if form.has_changed() and opened is not None and opened != form.instance.revision:
                form.add_error("text", STALE_TEXT)


STALE_TEXT = (
    "Someone else saved this item’s text since you opened the page. Copy your text, reload "
    "the page, and merge the two."
)


class ItemMinuteInline(MinutesRowInline):
    model = ItemMinute
    form = ItemMinuteForm
    formset = ItemMinuteFormSet
    fields = ["agenda_item", "text", "shows_generated", "opened_revision"]
    verbose_name = "item text"
    verbose_name_plural = "item text"

    def get_extra(self, request, obj=None, **kwargs):
        # One empty box for each agenda item that has no text yet.
        return len(items_without_text(obj)) if _editable(obj) else 0


def items_without_text(minutes) -> list[int]:
    return list(
        minutes.meeting.agenda_items.filter(minute__isnull=True)
        .order_by("position")
        .values_list("pk", flat=True)
    )


# Room for a sentence without pushing the table off the page.
SHORT_TEXT = {models.CharField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class DecisionInline(MinutesRowInline):
    model = Decision
    fields = ["agenda_item", "position", "text"]
    formfield_overrides = SHORT_TEXT


ACTION_FIELDS = [
    "agenda_item",
    "reference",
    "text",
    "owners",
    "owners_as_written",
    "due_date",
    "status",
    "closed_on",
    "closing_note",
]


class ActionInline(MinutesRowInline):
    model = Action
    fields = ACTION_FIELDS
    autocomplete_fields = ["owners"]
    formfield_overrides = SHORT_TEXT
    # Actions are followed up after publication, on their own page.
    show_change_link = True


class RecordInline(admin.TabularInline):
    """What the services wrote: shown, never changed here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MinutesVersionInline(RecordInline):
    model = MinutesVersion
    fields = ["number", "kind", "created_at", "created_by", "reason", "pdf_link"]
    verbose_name = "published version"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("minutes__meeting__committee", "created_by")
        )

    @admin.display(description="PDF")
    def pdf_link(self, version):
        meeting = version.minutes.meeting
        url = reverse(
            "minutes:version_pdf", kwargs={**meeting.url_kwargs(), "number": version.number}
        )
        return format_html('<a href="{}">Download version {}</a>', url, version.number)


class MinutesEventInline(RecordInline):
    model = MinutesEvent
    fields = ["at", "kind", "by", "note"]
    verbose_name = "history"
    verbose_name_plural = "history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Minutes)
class MinutesAdmin(DeletionAskedOfEachObject, admin.ModelAdmin):
    list_display = ["meeting_date", "committee", "status", "approved_on", "latest_version"]
    list_filter = [("meeting__committee", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["meeting__committee"]
    date_hierarchy = "meeting__date"
    search_fields = ["meeting__committee__name"]
    autocomplete_fields = ["meeting"]
    readonly_fields = [
        "status",
        "approval",
        "approval_wording",
        "approved_on",
        "approved_at_meeting",
        "approved_by",
        "workspace",
    ]
    fieldsets = [
        (None, {"fields": ["meeting", "status"]}),
        (
            "Approval",
            {
                "fields": [
                    "approval",
                    "approved_at_meeting",
                    "approved_on",
                    "approval_wording",
                    "approved_by",
                    "workspace",
                ],
                "description": (
                    "Approval is recorded in the workspace, which asks how the minutes were "
                    "agreed: at a later meeting, at one not recorded here, by correspondence, on "
                    "a date, or in the original minutes’ own words. Approved minutes are "
                    "published from the list of minutes with the action “Publish approved "
                    "minutes”. Approved and published minutes are read-only here: to change "
                    "published minutes, start a correction in the workspace."
                ),
            },
        ),
    ]
    inlines = [
        ItemMinuteInline,
        DecisionInline,
        ActionInline,
        MinutesVersionInline,
        MinutesEventInline,
    ]
    actions = ["publish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest_version=models.Max("versions__number"))

    @admin.display(description="Meeting", ordering="meeting__date")
    def meeting_date(self, minutes):
        return minutes.meeting.date

    @admin.display(description="Committee", ordering="meeting__committee__name")
    def committee(self, minutes):
        return minutes.meeting.committee

    @admin.display(description="Latest version", ordering="latest_version", empty_value="—")
    def latest_version(self, minutes):
        return minutes.latest_version

    @admin.display(description="Workspace")
    def workspace(self, minutes):
        url = reverse("meetings:meeting_workspace", args=[minutes.meeting_id])
        return format_html('<a href="{}">Open this meeting in the workspace</a>', url)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # The meeting is fixed once the minutes exist: their rows hang off its agenda.
        return ["meeting", *self.readonly_fields]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["meeting"]})]
        return self.fieldsets

    def get_inline_instances(self, request, obj=None):
        # The rows hang off the meeting's agenda, so they wait until the meeting is chosen.
        if obj is None or obj._state.adding:
            return []
        return super().get_inline_instances(request, obj)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ItemMinuteInline) and _editable(obj):
            kwargs["initial"] = [{"agenda_item": pk} for pk in items_without_text(obj)]
        return kwargs

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _editable(obj))

    def has_publish_permission(self, request):
        return is_secretariat(request.user)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if any(key in request.POST for key in ("_continue", "_addanother", "_popup")):
            return response
        # Straight on to typing: the item text, decisions and actions are on the change page.
        return HttpResponseRedirect(reverse("admin:minutes_minutes_change", args=[obj.pk]))

    def save_formset(self, request, form, formset, change):
        savers = {
            ItemMinute: self._save_item_text,
            Decision: self._save_decisions,
            Action: self._save_actions,
        }
        if formset.model in savers:
            savers[formset.model](request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def _save_rows(self, request, formset, *, delete, add, update):
        """Save each changed row through the services, as the workspace does.

        Each row is its own step: one refused (say, the minutes were approved in
        the meantime) is reported, and the others are saved.
        """
        formset.save(commit=False)  # fills deleted_objects; saves nothing
        steps = [(row, lambda row: delete(row)) for row in formset.deleted_objects]
        for row_form in formset.forms:
            if row_form in formset.deleted_forms or not row_form.has_changed():
                continue
            data = row_form.cleaned_data
            if row_form.instance.pk:
                steps.append((row_form.instance, lambda row, data=data: update(row, data)))
            else:
                steps.append((data.get("text", ""), lambda row, data=data: add(data)))
        for row, step in steps:
            try:
                step(row)
            except WorkflowError as error:
                self.message_user(request, f"“{row}”: {error}", messages.ERROR)
            except ValidationError as error:
                self.message_user(request, f"“{row}”: {' '.join(error.messages)}", messages.ERROR)

    def _save_decisions(self, request, formset):
        self._save_rows(
            request,
            formset,
            delete=lambda decision: decision_delete(decision=decision),
            add=lambda data: decision_add(
                agenda_item=data["agenda_item"], text=data["text"], position=data["position"]
            ),
            update=lambda decision, data: decision_update(
                decision=Decision.objects.get(pk=decision.pk),
                text=data["text"],
                position=data["position"],
            ),
        )

    def _save_actions(self, request, formset):
        def add(data):
            action = action_add(
                agenda_item=data["agenda_item"],
                text=data["text"],
                owners=list(data["owners"]),
                due_date=data["due_date"],
            )
            if data["status"] != Action.Status.OPEN:
                action_follow_up(
                    action=action,
                    status=data["status"],
                    closed_on=data["closed_on"],
                    note=data["closing_note"],
                )

        def update(action, data):
            action = action_update(
                # As saved, not as the form has already changed it.
                action=Action.objects.select_related("agenda_item__meeting").get(pk=action.pk),
                text=data["text"],
                owners=list(data["owners"]),
                due_date=data["due_date"],
                status=data["status"],
            )
            action_follow_up(
                action=action,
                status=data["status"],
                closed_on=data["closed_on"],
                note=data["closing_note"],
            )

        self._save_rows(
            request,
            formset,
            delete=lambda action: action_delete(action=action),
            add=add,
            update=update,
        )

    def _save_item_text(self, request, formset):
        # Nothing is saved here; it only tells the change message what changed.
        formset.save(commit=False)
        for item_minute in formset.deleted_objects:
            try:
                item_minute_delete(item_minute=item_minute)
            except WorkflowError as error:
                self.message_user(request, f"“{item_minute}”: {error}", messages.ERROR)
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed():
                continue
            # The same save as the workspace's, so neither overwrites the other unawares.
            try:
                item_minute_save(
                    agenda_item=form.cleaned_data["agenda_item"],
                    text=form.cleaned_data["text"],
                    shows_generated=form.cleaned_data["shows_generated"],
                    expected_revision=form.cleaned_data["opened_revision"] or 0,
                    by=request.user,
                )
            except EditConflict:
                self.message_user(
                    request,
                    f"{form.cleaned_data['agenda_item']}: {STALE_TEXT} Your text was: "
                    f"{form.cleaned_data['text']}",
                    messages.ERROR,
                )

    @admin.action(description="Publish approved minutes", permissions=["publish"])
    def publish(self, request, queryset):
        for minutes in queryset.select_related("meeting__committee"):
            try:
                minutes_publish(minutes=minutes, by=request.user)
            except WorkflowError as error:
                self.message_user(request, f"{minutes.meeting}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{minutes.meeting}: being published; the version appears in a moment.",
                    messages.SUCCESS,
                )


@admin.register(Action)
class ActionAdmin(DeletionAskedOfEachObject, ServiceRefusalsAsFormErrors, admin.ModelAdmin):
    """Find and follow up actions. They are recorded on the page of the minutes they arose in."""

    refusals = (ValidationError, WorkflowError)

    list_display = ["text", "owners_initials", "committee", "meeting_date", "due_date", "status"]
    list_filter = ["status", ("minutes__meeting__committee", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["minutes__meeting__committee"]
    search_fields = ["text", "owners__initials"]
    autocomplete_fields = ["owners"]
    fields = ["minutes", *ACTION_FIELDS]
    # Following up never changes what the published minutes said.
    follow_up_fields = ["status", "closed_on", "closing_note"]

    actions = ["mark_done"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owners")

    @admin.display(description="Owners")
    def owners_initials(self, action):
        return action.owner_initials

    @admin.display(description="Committee", ordering="minutes__meeting__committee__name")
    def committee(self, action):
        return action.minutes.meeting.committee

    @admin.display(description="Meeting", ordering="minutes__meeting__date")
    def meeting_date(self, action):
        return action.minutes.meeting.date

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.minutes.can_change() is None:
            return ["minutes", "agenda_item"]
        return [field for field in self.fields if field not in self.follow_up_fields]

    def save_model(self, request, obj, form, change):
        """Through the services: the working copy while editable, else only the follow-up."""
        data = form.cleaned_data
        if "text" in data:
            action_update(
                action=Action.objects.select_related("agenda_item__meeting").get(pk=obj.pk),
                text=data["text"],
                owners=list(data["owners"]),
                due_date=data["due_date"],
                status=data["status"],
            )
        action_follow_up(
            action=obj,
            status=data["status"],
            closed_on=data["closed_on"],
            note=data["closing_note"],
        )

    def save_related(self, request, form, formsets, change):
        """Owners were saved with the action, by the service."""

    def has_add_permission(self, request):
        # An action arises under an item of some minutes: add it on that minutes' page.
        return False

    def deletion_refused(self, obj):
        return obj.minutes.can_change()

    @admin.action(description="Mark selected actions done today")
    def mark_done(self, request, queryset):
        for action in queryset:
            try:
                action_close(action=action)
            except WorkflowError as error:
                self.message_user(request, f"“{action}”: {error}", messages.WARNING)
            else:
                self.message_user(request, f"“{action}”: done.", messages.SUCCESS)
