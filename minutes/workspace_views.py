"""The secretariat's workspace for minutes: taking them, following up actions, and the
approve / publish / correct / circulate steps.

Every page works as plain forms that post and redirect. With htmx, the forms of
the take-minutes page swap only their item's section; the response is the same
template, cut down to that section.
"""

import datetime
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.page_cache import kept_per_reader
from config.pagination import page_of
from meetings.models import AgendaItem, Meeting
from members.models import Committee, Person
from members.roles import secretariat_required
from minutes.document import build_document, items_of
from minutes.exports import csv_response
from minutes.forms import (
    ActionFilterForm,
    ActionForm,
    ApproveForm,
    CloseActionForm,
    ConfirmForm,
    CorrectionForm,
    DecisionForm,
    MinuteForm,
    ReturnToDraftForm,
)
from minutes.models import Action, Decision, ItemMinute, Minutes, Publication
from minutes.services import (
    EditConflict,
    WorkflowError,
    action_add,
    action_close,
    action_delete,
    action_reopen,
    action_update,
    circulation_recipients,
    decision_add,
    decision_delete,
    decision_update,
    item_minute_save,
    minutes_approve,
    minutes_circulate,
    minutes_publish,
    minutes_publish_correction,
    minutes_return_to_draft,
    minutes_start_correction,
)
from minutes.text import render_markdown
from outbox.models import OutgoingEmail

ACTION_LOG_PAGE_SIZE = 50

# Standard items above whose text Minutebook prints a line from the record.
GENERATED_KINDS = (
    AgendaItem.Kind.APOLOGIES,
    AgendaItem.Kind.MATTERS_ARISING,
    AgendaItem.Kind.FUTURE_MEETINGS,
)


