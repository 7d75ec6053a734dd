"""Meetings: when and where a committee meets, who came, and what was on the agenda."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from members.models import Committee, Membership, Organisation, Person


class Venue(models.Model):
    """Where meetings happen: "Siemens, Hillgate House, 26 Old Bailey London EC4M 7HS"."""

    name = models.CharField(max_length=200, help_text="Whose premises, e.g. “Siemens”.")
    building = models.CharField(max_length=200, blank=True, help_text="e.g. “Hillgate House”.")
    address = models.TextField(blank=True, help_text="Street address and postcode.")
    notes = models.TextField(blank=True, help_text="Directions, access, room booking notes.")

    class Meta:
        ordering = ["name", "building"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "building"],
                name="venue_name_building_unique",
                violation_error_message="This venue already exists.",
            )
        ]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.building) if part)

    @property
    def full_description(self) -> str:
        """The venue as minutes print it, on one line."""
        address = " ".join(self.address.split())
        return ", ".join(part for part in (self.name, self.building, address) if part)


# The dates a meeting can have: anything else is a typing slip ("0201" for "2010"),
# and a date near the end of the calendar breaks the arithmetic of feeds.
EARLIEST_MEETING_DATE = datetime.date(1900, 1, 1)
MEETING_YEARS_AHEAD = 50


def latest_meeting_date(today: datetime.date | None = None) -> datetime.date:
    """The furthest a meeting can be scheduled: 50 years from today (28 February for the 29th)."""
    today = today or timezone.localdate()
    year = today.year + MEETING_YEARS_AHEAD
    return today.replace(year=year, day=min(today.day, calendar.monthrange(year, today.month)[1]))


def validate_meeting_date(value: datetime.date) -> None:
    latest = latest_meeting_date()
    if not EARLIEST_MEETING_DATE <= value <= latest:
        raise ValidationError(
            "Enter a date between %(earliest)s and %(latest)s.",
            code="date-range",
            params={
                "earliest": date_format(EARLIEST_MEETING_DATE, "j F Y"),
                "latest": date_format(latest, "j F Y"),
            },
        )


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return (
            self.filter(date__gte=today)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("date", "start_time")
        )

    def after(self, meeting: "Meeting"):
        """The committee's meetings, not cancelled, after ``meeting``."""
        return (
            self.filter(committee_id=meeting.committee_id, date__gt=meeting.date)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("date")
        )

    def before(self, meeting: "Meeting"):
        return (
            self.filter(committee_id=meeting.committee_id, date__lt=meeting.date)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("-date")
        )

    def agenda_readable_by(self, user):
        """Meetings whose published agenda ``user`` may read: it follows the committee's
        rule for minutes (``Committee.objects.readable_by``). Never an unpublished
        agenda: the secretariat reaches those through the workspace."""
        return self.filter(
            agenda_published_at__isnull=False, committee__in=Committee.objects.readable_by(user)
        )

    def due_to_be_held(self, today: datetime.date | None = None):
        """Scheduled meetings on or before ``today`` with a record: attendance or minutes.

        Such a meeting took place, whether or not anyone said so.
        """
        today = today or timezone.localdate()
        recorded = Q(Exists(Attendance.objects.filter(meeting=OuterRef("pk")))) | Q(
            minutes__isnull=False
        )
        return self.filter(recorded, status=Meeting.Status.SCHEDULED, date__lte=today)

    def clashing(self, committee, dates, *, exclude: "Meeting | None" = None) -> set[datetime.date]:
        """Which of ``dates`` the committee already meets on (a committee meets once a day)."""
        found = self.filter(committee=committee, date__in=list(dates))
        if exclude is not None and exclude.pk:
            found = found.exclude(pk=exclude.pk)
        return set(found.values_list("date", flat=True))

    def clash(self, committee, dates, *, exclude: "Meeting | None" = None) -> str | None:
        """Why ``committee`` cannot meet on ``dates`` (some are taken), or None if it can."""
        clashes = self.clashing(committee, dates, exclude=exclude)
        return clash_message(committee, clashes) if clashes else None


def clash_message(committee, dates) -> str:
    """The one way the clash rule is put: "Socitm Futures already has a meeting on …"."""
    listed = ", ".join(date_format(day, "l j F Y") for day in sorted(dates))
    return f"{committee} already has a meeting on {listed}."


