"""What the secretariat does to meetings: schedule, cancel and move them, prepare and
publish the agenda, and record who came.

Every operation with a side effect is here, keyword-only and typed. Rules that
can be broken by input raise ``ValidationError`` (keyed by field where there is
one), so a view can show the message next to what was typed. Emails are queued in the
same transaction as the change (``outbox``): they go out only if it is saved.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import AgendaItem, Attendance, Meeting, Venue
from members.emails import email_to
from members.models import Committee, Organisation, Person
from members.services import person_create
from outbox.services import queue_emails

# Positions are moved out of the way by this much while an agenda is renumbered,
# so that no two items ever share a position, even for a moment.
_POSITION_OFFSET = 1_000_000


def _long_date(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


# -- Venues -------------------------------------------------------------------------


def venue_save(*, venue: Venue | None = None, **details) -> Venue:
    """Add a venue, or change one; meetings held there print the new details."""
    with transaction.atomic():
        venue = venue or Venue()
        for name, value in details.items():
            setattr(venue, name, value)
        venue.full_clean()
        venue.save()
        return venue


# -- Scheduling ---------------------------------------------------------------------


def meeting_schedule(
    *,
    committee: Committee,
    date: datetime.date,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    venue: Venue | None = None,
    status: str = Meeting.Status.SCHEDULED,
    reference: str = "",
    next_meeting_text: str = "",
    item_numbering: str = Meeting.ItemNumbering.AUTOMATIC,
) -> Meeting:
    """Put a meeting in the diary, its agenda started from the standard items.

    Tells nobody. ``status`` is for recording a meeting already held (the admin's
    record of past meetings); the meeting is asked whether it may take it.
    """
    with transaction.atomic():
        meeting = Meeting(
            committee=committee,
            date=date,
            start_time=start_time,
            end_time=end_time,
            venue=venue,
            reference=reference,
            next_meeting_text=next_meeting_text,
            item_numbering=item_numbering,
        )
        if why := meeting.can_take_status(status):
            raise ValidationError({"status": why}, code="status")
        meeting.status = status
        meeting.full_clean()
        meeting.save()
        agenda_start_from_template(meeting=meeting)
        _relink_previous_minutes(committee)
    return meeting


def meeting_schedule_series(
    *,
    committee: Committee,
    dates: Sequence[datetime.date],
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    venue: Venue | None = None,
) -> list[Meeting]:
    """Schedule several meetings at once: all of them, or none."""
    dates = sorted(set(dates))
    if not dates:
        raise ValidationError("A series needs at least one date.", code="empty")
    with transaction.atomic():
        # Every clash at once, rather than the first one met.
        if why := Meeting.objects.clash(committee, dates):
            raise ValidationError({"date": why}, code="clash")
        return [
            meeting_schedule(
                committee=committee,
                date=day,
                start_time=start_time,
                end_time=end_time,
                venue=venue,
            )
            for day in dates
        ]


def meeting_update(
    *,
    meeting: Meeting,
    date: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    venue: Venue | None,
    status: str,
    reference: str | None = None,
    next_meeting_text: str | None = None,
    item_numbering: str | None = None,
) -> Meeting:
    """Correct a meeting's details. Says nothing to members: moving and cancelling do.

    The date, times, venue, reference, next-meeting text and item numbering are
    part of the minutes' record: they wait for a correction once the minutes are
    agreed, and a date with published minutes never changes, as their addresses
    and PDFs carry it. None leaves reference, next meeting and numbering as they
    are. Numbering made automatic again renumbers the agenda.
    """
    with transaction.atomic():
        stored = _stored(meeting)
        venue_id = venue.pk if venue else None
        reference = stored.reference if reference is None else reference
        next_meeting_text = (
            stored.next_meeting_text if next_meeting_text is None else next_meeting_text
        )
        item_numbering = item_numbering or stored.item_numbering
        if (
            date,
            start_time,
            end_time,
            venue_id,
            reference,
            next_meeting_text,
            item_numbering,
        ) != (
            stored.date,
            stored.start_time,
            stored.end_time,
            stored.venue_id,
            stored.reference,
            stored.next_meeting_text,
            stored.item_numbering,
        ):
            check_record_open(stored)
        if date != stored.date and (why := stored.can_change_date()):
            raise ValidationError({"date": why}, code="status")
        if why := stored.can_take_status(status):
            raise ValidationError({"status": why}, code="status")
        meeting.status = status
        meeting.reference = reference
        meeting.next_meeting_text = next_meeting_text
        meeting.item_numbering = item_numbering
        _reschedule(meeting, date=date, start_time=start_time, end_time=end_time, venue=venue)
        if item_numbering != stored.item_numbering and meeting.numbers_items_automatically:
            agenda_renumber(meeting=meeting)
    return meeting


def _stored(meeting: Meeting) -> Meeting:
    """The meeting as the database holds it, locked until the transaction ends.

    A change is judged against this, not against an instance a form may have altered.
    """
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee", "venue", "minutes")
        .get(pk=meeting.pk)
    )


def _reschedule(meeting: Meeting, *, date, start_time, end_time, venue) -> None:
    """Save the meeting's new date, times and venue, and relink the agendas that follow."""
    meeting.date = date
    meeting.start_time = start_time
    meeting.end_time = end_time
    meeting.venue = venue
    meeting.full_clean()
    meeting.save()
    _relink_previous_minutes(meeting.committee)


