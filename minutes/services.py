"""The way minutes go from draft to approved to published, and are corrected.

Each step is a named function that checks the step is allowed, records who
took it and when, and leaves the minutes in their new state. A published
version is never changed: a correction publishes a new one.
"""

import datetime
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from meetings.services import meeting_mark_held_if_due
from members.models import Committee, Person
from minutes import search
from minutes.document import Correction, DocumentState, MinutesDocument, build_document
from minutes.emails import circulation_email
from minutes.models import (
    Action,
    Decision,
    ItemMinute,
    Minutes,
    MinutesEvent,
    MinutesVersion,
    PendingCirculation,
    Publication,
    PublishedAction,
    minutes_pdf_path,
)
from minutes.pdf import html_to_pdf
from outbox.models import OutgoingEmail
from outbox.services import queue_emails

PDF_TEMPLATE = "minutes/pdf/minutes.html"

logger = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A step the minutes cannot take in their current state; the message says why."""


def minutes_for_meeting(*, meeting: Meeting) -> Minutes:
    """The meeting's minutes, started as a draft if there are none yet."""
    minutes, created = Minutes.objects.get_or_create(meeting=meeting)
    if created:
        meeting_mark_held_if_due(meeting)
    return minutes


def render_minutes_pdf(document: MinutesDocument) -> bytes:
    return html_to_pdf(render_to_string(PDF_TEMPLATE, {"document": document}))


def pdf_filename(minutes: Minutes, version: MinutesVersion | None = None, *, latest=True) -> str:
    """ "socitm-futures-minutes-2009-11-16.pdf"; drafts and superseded versions say so."""
    meeting = minutes.meeting
    stem = f"{meeting.committee.slug}-minutes-{meeting.date.isoformat()}"
    if version is None:
        return f"{stem}-draft.pdf"
    if not latest:
        return f"{stem}-version-{version.number}.pdf"
    return f"{stem}.pdf"


def _locked(minutes: Minutes) -> Minutes:
    """The minutes, locked for a step; minutes not yet started begin here.

    Call inside a transaction: a step that is then refused rolls the new
    minutes back with it, so looking and refusing leave nothing behind.
    """
    if minutes.pk is None:
        minutes = minutes_for_meeting(meeting=minutes.meeting)
    return (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )


def _refuse(reason: str | None) -> None:
    """Raise the model's reason for refusing a step, if it gave one."""
    if reason is not None:
        raise WorkflowError(reason)


def _refresh(minutes: Minutes, fresh: Minutes) -> None:
    """Bring the caller's object up to date after a step."""
    for field in (
        "id",
        "status",
        "approval",
        "approval_wording",
        "approved_on",
        "approved_at_meeting_id",
        "approved_by_id",
        "updated_at",
    ):
        setattr(minutes, field, getattr(fresh, field))


