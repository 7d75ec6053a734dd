"""Attendance and action statistics, from the published record a reader may read.

Only meetings whose minutes are published and readable by the user count
(``Minutes.objects.readable_by``): a draft's attendance is not yet a record, and a
members-only committee's figures are for its members. Attendance is counted from
the attendance recorded for those meetings; guests are left out (they are not
members, and have no attendance to keep). An action counts in the period of the
meeting that set it, as its published version records it.

Each figure is one aggregate query, whatever the number of meetings or people.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from meetings.models import Attendance, Meeting
from members.models import Committee, Person
from minutes.models import ActionRecord, Minutes, PublishedAction

PRESENT, APOLOGIES, ABSENT = (
    Attendance.Status.PRESENT,
    Attendance.Status.APOLOGIES,
    Attendance.Status.ABSENT,
)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def last_twelve_months(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        try:
            year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            year_ago = today.replace(year=today.year - 1, day=28)
        return cls(start=year_ago + datetime.timedelta(days=1), end=today)


@dataclass
class Attendances:
    """How often someone (or a committee's members together) came."""

    present: int = 0
    apologies: int = 0
    absent: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.apologies + self.absent

    @property
    def rate(self) -> int | None:
        """Present at what share of the meetings they were recorded at, in whole per cent."""
        if not self.recorded:
            return None
        return round(100 * self.present / self.recorded)


@dataclass
class Actions:
    """Actions set in the period, and what became of them."""

    set: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open: int = 0
    overdue: int = 0

    def as_list(self) -> list[tuple[str, int]]:
        """The figures with their names, in the order tables and charts give them."""
        return [
            ("Set", self.set),
            ("Done on time", self.done_on_time),
            ("Done late", self.done_late),
            ("Open", self.open),
            ("Overdue", self.overdue),
        ]


@dataclass
class Row:
    """One line of a table: a person, or a committee, with their figures."""

    label: str
    url: str = ""
    attendance: Attendances = field(default_factory=Attendances)
    actions: Actions = field(default_factory=Actions)
    key: object = None
    sort: tuple = ()


# The columns of a statistics table as a download gives them (after the name).
CSV_COLUMNS = [
    "Recorded at",
    "Present",
    "Apologies",
    "Absent",
    "Attendance rate (%)",
    "Actions set",
    "Done on time",
    "Done late",
    "Open",
    "Overdue",
]


def csv_row(row: Row) -> list:
    """``row``'s figures in the order of ``CSV_COLUMNS``, after its name."""
    a, actions = row.attendance, row.actions
    return [
        row.label,
        a.recorded,
        a.present,
        a.apologies,
        a.absent,
        a.rate,
        *(value for _, value in actions.as_list()),
    ]


@dataclass
class CommitteeStatistics:
    committee: Committee
    period: Period
    meetings_held: int
    attendance: Attendances
    actions: Actions
    members: list[Row]

    @property
    def rows(self) -> list[Row]:
        return self.members


@dataclass
class PersonStatistics:
    person: Person
    period: Period
    attendance: Attendances
    actions: Actions
    committees: list[Row]

    @property
    def rows(self) -> list[Row]:
        return self.committees


def _readable_meetings(user, period: Period):
    """Meetings in ``period`` whose published minutes ``user`` may read: asked of the
    period's meetings alone, never by listing every readable minutes of the archive."""
    return Meeting.objects.filter(
        Minutes.objects.readable_condition(user, minutes="minutes__", meeting=""),
        date__gte=period.start,
        date__lte=period.end,
    )


def _attendance_counts():
    return {
        "present": Count("pk", filter=Q(status=PRESENT)),
        "apologies": Count("pk", filter=Q(status=APOLOGIES)),
        "absent": Count("pk", filter=Q(status=ABSENT)),
    }


def _action_counts(today: datetime.date, prefix: str = ""):
    done = Q(status=ActionRecord.Status.DONE)
    in_time = Q(due_date__isnull=True) | Q(closed_on__lte=F("due_date"))
    is_open = Q(status=ActionRecord.Status.OPEN)
    return {
        "set": Count("pk", distinct=True),
        "done_on_time": Count("pk", filter=done & in_time, distinct=True),
        "done_late": Count("pk", filter=done & ~in_time, distinct=True),
        "open": Count("pk", filter=is_open, distinct=True),
        "overdue": Count("pk", filter=ActionRecord.overdue_condition(today), distinct=True),
    }


def _attendances(values: dict) -> Attendances:
    return Attendances(
        present=values["present"], apologies=values["apologies"], absent=values["absent"]
    )


def _actions(values: dict) -> Actions:
    return Actions(**{name: values[name] for name in Actions.__dataclass_fields__})


def _attendance_rows(meetings):
    return Attendance.objects.filter(meeting__in=meetings, is_guest=False)


def _published_actions(meetings):
    return PublishedAction.objects.filter(minutes__meeting__in=meetings)


def committee_statistics(
    *, user, committee: Committee, period: Period, today: datetime.date | None = None
) -> CommitteeStatistics:
    """The committee's meetings held, attendance and actions in ``period``, and each
    member's. Four queries."""
    today = today or timezone.localdate()
    meetings = _readable_meetings(user, period).filter(committee=committee)
    attendance = _attendance_rows(meetings)
    actions = _published_actions(meetings)

    members: dict[int, Row] = {}
    for values in (
        attendance.values("person_id", "person__given_name", "person__family_name")
        .annotate(**_attendance_counts())
        .order_by()
    ):
        members[values["person_id"]] = _person_row(values, "person")
        members[values["person_id"]].attendance = _attendances(values)
    for values in (
        actions.values("owners", "owners__given_name", "owners__family_name")
        .annotate(**_action_counts(today))
        .order_by()
    ):
        if values["owners"] is None:
            continue
        row = members.setdefault(values["owners"], _person_row(values, "owners"))
        row.actions = _actions(values)
    rows = sorted(members.values(), key=lambda row: row.sort)
    return CommitteeStatistics(
        committee=committee,
        period=period,
        meetings_held=meetings.count(),
        attendance=_attendances(attendance.aggregate(**_attendance_counts())),
        actions=_actions(actions.aggregate(**_action_counts(today))),
        members=rows,
    )


def _person_row(values: dict, prefix: str) -> Row:
    given, family = values[f"{prefix}__given_name"], values[f"{prefix}__family_name"]
    key = values["person_id" if prefix == "person" else prefix]
    return Row(label=f"{given} {family}", key=key, sort=(family.lower(), given.lower(), key))


def person_statistics(
    *, user, person: Person, period: Period, today: datetime.date | None = None
) -> PersonStatistics:
    """``person``'s attendance and actions in ``period``, on each committee whose
    published minutes ``user`` may read. Two queries."""
    today = today or timezone.localdate()
    meetings = _readable_meetings(user, period)
    committees: dict[int, Row] = {}
    for values in (
        _attendance_rows(meetings)
        .filter(person=person)
        .values("meeting__committee_id", "meeting__committee__name", "meeting__committee__slug")
        .annotate(**_attendance_counts())
        .order_by()
    ):
        committees[values["meeting__committee_id"]] = Row(
            label=values["meeting__committee__name"],
            key=values["meeting__committee__slug"],
            attendance=_attendances(values),
        )
    for values in (
        _published_actions(meetings)
        .filter(owners=person)
        .values(
            "minutes__meeting__committee_id",
            "minutes__meeting__committee__name",
            "minutes__meeting__committee__slug",
        )
        .annotate(**_action_counts(today))
        .order_by()
    ):
        row = committees.setdefault(
            values["minutes__meeting__committee_id"],
            Row(
                label=values["minutes__meeting__committee__name"],
                key=values["minutes__meeting__committee__slug"],
            ),
        )
        row.actions = _actions(values)
    rows = sorted(committees.values(), key=lambda row: row.label.lower())
    attendance, actions = Attendances(), Actions()
    for row in rows:
        for name in ("present", "apologies", "absent"):
            setattr(attendance, name, getattr(attendance, name) + getattr(row.attendance, name))
        for name in Actions.__dataclass_fields__:
            setattr(actions, name, getattr(actions, name) + getattr(row.actions, name))
    return PersonStatistics(
        person=person, period=period, attendance=attendance, actions=actions, committees=rows
    )


def person_in_readable_record(user, person_pk: int) -> Person | None:
    """The person, if they appear (attending or owning an action) in minutes ``user`` may
    read; else None, so that nobody learns who sits on a committee they cannot read."""
    readable = Minutes.objects.readable_by(user)
    attended = Attendance.objects.filter(
        person=OuterRef("pk"), is_guest=False, meeting__minutes__in=readable
    )
    owned = PublishedAction.objects.filter(owners=OuterRef("pk"), minutes__in=readable)
    return Person.objects.filter(Q(Exists(attended)) | Q(Exists(owned)), pk=person_pk).first()