def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a scheduled meeting, say why beside it, and email the committee's members."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the meeting is cancelled."})
    with transaction.atomic():
        if why := _stored(meeting).can_be_cancelled():
            raise ValidationError(why, code="status")
        meeting.status = Meeting.Status.CANCELLED
        meeting.notice = _notice(reason)
        meeting.save(update_fields=["status", "notice"])
        _relink_previous_minutes(meeting.committee)
        _email_members(meeting, "meeting_cancelled", {"reason": reason})
    return meeting


def meeting_move(
    *,
    meeting: Meeting,
    date: datetime.date,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    venue: Venue | None,
    reason: str,
) -> Meeting:
    """Move a scheduled meeting to another date, time or place, and tell the members.

    The notice beside the meeting says where it moved from: "Moved from
    Monday 12 July 2010: the room is needed for a by-election count."
    """
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the meeting is moving."})
    with transaction.atomic():
        before = _stored(meeting)
        if why := before.can_be_moved():
            raise ValidationError(why, code="status")
        if (date, start_time, end_time, venue) == (
            before.date,
            before.start_time,
            before.end_time,
            before.venue,
        ):
            raise ValidationError("Change the date, the time or the venue to move the meeting.")
        if date != before.date:
            meeting.notice = _notice(f"Moved from {_long_date(before.date)}: {reason}")
        else:
            meeting.notice = _notice(f"Time or venue changed: {reason}")
        _reschedule(meeting, date=date, start_time=start_time, end_time=end_time, venue=venue)
        _email_members(meeting, "meeting_moved", {"reason": reason, "before": before})
    return meeting


def meeting_mark_held_if_due(meeting: Meeting) -> None:
    """Mark the meeting held if it is on or before today and something is recorded of it."""
    if Meeting.objects.filter(pk=meeting.pk).due_to_be_held().update(status=Meeting.Status.HELD):
        meeting.status = Meeting.Status.HELD


def meetings_mark_held(*, today: datetime.date | None = None) -> int:
    """Mark held every meeting that took place by ``today`` and has a record: for meetings
    whose attendance (apologies, say) was recorded before their day. Idempotent; run daily
    (``manage.py mark_held_meetings``). Returns how many were marked."""
    return Meeting.objects.due_to_be_held(today).update(status=Meeting.Status.HELD)