class Meeting(models.Model):
    """One meeting of a committee on a date."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(validators=[validate_meeting_date])
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    reference = models.CharField(
        max_length=60,
        blank=True,
        help_text="How the committee numbers this meeting, printed above the minutes’ title, "
        "e.g. “Meeting #3”.",
    )

    class ItemNumbering(models.TextChoices):
        AUTOMATIC = "automatic", "Automatic: 1, 2, 2.1, 3 … in agenda order"
        AS_TYPED = "as-typed", "As typed: gaps, “23/045” or any other style"

    item_numbering = models.CharField(
        max_length=10,
        choices=ItemNumbering,
        default=ItemNumbering.AUTOMATIC,
        help_text="Whether Minutebook numbers the agenda items or the secretary types each number.",
    )
    next_meeting_text = models.CharField(
        "next meeting (no date yet)",
        max_length=300,
        blank=True,
        help_text="When the next meeting has no date yet, what the minutes say of it, e.g. "
        "“early February 2017; date to be confirmed”.",
    )
    notice = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown to members beside the meeting, e.g. why it was cancelled or moved.",
    )
    agenda_published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the agenda was published to those who read the committee’s minutes.",
    )
    agenda_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who published the agenda.",
    )
    agenda_revised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the published agenda last changed; readers are told it was revised.",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "date"],
                name="meeting_one_per_committee_per_day",
                violation_error_message="This committee already has a meeting on this date.",
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_it_starts",
                violation_error_message="A meeting must end after it starts.",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "date"], name="meeting_committee_date"),
            # The latest or next meetings of every committee (home page, workspace): read
            # from the end of this index rather than sorting the whole archive.
            models.Index(fields=["date"], name="meeting_date"),
        ]

    def __str__(self):
        return f"{self.committee} — {date_format(self.date, 'j F Y')}"

    def get_absolute_url(self):
        return reverse("minutes:meeting", kwargs=self.url_kwargs())

    def url_kwargs(self) -> dict:
        return {"slug": self.committee.slug, "date": self.date.isoformat()}

    def clean(self):
        super().clean()
        # Said here as the forms, admin and services say it; the constraint is the backstop.
        if (
            self.committee_id
            and self.date
            and (why := Meeting.objects.clash(self.committee, [self.date], exclude=self))
        ):
            raise ValidationError({"date": why}, code="clash")

    @property
    def numbers_items_automatically(self) -> bool:
        return self.item_numbering == self.ItemNumbering.AUTOMATIC

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    # -- What may happen to it. Each answers None when it may, else the reason why not,
    # -- in words for the secretary. Services refuse with it; views, forms and admin ask.

    def can_be_cancelled(self) -> str | None:
        if self.is_cancelled:
            return "This meeting is already cancelled."
        return self._stays_because("cancelled")

    def can_be_moved(self) -> str | None:
        """To another date, time or venue, telling the members."""
        if self.is_cancelled:
            return "This meeting is cancelled, so it cannot be moved."
        return self.can_change_date()

    def can_change_date(self) -> str | None:
        """Whether its date may change at all (moved, or corrected)."""
        return self._stays_because("moved")

    def can_be_marked_held(self, today: datetime.date | None = None) -> str | None:
        if self.date > (today or timezone.localdate()):
            return "A meeting can be marked held only on or after its date."
        return None

    def can_take_status(self, status: str) -> str | None:
        """Whether a correction of its details may set ``status``."""
        if status == self.status:
            return None
        if status == self.Status.CANCELLED:
            return self.can_be_cancelled()
        if status == self.Status.HELD:
            return self.can_be_marked_held()
        # Back to scheduled: only if marked held by mistake (no record of it).
        return self._stays_because("scheduled again", held=self.has_record_of_being_held())

    def has_record_of_being_held(self, today: datetime.date | None = None) -> bool:
        """On or before ``today``, with attendance or minutes recorded."""
        return bool(
            self.pk
            and self.date <= (today or timezone.localdate())
            and (self.attendances.exists() or getattr(self, "minutes", None) is not None)
        )

    def _stays_because(self, done: str, *, held: bool | None = None) -> str | None:
        """A meeting with agreed or published minutes, or that has been held, stays as it is."""
        minutes = getattr(self, "minutes", None)
        if minutes is not None and minutes.status != minutes.Status.DRAFT:
            return (
                f"The minutes of this meeting are {minutes.get_status_display().lower()}, "
                f"so it cannot be {done}."
            )
        if held is None:
            held = self.is_held or self.has_record_of_being_held()
        if held:
            return f"This meeting has been held, so it cannot be {done}."
        return None

    def can_be_deleted(self) -> str | None:
        """A meeting goes from the diary only while nothing is recorded of it: otherwise
        it is cancelled, or its minutes deleted first."""
        if getattr(self, "minutes", None) is not None:
            return "This meeting has minutes, so it cannot be deleted."
        return self._stays_because("deleted")

    def can_change_record(self) -> str | None:
        """Whether its details, attendance and agenda may change: not once the minutes
        built from them are agreed or published, until a correction opens them again."""
        minutes = self.closed_minutes
        if minutes is None:
            return None
        way = "start a correction" if minutes.is_published else "return the minutes to draft"
        return (
            f"The minutes of this meeting are {minutes.get_status_display().lower()}, so the "
            "meeting's details, who attended and the agenda are part of the record. To change "
            f"them, {way} under “Approve & publish”."
        )

    @property
    def agenda_is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def closed_minutes(self):
        """These minutes, if approved or published: then the meeting's attendance and agenda
        are part of an agreed record, and change only through a correction. Else None."""
        minutes = getattr(self, "minutes", None)
        return minutes if minutes is not None and not minutes.is_editable else None

    @property
    def has_published_minutes(self) -> bool:
        """Published minutes carry this meeting's date in their addresses and PDFs."""
        minutes = getattr(self, "minutes", None)
        return minutes is not None and minutes.is_published

    def attendance_sheet(self, *, person: Person | None = None) -> list["SheetRow"]:
        """Who to mark at this meeting: the committee's current members and anyone recorded.

        People recorded here who have since left the committee still show, so
        the record can be read and corrected. Two queries, however many people.
        """
        memberships = (
            Membership.objects.current()
            .filter(committee_id=self.committee_id)
            .select_related("person__organisation")
        )
        attendances = self.attendances.select_related("person__organisation", "organisation")
        if person is not None:
            memberships = memberships.filter(person=person)
            attendances = attendances.filter(person=person)
        rows: dict[int, SheetRow] = {}
        for attendance in attendances:
            rows[attendance.person_id] = SheetRow(
                person=attendance.person, attendance=attendance, is_member=False
            )
        for membership in memberships:
            row = rows.setdefault(
                membership.person_id, SheetRow(person=membership.person, is_member=True)
            )
            row.is_member = True
            if membership.role != membership.Role.MEMBER:
                row.roles.append(membership.get_role_display())
        return sorted(
            rows.values(), key=lambda row: (row.person.family_name, row.person.given_name)
        )