def minutes_approve(
    *,
    minutes: Minutes,
    by,
    at_meeting: Meeting | None = None,
    on: datetime.date | None = None,
    how: str | None = None,
    wording: str = "",
) -> Minutes:
    """Record that the minutes were agreed as a correct record, and how.

    Normally ``at_meeting`` is the later meeting whose "minutes of the last
    meeting" item agreed them. Otherwise ``how`` says: at a meeting not recorded
    here or by correspondence (``on`` optional), in the original minutes' own
    ``wording`` (minutes kept before Minutebook; ``on`` optional), or on the
    date ``on`` (the default when only a date is given). Unconfirmed minutes
    that are already published are republished as confirmed.
    """
    meeting = minutes.meeting
    wording = " ".join(wording.split())
    if at_meeting is not None:
        if how not in (None, Minutes.Approval.AT_MEETING):
            raise WorkflowError("Give the meeting only for approval at a meeting recorded here.")
        if at_meeting.committee_id != meeting.committee_id or at_meeting.date <= meeting.date:
            raise WorkflowError("Minutes are approved at a later meeting of the same committee.")
        how, on = Minutes.Approval.AT_MEETING, at_meeting.date
    how = how or Minutes.Approval.ON_DATE
    if how not in Minutes.Approval.values:
        raise ValueError(f"Unknown way of approving minutes: {how!r}")
    if how == Minutes.Approval.AT_MEETING and at_meeting is None:
        raise WorkflowError("Choose the meeting that approved the minutes.")
    if how == Minutes.Approval.ON_DATE and on is None:
        raise WorkflowError("Say at which meeting, or on what date, the minutes were approved.")
    if how == Minutes.Approval.AS_WRITTEN and not wording:
        raise WorkflowError("Give the words with which the original minutes record approval.")
    if on is not None and on < meeting.date:
        raise WorkflowError("Minutes cannot be approved before the meeting took place.")
    if on is not None and on > timezone.localdate():
        raise WorkflowError("Approval cannot be recorded for a date in the future.")

    with transaction.atomic():
        fresh = _locked(minutes)
        _refuse(fresh.can_approve())
        was_published = fresh.is_published
        fresh.approval = how
        fresh.approved_on = on
        fresh.approved_at_meeting = at_meeting
        fresh.approval_wording = wording if how == Minutes.Approval.AS_WRITTEN else ""
        fresh.approved_by = by
        if not was_published:
            fresh.status = Minutes.Status.APPROVED
        fresh.save()
        sentence = fresh.approval_sentence
        MinutesEvent.objects.create(
            minutes=fresh, kind=MinutesEvent.Kind.APPROVED, by=by, note=sentence[:500]
        )
        if was_published:
            _ask_for_version(
                fresh,
                by=by,
                kind=MinutesVersion.Kind.CONFIRMED,
                reason=f"{sentence.rstrip('.')}."[:500],
            )
    _refresh(minutes, fresh)
    return minutes


def minutes_publish_historic(
    *,
    minutes: Minutes,
    by,
    approval_wording: str,
    approved_on: datetime.date | None = None,
    generated_lines: bool = False,
) -> Publication:
    """Publish minutes kept before Minutebook as they were: approved in their own words
    ("Signed by the Chair as a correct record"), and, unless ``generated_lines``, with
    nothing Minutebook would write from its own records (apologies received, actions
    carried forward, future dates) added to their text.

    For minutes brought in from elsewhere, still in draft. Like :func:`minutes_publish`
    it answers at once and a task makes the version; if the PDF cannot be rendered the
    minutes stay approved, and publishing can be tried again.
    """
    if not " ".join(approval_wording.split()):
        raise WorkflowError("Give the words with which the original minutes record approval.")
    with transaction.atomic():
        fresh = _locked(minutes)
        # Approved already at a later meeting brought in too: that approval stands.
        approved_here = bool(fresh.approved_at_meeting_id) and not fresh.is_published
        if not approved_here:
            fresh = _editable_locked(minutes)
        items = list(fresh.meeting.agenda_items.all())
        existing = {m.agenda_item_id: m for m in ItemMinute.objects.filter(minutes=fresh)}
        ItemMinute.objects.filter(minutes=fresh).update(shows_generated=generated_lines)
        ItemMinute.objects.bulk_create(
            ItemMinute(minutes=fresh, agenda_item=item, shows_generated=generated_lines)
            for item in items
            if item.pk not in existing
        )
    if approved_here:
        minutes.refresh_from_db()
    else:
        minutes_approve(
            minutes=minutes,
            by=by,
            how=Minutes.Approval.AS_WRITTEN,
            wording=approval_wording,
            on=approved_on,
        )
    return minutes_publish(minutes=minutes, by=by)