def _meeting_or_404(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee", "venue"), pk=pk)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _next_url(request, default: str) -> str:
    """Where to go after a post: the page it came from, if that is one of ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields where it has them."""
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


# -- Taking the minutes ---------------------------------------------------------------


@dataclass
class Conflict:
    """What the editor needs to merge: the other save and how it differs from theirs."""

    text: str
    saved_by: str
    saved_at: datetime.datetime | None
    lines: list[tuple[str, str]]


@dataclass
class ItemPanel:
    """One agenda item on the take-minutes page, with its forms."""

    item: AgendaItem
    minute: ItemMinute | None
    minute_form: MinuteForm
    decisions: list[tuple[Decision, DecisionForm]]
    actions: list[tuple[Action, ActionForm]]
    new_decision: DecisionForm
    new_action: ActionForm
    carried: list[tuple[Action, CloseActionForm]] = field(default_factory=list)
    preview: str | None = None
    # Whether the previewed text is what is saved already.
    preview_is_saved: bool = False
    # What Minutebook prints above the text of a standard item, from the record.
    generated: str | None = None
    conflict: Conflict | None = None
    # The delete URL of the decision or action whose deletion awaits a "yes" (no script).
    confirm_delete: str | None = None

    @property
    def label(self) -> str:
        return _item_label(self.item)


def _item_label(item: AgendaItem) -> str:
    return f"item {item.number}" if item.number else f"“{item.title}”"


def _generates(item: AgendaItem) -> bool:
    return item.kind in GENERATED_KINDS


def _generated_lines(minutes: Minutes, items) -> dict[int, str]:
    """What each standard item prints above its text, as the document would, by item pk.

    A fixed number of queries, and none when no item is a standard one.
    """
    if not any(_generates(item) for item in items):
        return {}
    document = build_document(minutes, items=items)
    by_number = {doc_item.number: doc_item for doc_item in document.items}
    lines = {}
    for item in items:
        doc_item = by_number.get(item.number)
        if _generates(item) and doc_item is not None:
            html = render_to_string(
                "minutes/workspace/includes/generated.html",
                {"item": replace(doc_item, shows_generated=True), "document": document},
            )
            lines[item.pk] = mark_safe(html.strip())  # noqa: S308 - rendered by a template
    return lines


def _items(meeting: Meeting):
    return items_of(meeting).select_related("minute__updated_by")


def _carried_actions(meeting: Meeting, items) -> list[Action]:
    if not any(item.kind == AgendaItem.Kind.MATTERS_ARISING for item in items):
        return []
    return list(
        Action.objects.outstanding_at(meeting)
        .with_context()
        .order_by("minutes__meeting__date", "agenda_item__position", "position", "pk")
    )


def _panel(item, meeting, *, bound, carried, extras, generated) -> ItemPanel:
    """The item's forms: fresh ones from the database, except those in ``bound``."""

    def form(prefix, make):
        return bound.get(prefix) or make(prefix)

    minute = getattr(item, "minute", None)
    return ItemPanel(
        item=item,
        minute=minute,
        generated=generated.get(item.pk),
        minute_form=form(
            f"minute-{item.pk}",
            lambda prefix: MinuteForm(
                prefix=prefix,
                item_label=_item_label(item),
                generates=_generates(item),
                initial={
                    "text": minute.text if minute else "",
                    "shows_generated": minute.shows_generated if minute else True,
                    "revision": minute.revision if minute else 0,
                },
            ),
        ),
        decisions=[
            (
                d,
                form(
                    f"decision-{d.pk}",
                    lambda p, d=d: DecisionForm(prefix=p, initial={"text": d.text}),
                ),
            )
            for d in item.decisions.all()
        ],
        actions=[
            (
                a,
                form(
                    f"action-{a.pk}",
                    lambda p, a=a: ActionForm(
                        prefix=p, meeting=meeting, initial=ActionForm.initial_for(a)
                    ),
                ),
            )
            for a in item.actions.all()
        ],
        new_decision=form(
            f"new-decision-{item.pk}", lambda p: DecisionForm(prefix=p, label="New decision")
        ),
        new_action=form(
            f"new-action-{item.pk}",
            lambda p: ActionForm(prefix=p, meeting=meeting, with_status=False),
        ),
        carried=[
            (a, form(f"close-{a.pk}", lambda p: CloseActionForm(prefix=p)))
            for a in (carried if item.kind == AgendaItem.Kind.MATTERS_ARISING else [])
        ],
        **extras.get(item.pk, {}),
    )


def _render_take(
    request,
    meeting: Meeting,
    *,
    item: AgendaItem | None = None,
    bound=None,
    extras=None,
    status_message="",
    saved=False,
):
    """The take-minutes page; with ``item`` and htmx, only that item's section."""
    minutes = _minutes_of(meeting)
    bound, extras = bound or {}, extras or {}
    partial = item is not None and _is_htmx(request)
    items = list(_items(meeting).filter(pk=item.pk) if partial else _items(meeting))
    carried = _carried_actions(meeting, items)
    generated = _generated_lines(minutes, items)
    panels = [
        _panel(i, meeting, bound=bound, carried=carried, extras=extras, generated=generated)
        for i in items
    ]
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "minutes": minutes,
        "editable": minutes.is_editable,
        "panels": panels,
        "status_message": status_message,
        "saved": saved,
    }
    if partial:
        return render(
            request,
            "minutes/workspace/includes/item.html",
            context | {"panel": panels[0], "partial": True},
        )
    # Subqueries, not joins: joined, every attendance of every member is a row to de-duplicate.
    context["people"] = Person.objects.filter(
        Q(pk__in=meeting.attendances.values("person"))
        | Q(pk__in=meeting.committee.memberships.values("person"))
    ).order_by("initials")
    return render(request, "minutes/workspace/take.html", context)


def _item_saved(request, item: AgendaItem, message: str):
    """After a change to an item: its fresh section (htmx), or back to it on the page."""
    if _is_htmx(request):
        return _render_take(request, item.meeting, item=item, status_message=message, saved=True)
    messages.success(request, message)
    return redirect(reverse("minutes:take", args=[item.meeting_id]) + f"#item-{item.pk}")


def _item_again(request, item: AgendaItem, form, *, extras=None):
    """Show the item again with what was typed in ``form``, and its errors."""
    extras = extras or {}
    if "confirm_delete" in extras:
        status = f"Confirm the deletion under {_item_label(item)}."
    elif form.errors:
        status = f"Not saved: see what is marked under {_item_label(item)}."
    elif "preview" in extras:
        status = f"The preview of {_item_label(item)} is below its text."
    else:
        status = ""
    return _render_take(
        request,
        item.meeting,
        item=item,
        bound={form.prefix: form},
        extras={item.pk: extras},
        status_message=status,
    )


def _agenda_item_or_404(pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), pk=pk)


@kept_per_reader
@secretariat_required
@require_safe
def take_minutes(request, pk):
    """Every agenda item with its minute, decisions and actions, all editable in place.

    The minutes start with the first thing saved; looking creates nothing. Once
    approved or published they are shown read-only until returned to draft or
    opened for correction.
    """
    return _render_take(request, _meeting_or_404(pk))


