"""The way minutes go from draft to approved to published, and are corrected.

Each step is a named function that checks the step is allowed, records who
took it and when, and leaves the minutes in their new state. A published
version is never changed: a correction publishes a new one.
"""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import Meeting
from minutes.document import Correction, DocumentState, MinutesDocument, build_document
from minutes.models import Minutes, MinutesEvent, MinutesVersion
from minutes.pdf import html_to_pdf

PDF_TEMPLATE = "minutes/pdf/minutes.html"


class WorkflowError(Exception):
    """A step the minutes cannot take in their current state; the message says why."""


def minutes_for_meeting(*, meeting: Meeting) -> Minutes:
    """The meeting's minutes, started as a draft if there are none yet."""
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


def render_minutes_pdf(document: MinutesDocument) -> bytes:
    return html_to_pdf(render_to_string(PDF_TEMPLATE, {"document": document}))


def pdf_filename(minutes: Minutes, version: MinutesVersion | None = None) -> str:
    """ "socitm-futures-minutes-2009-11-16.pdf"; older versions and drafts say so."""
    meeting = minutes.meeting
    stem = f"{meeting.committee.slug}-minutes-{meeting.date.isoformat()}"
    if version is None:
        return f"{stem}-draft.pdf"
    if version.number != minutes.versions.aggregate(latest=Max("number"))["latest"]:
        return f"{stem}-version-{version.number}.pdf"
    return f"{stem}.pdf"


def _locked(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update().select_related("meeting__committee").get(pk=minutes.pk)
    )


def _refresh(minutes: Minutes, fresh: Minutes) -> None:
    """Bring the caller's object up to date after a step."""
    for field in (
        "status",
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
) -> Minutes:
    """Record that the minutes were agreed as a correct record.

    Normally ``at_meeting`` is the later meeting whose "minutes of the last
    meeting" item agreed them; otherwise give the date ``on`` which they were
    approved. Unconfirmed minutes that are already published are republished
    as confirmed.
    """
    meeting = minutes.meeting
    if at_meeting is not None:
        if at_meeting.committee_id != meeting.committee_id or at_meeting.date <= meeting.date:
            raise WorkflowError("Minutes are approved at a later meeting of the same committee.")
        on = at_meeting.date
    if on is None:
        raise WorkflowError("Say at which meeting, or on what date, the minutes were approved.")
    if on < meeting.date:
        raise WorkflowError("Minutes cannot be approved before the meeting took place.")
    if on > timezone.localdate():
        raise WorkflowError("Approval cannot be recorded for a date in the future.")

    with transaction.atomic():
        fresh = _locked(minutes)
        if fresh.is_confirmed:
            raise WorkflowError("These minutes are already approved.")
        if fresh.status not in (Minutes.Status.DRAFT, Minutes.Status.PUBLISHED):
            raise WorkflowError(
                "Finish the correction in progress before recording approval."
                if fresh.status == Minutes.Status.CORRECTING
                else "Only draft or unconfirmed minutes can be approved."
            )
        was_published = fresh.is_published
        fresh.approved_on = on
        fresh.approved_at_meeting = at_meeting
        fresh.approved_by = by
        if not was_published:
            fresh.status = Minutes.Status.APPROVED
        fresh.save()
        where = (
            f"at the meeting on {date_format(at_meeting.date, 'l j F Y')}"
            if at_meeting
            else f"on {date_format(on, 'l j F Y')}"
        )
        MinutesEvent.objects.create(
            minutes=fresh, kind=MinutesEvent.Kind.APPROVED, by=by, note=f"Approved {where}"
        )
    _refresh(minutes, fresh)
    if was_published:
        _publish_version(
            minutes=minutes,
            by=by,
            kind=MinutesVersion.Kind.CONFIRMED,
            reason=f"Approved as a correct record {where}.",
        )
    return minutes


def minutes_return_to_draft(*, minutes: Minutes, by, note: str = "") -> Minutes:
    """Undo an approval that has not been published yet, to allow amendments."""
    with transaction.atomic():
        fresh = _locked(minutes)
        if fresh.status != Minutes.Status.APPROVED:
            raise WorkflowError(
                "Only approved minutes that are not yet published can return to draft."
            )
        fresh.status = Minutes.Status.DRAFT
        fresh.approved_on = None
        fresh.approved_at_meeting = None
        fresh.approved_by = None
        fresh.save()
        MinutesEvent.objects.create(
            minutes=fresh, kind=MinutesEvent.Kind.RETURNED_TO_DRAFT, by=by, note=note
        )
    _refresh(minutes, fresh)
    return minutes