def minutes_return_to_draft(*, minutes: Minutes, by, note: str = "") -> Minutes:
    """Undo an approval that has not been published yet, to allow amendments."""
    with transaction.atomic():
        fresh = _locked(minutes)
        _refuse(fresh.can_return_to_draft())
        fresh.status = Minutes.Status.DRAFT
        fresh.approval = ""
        fresh.approval_wording = ""
        fresh.approved_on = None
        fresh.approved_at_meeting = None
        fresh.approved_by = None
        fresh.save()
        MinutesEvent.objects.create(
            minutes=fresh, kind=MinutesEvent.Kind.RETURNED_TO_DRAFT, by=by, note=note
        )
    _refresh(minutes, fresh)
    return minutes


def minutes_publish(*, minutes: Minutes, by) -> Publication:
    """Publish approved minutes (or, where the committee allows, unconfirmed ones).

    Answers at once: the version is rendered and committed by a background task
    (:func:`publication_complete`); downloads are served from storage from then on.
    """
    with transaction.atomic():
        fresh = _locked(minutes)
        _refuse(fresh.can_publish())
        publication = _ask_for_version(fresh, by=by, kind=MinutesVersion.Kind.ORIGINAL)
    _refresh(minutes, fresh)
    return publication


def minutes_start_correction(*, minutes: Minutes, by) -> Minutes:
    """Open published minutes for correction. Readers keep seeing the published version."""
    with transaction.atomic():
        fresh = _locked(minutes)
        _refuse(fresh.can_start_correction())
        fresh.status = Minutes.Status.CORRECTING
        fresh.save()
        MinutesEvent.objects.create(minutes=fresh, kind=MinutesEvent.Kind.CORRECTION_STARTED, by=by)
    _refresh(minutes, fresh)
    return minutes


def minutes_publish_correction(*, minutes: Minutes, by, reason: str) -> Publication:
    """Publish the corrected minutes as a new version; earlier versions stay available."""
    reason = " ".join(reason.split())
    if not reason:
        raise WorkflowError("Say why the minutes are being corrected.")
    with transaction.atomic():
        fresh = _locked(minutes)
        _refuse(fresh.can_publish_correction())
        publication = _ask_for_version(
            fresh, by=by, kind=MinutesVersion.Kind.CORRECTED, reason=reason
        )
    _refresh(minutes, fresh)
    return publication


def _ask_for_version(minutes: Minutes, *, by, kind: str, reason: str = "") -> Publication:
    """Record that a version is wanted, and queue the task that publishes it.

    Call inside the step's transaction: the task is queued only if the step commits.
    """
    from minutes.tasks import publish_minutes

    # One that failed (its problem shown in the workspace) gives way to this one.
    Publication.objects.filter(minutes=minutes).delete()
    publication = Publication.objects.create(
        minutes=minutes, kind=kind, reason=reason, requested_by=by
    )
    publish_minutes.enqueue(minutes_id=minutes.pk)
    return publication


# A version is committed only from the working copy it was rendered from. An edit
# saved during the render means rendering again, this many times at most.
PUBLISH_ATTEMPTS = 3


class PublicationSuperseded(Exception):
    """The working copy changed while its PDF rendered; render it again."""


def publication_complete(*, minutes_id: int) -> MinutesVersion | None:
    """Render and commit the version asked for, if any is still wanted (the task's work).

    The PDF renders outside any transaction or lock, so saving, logging in and
    reading go on meanwhile. The version commits only if the working copy is
    still at the revision the PDF was rendered from; otherwise the PDF renders
    again. The file is written to storage after the commit, under the version's
    own name: a crash before the commit leaves no file, one after it leaves a
    version whose PDF is rendered again when first asked for
    (:func:`open_stored_pdf`). Safe to run again: with nothing wanted, it does nothing.
    """
    for _ in range(PUBLISH_ATTEMPTS):
        try:
            return _publish_once(minutes_id)
        except PublicationSuperseded:
            continue
    Publication.objects.filter(minutes_id=minutes_id).update(
        problem="The minutes kept changing while they were being published. "
        "Publish them again when the editing is done."
    )
    return None