DIFF_CONTEXT = 1  # unchanged lines shown either side of a change


def _line_diff(theirs: str, yours: str) -> list[tuple[str, str]]:
    """The lines that differ, as ("theirs" | "yours" | "same" | "gap", line), in reading order.

    Long runs of unchanged lines are left out, as a "gap" saying how many.
    """
    a, b = theirs.splitlines(), yours.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines, shown_to = [], 0
    for group in matcher.get_grouped_opcodes(DIFF_CONTEXT):
        if group[0][1] > shown_to:
            lines.append(("gap", f"{group[0][1] - shown_to} unchanged line(s)"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [("same", line) for line in a[i1:i2]]
            else:
                lines += [("theirs", line) for line in a[i1:i2]]
                lines += [("yours", line) for line in b[j1:j2]]
        shown_to = group[-1][2]
    if lines and shown_to < len(a):
        lines.append(("gap", f"{len(a) - shown_to} unchanged line(s)"))
    return lines


def _saved_when(at) -> str:
    at = timezone.localtime(at)
    if at.date() == timezone.localdate():
        return date_format(at, "H:i")
    return f"{date_format(at, 'H:i')} on {date_format(at, 'l j F Y')}"


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _conflict_form(request, item: AgendaItem, form: MinuteForm, conflict: EditConflict):
    """The editor's own text again, now based on the other save's revision, with the error."""
    data = request.POST.copy()
    data[form.add_prefix("revision")] = str(conflict.revision)
    again = MinuteForm(
        data, prefix=form.prefix, item_label=_item_label(item), generates=_generates(item)
    )
    again.is_valid()
    when = f" at {_saved_when(conflict.saved_at)}" if conflict.saved_at else ""
    if conflict.saved_by == request.user:
        saved = f"You saved this item in another window or tab{when}"
    else:
        who = f" (by {_display_name(conflict.saved_by)})" if conflict.saved_by else ""
        saved = f"Someone else saved this item{when}{who}"
    again.add_error(
        "text",
        f"{saved} after you opened it, so your text was not saved. The saved version is "
        "shown below: merge it with yours, then save again.",
    )
    return again


@secretariat_required
@require_POST
def item_minute_save_view(request, pk):
    """Save an item's minute text (refused if someone saved it since), or preview it."""
    item = _agenda_item_or_404(pk)
    form = MinuteForm(
        request.POST,
        prefix=f"minute-{item.pk}",
        item_label=_item_label(item),
        generates=_generates(item),
    )
    if not form.is_valid():
        return _item_again(request, item, form)
    text = form.cleaned_data["text"]
    if "preview" in request.POST:
        saved = ItemMinute.objects.filter(agenda_item=item).values_list("text", flat=True).first()
        preview = {"preview": render_markdown(text), "preview_is_saved": saved == text}
        return _item_again(request, item, form, extras=preview)
    try:
        item_minute_save(
            agenda_item=item,
            text=text,
            expected_revision=form.cleaned_data["revision"],
            by=request.user,
            shows_generated=form.cleaned_data.get("shows_generated"),
        )
    except EditConflict as conflict:
        conflict_view = Conflict(
            text=conflict.text,
            saved_by=_display_name(conflict.saved_by),
            saved_at=conflict.saved_at,
            lines=_line_diff(conflict.text, text),
        )
        again = _conflict_form(request, item, form, conflict)
        return _item_again(request, item, again, extras={"conflict": conflict_view})
    except WorkflowError as error:
        form.add_error(None, str(error))
        return _item_again(request, item, form)
    return _item_saved(request, item, f"Minute of {_item_label(item)} saved.")


def _item_change(
    request, item, form, operation: Callable[[dict], object], message: str, *, validate=True
):
    """Run ``operation`` with the form's data; on any problem show the item again, as typed.

    ``validate=False`` is for deletions, which post the row's form only so that
    its text survives a refusal. With scripts the browser has asked "Delete?"
    already; without, the item is shown again asking for a "yes" first.
    """
    if not validate and not _is_htmx(request) and request.POST.get("confirm") != "yes":
        return _item_again(request, item, form, extras={"confirm_delete": request.path})
    if not validate or form.is_valid():
        try:
            operation(form.cleaned_data if validate else {})
        except WorkflowError as error:
            form.is_valid()
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _item_saved(request, item, message)
    return _item_again(request, item, form)


@secretariat_required
@require_POST
def decision_add_view(request, pk):
    item = _agenda_item_or_404(pk)
    form = DecisionForm(request.POST, prefix=f"new-decision-{item.pk}", label="New decision")
    return _item_change(
        request,
        item,
        form,
        lambda data: decision_add(agenda_item=item, text=data["text"]),
        f"Decision added to {_item_label(item)}.",
    )


def _decision_or_404(pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("agenda_item__meeting__committee", "minutes"), pk=pk
    )


def _decision_change(request, pk, *, delete: bool):
    decision = _decision_or_404(pk)
    item = decision.agenda_item
    form = DecisionForm(request.POST, prefix=f"decision-{decision.pk}")
    if delete:
        return _item_change(
            request,
            item,
            form,
            lambda data: decision_delete(decision=decision),
            f"Decision deleted from {_item_label(item)}.",
            validate=False,
        )
    return _item_change(
        request,
        item,
        form,
        lambda data: decision_update(decision=decision, text=data["text"]),
        f"Decision under {_item_label(item)} saved.",
    )


@secretariat_required
@require_POST
def decision_update_view(request, pk):
    return _decision_change(request, pk, delete=False)


@secretariat_required
@require_POST
def decision_delete_view(request, pk):
    return _decision_change(request, pk, delete=True)


@secretariat_required
@require_POST
def action_add_view(request, pk):
    item = _agenda_item_or_404(pk)
    form = ActionForm(
        request.POST, prefix=f"new-action-{item.pk}", meeting=item.meeting, with_status=False
    )
    return _item_change(
        request,
        item,
        form,
        lambda data: action_add(
            agenda_item=item,
            reference=data["reference"],
            text=data["text"],
            owners=data["owners"],
            owners_as_written=data["owners_as_written"],
            due_date=data["due_date"],
        ),
        f"Action added to {_item_label(item)}.",
    )


def _action_or_404(pk: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("agenda_item__meeting__committee", "minutes__meeting"),
        pk=pk,
    )


def _action_change(request, pk, *, delete: bool):
    action = _action_or_404(pk)
    item = action.agenda_item
    form = ActionForm(request.POST, prefix=f"action-{action.pk}", meeting=item.meeting)
    if delete:
        return _item_change(
            request,
            item,
            form,
            lambda data: action_delete(action=action),
            f"Action deleted from {_item_label(item)}.",
            validate=False,
        )
    return _item_change(
        request,
        item,
        form,
        lambda data: action_update(
            action=action,
            reference=data["reference"],
            text=data["text"],
            owners=data["owners"],
            owners_as_written=data["owners_as_written"],
            due_date=data["due_date"],
            status=data["status"],
        ),
        f"Action under {_item_label(item)} saved.",
    )


@secretariat_required
@require_POST
def action_update_view(request, pk):
    return _action_change(request, pk, delete=False)


@secretariat_required
@require_POST
def action_delete_view(request, pk):
    return _action_change(request, pk, delete=True)


# -- The action log -------------------------------------------------------------------


def _log_actions(request, committee: Committee):
    """The action log's filter form, and the actions it picks, in the order of the log."""
    owners = (
        Person.objects.filter(actions__minutes__meeting__committee=committee)
        .distinct()
        .order_by("family_name", "given_name")
    )
    filter_form = ActionFilterForm(request.GET, owners=owners)
    status, owner = filter_form.filters()
    actions = Action.objects.for_committee(committee).with_context()
    if status == ActionFilterForm.OVERDUE:
        actions = actions.overdue()
    elif status != ActionFilterForm.ALL:
        actions = actions.filter(status=status)
    if owner is not None:
        actions = actions.owned_by(owner)
    order = ["minutes__meeting__date", "agenda_item__position", "position", "pk"]
    if status not in (Action.Status.OPEN, ActionFilterForm.OVERDUE):
        # What is closed (or everything) reads back from the latest meeting.
        order[0] = "-minutes__meeting__date"
    return filter_form, status, owner, actions.order_by(*order)


def _render_log(request, committee: Committee, *, bound=None):
    filter_form, status, owner, actions = _log_actions(request, committee)
    bound = bound or {}
    page = page_of(request, actions, ACTION_LOG_PAGE_SIZE)
    rows = [
        (action, bound.get(action.pk) or CloseActionForm(prefix=f"close-{action.pk}"))
        for action in page
    ]
    return render(
        request,
        "minutes/workspace/action_log.html",
        {
            "committee": committee,
            "filter_form": filter_form,
            "status": status,
            "owner": owner,
            "rows": rows,
            "page": page,
        },
    )


@kept_per_reader
@secretariat_required
@require_safe
def action_log(request, slug):
    """The committee's actions across meetings: open, overdue, done or withdrawn, by owner."""
    return _render_log(request, get_object_or_404(Committee, slug=slug))


@secretariat_required
@require_safe
def action_log_csv(request, slug):
    """The action log as the page shows it, with the same filters, as a spreadsheet."""
    committee = get_object_or_404(Committee, slug=slug)
    _, status, _, actions = _log_actions(request, committee)
    today = timezone.localdate()
    return csv_response(
        f"{committee.slug}-actions-{status}-{today}.csv",
        [
            "Meeting",
            "Item",
            "Reference",
            "Action",
            "Owners",
            "Owner names",
            "Due",
            "Status",
            "Overdue",
            "Closed on",
            "Note",
        ],
        (
            [
                action.minutes.meeting.date,
                action.agenda_item.number or action.agenda_item.title,
                action.reference,
                action.text,
                action.owner_initials,
                ", ".join(person.full_name for person in action.owners.all()),
                action.due_date,
                action.get_status_display(),
                action.is_overdue(today),
                action.closed_on,
                action.closing_note,
            ]
            for action in actions
        ),
    )


def _log_url(action: Action) -> str:
    return reverse("minutes:action_log", args=[action.minutes.meeting.committee.slug])


@secretariat_required
@require_POST
def action_close_view(request, pk):
    """Mark an action done or withdrawn, with a note; dated today."""
    action = _action_or_404(pk)
    form = CloseActionForm(request.POST, prefix=f"close-{action.pk}")
    if not form.is_valid():
        return _render_log(request, action.minutes.meeting.committee, bound={action.pk: form})
    try:
        action_close(
            action=action, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Action marked {action.get_status_display().lower()}: {action.text}"
        )
    return redirect(_next_url(request, _log_url(action)))


@secretariat_required
@require_POST
def action_reopen_view(request, pk):
    """Open a closed action again, so that it carries forward to the next meeting."""
    action = _action_or_404(pk)
    try:
        action_reopen(action=action)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Action reopened: {action.text}")
    return redirect(_next_url(request, _log_url(action)))


# -- Approve, publish, correct, circulate ---------------------------------------------


@dataclass(frozen=True)
class Step:
    """A step in the minutes' workflow, behind a confirmation page."""

    slug: str
    label: str
    form_class: type
    refusal: Callable[[Minutes], str | None]  # the model's precondition: why not, or None
    run: Callable  # (request, minutes, cleaned_data) -> success message

    def is_available(self, minutes: Minutes) -> bool:
        return self.refusal(minutes) is None


def _approve(request, minutes, data) -> str:
    minutes_approve(
        minutes=minutes,
        by=request.user,
        at_meeting=data["at_meeting"],
        on=data["on"],
        how=data["how"],
        wording=data["wording"],
    )
    if minutes.is_published:
        return (
            "The minutes are recorded as approved. They are being republished as confirmed: "
            "the new version appears below in a moment."
        )
    return "The minutes are recorded as approved. They can now be published."


def _return_to_draft(request, minutes, data) -> str:
    minutes_return_to_draft(minutes=minutes, by=request.user, note=data["note"])
    return "The minutes are a draft again: they can be changed, and need approving once more."


def _publish(request, minutes, data) -> str:
    minutes_publish(minutes=minutes, by=request.user)
    return (
        "The minutes are being published: members can read them as soon as the version "
        "appears below, in a moment."
    )


def _start_correction(request, minutes, data) -> str:
    minutes_start_correction(minutes=minutes, by=request.user)
    return "The minutes are open for correction. Members keep seeing the published version."


def _publish_correction(request, minutes, data) -> str:
    minutes_publish_correction(minutes=minutes, by=request.user, reason=data["reason"])
    return "The correction is being published: the new version appears below in a moment."


def _circulate(request, minutes, data) -> str:
    circulation = minutes_circulate(minutes=minutes, by=request.user)
    count = len(circulation.queued_for)
    message = (
        f"The minutes are being emailed to {count} member{pluralize(count)}: "
        "the history shows when each email is sent."
    )
    if circulation.not_sent:
        message += f" Not sent to {get_text_list(circulation.not_sent, 'and')}: no email address."
    return message


STEPS = {
    step.slug: step
    for step in (
        Step("approve", "Record approval", ApproveForm, Minutes.can_approve, _approve),
        Step(
            "return-to-draft",
            "Return to draft",
            ReturnToDraftForm,
            Minutes.can_return_to_draft,
            _return_to_draft,
        ),
        Step("publish", "Publish", ConfirmForm, Minutes.can_publish, _publish),
        Step(
            "start-correction",
            "Start a correction",
            ConfirmForm,
            Minutes.can_start_correction,
            _start_correction,
        ),
        Step(
            "publish-correction",
            "Publish the correction",
            CorrectionForm,
            Minutes.can_publish_correction,
            _publish_correction,
        ),
        # Any minutes may be circulated, as a draft, a working copy or a published version.
        Step("circulate", "Circulate by email", ConfirmForm, lambda m: None, _circulate),
    )
}


def _minutes_of(meeting: Meeting) -> Minutes:
    """The meeting's minutes, or, until anything is recorded, an unsaved draft to show.

    Pages that only look never create minutes; the first step that records
    something does (``minutes_for_meeting``).
    """
    return Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)


# What the history's "Email: 2 sent, 1 failed" needs of each circulation's emails, all at once.
_EMAIL_STATUSES = OutgoingEmail.objects.only("status", "minutes_event")


@secretariat_required
@require_safe
def workflow(request, pk):
    """Where the minutes are on their way to the record, what can happen next, and what has."""
    minutes = _minutes_of(_meeting_or_404(pk))
    meeting = minutes.meeting
    started = minutes.pk is not None
    return render(
        request,
        "minutes/workspace/workflow.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "minutes": minutes,
            "steps": [step for step in STEPS.values() if step.is_available(minutes)],
            "publication": (
                Publication.objects.filter(minutes=minutes).first() if started else None
            ),
            "events": (
                minutes.events.select_related("by", "version", "pending")
                .prefetch_related(Prefetch("emails", _EMAIL_STATUSES))
                .order_by("-at", "-pk")
                if started
                else []
            ),
            "versions": (
                minutes.versions.select_related("created_by").order_by("-number") if started else []
            ),
        },
    )