@dataclass
class SheetRow:
    """One line of a meeting's attendance sheet."""

    person: Person
    attendance: "Attendance | None" = None
    is_member: bool = True
    roles: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def organisation(self) -> Organisation | None:
        """As recorded at the meeting; the person's current one until they are recorded."""
        if self.attendance is not None:
            return self.attendance.organisation
        return self.person.organisation


@dataclass(frozen=True)
class Recurrence:
    """A rule for a series of meetings: "the third Monday of every second month from January".

    ``occurrence`` is 1 to 4, or -1 for the last such weekday of the month.
    """

    MAX_MEETINGS = 24

    first_month: datetime.date
    every_months: int
    weekday: int
    occurrence: int

    def date_in(self, year: int, month: int) -> datetime.date:
        first_weekday, days = calendar.monthrange(year, month)
        if self.occurrence == -1:
            last = datetime.date(year, month, days)
            return last - datetime.timedelta(days=(last.weekday() - self.weekday) % 7)
        day = 1 + (self.weekday - first_weekday) % 7 + 7 * (self.occurrence - 1)
        return datetime.date(year, month, day)

    def dates(
        self, *, count: int | None = None, until: datetime.date | None = None
    ) -> list[datetime.date]:
        """The dates, stopping after ``count`` meetings or at ``until``, whichever comes first.

        Never more than ``MAX_MEETINGS`` + 1, so a caller can tell that a rule
        asks for too many.
        """
        limit = min(count or self.MAX_MEETINGS + 1, self.MAX_MEETINGS + 1)
        dates = []
        months = self.first_month.year * 12 + self.first_month.month - 1
        while len(dates) < limit:
            day = self.date_in(months // 12, months % 12 + 1)
            if until is not None and day > until:
                break
            dates.append(day)
            months += self.every_months
        return dates


class AttendanceQuerySet(models.QuerySet):
    def present(self):
        return self.filter(status=Attendance.Status.PRESENT)

    def apologies(self):
        return self.filter(status=Attendance.Status.APOLOGIES)

    def absent(self):
        return self.filter(status=Attendance.Status.ABSENT)

    def bulk_create(self, objs, *args, **kwargs):
        """As ``Attendance.save`` does, each row takes its meeting's committee."""
        objs = list(objs)
        for attendance in objs:
            attendance.committee_id = attendance.meeting.committee_id
        return super().bulk_create(objs, *args, **kwargs)


class Attendance(models.Model):
    """Whether a person came to a meeting, and whom they represented *that day*.

    The organisation is recorded per meeting, not read from the person, so that
    old minutes do not change when someone moves on.
    """

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=10, choices=Status, default=Status.PRESENT)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text="As it was at this meeting.",
    )
    is_guest = models.BooleanField(
        default=False, help_text="Attended by invitation rather than as a member."
    )
    role = models.CharField(
        max_length=100,
        blank=True,
        help_text="Role at this meeting, e.g. “Chair”, “Guest presenter”.",
    )
    # The meeting's, copied (a meeting stays with its committee; ``save`` and
    # ``bulk_create`` set it): whether someone is named in minutes a reader may read is then
    # an index lookup for each committee the reader may read, not a walk through every
    # meeting they attended.
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        verbose_name_plural = "attendance"
        indexes = [
            # Committee first: "is this person named at a committee the reader may read"
            # is then one lookup for each of those committees.
            models.Index(fields=["committee", "person"], name="attendance_committee_person"),
            models.Index(fields=["committee", "organisation"], name="attendance_committee_org"),
        ]
        constraints = [
            # One row per person per meeting: nobody can be both present and
            # sending apologies.
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendance_one_per_person_per_meeting",
                violation_error_message=(
                    "This person is already recorded for this meeting "
                    "(present, apologies or absent: only one)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_status_display()}"

    def save(self, *args, **kwargs):
        self.committee_id = self.meeting.committee_id
        super().save(*args, **kwargs)


class AgendaItemQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def with_minutes_content(self):
        """Items under which something has been minuted: text, a decision or an action."""
        return self.filter(
            Q(minute__text__gt="") | Q(decisions__isnull=False) | Q(actions__isnull=False)
        )


class AgendaItem(models.Model):
    """A numbered item on a meeting's agenda; its minute text lives in the minutes app."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinary item"
        APOLOGIES = "apologies", "Apologies"
        PREVIOUS_MINUTES = "previous-minutes", "Minutes of the last meeting"
        MATTERS_ARISING = "matters-arising", "Matters arising"
        ANY_OTHER_BUSINESS = "aob", "Any other business"
        FUTURE_MEETINGS = "future-meetings", "Dates of future meetings"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(help_text="Order on the agenda.")
    number = models.CharField(
        max_length=20, blank=True, help_text="As printed, e.g. “1”, “2.1”, “7” or “23/045”."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_items",
        help_text="Set for a sub-item.",
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.ORDINARY)
    previous_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approving_items",
        help_text="For “Minutes of the last meeting”: the meeting whose minutes are considered.",
    )
    description = models.TextField(
        blank=True, help_text="Shown on the agenda before the meeting (Markdown)."
    )
    presenter = models.CharField(max_length=200, blank=True, help_text="Who introduces the item.")

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_unique",
                violation_error_message="Two items cannot share a position on the agenda.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=~Q(number=""),
                name="agenda_item_number_unique",
                violation_error_message="Two items on this agenda have the same number.",
            ),
            models.CheckConstraint(
                condition=Q(previous_meeting__isnull=True) | Q(kind="previous-minutes"),
                name="agenda_item_previous_meeting_only_for_minutes",
                violation_error_message=(
                    "Only a “Minutes of the last meeting” item can point at an earlier meeting."
                ),
            ),
        ]

    # The items every agenda starts from, in order; the secretary's own go before
    # "Any other business".
    STANDARD_ITEMS = (
        (Kind.APOLOGIES, "Apologies"),
        (Kind.PREVIOUS_MINUTES, "Minutes of the last meeting"),
        (Kind.MATTERS_ARISING, "Matters arising"),
        (Kind.ANY_OTHER_BUSINESS, "Any other business"),
        (Kind.FUTURE_MEETINGS, "Dates of future meetings"),
    )
    # Own items are added before the first of these.
    CLOSING_KINDS = (Kind.ANY_OTHER_BUSINESS, Kind.FUTURE_MEETINGS)

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def can_be_deleted(self) -> str | None:
        """Taken off the agenda only while the record is open and nothing was minuted under it."""
        if why := self.meeting.can_change_record():
            return why
        if self.has_minutes_content():
            return (
                f"“{self.title}” has minute text, decisions or actions, so it cannot be deleted. "
                "Remove them from the minutes first."
            )
        return None

    def has_minutes_content(self) -> bool:
        """True if this item or one of its sub-items has minute text, decisions or actions."""
        return (
            AgendaItem.objects.filter(Q(pk=self.pk) | Q(parent_id=self.pk))
            .with_minutes_content()
            .exists()
        )

    def clean(self):
        super().clean()
        if self.previous_meeting_id and self.meeting_id:
            earlier = self.previous_meeting
            if (
                earlier.committee_id != self.meeting.committee_id
                or earlier.date >= self.meeting.date
            ):
                raise ValidationError(
                    {"previous_meeting": "Choose an earlier meeting of the same committee."}
                )
        if self.parent_id:
            parent = self.parent
            if self.meeting_id and parent.meeting_id != self.meeting_id:
                raise ValidationError({"parent": "A sub-item must belong to the same meeting."})
            # One level only: "2.1", never "2.1.1".
            if parent.parent_id or parent.pk == self.pk:
                raise ValidationError({"parent": "Choose a main item, not a sub-item."})
            if self.pk and self.sub_items.exists():
                raise ValidationError(
                    {"parent": "This item has sub-items of its own, so it must stay a main item."}
                )