def minutes_publish(*, minutes: Minutes, by) -> MinutesVersion:
    """Publish approved minutes (or, where the committee allows, unconfirmed ones).

    Renders the PDF once; downloads are served from storage from then on.
    """
    committee = minutes.meeting.committee
    if minutes.status == Minutes.Status.DRAFT and not committee.publishes_unconfirmed_minutes:
        raise WorkflowError("Minutes must be approved before they are published.")
    if minutes.status not in (Minutes.Status.DRAFT, Minutes.Status.APPROVED):
        raise WorkflowError("These minutes are already published.")
    return _publish_version(minutes=minutes, by=by, kind=MinutesVersion.Kind.ORIGINAL, reason="")


def minutes_start_correction(*, minutes: Minutes, by) -> Minutes:
    """Open published minutes for correction. Readers keep seeing the published version."""
    with transaction.atomic():
        fresh = _locked(minutes)
        if fresh.status != Minutes.Status.PUBLISHED:
            raise WorkflowError("Only published minutes can be corrected.")
        fresh.status = Minutes.Status.CORRECTING
        fresh.save()
        MinutesEvent.objects.create(minutes=fresh, kind=MinutesEvent.Kind.CORRECTION_STARTED, by=by)
    _refresh(minutes, fresh)
    return minutes


def minutes_publish_correction(*, minutes: Minutes, by, reason: str) -> MinutesVersion:
    """Publish the corrected minutes as a new version; earlier versions stay available."""
    reason = " ".join(reason.split())
    if not reason:
        raise WorkflowError("Say why the minutes are being corrected.")
    if minutes.status != Minutes.Status.CORRECTING:
        raise WorkflowError("Start a correction before publishing one.")
    return _publish_version(
        minutes=minutes, by=by, kind=MinutesVersion.Kind.CORRECTED, reason=reason
    )


def _publish_version(*, minutes: Minutes, by, kind: str, reason: str) -> MinutesVersion:
    """Freeze the working copy into a new published version with its PDF.

    The PDF is rendered before the transaction, so the database is not held
    while WeasyPrint works; the status check inside the transaction makes sure
    nobody published in the meantime.
    """
    status_before = minutes.status
    today = timezone.localdate()
    earlier = list(minutes.versions.order_by("number").values_list("kind", "created_at", "reason"))
    number = len(earlier) + 1
    corrections = [
        Correction(on=timezone.localtime(created).date(), reason=why)
        for earlier_kind, created, why in earlier
        if earlier_kind == MinutesVersion.Kind.CORRECTED
    ]
    if kind == MinutesVersion.Kind.CORRECTED:
        corrections.append(Correction(on=today, reason=reason))
    document = build_document(
        minutes,
        state=DocumentState.APPROVED if minutes.is_confirmed else DocumentState.UNCONFIRMED,
        version=number,
        corrections=corrections,
    )
    pdf_bytes = render_minutes_pdf(document)

    with transaction.atomic():
        fresh = _locked(minutes)
        if fresh.status != status_before or fresh.versions.count() != len(earlier):
            raise WorkflowError(
                "Someone else changed these minutes just now. Reload and try again."
            )
        version = MinutesVersion(
            minutes=fresh,
            number=number,
            kind=kind,
            created_by=by,
            reason=reason,
            confirmed=fresh.is_confirmed,
            document=document.to_json(),
            plain_text=document.plain_text(),
            pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
            pdf_size=len(pdf_bytes),
        )
        stem = f"{fresh.meeting.committee.slug}-minutes-{fresh.meeting.date.isoformat()}"
        version.pdf.save(f"{stem}-v{number}.pdf", ContentFile(pdf_bytes), save=False)
        try:
            version.save()
            fresh.status = Minutes.Status.PUBLISHED
            fresh.save()
            MinutesEvent.objects.create(
                minutes=fresh,
                kind=(
                    MinutesEvent.Kind.CORRECTED
                    if kind == MinutesVersion.Kind.CORRECTED
                    else MinutesEvent.Kind.PUBLISHED
                ),
                by=by,
                note=reason,
                version=version,
            )
        except Exception:
            version.pdf.storage.delete(version.pdf.name)
            raise
    _refresh(minutes, fresh)
    return version
