"""The minutes as a document: plain data that the page, the PDF and the email all render.

A draft's document is built from the database each time it is shown. When
minutes are published the document is frozen into JSON on the version, so the
record reads the same whatever later happens to people, organisations, venues
or the working copy.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import types
import typing
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.formats import date_format

from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Committee, Membership
from minutes.models import (
    Action,
    Approval,
    Decision,
    Minutes,
    PublishedAction,
    approval_sentence,
    owners_label,
    previous_minutes_published,
)
from minutes.text import plain_text

FUTURE_MEETINGS_LIMIT = 12


class DocumentState:
    DRAFT = "draft"
    UNCONFIRMED = "unconfirmed"
    APPROVED = "approved"


@dataclass(frozen=True)
class Attendee:
    name: str
    organisation: str = ""
    role: str = ""

    @property
    def is_chair(self) -> bool:
        return self.role.casefold() == "chair"


@dataclass(frozen=True)
class ActionEntry:
    text: str
    owners: list[str]
    owner_names: list[str]
    item_number: str
    due_date: datetime.date | None = None
    status: str = "open"
    raised_on: datetime.date | None = None
    closing_note: str = ""
    reference: str = ""
    owners_label: str = ""

    @property
    def owner_initials(self) -> str:
        """ "TG & BM", as the secretary wrote them."""
        return self.owners_label or ", ".join(self.owners)


@dataclass(frozen=True)
class MeetingDate:
    date: datetime.date
    start_time: datetime.time | None = None
    venue: str = ""


@dataclass(frozen=True)
class Item:
    number: str
    title: str
    kind: str = AgendaItem.Kind.ORDINARY
    depth: int = 0
    text: str = ""
    decisions: list[str] = field(default_factory=list)
    actions: list[ActionEntry] = field(default_factory=list)
    previous_meeting_date: datetime.date | None = None
    carried_actions: list[ActionEntry] = field(default_factory=list)
    future_meetings: list[MeetingDate] = field(default_factory=list)
    # Whether the line Minutebook writes for a standard item is printed above its text.
    shows_generated: bool = True
    # For "matters arising": whether the previous meeting's minutes are published here,
    # so that the actions carried forward (or "no outstanding actions") are known.
    carried_actions_known: bool = True


@dataclass(frozen=True)
class Correction:
    on: datetime.date
    reason: str


@dataclass(frozen=True)
class MinutesDocument:
    committee: str
    committee_slug: str
    meeting_date: datetime.date
    state: str
    parent_body: str = ""
    meeting_reference: str = ""
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    venue: str = ""
    # Members under "Present" (the Chair first); officers and guests "In attendance".
    present: list[Attendee] = field(default_factory=list)
    in_attendance: list[Attendee] = field(default_factory=list)
    apologies: list[Attendee] = field(default_factory=list)
    absent: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    future_meetings: list[MeetingDate] = field(default_factory=list)
    next_meeting_text: str = ""
    approval: str = ""
    approval_wording: str = ""
    approved_on: datetime.date | None = None
    approved_at_meeting_date: datetime.date | None = None
    version: int | None = None
    corrections: list[Correction] = field(default_factory=list)

    # -- What templates ask of it -------------------------------------------------

    @property
    def title(self) -> str:
        return f"Minutes of the meeting held on {date_format(self.meeting_date, 'l j F Y')}"

    @property
    def short_title(self) -> str:
        return f"Minutes of {date_format(self.meeting_date, 'j F Y')}"

    @property
    def is_draft(self) -> bool:
        return self.state == DocumentState.DRAFT

    @property
    def is_watermarked(self) -> bool:
        """Anything not yet approved carries a watermark in print."""
        return self.state != DocumentState.APPROVED

    @property
    def watermark(self) -> str:
        return "UNCONFIRMED" if self.state == DocumentState.UNCONFIRMED else "DRAFT"

    @property
    def status_line(self) -> str:
        if self.state == DocumentState.APPROVED:
            # Versions published before approval said how were approved at a meeting or on a date.
            approval = self.approval or (
                Approval.AT_MEETING if self.approved_at_meeting_date else Approval.ON_DATE
            )
            return approval_sentence(
                approval,
                at_meeting_date=self.approved_at_meeting_date,
                on=self.approved_on,
                wording=self.approval_wording,
            )
        if self.state == DocumentState.UNCONFIRMED:
            return "Unconfirmed — subject to approval at the next meeting"
        return "Draft — subject to approval"

    @property
    def actions(self) -> list[ActionEntry]:
        return [action for item in self.items for action in item.actions]

    @property
    def has_action_references(self) -> bool:
        return any(action.reference for action in self.actions)

    @property
    def shows_future_meetings_section(self) -> bool:
        """A closing list of dates, unless an agenda item already gives them."""
        return bool(self.future_meetings or self.next_meeting_text) and not any(
            item.kind == AgendaItem.Kind.FUTURE_MEETINGS for item in self.items
        )

    def plain_text(self) -> str:
        """Every word of the minutes on one line, for search."""
        words = [self.committee, self.meeting_reference, self.title, self.venue]
        words += [f"{a.name} {a.organisation} {a.role}" for a in self.attendees]
        for item in self.items:
            words += [item.number, item.title, plain_text(item.text), *item.decisions]
            words += [f"{a.reference} {a.text} {' '.join(a.owners)}" for a in item.actions]
        return " ".join(" ".join(words).split())

    @property
    def attendees(self) -> list[Attendee]:
        return [*self.present, *self.in_attendance, *self.apologies, *self.absent]

    # -- Freezing and thawing -----------------------------------------------------

    def to_json(self) -> dict:
        return _to_json(self)

    @classmethod
    def from_json(cls, data: dict) -> MinutesDocument:
        if "guests" in data and "in_attendance" not in data:
            # Published before officers joined guests under "In attendance".
            data = {**data, "in_attendance": data["guests"]}
        return _from_json(cls, data)


def _to_json(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


@functools.cache
def _field_types(kind) -> dict:
    hints = typing.get_type_hints(kind)
    return {f.name: hints[f.name] for f in dataclasses.fields(kind)}


def _from_json(kind, value):
    if value is None:
        return None
    if dataclasses.is_dataclass(kind):
        hints = _field_types(kind)
        return kind(**{k: _from_json(hints[k], v) for k, v in value.items() if k in hints})
    origin = typing.get_origin(kind)
    if origin is list:
        (inner,) = typing.get_args(kind)
        return [_from_json(inner, v) for v in value]
    if origin in (typing.Union, types.UnionType):
        inner = next(arg for arg in typing.get_args(kind) if arg is not type(None))
        return _from_json(inner, value)
    if kind is datetime.date:
        return datetime.date.fromisoformat(value)
    if kind is datetime.time:
        return datetime.time.fromisoformat(value)
    return value


# -- Rendering --------------------------------------------------------------------

DOCUMENT_TEMPLATE = "minutes/includes/document.html"


def render_html(document: MinutesDocument) -> str:
    """The minutes as an HTML fragment, the same on the page, in the PDF and in email."""
    return render_to_string(DOCUMENT_TEMPLATE, {"document": document})


def published_html(version) -> str:
    """The HTML of a published version.

    A version never changes, so its HTML is rendered once and cached. The key
    includes the PDF's hash, so a reused primary key can never serve another
    version's minutes.
    """
    key = f"minutes:version-html:{version.pk}:{version.pdf_sha256}"
    return cache.get_or_set(
        key, lambda: render_html(MinutesDocument.from_json(version.document)), timeout=None
    )


# -- Building from the database ---------------------------------------------------


def _attendee(attendance: Attendance, role: str) -> Attendee:
    organisation = attendance.organisation.display_name if attendance.organisation else ""
    return Attendee(name=attendance.person.full_name, organisation=organisation, role=role)


# Roles printed beside a name: "Jane Smith (Chair)". An officer's is not: they are listed
# "in attendance" already.
PRINTED_ROLES = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.OBSERVER)


def _attendance_lists(meeting: Meeting) -> dict[str, list[Attendee]]:
    """Who was present, in attendance, sent apologies or was absent, as the minutes list them.

    Members (including those with no membership recorded) are "present"; guests,
    and those whose only role on the committee is an officer's or observer's, are
    "in attendance". A role typed at the meeting wins over the membership's. The
    Chair comes first; the rest in the order recorded, or by name if the committee
    says so. Two queries.
    """
    attendances = list(meeting.attendances.select_related("person", "organisation").order_by("pk"))
    roles: dict[int, set[str]] = {}
    for person_id, role in (
        Membership.objects.current(on=meeting.date)
        .filter(committee_id=meeting.committee_id)
        .values_list("person_id", "role")
    ):
        roles.setdefault(person_id, set()).add(role)
    if meeting.committee.attendee_order == Committee.AttendeeOrder.NAME:
        attendances.sort(key=lambda a: (a.person.family_name, a.person.given_name, a.pk))
    lists = {"present": [], "in_attendance": [], "apologies": [], "absent": []}
    for attendance in attendances:
        held = roles.get(attendance.person_id, set())
        is_member = not held or bool(held & set(Membership.MEMBER_ROLES))
        role = attendance.role or next(
            (Membership.Role(r).label for r in PRINTED_ROLES if r in held),
            "",
        )
        if attendance.status == Attendance.Status.APOLOGIES:
            key = "apologies"
        elif attendance.status == Attendance.Status.ABSENT:
            key = "absent"
        elif attendance.is_guest or not is_member:
            key = "in_attendance"
        else:
            key = "present"
        lists[key].append(_attendee(attendance, role))
    return {key: sorted(people, key=lambda a: not a.is_chair) for key, people in lists.items()}


def _action_entry(action, item_number: str, raised_on=None) -> ActionEntry:
    owners = list(action.owners.all())
    initials = [person.initials for person in owners]
    return ActionEntry(
        text=action.text,
        owners=initials,
        owner_names=[person.full_name for person in owners],
        item_number=item_number,
        due_date=action.due_date,
        status=action.status,
        raised_on=raised_on,
        closing_note=action.closing_note,
        reference=action.reference,
        owners_label=owners_label(action.owners_as_written, initials),
    )


def _meeting_date(meeting: Meeting) -> MeetingDate:
    venue = meeting.venue.full_description if meeting.venue else ""
    return MeetingDate(date=meeting.date, start_time=meeting.start_time, venue=venue)


def document_state(minutes) -> str:
    if minutes.is_confirmed:
        return DocumentState.APPROVED
    if minutes.is_published or minutes.status == minutes.Status.APPROVED:
        return DocumentState.UNCONFIRMED
    return DocumentState.DRAFT


def items_of(meeting: Meeting):
    """The meeting's agenda items with what the document prints of each: minute, previous
    meeting, decisions and actions (with owners), in order."""
    actions = Action.objects.prefetch_related("owners").order_by("position", "pk")
    return meeting.agenda_items.select_related("minute", "previous_meeting").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("position", "pk")),
        Prefetch("actions", queryset=actions),
    )


def build_document(
    minutes,
    *,
    state: str | None = None,
    version: int | None = None,
    corrections: typing.Sequence[Correction] = (),
    items: list[AgendaItem] | None = None,
) -> MinutesDocument:
    """The document for ``minutes`` as the database holds it now (minutes not yet
    started, unsaved, give what their meeting holds so far).

    Runs a fixed number of queries whatever the number of attendees, items and
    actions. ``items``: the meeting's agenda items, already loaded with ``items_of``'s
    related rows, by a caller that has them (the document then has only those).
    """

    if minutes.pk is not None:
        minutes = Minutes.objects.select_related(
            "meeting__committee", "meeting__venue", "approved_at_meeting"
        ).get(pk=minutes.pk)
    meeting = minutes.meeting
    attendance = _attendance_lists(meeting)
    if items is None:
        items = list(items_of(meeting))
    carried, carried_known = [], True
    if any(item.kind == AgendaItem.Kind.MATTERS_ARISING for item in items):
        carried_known = previous_minutes_published(meeting)
        carried = list(
            PublishedAction.objects.outstanding_at(meeting)
            .select_related("agenda_item", "minutes__meeting")
            .prefetch_related("owners")
            .order_by("minutes__meeting__date", "agenda_item__position", "position", "pk")
        )
    future = [
        _meeting_date(m)
        for m in Meeting.objects.after(meeting).select_related("venue")[:FUTURE_MEETINGS_LIMIT]
    ]

    document_items = []
    for item in items:
        minute = getattr(item, "minute", None)
        kind = item.kind
        document_items.append(
            Item(
                number=item.number,
                title=item.title,
                kind=kind,
                depth=1 if item.parent_id else 0,
                text=minute.text if minute else "",
                decisions=[d.text for d in item.decisions.all()],
                actions=[_action_entry(a, item.number) for a in item.actions.all()],
                previous_meeting_date=(
                    item.previous_meeting.date if item.previous_meeting else None
                ),
                carried_actions=(
                    [
                        _action_entry(a, a.agenda_item.number, raised_on=a.minutes.meeting.date)
                        for a in carried
                    ]
                    if kind == AgendaItem.Kind.MATTERS_ARISING
                    else []
                ),
                future_meetings=future if kind == AgendaItem.Kind.FUTURE_MEETINGS else [],
                shows_generated=minute.shows_generated if minute else True,
                carried_actions_known=carried_known,
            )
        )

    approved_at = minutes.approved_at_meeting
    return MinutesDocument(
        committee=meeting.committee.name,
        committee_slug=meeting.committee.slug,
        parent_body=meeting.committee.parent_body,
        meeting_reference=meeting.reference,
        meeting_date=meeting.date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        venue=meeting.venue.full_description if meeting.venue else "",
        state=state or document_state(minutes),
        **attendance,
        items=document_items,
        future_meetings=future,
        next_meeting_text=meeting.next_meeting_text,
        approval=minutes.approval,
        approval_wording=minutes.approval_wording,
        approved_on=minutes.approved_on,
        approved_at_meeting_date=approved_at.date if approved_at else None,
        version=version,
        corrections=list(corrections),
    )