def task_problem(error: BaseException, *, again: str) -> str:
    """What the workspace says when a background render failed: what went wrong, and what to do."""
    detail = " ".join(str(error).split()) or type(error).__name__
    return f"The PDF could not be made ({detail[:300]}). {again}"[:500]


def publication_failed(*, minutes_id: int, error: BaseException) -> None:
    """Say why the version asked for was not made, so the workspace stops saying "publishing"."""
    Publication.objects.filter(minutes_id=minutes_id).update(
        problem=task_problem(error, again="Publish them again; if it fails again, tell the "
                             "site's administrators.")
    )  # fmt: skip


def circulation_failed(*, event_id: int, error: BaseException) -> None:
    """Say why a circulation's emails were not prepared: none was queued, none was sent."""
    PendingCirculation.objects.filter(event_id=event_id).update(
        problem=task_problem(error, again="No email was sent. Circulate them again; if it fails "
                             "again, tell the site's administrators.")
    )  # fmt: skip


def _snapshot(minutes: Minutes) -> tuple:
    """What a version's kind and wording depend on that a workflow step can change."""
    return (minutes.status, minutes.approved_on, minutes.approved_at_meeting_id)


def _publish_once(minutes_id: int) -> MinutesVersion | None:
    publication = (
        Publication.objects.select_related("minutes__meeting__committee")
        .filter(minutes_id=minutes_id)
        .first()
    )
    if publication is None:
        return None
    minutes = publication.minutes
    rendered_from = _snapshot(minutes)
    kind, reason = publication.kind, publication.reason
    earlier = list(minutes.versions.order_by("number").values_list("kind", "created_at", "reason"))
    number = len(earlier) + 1
    corrections = [
        Correction(on=timezone.localtime(created).date(), reason=why)
        for earlier_kind, created, why in earlier
        if earlier_kind == MinutesVersion.Kind.CORRECTED
    ]
    if kind == MinutesVersion.Kind.CORRECTED:
        corrections.append(Correction(on=timezone.localdate(), reason=reason))
    state = DocumentState.APPROVED if minutes.is_confirmed else DocumentState.UNCONFIRMED

    def as_it_stands():
        return build_document(minutes, state=state, version=number, corrections=corrections)

    document = as_it_stands()
    pdf_bytes = render_minutes_pdf(document)

    with transaction.atomic():
        fresh = _locked(minutes)
        if not Publication.objects.select_for_update().filter(pk=publication.pk).exists():
            return None  # another worker published it meanwhile
        if _snapshot(fresh) != rendered_from or fresh.versions.count() != len(earlier):
            raise PublicationSuperseded
        # Anything saved during the render that the version would show (text, decisions,
        # actions, attendance, the agenda, the meeting's details, names) makes it out of
        # date. Asked of the content itself, so no change can slip past. Changes to the
        # record take the minutes' lock (``_editable_locked``, ``check_record_open``), so
        # none lands between this look and the commit.
        if as_it_stands().to_json() != document.to_json():
            raise PublicationSuperseded
        version = MinutesVersion(
            minutes=fresh,
            number=number,
            kind=kind,
            created_by=publication.requested_by,
            reason=reason,
            confirmed=fresh.is_confirmed,
            document=document.to_json(),
            plain_text=document.plain_text(),
            pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
            pdf_size=len(pdf_bytes),
        )
        stem = f"{fresh.meeting.committee.slug}-minutes-{fresh.meeting.date.isoformat()}"
        version.pdf.name = minutes_pdf_path(version, f"{stem}-v{number}.pdf")
        version.save()
        _publish_actions(fresh)
        search.index_version(version)
        fresh.status = Minutes.Status.PUBLISHED
        fresh.current_version = version
        fresh.save()
        MinutesEvent.objects.create(
            minutes=fresh,
            kind=(
                MinutesEvent.Kind.CORRECTED
                if kind == MinutesVersion.Kind.CORRECTED
                else MinutesEvent.Kind.PUBLISHED
            ),
            by=publication.requested_by,
            note=reason,
            version=version,
        )
        Publication.objects.filter(pk=publication.pk).delete()
    _store_pdf(version.pdf.name, pdf_bytes)
    return version