def _notice(text: str) -> str:
    limit = Meeting._meta.get_field("notice").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _relink_previous_minutes(committee: Committee) -> None:
    """Point each scheduled meeting's "Minutes of the last meeting" at its real last meeting.

    Scheduling, moving or cancelling a meeting can change which meeting came
    last before another. Items that already have minutes are left alone: what
    was minuted stays as it was.
    """
    previous_of = {}
    last = None
    for meeting in (
        committee.meetings.exclude(status=Meeting.Status.CANCELLED)
        .order_by("date")
        .only("pk", "date")
    ):
        previous_of[meeting.pk] = last
        last = meeting.pk
    items = (
        AgendaItem.objects.filter(
            meeting__committee=committee,
            meeting__status=Meeting.Status.SCHEDULED,
            kind=AgendaItem.Kind.PREVIOUS_MINUTES,
        )
        .exclude(pk__in=AgendaItem.objects.with_minutes_content().values("pk"))
        .only("pk", "meeting_id", "previous_meeting_id")
    )
    stale = []
    for item in items:
        wanted = previous_of.get(item.meeting_id)
        if item.previous_meeting_id != wanted:
            item.previous_meeting_id = wanted
            stale.append(item)
    AgendaItem.objects.bulk_update(stale, ["previous_meeting"])


# -- Emails -------------------------------------------------------------------------


def member_addresses(committee: Committee) -> list[tuple[Person, str]]:
    """The committee's current members who can be emailed, with the address to use."""
    return [
        (person, address)
        for person, address in committee.current_members_with_addresses()
        if address
    ]


def meeting_email(
    *, template: str, meeting: Meeting, person: Person, address: str, extra: dict
) -> EmailMultiAlternatives:
    """One member's email about ``meeting``, from ``templates/meetings/email/<template>…``."""
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "person": person,
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
        "committee_url": settings.SITE_URL + meeting.committee.get_absolute_url(),
        **extra,
    }
    return email_to(person, address, templates=f"meetings/email/{template}", context=context)


def _email_members(meeting: Meeting, template: str, extra: dict) -> None:
    """Queue an email to each current member: sent if the change is saved, never on a rollback."""
    queue_emails(
        [
            (
                person,
                meeting_email(
                    template=template, meeting=meeting, person=person, address=address, extra=extra
                ),
            )
            for person, address in member_addresses(meeting.committee)
        ],
        kind=template,
        meeting=meeting,
    )


# -- The record ---------------------------------------------------------------------


def check_record_open(meeting: Meeting) -> None:
    """Refuse changes to attendance or the agenda once the minutes are agreed or published.

    Minutes are built from the meeting's attendance and agenda, so changing
    these after approval would silently change an agreed record; a correction
    opens them again (``Meeting.can_change_record``). Asked of the database, not
    of a possibly stale instance.
    """
    from minutes.models import Minutes

    with transaction.atomic():
        # Called inside the change's transaction (as every service here does), this
        # holds the minutes until the change commits, so the change and a publication
        # take turns: the change is saved before the publication's last look (which
        # then renders again) or after the version is committed (and is refused).
        list(Minutes.objects.select_for_update().filter(meeting_id=meeting.pk).values("pk"))
        fresh = Meeting.objects.select_related("minutes").get(pk=meeting.pk)
        if why := fresh.can_change_record():
            raise ValidationError(why, code="record-closed")


# -- The agenda ---------------------------------------------------------------------


def agenda_start_from_template(*, meeting: Meeting) -> list[AgendaItem]:
    """Give an empty agenda the standard items, numbered.

    "Minutes of the last meeting" points at the committee's last meeting
    before this one that was not cancelled.
    """
    with transaction.atomic():
        check_record_open(meeting)
        if meeting.agenda_items.exists():
            raise ValidationError("This agenda already has items.", code="not-empty")
        previous = Meeting.objects.before(meeting).first()
        return AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=position,
                number=str(position),
                kind=kind,
                title=title,
                previous_meeting=previous if kind == AgendaItem.Kind.PREVIOUS_MINUTES else None,
            )
            for position, (kind, title) in enumerate(AgendaItem.STANDARD_ITEMS, 1)
        )


@dataclass
class _Place:
    """Where an item stands on the agenda: all that ordering and numbering need of it."""

    pk: int
    position: int
    number: str
    parent_id: int | None
    kind: str