def _step_form(step: Step, minutes: Minutes, data=None):
    if step.form_class is ApproveForm:
        meeting = minutes.meeting
        agreed_at = (
            AgendaItem.objects.filter(
                kind=AgendaItem.Kind.PREVIOUS_MINUTES, previous_meeting=meeting
            )
            .values_list("meeting", flat=True)
            .first()
        )
        initial = {"at_meeting": agreed_at}
        if agreed_at:
            initial["how"] = Minutes.Approval.AT_MEETING
        return ApproveForm(data, meeting=meeting, initial=initial)
    return step.form_class(data)


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def workflow_step(request, pk, step):
    """Confirm a step (GET), then take it (POST). A refusal is shown at the form."""
    if step not in STEPS:
        raise Http404("No such step.")
    step = STEPS[step]
    meeting = _meeting_or_404(pk)
    minutes = _minutes_of(meeting)
    workflow_url = reverse("minutes:workflow", args=[meeting.pk])
    if request.method == "POST":
        form = _step_form(step, minutes, request.POST)
        if form.is_valid():
            try:
                # Minutes not yet started begin in the service, and only if the step is taken.
                message = step.run(request, minutes, form.cleaned_data)
            except WorkflowError as error:
                form.add_error(getattr(form, "field_for_workflow_error", None), str(error))
            else:
                messages.success(request, message)
                return redirect(workflow_url)
    elif (refusal := step.refusal(minutes)) is not None:
        messages.info(request, f"“{step.label}” is not possible now. {refusal}")
        return redirect(workflow_url)
    else:
        form = _step_form(step, minutes)
    context = {
        "meeting": minutes.meeting,
        "committee": minutes.meeting.committee,
        "minutes": minutes,
        "step": step,
        "form": form,
    }
    if step.slug == "publish":
        # Whom the page may promise the minutes to: the visibility rule's answer for anyone.
        context["public"] = (
            Committee.objects.readable_by(AnonymousUser())
            .filter(pk=minutes.meeting.committee_id)
            .exists()
        )
    if step.slug == "circulate":
        context["recipients"], context["without"] = circulation_recipients(
            committee=minutes.meeting.committee
        )
    return render(request, "minutes/workspace/workflow_step.html", context)