def _store_pdf(name: str, pdf_bytes: bytes) -> None:
    """Write a committed version's PDF under its own name (never a renamed duplicate)."""
    if default_storage.exists(name):
        return  # written already: this is a re-run, or a missing file restored meanwhile
    saved = default_storage.save(name, ContentFile(pdf_bytes))
    if saved != name:  # another process wrote it between our look and our write
        default_storage.delete(saved)


def open_stored_pdf(version: MinutesVersion):
    """The version's stored PDF, opened for reading.

    A file missing from storage (lost, or never written because the process
    stopped after the commit) is rendered again from the version's frozen
    document, stored, and a warning logged: readers get their PDF, not an error.
    """
    try:
        return default_storage.open(version.pdf.name, "rb")
    except FileNotFoundError:
        pass
    logger.warning(
        "The PDF of %s (%s) is missing from storage: rendering it again from the published "
        "version.",
        version,
        version.pdf.name,
    )
    pdf_bytes = render_minutes_pdf(MinutesDocument.from_json(version.document))
    _store_pdf(version.pdf.name, pdf_bytes)
    return ContentFile(pdf_bytes, name=version.pdf.name)


_PUBLISHED_ACTION_FIELDS = (
    "agenda_item_id",
    "position",
    "reference",
    "text",
    "owners_as_written",
    "due_date",
    "status",
    "closed_on",
    "closing_note",
)


def _publish_actions(minutes: Minutes) -> None:
    """Make the working copy's actions the ones readers see, replacing those published before.

    Runs inside the publishing transaction, with the minutes locked, so it
    copies the same working copy the version froze.
    """
    minutes.published_actions.all().delete()
    actions = list(minutes.actions.prefetch_related("owners"))
    published = PublishedAction.objects.bulk_create(
        PublishedAction(
            minutes=minutes,
            action=action,
            **{name: getattr(action, name) for name in _PUBLISHED_ACTION_FIELDS},
        )
        for action in actions
    )
    Owner = PublishedAction.owners.through
    Owner.objects.bulk_create(
        Owner(publishedaction_id=row.pk, person_id=person.pk)
        for row, action in zip(published, actions, strict=True)
        for person in action.owners.all()
    )


# -- Taking the minutes -------------------------------------------------------------


class EditConflict(Exception):
    """Someone else saved the item's minute since the editor loaded it.

    Carries what they saved, so the editor can merge it with their own text.
    """

    def __init__(self, current: ItemMinute | None):
        self.text = current.text if current else ""
        self.revision = current.revision if current else 0
        self.saved_at = current.updated_at if current else None
        self.saved_by = current.updated_by if current else None
        super().__init__("Someone else saved this item since you opened it.")


def _editable_locked(minutes: Minutes) -> Minutes:
    """Lock the minutes for a change to the working copy, or say why they cannot change.

    Call inside a transaction. The lock makes a change and a publication take turns.
    """
    fresh = _locked(minutes)
    _refuse(fresh.can_change())
    return fresh