def _ordered(meeting: Meeting) -> list[_Place]:
    """The agenda in reading order: each main item followed by its sub-items.

    One query, and no model instances: a thousand-item agenda is read in milliseconds.
    """
    items = [
        _Place(*row)
        for row in meeting.agenda_items.order_by("position", "pk").values_list(
            "pk", "position", "number", "parent_id", "kind"
        )
    ]
    children: dict[int, list[_Place]] = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    ordered = []
    for item in items:
        if not item.parent_id:
            ordered += [item, *children.get(item.pk, [])]
    return ordered


def agenda_renumber(
    *, meeting: Meeting, order: Sequence[AgendaItem | _Place] | None = None
) -> None:
    """Number the agenda "1", "2", "2.1", "2.2", "3" … in ``order`` (default: as it stands).

    An agenda numbered as typed keeps its numbers: only the order changes.
    Only the items whose position or number changes are written, in one bulk
    update; adding an item before "Any other business" rewrites two rows, not
    the whole agenda.
    """
    if order is None:
        order = _ordered(meeting)
    automatic = meeting.numbers_items_automatically
    main = sub = 0
    changed = []
    for position, item in enumerate(order, 1):
        if not automatic:
            number = item.number
        elif item.parent_id:
            sub += 1
            number = f"{main}.{sub}"
        else:
            main, sub = main + 1, 0
            number = str(main)
        if (item.position, item.number) != (position, number):
            item.position, item.number = position, number
            changed.append(item)
    _write_positions(changed)


def _write_positions(items: Sequence[AgendaItem | _Place]) -> None:
    """Save the items' positions and numbers: two statements, however many items.

    Positions and numbers are unique on an agenda, and the database checks that
    row by row, so the rows are first moved out of the way of one another.
    """
    if not items:
        return
    rows = AgendaItem.objects.filter(pk__in=[item.pk for item in items])
    with transaction.atomic():
        rows.update(position=F("position") + _POSITION_OFFSET, number="")
        rows.update(
            position=Case(*(When(pk=item.pk, then=Value(item.position)) for item in items)),
            number=Case(*(When(pk=item.pk, then=Value(item.number)) for item in items)),
        )


def agenda_note_revision(meeting: Meeting) -> None:
    """After a change to the agenda: if it is published, readers are told it was revised."""
    now = timezone.now()
    if Meeting.objects.filter(pk=meeting.pk, agenda_published_at__isnull=False).update(
        agenda_revised_at=now
    ):
        meeting.agenda_revised_at = now
        _queue_agenda_pdf(meeting)


def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItem.Kind.ORDINARY,
    parent: AgendaItem | None = None,
    description: str = "",
    presenter: str = "",
    previous_meeting: Meeting | None = None,
    number: str = "",
) -> AgendaItem:
    """Add an item: a main item goes before "Any other business", a sub-item last under its
    main item. The agenda is renumbered, unless its numbers are typed: then the item
    keeps ``number``."""
    with transaction.atomic():
        check_record_open(meeting)
        order = _ordered(meeting)
        item = AgendaItem(
            meeting=meeting,
            # Saved last, out of everyone's way, then put in its place with the rest.
            position=_POSITION_OFFSET * 2 + len(order),
            number="" if meeting.numbers_items_automatically else number.strip(),
            title=title,
            kind=kind,
            parent=parent,
            description=description,
            presenter=presenter,
            previous_meeting=previous_meeting,
        )
        typed = not meeting.numbers_items_automatically
        item.full_clean(exclude=["position"] if typed else ["number", "position"])
        item.save()
        order.insert(_insertion_point(order, item), item)
        agenda_renumber(meeting=meeting, order=order)
        agenda_note_revision(meeting)
    return item


def _insertion_point(order: list[AgendaItem | _Place], item: AgendaItem) -> int:
    if item.parent_id:
        last_of_parent = max(
            i for i, other in enumerate(order) if item.parent_id in (other.pk, other.parent_id)
        )
        return last_of_parent + 1
    if item.kind in AgendaItem.CLOSING_KINDS:
        return len(order)
    return next(
        (
            i
            for i, other in enumerate(order)
            if not other.parent_id and other.kind in AgendaItem.CLOSING_KINDS
        ),
        len(order),
    )


