"""Importing a parsed set of minutes as a committee's draft minutes.

One transaction per file: the meeting, its people (matched to existing people by email,
name or initials; new people and organisations created), attendance, agenda items with their
numbers as printed, minute text, decisions and actions, and the original file kept beside
them. If anything fails, nothing of that file is left behind.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from meetings.models import AgendaItem, Attendance, Meeting, Venue
from members.models import Committee, Organisation, Person
from minutes.models import Action, Decision, ItemMinute, Minutes
from minutes.services import (
    WorkflowError,
    minutes_approve,
    minutes_for_meeting,
    minutes_return_to_draft,
)

from .models import ImportedDocument
from .parse import ABSENT, APOLOGIES, IN_ATTENDANCE, PRESENT, Draft
from .people import HONORIFIC, ParsedPerson


class ImportRefused(Exception):
    """The file cannot be imported as it stands; the message says why and what to do."""


@dataclass
class ImportResult:
    meeting: Meeting
    document: ImportedDocument
    people_created: list[Person] = field(default_factory=list)
    people_matched: list[Person] = field(default_factory=list)
    organisations_created: list[Organisation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_STATUS = {
    PRESENT: Attendance.Status.PRESENT,
    IN_ATTENDANCE: Attendance.Status.PRESENT,
    APOLOGIES: Attendance.Status.APOLOGIES,
    ABSENT: Attendance.Status.ABSENT,
}
_KINDS = [
    (AgendaItem.Kind.APOLOGIES, r"^apologies"),
    (AgendaItem.Kind.PREVIOUS_MINUTES, r"minutes of (?:the )?(?:last|previous|past)|^minutes\b|"
     r"approval of (?:the )?minutes|previous minutes"),
    (AgendaItem.Kind.MATTERS_ARISING, r"matters arising"),
    (AgendaItem.Kind.ANY_OTHER_BUSINESS, r"any other business|^aob\b|other business"),
    (AgendaItem.Kind.FUTURE_MEETINGS, r"(?:date|dates) of (?:the )?(?:next|future) meeting|"
     r"next meeting|meeting dates|future meetings"),
]  # fmt: skip


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def split_name(name: str) -> tuple[str, str]:
    """ "A H Porter" -> ("A H", "Porter"); "Anne van Kesteren" -> ("Anne", "van Kesteren")."""
    tokens = HONORIFIC.sub("", name).replace(".", ". ").split()
    tokens = [t.strip() for t in tokens if t.strip()]
    if len(tokens) <= 1:
        return (tokens[0] if tokens else name.strip()), ""
    family_start = len(tokens) - 1
    while family_start > 1 and tokens[family_start - 1].lower() in {
        "van", "von", "de", "der", "den", "da", "du", "la", "le", "di", "del", "dos", "st.",
    }:  # fmt: skip
        family_start -= 1
    given = " ".join(tokens[:family_start]).replace(". ", ".").strip()
    return given, " ".join(tokens[family_start:])


def _initials_of(name: str) -> str:
    return "".join(t[0] for t in re.findall(r"[A-Za-z][\w'’-]*", HONORIFIC.sub("", name))).upper()


class _People:
    """Finds or creates the people a document names, once each."""

    def __init__(self, committee: Committee, chosen: dict[str, Person] | None = None):
        self.committee = committee
        # Names the secretary matched to someone by hand: "J. Smith" is Jane Smith.
        self.chosen = {name.strip().lower(): person for name, person in (chosen or {}).items()}
        self.created: list[Person] = []
        self.matched: list[Person] = []
        self.organisations_created: list[Organisation] = []
        self.at_meeting: list[tuple[ParsedPerson, Person]] = []

    def organisation(self, name: str) -> Organisation | None:
        name = name.strip()[:200]
        if not name:
            return None
        found = Organisation.objects.filter(name__iexact=name).first()
        found = found or Organisation.objects.filter(short_name__iexact=name).first()
        if found is None:
            found = Organisation.objects.create(name=name)
            self.organisations_created.append(found)
        return found

    def person(self, parsed: ParsedPerson) -> Person:
        found = self.chosen.get(parsed.name.strip().lower()) or self.find(parsed)
        if found is not None:
            if found not in self.matched and found not in self.created:
                self.matched.append(found)
            return found
        given, family = split_name(parsed.name)
        organisation = self.organisation(parsed.organisation)
        person = Person(
            given_name=given[:100],
            family_name=family[:100],
            initials=self._free_initials(parsed.initials or _initials_of(parsed.name)),
            organisation=organisation,
        )
        person.full_clean(exclude=["family_name"] if not family else None)
        person.save()
        self.created.append(person)
        return person

    @staticmethod
    def find(parsed: ParsedPerson) -> Person | None:
        """Someone already known by this name, or these initials; None if nobody is."""
        given, family = split_name(parsed.name)
        found = None
        if family:
            candidates = Person.objects.filter(given_name__iexact=given, family_name__iexact=family)
            found = candidates.first()
            if found is None and re.fullmatch(r"(?:[A-Z]\.? ?)+", given + " "):
                # "A H Porter" and "Alan Porter": the same person if the initials agree.
                for candidate in Person.objects.filter(family_name__iexact=family):
                    if _initials_of(candidate.given_name).startswith(given.replace(".", "")[:1]):
                        found = candidate
                        break
        if found is None and parsed.initials:
            found = Person.objects.by_initials(parsed.initials).first()
            if found and family and found.family_name.lower() != family.lower():
                found = None
        return found

    def _free_initials(self, wanted: str) -> str:
        wanted = (wanted or "X")[:5].upper()
        candidate, number = wanted, 1
        while Person.objects.by_initials(candidate).exists():
            number += 1
            candidate = f"{wanted[: 5 - len(str(number))]}{number}"
        return candidate

    def owner(self, text: str) -> Person | None:
        """An action's owner as written ("SH", "Simon", "Clerk") among this meeting's people."""
        key = HONORIFIC.sub("", text).strip(" .").lower()
        if not key:
            return None
        for parsed, person in self.at_meeting:
            names = {
                name.lower()
                for name in (
                    person.full_name, person.given_name, person.family_name, person.initials,
                    person.known_as, parsed.name, _initials_of(parsed.name), parsed.initials,
                )
            }  # fmt: skip
            names.discard("")
            if key in names or (parsed.role and key in parsed.role.lower()):
                return person
        return (
            Person.objects.by_initials(text).first()
            if re.fullmatch(r"[A-Za-z]{2,5}", text)
            else None
        )


def _kind_of(title: str) -> str:
    for kind, pattern in _KINDS:
        if re.search(pattern, title, re.I):
            return kind
    return AgendaItem.Kind.ORDINARY


def _venue(text: str) -> Venue | None:
    text = text.strip()
    if not text:
        return None
    name, _, rest = text.partition(",")
    name = name.strip()[:200]
    found = Venue.objects.filter(name__iexact=name).first()
    return found or Venue.objects.create(name=name, address=rest.strip().replace(", ", "\n"))


def people_not_found(people: list[ParsedPerson]) -> list[str]:
    """The names no one already recorded answers to, each once, in the order given: the
    import would add them as new people unless the secretary says who they are."""
    names = []
    for parsed in people:
        if parsed.name not in names and _People.find(parsed) is None:
            names.append(parsed.name)
    return names


def minutes_import(
    *,
    committee: Committee,
    draft: Draft,
    filename: str,
    data: bytes,
    by=None,
    replace: bool = False,
    people_chosen: dict[str, Person] | None = None,
) -> ImportResult:
    """Record a parsed document as the draft minutes of a meeting of ``committee``.

    Refuses a file already imported for the committee unless ``replace`` is set, in which
    case the draft made from it before is deleted first (published minutes are never
    replaced). Refuses a document without a date, and a date on which the committee
    already has minutes. ``people_chosen`` maps names as written to the people the
    secretary matched them to.
    """
    if draft.date is None:
        raise ImportRefused(f"{filename}: no meeting date was found, so it cannot be imported.")
    sha = content_hash(data)
    with transaction.atomic():
        earlier = ImportedDocument.objects.filter(committee=committee, sha256=sha).first()
        if earlier is not None:
            if not replace:
                raise ImportRefused(
                    f"{filename} was already imported on {earlier.imported_at:%d %B %Y} as the "
                    f"meeting of {earlier.meeting.date:%d %B %Y}. Import it again with "
                    "--replace to replace that draft."
                )
            _delete_imported_meeting(earlier)
        meeting = _meeting(committee, draft, filename)
        people = _People(committee, people_chosen)
        result_warnings = list(draft.warnings)
        statuses: dict[int, Attendance] = {}
        for kind in (PRESENT, IN_ATTENDANCE, APOLOGIES, ABSENT):
            for parsed in draft.people[kind]:
                person = people.person(parsed)
                people.at_meeting.append((parsed, person))
                if person.pk in statuses:
                    continue
                organisation = people.organisation(parsed.organisation) or person.organisation
                statuses[person.pk] = Attendance(
                    meeting=meeting,
                    person=person,
                    status=_STATUS[kind],
                    organisation=organisation,
                    is_guest=kind == IN_ATTENDANCE,
                    role=parsed.role[:100],
                )
        Attendance.objects.bulk_create(statuses.values())
        minutes = minutes_for_meeting(meeting=meeting)
        previous = Meeting.objects.before(meeting).first()
        for position, parsed_item in enumerate(draft.items, 1):
            kind = _kind_of(parsed_item.title)
            item = AgendaItem(
                meeting=meeting,
                position=position,
                number=parsed_item.number[:12],
                title=parsed_item.title[:300] or f"Item {position}",
                kind=kind,
                previous_meeting=previous if kind == AgendaItem.Kind.PREVIOUS_MINUTES else None,
            )
            item.full_clean(exclude=["previous_meeting"])
            item.save()
            text = parsed_item.text
            for order, decision in enumerate(parsed_item.decisions):
                Decision.objects.create(
                    minutes=minutes, agenda_item=item, text=decision.text[:1000], position=order
                )
            for order, parsed_action in enumerate(parsed_item.actions):
                owners = [o for o in (people.owner(name) for name in parsed_action.owners) if o]
                action_text = parsed_action.text
                reference = parsed_action.reference
                if len(reference) > 20:
                    action_text, reference = f"{reference} {action_text}", ""
                if not owners:
                    # An action needs an owner here; keep its words in the minute text.
                    text += f"\nAction: {action_text}\n"
                    result_warnings.append(
                        f"Item {parsed_item.number or position}: no owner recognised for "
                        f"“{parsed_action.text[:60]}”; kept in the minute text."
                    )
                    continue
                due = parsed_action.due
                action = Action.objects.create(
                    minutes=minutes,
                    agenda_item=item,
                    text=action_text[:1000],
                    position=order,
                    reference=reference,
                    owners_as_written=parsed_action.owners_text[:200],
                    due_date=due if due and due >= meeting.date else None,
                )
                action.owners.set(owners)
            if text:
                ItemMinute.objects.create(
                    minutes=minutes, agenda_item=item, text=text, revision=1, updated_by=by
                )
        _link_next_meeting(meeting)
        document = ImportedDocument(
            committee=committee, meeting=meeting, filename=filename[:255], sha256=sha,
            imported_by=by,
        )  # fmt: skip
        document.file.save(filename[-120:], ContentFile(data), save=False)
        # The file is stored before the row: if the transaction fails, the file goes too.
        stored = document.file.name
        try:
            document.save()
        except Exception:
            document.file.storage.delete(stored)
            raise
        # "The minutes of the last meeting were agreed", in this file or in the next one's.
        for later in (meeting, Meeting.objects.after(meeting).first()):
            if later is not None:
                _approve_previous_minutes(later, by=by, warnings=result_warnings)
    return ImportResult(
        meeting=meeting,
        document=document,
        people_created=people.created,
        people_matched=people.matched,
        organisations_created=people.organisations_created,
        warnings=result_warnings,
    )


def _link_next_meeting(meeting: Meeting) -> None:
    """An archive imported out of order: the next meeting's "minutes of the last meeting",
    still a draft, now has this meeting to point at."""
    following = Meeting.objects.after(meeting).first()
    if following is None:
        return
    AgendaItem.objects.filter(
        meeting=following,
        kind=AgendaItem.Kind.PREVIOUS_MINUTES,
        previous_meeting__isnull=True,
        meeting__minutes__status__in=Minutes.EDITABLE_STATES,
    ).update(previous_meeting=meeting)


_AGREED = re.compile(
    r"\b(?:agreed|approved|confirmed|accepted|adopted|signed|carried|consent)\b", re.I
)
_NOT_AGREED = re.compile(r"\b(?:not|deferred|postponed|unable|withdrawn)\b", re.I)


def _approve_previous_minutes(meeting: Meeting, *, by, warnings: list[str]) -> None:
    """An imported meeting whose "minutes of the last meeting" item records them agreed: the
    earlier imported meeting's minutes, still a draft, are approved at it, as they would
    have been had both meetings been recorded here."""
    if not ImportedDocument.objects.filter(meeting=meeting).exists():
        return
    item = (
        meeting.agenda_items.filter(
            kind=AgendaItem.Kind.PREVIOUS_MINUTES, previous_meeting__isnull=False
        )
        .select_related("previous_meeting")
        .first()
    )
    if item is None or not any(
        _AGREED.search(d.text) and not _NOT_AGREED.search(d.text) for d in item.decisions.all()
    ):
        return
    earlier = item.previous_meeting
    minutes = Minutes.objects.filter(meeting=earlier).first()
    imported = ImportedDocument.objects.filter(meeting=earlier).exists()
    if minutes is None or not imported or minutes.can_approve() is not None:
        return
    try:
        minutes_approve(minutes=minutes, by=by, at_meeting=meeting)
    except WorkflowError as error:
        warnings.append(
            f"The minutes of {earlier.date:%A %-d %B %Y} are recorded as agreed on "
            f"{meeting.date:%A %-d %B %Y}, but their approval was not recorded: {error}"
        )


def _meeting(committee: Committee, draft: Draft, filename: str) -> Meeting:
    existing = Meeting.objects.filter(committee=committee, date=draft.date).first()
    if existing is not None:
        has_record = (
            Minutes.objects.filter(meeting=existing).exists()
            or existing.attendances.exists()
            or existing.agenda_items.filter(minute__text__gt="").exists()
        )
        if has_record:
            raise ImportRefused(
                f"{filename}: {committee} already has a record of its meeting on "
                f"{draft.date:%d %B %Y}; import refused so that nothing is overwritten."
            )
        # A meeting in the diary with nothing recorded: the import records it.
        existing.agenda_items.all().delete()
        existing.status = Meeting.Status.HELD
        existing.start_time = existing.start_time or draft.start_time
        existing.venue = existing.venue or _venue(draft.venue)
        existing.item_numbering = Meeting.ItemNumbering.AS_TYPED
        existing.save()
        return existing
    meeting = Meeting(
        committee=committee,
        date=draft.date,
        start_time=draft.start_time,
        venue=_venue(draft.venue),
        item_numbering=Meeting.ItemNumbering.AS_TYPED,
        next_meeting_text="" if draft.next_meeting else draft.next_meeting_text[:300],
        status=Meeting.Status.HELD
        if draft.date <= datetime.date.today()
        else Meeting.Status.SCHEDULED,
    )
    try:
        meeting.full_clean()
    except ValidationError as error:
        raise ImportRefused(f"{filename}: {'; '.join(error.messages)}") from None
    meeting.save()
    return meeting


def _delete_imported_meeting(document: ImportedDocument) -> None:
    meeting = document.meeting
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.can_be_deleted():
        raise ImportRefused(
            f"{document.filename}: the minutes made from it are "
            f"{minutes.get_status_display().lower()}; published or approved minutes are not "
            "replaced by an import."
        )
    for approved in Minutes.objects.filter(approved_at_meeting=meeting):
        # Their approval came from the file being replaced; it may say otherwise now.
        if approved.is_published:
            raise ImportRefused(
                f"{document.filename}: the minutes of {approved.meeting.date:%d %B %Y} are "
                "published as approved at the meeting it records, so it is not replaced."
            )
        minutes_return_to_draft(
            minutes=approved, by=None, note="The minutes that approved them were imported again."
        )
    stored = document.file.name
    if minutes is not None:
        minutes.delete()
    meeting.delete()  # its attendance, items and this document go with it
    transaction.on_commit(lambda: document.file.storage.delete(stored))