def item_minute_save(
    *,
    agenda_item: AgendaItem,
    text: str,
    expected_revision: int,
    by,
    shows_generated: bool | None = None,
) -> ItemMinute:
    """Save an item's minute text unless someone else saved it since ``expected_revision``.

    ``shows_generated`` turns the item's generated line (for a standard item) on
    or off; None leaves it as it is.

    Compare-and-set: the update only applies to the revision the editor started
    from, so of two people saving the same revision the later one gets an
    :class:`EditConflict` rather than silently overwriting the earlier.
    """
    with transaction.atomic():
        minutes = _editable_locked(Minutes(meeting=agenda_item.meeting))
        current = (
            ItemMinute.objects.select_related("updated_by").filter(agenda_item=agenda_item).first()
        )
        if current is None:
            if expected_revision != 0:
                raise EditConflict(None)
            try:
                with transaction.atomic():
                    return ItemMinute.objects.create(
                        minutes=minutes,
                        agenda_item=agenda_item,
                        text=text,
                        shows_generated=True if shows_generated is None else shows_generated,
                        revision=1,
                        updated_by=by,
                    )
            except IntegrityError:
                # Someone created it between our read and our write.
                current = ItemMinute.objects.select_related("updated_by").get(
                    agenda_item=agenda_item
                )
                raise EditConflict(current) from None
        if shows_generated is None:
            shows_generated = current.shows_generated
        if current.text == text and current.shows_generated == shows_generated:
            # Nothing to merge, even if another save came in between.
            return current
        updated = ItemMinute.objects.filter(pk=current.pk, revision=expected_revision).update(
            text=text,
            shows_generated=shows_generated,
            revision=F("revision") + 1,
            updated_by=by,
            updated_at=timezone.now(),
        )
        current = ItemMinute.objects.select_related("updated_by").get(pk=current.pk)
        if not updated:
            raise EditConflict(current)
    return current


def _next_position(rows) -> int:
    return (rows.aggregate(last=Max("position"))["last"] or 0) + 1


def decision_add(*, agenda_item: AgendaItem, text: str, position: int | None = None) -> Decision:
    """Record what was agreed under an item, after its other decisions unless told where."""
    with transaction.atomic():
        minutes = _editable_locked(Minutes(meeting=agenda_item.meeting))
        return Decision.objects.create(
            minutes=minutes,
            agenda_item=agenda_item,
            text=text,
            position=position or _next_position(agenda_item.decisions.all()),
        )


def decision_update(*, decision: Decision, text: str, position: int | None = None) -> Decision:
    with transaction.atomic():
        _editable_locked(decision.minutes)
        decision.text = text
        decision.position = position or decision.position
        decision.save(update_fields=["text", "position"])
    return decision


def item_minute_delete(*, item_minute: ItemMinute) -> None:
    """Take an item's minute text out of the working copy (the admin's delete box)."""
    with transaction.atomic():
        _editable_locked(item_minute.minutes)
        item_minute.delete()


def decision_delete(*, decision: Decision) -> None:
    with transaction.atomic():
        _editable_locked(decision.minutes)
        decision.delete()


def _check_action(*, agenda_item: AgendaItem, owners: Sequence[Person], due_date) -> None:
    errors = {}
    if not owners:
        errors["owners"] = "Say who will do this."
    if why := Action.due_date_problem(due_date, agenda_item.meeting):
        errors["due_date"] = why
    if errors:
        raise ValidationError(errors)


def _set_action_status(action: Action, status: str, *, note: str = "", on=None) -> None:
    if status == Action.Status.OPEN:
        action.closed_on = None
        action.closing_note = ""
    elif action.status == Action.Status.OPEN:
        action.closed_on = on or timezone.localdate()
        action.closing_note = note
    action.status = status


def action_add(
    *,
    agenda_item: AgendaItem,
    text: str,
    owners: Sequence[Person],
    due_date: datetime.date | None = None,
    reference: str = "",
    owners_as_written: str = "",
) -> Action:
    """Record an action arising under an item: what, who ("Action: SH") and by when.

    ``reference`` is the action's own number ("2.10"); ``owners_as_written`` how
    the minutes print the owners ("TG & BM"), else their initials joined by commas.
    """
    _check_action(agenda_item=agenda_item, owners=owners, due_date=due_date)
    with transaction.atomic():
        minutes = _editable_locked(Minutes(meeting=agenda_item.meeting))
        action = Action.objects.create(
            minutes=minutes,
            agenda_item=agenda_item,
            reference=reference,
            text=text,
            owners_as_written=owners_as_written,
            due_date=due_date,
            position=_next_position(agenda_item.actions.all()),
        )
        action.owners.set(owners)
    return action