def agenda_item_update(
    *,
    item: AgendaItem,
    title: str,
    kind: str,
    parent: AgendaItem | None,
    description: str,
    presenter: str,
    previous_meeting: Meeting | None,
    number: str | None = None,
) -> AgendaItem:
    """Change an item. Making it a sub-item (or a main item again) moves it and renumbers.

    ``number`` is taken only where the agenda's numbers are typed (None keeps it).
    """
    with transaction.atomic():
        check_record_open(item.meeting)
        # Compare with what is stored: a form may already have changed the instance.
        fields = [
            "number",
            "title",
            "kind",
            "parent_id",
            "description",
            "presenter",
            "previous_meeting_id",
        ]
        stored = AgendaItem.objects.filter(pk=item.pk).values(*fields).get()
        if number is not None and not item.meeting.numbers_items_automatically:
            item.number = number.strip()
        else:
            item.number = stored["number"]
        item.title = title
        item.kind = kind
        item.parent = parent
        item.description = description
        item.presenter = presenter
        item.previous_meeting = previous_meeting
        item.full_clean()
        item.save()
        if item.parent_id != stored["parent_id"]:
            order = [other for other in _ordered(item.meeting) if other.pk != item.pk]
            order.insert(_insertion_point(order, item), item)
            agenda_renumber(meeting=item.meeting, order=order)
        if any(getattr(item, name) != stored[name] for name in fields):
            agenda_note_revision(item.meeting)
    return item


def agenda_item_move(*, item: AgendaItem, direction: str) -> bool:
    """Move an item one place "up" or "down" among its siblings, with its sub-items.

    Returns False when it is already first (or last) and nothing changed.
    """
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    with transaction.atomic():
        check_record_open(item.meeting)
        ordered = _ordered(item.meeting)
        siblings = [other for other in ordered if other.parent_id == item.parent_id]
        index = next(i for i, other in enumerate(siblings) if other.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            return False
        siblings[index], siblings[target] = siblings[target], siblings[index]
        agenda_note_revision(item.meeting)
        if item.parent_id:
            parent_at = next(i for i, other in enumerate(ordered) if other.pk == item.parent_id)
            order = ordered[: parent_at + 1] + siblings + ordered[parent_at + 1 + len(siblings) :]
        else:
            order = [
                member
                for main in siblings
                for member in ordered
                if member.pk == main.pk or member.parent_id == main.pk
            ]
        agenda_renumber(meeting=item.meeting, order=order)
    return True


def agenda_item_delete(*, item: AgendaItem) -> None:
    """Take an item (and its sub-items) off the agenda, unless something was minuted under it."""
    meeting = item.meeting
    with transaction.atomic():
        check_record_open(meeting)  # asked of the database, not of ``item.meeting``
        if why := item.can_be_deleted():
            raise ValidationError(why, code="has-minutes")
        item.delete()
        agenda_renumber(meeting=meeting)
        agenda_note_revision(meeting)


def agenda_publish(*, meeting: Meeting, by) -> Meeting:
    """Publish the agenda to whoever can read the committee's minutes."""
    if not meeting.agenda_items.exists():
        raise ValidationError("Add items to the agenda before publishing it.", code="empty")
    if meeting.agenda_is_published:
        raise ValidationError("The agenda is already published.", code="published")
    meeting.agenda_published_at = timezone.now()
    meeting.agenda_published_by = by
    meeting.agenda_revised_at = None
    meeting.save(update_fields=["agenda_published_at", "agenda_published_by", "agenda_revised_at"])
    _queue_agenda_pdf(meeting)
    return meeting


def _queue_agenda_pdf(meeting: Meeting) -> None:
    """Have the readers' PDF of the agenda rendered before anyone asks for it.

    A burst of changes (a long agenda typed in) queues one rendering, a few seconds
    after the first change, of the agenda as it then stands.
    """
    from meetings.agenda_pdf import queue_agenda_pdf

    queue_agenda_pdf(meeting, after=datetime.timedelta(seconds=5))


def agenda_withdraw(*, meeting: Meeting) -> Meeting:
    """Take a published agenda back: only the secretariat can see it again."""
    meeting.agenda_published_at = None
    meeting.agenda_published_by = None
    meeting.agenda_revised_at = None
    meeting.save(update_fields=["agenda_published_at", "agenda_published_by", "agenda_revised_at"])
    return meeting


# -- Attendance ---------------------------------------------------------------------


def attendance_record(*, meeting: Meeting, statuses: dict[Person, str]) -> int:
    """Mark each person present, apologies or absent; returns how many rows changed.

    A person's first mark records the organisation they belong to today, and
    later marks keep it: the minutes say whom they represented at the meeting.
    Four queries, however many people.
    """
    if not statuses:
        return 0
    for status in statuses.values():
        if status not in Attendance.Status.values:
            raise ValueError(f"Unknown attendance status {status!r}")
    existing = {a.person_id: a for a in meeting.attendances.filter(person__in=list(statuses))}
    created, changed = [], []
    for person, status in statuses.items():
        attendance = existing.get(person.pk)
        if attendance is None:
            created.append(
                Attendance(
                    meeting=meeting,
                    person=person,
                    status=status,
                    organisation_id=person.organisation_id,
                )
            )
        elif attendance.status != status:
            attendance.status = status
            changed.append(attendance)
    try:
        with transaction.atomic():
            check_record_open(meeting)
            Attendance.objects.bulk_create(created)
            Attendance.objects.bulk_update(changed, ["status"])
            meeting_mark_held_if_due(meeting)
    except IntegrityError:
        # Someone else recorded one of these people at the same moment.
        raise ValidationError(
            "Someone else recorded attendance at this meeting at the same moment, and a person "
            "can be recorded only once. Reload the page and check the marks.",
            code="duplicate",
        ) from None
    return len(created) + len(changed)


def attendance_rows_save(
    *, meeting: Meeting, saved: Sequence[Attendance], removed: Sequence[Attendance] = ()
) -> None:
    """Save attendance rows as given whole (the admin's table), and take others off.

    As every change to the record: refused once the minutes are agreed, and taking
    turns with a publication. Someone added without an organisation came for the
    one they are with now.
    """
    with transaction.atomic():
        check_record_open(meeting)
        # Removed first: a row taken out and added again must not meet itself.
        Attendance.objects.filter(pk__in=[row.pk for row in removed if row.pk]).delete()
        for row in saved:
            if row._state.adding and row.organisation_id is None:
                row.organisation_id = row.person.organisation_id
            row.save()
        meeting_mark_held_if_due(meeting)


def attendance_remove(*, meeting: Meeting, person: Person) -> bool:
    """Take a person off a meeting's record: a mark made in error, a guest who never came.

    Published minutes keep their own copy of who attended, so only the working
    copy (and a correction, if one is started) loses them. True if they were on it.
    """
    with transaction.atomic():
        check_record_open(meeting)
        deleted, _ = meeting.attendances.filter(person=person).delete()
    return bool(deleted)


def guest_add(
    *,
    meeting: Meeting,
    person: Person | None = None,
    given_name: str = "",
    family_name: str = "",
    initials: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
    role: str = "",
) -> Attendance:
    """Record a guest as present: someone already known, or a new person.

    A new organisation name that matches an existing one (ignoring case) uses
    that organisation rather than creating a second.
    """
    with transaction.atomic():
        check_record_open(meeting)
        if person is None:
            person = person_create(
                given_name=given_name,
                family_name=family_name,
                initials=initials,
                organisation=organisation,
                organisation_name=organisation_name,
            )
        attendance = Attendance(
            meeting=meeting,
            person=person,
            status=Attendance.Status.PRESENT,
            organisation_id=person.organisation_id,
            is_guest=True,
            role=role,
        )
        attendance.validate_constraints()
        try:
            with transaction.atomic():
                attendance.save()
        except IntegrityError:
            attendance.validate_constraints()
            raise
        meeting_mark_held_if_due(meeting)
    return attendance