def action_update(
    *,
    action: Action,
    text: str,
    owners: Sequence[Person],
    due_date: datetime.date | None,
    status: str,
    reference: str = "",
    owners_as_written: str = "",
) -> Action:
    """Change an action in the working copy; closing it here dates it today."""
    _check_action(agenda_item=action.agenda_item, owners=owners, due_date=due_date)
    with transaction.atomic():
        _editable_locked(action.minutes)
        action.reference = reference
        action.text = text
        action.owners_as_written = owners_as_written
        action.due_date = due_date
        if status != action.status:
            _set_action_status(action, status)
        action.save()
        action.owners.set(owners)
    return action


def action_delete(*, action: Action) -> None:
    with transaction.atomic():
        _editable_locked(action.minutes)
        action.delete()


def action_close(
    *,
    action: Action,
    status: str = Action.Status.DONE,
    note: str = "",
    on: datetime.date | None = None,
) -> Action:
    """Mark an open action done (or withdrawn), today unless told, with an optional note.

    Allowed whatever state its minutes are in: actions are followed up long
    after the minutes that raised them are published, and a published version
    keeps the status it was published with.
    """
    if status == Action.Status.OPEN:
        raise ValueError("Closing an action means marking it done or withdrawn.")
    return _action_move(action, status, note=note, on=on)


def action_reopen(*, action: Action) -> Action:
    """Open a closed action again: it carries forward to the next meeting once more."""
    return _action_move(action, Action.Status.OPEN)


_FOLLOW_UP_FIELDS = ["status", "closed_on", "closing_note"]


def _action_move(action: Action, status: str, *, note: str = "", on=None) -> Action:
    """Open a closed action or close an open one; anything else is refused."""

    def move(fresh):
        if (fresh.status == Action.Status.OPEN) == (status == Action.Status.OPEN):
            raise WorkflowError(f"This action is already {fresh.get_status_display().lower()}.")
        _set_action_status(fresh, status, note=note, on=on)

    return _follow_up(action, move)


def action_follow_up(
    *, action: Action, status: str, closed_on: datetime.date | None, note: str
) -> Action:
    """Set where an action stands as given (the admin's follow-up fields), whatever it was."""

    def set_fields(fresh):
        fresh.status = status
        if status == Action.Status.OPEN:
            fresh.closed_on = None
        else:
            fresh.closed_on = closed_on or fresh.closed_on or timezone.localdate()
        fresh.closing_note = "" if status == Action.Status.OPEN else note

    return _follow_up(action, set_fields)


def _follow_up(action: Action, change) -> Action:
    """Apply ``change`` to the locked action, in the working copy and as published alike.

    Follow-up is not part of the record being corrected: readers see it at once.
    It takes the minutes' lock, as every change a version would show does, so it
    lands before a publication's last look (which then renders again) or after its
    commit (and updates the actions it published), never under it.
    """
    with transaction.atomic():
        _locked(Minutes(pk=action.minutes_id))
        fresh = Action.objects.select_for_update().get(pk=action.pk)
        change(fresh)
        fresh.full_clean(exclude=["minutes", "agenda_item", "owners", "text", "due_date"])
        fresh.save(update_fields=_FOLLOW_UP_FIELDS)
        PublishedAction.objects.filter(action=fresh).update(
            **{name: getattr(fresh, name) for name in _FOLLOW_UP_FIELDS}
        )
    for name in _FOLLOW_UP_FIELDS:
        setattr(action, name, getattr(fresh, name))
    return action


# -- Circulating ----------------------------------------------------------------------


@dataclass(frozen=True)
class Circulation:
    """Who the minutes are being emailed to, and which current members cannot be (no address)."""

    queued_for: list[str]
    not_sent: list[str]


def circulation_recipients(
    *, committee: Committee
) -> tuple[list[tuple[Person, str]], list[Person]]:
    """The committee's current members with the address to send to, and those without one.

    A member's own address comes first, then their login's. Someone holding two
    roles, or two people sharing an address, get one email.
    """
    recipients, without, seen_addresses = [], [], set()
    for person, address in committee.current_members_with_addresses():
        if not address:
            without.append(person)
        elif address.lower() not in seen_addresses:
            seen_addresses.add(address.lower())
            recipients.append((person, address))
    return recipients, without


def minutes_circulate(*, minutes: Minutes, by) -> Circulation:
    """Email the minutes, with their PDF, to each current member of the committee.

    Published minutes go out as their current published version, the stored
    PDF; anything else as the working copy as it stands now, rendered by the task
    worker (watermarked unless approved), so the request answers at once. The record of
    circulation is made here; the worker then queues one email per member
    (``circulation_complete``) and sends each; the history shows how each one fares.
    """
    from minutes.tasks import circulate_minutes

    committee = minutes.meeting.committee
    recipients, without = circulation_recipients(committee=committee)
    if not recipients:
        raise WorkflowError(f"No current member of {committee} has an email address.")
    if minutes.pk is None:
        minutes = minutes_for_meeting(meeting=minutes.meeting)
    version = minutes.versions.order_by("-number").first() if minutes.is_published else None
    if version is not None:
        snapshot = None
        what = f"Version {version.number}"
    else:
        document = build_document(minutes)
        snapshot = document.to_json()
        what = "The working copy" if document.state == DocumentState.APPROVED else "The draft"
    note = f"{what} was queued for emailing to {len(recipients)} member{pluralize(len(recipients))}"
    if without:
        note += f"; {len(without)} had no email address"
    with transaction.atomic():
        event = MinutesEvent.objects.create(
            minutes=minutes, kind=MinutesEvent.Kind.CIRCULATED, by=by, note=note, version=version
        )
        PendingCirculation.objects.create(
            event=event,
            document=snapshot,
            recipients=[[person.pk, address] for person, address in recipients],
        )
        circulate_minutes.enqueue(event_id=event.pk)
    return Circulation(
        queued_for=[person.full_name for person, _ in recipients],
        not_sent=[person.full_name for person in without],
    )


def circulation_complete(*, event_id: int) -> int:
    """Render a circulation's PDF and queue its emails, if still to do (the task's work).

    The PDF renders outside any transaction; the emails are queued and the pending
    circulation deleted in one, so a second run (a task recovered after its worker was
    killed) queues nothing twice. Returns how many emails were queued.
    """
    pending = (
        PendingCirculation.objects.select_related(
            "event__minutes__meeting__committee", "event__version"
        )
        .filter(event_id=event_id)
        .first()
    )
    if pending is None:
        return 0
    event, version = pending.event, pending.event.version
    minutes = event.minutes
    if version is not None:
        document = MinutesDocument.from_json(version.document)
        with open_stored_pdf(version) as stored:
            pdf = stored.read()
    else:
        document = MinutesDocument.from_json(pending.document)
        pdf = render_minutes_pdf(document)
    filename = pdf_filename(minutes, version)
    link = settings.SITE_URL + minutes.meeting.get_absolute_url() if version else ""
    people = Person.objects.in_bulk([person_id for person_id, _ in pending.recipients])
    messages = [
        (
            people[person_id],
            circulation_email(
                document=document,
                person=people[person_id],
                address=address,
                pdf=pdf,
                filename=filename,
                link=link,
            ),
        )
        for person_id, address in pending.recipients
        if person_id in people  # someone deleted since: no one to write to
    ]
    with transaction.atomic():
        # The delete waits for a concurrent run's; only the run that deletes queues emails.
        if not PendingCirculation.objects.filter(pk=pending.pk).delete()[0]:
            return 0  # another run got here first
        queue_emails(
            messages,
            kind=OutgoingEmail.Kind.CIRCULATION,
            meeting=minutes.meeting,
            minutes_event=event,
        )
    return len(messages)
