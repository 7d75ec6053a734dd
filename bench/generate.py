"""Fill a database with an archive: committees with hundreds of meetings each, in bulk.

    .venv/bin/python bench/generate.py --meetings 10000 --committees 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mb_bench .venv/bin/python bench/generate.py

Adds to the database the settings point at (``DATABASE_URL``; migrate it first), so it goes
well after ``load_demo``: the demo's ``member`` then sits on half the committees and owns
actions in them. Each committee gets ``meetings ÷ committees`` past meetings a fortnight
apart, back from today, and a few upcoming ones. Every past meeting has 8 agenda items and
about 4 KB of minute text, about 15 attendance rows, 2 decisions and 2 actions (open for
the latest meetings and now and then for an old one, otherwise done or withdrawn), and
published minutes: a version with its frozen document, the actions as published, and its
search entries (through the search service, in bulk). The latest past meeting of each
committee has draft minutes instead, to be taken. ``--agenda-items`` gives the first
committee's next meeting an agenda that long.

No PDF is rendered (the versions point at a file that does not exist): the pages measured
never read it. Fast because every table is written with ``bulk_create``, a committee at a
time: about a minute for 1,000 meetings on PostgreSQL.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEATS = 18  # members of each committee; about 15 of them are recorded at each meeting
PEOPLE = 240  # the pool the committees' seats are filled from
UPCOMING = 4  # scheduled meetings ahead of each committee
RECENT_OPEN = 12  # the actions of a committee's latest meetings are still open
ITEM_TITLES = [
    "Budget monitoring report",
    "Shared services update",
    "Digital strategy",
    "Workforce and recruitment",
    "Risk register",
    "Procurement of the new contact centre",
    "Information governance",
    "Performance report",
    "Cloud hosting review",
    "Customer satisfaction survey",
    "Business continuity",
    "Members' allowances",
]
WORDS = str.split(
    "council budget agreed report services members chair officer committee review proposal "
    "strategy network partners update paper discussion noted meeting group board timetable "
    "funding contract supplier cost saving risk delivery project programme plan data security "
    "training staff consultation residents public health housing transport schools library "
    "finance audit quarter year target progress concern question answer letter response "
    "approach option recommendation approval draft final workshop event conference survey "
    "the of and to in for on with that was were would should could be by from as at an a"
)


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def minute_text(rng: random.Random, size: int) -> str:
    """Markdown of about ``size`` characters: paragraphs, and now and then a bullet list."""
    parts = []
    while sum(len(p) for p in parts) < size:
        if rng.random() < 0.2:
            parts.append("\n".join(f"- {paragraph(rng, 8)}" for _ in range(3)))
        else:
            parts.append(paragraph(rng, rng.randint(25, 60)))
    return "\n\n".join(parts)


def generate(
    *,
    meetings: int = 10_000,
    committees: int = 20,
    agenda_items: int = 0,
    member: str = "member",
    seed: int = 1,
    log=print,
) -> dict:
    """Write the archive; returns what was made (counts and the slugs)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from members.models import Committee, Membership, Organisation, Person

    if Committee.objects.filter(slug="archive-01").exists():
        raise SystemExit("This database has an archive already: generate into a fresh one.")
    rng = random.Random(seed)  # noqa: S311 - made-up records, not secrets
    today = timezone.localdate()
    started = time.perf_counter()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Archive borough council {n + 1}", short_name=f"ABC {n + 1}")
        for n in range(30)
    )
    people = Person.objects.bulk_create(
        Person(
            given_name=rng.choice(["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee"]),
            family_name=f"Archer-{n + 1}",
            initials=f"AR{n + 1}",
            organisation=rng.choice(organisations),
        )
        for n in range(PEOPLE)
    )
    user = get_user_model().objects.filter(username=member).select_related("person").first()
    reader = getattr(user, "person", None) if user else None
    made = {"committees": [], "meetings": 0, "agenda_meeting": None}
    per_committee = max(1, meetings // committees)
    for number in range(committees):
        committee = Committee.objects.create(
            name=f"Archive committee {number + 1:02d}",
            slug=f"archive-{number + 1:02d}",
            # Half members-only (the reader sits on those), half public.
            minutes_visibility=(
                Committee.Visibility.MEMBERS if number % 2 == 0 else Committee.Visibility.PUBLIC
            ),
        )
        seats = rng.sample(people, SEATS)
        if reader is not None and number % 2 == 0:
            seats[-1] = reader
        Membership.objects.bulk_create(
            Membership(
                person=person,
                committee=committee,
                role=Membership.Role.CHAIR if seat == 0 else Membership.Role.MEMBER,
            )
            for seat, person in enumerate(seats)
        )
        with transaction.atomic():
            _committee_archive(rng, committee, seats, per_committee, today)
        made["committees"].append(committee.slug)
        made["meetings"] += per_committee
        log(
            f"  {committee.slug}: {per_committee} meetings "
            f"({time.perf_counter() - started:.0f} s so far)"
        )
    if agenda_items:
        made["agenda_meeting"] = _long_agenda(made["committees"][0], agenda_items)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    made["seconds"] = time.perf_counter() - started
    return made


def _committee_archive(rng, committee, seats, count, today) -> None:
    from meetings.models import AgendaItem, Attendance, Meeting
    from minutes import search
    from minutes.document import ActionEntry, Attendee, DocumentState, Item, MinutesDocument
    from minutes.models import (
        Action,
        Decision,
        ItemMinute,
        Minutes,
        MinutesEvent,
        MinutesVersion,
        PublishedAction,
    )

    fortnight = datetime.timedelta(days=14)
    offset = datetime.timedelta(days=int(committee.slug[-2:]) % 7)
    dates = sorted(today - offset - fortnight * (k + 1) for k in range(count))
    past = Meeting.objects.bulk_create(
        Meeting(committee=committee, date=day, status=Meeting.Status.HELD) for day in dates
    )
    Meeting.objects.bulk_create(
        Meeting(committee=committee, date=today + offset + fortnight * (k + 1))
        for k in range(UPCOMING)
    )
    # Minutes: all published but the latest meeting's, which are being taken.
    minutes = Minutes.objects.bulk_create(
        Minutes(
            meeting=meeting,
            status=Minutes.Status.DRAFT if meeting is past[-1] else Minutes.Status.PUBLISHED,
            approval="" if meeting is past[-1] else Minutes.Approval.ON_DATE,
            approved_on=None if meeting is past[-1] else meeting.date + fortnight,
        )
        for meeting in past
    )
    kinds = [
        (AgendaItem.Kind.APOLOGIES, "Apologies"),
        (AgendaItem.Kind.PREVIOUS_MINUTES, "Minutes of the last meeting"),
        (AgendaItem.Kind.MATTERS_ARISING, "Matters arising"),
        None,
        None,
        None,
        None,
        (AgendaItem.Kind.ANY_OTHER_BUSINESS, "Any other business"),
    ]
    items = []
    for index, meeting in enumerate(past):
        for position, kind in enumerate(kinds, start=1):
            kind, title = kind or (AgendaItem.Kind.ORDINARY, rng.choice(ITEM_TITLES))
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    number=str(position),
                    title=title,
                    kind=kind,
                    previous_meeting=(
                        past[index - 1]
                        if kind == AgendaItem.Kind.PREVIOUS_MINUTES and index
                        else None
                    ),
                )
            )
    items = AgendaItem.objects.bulk_create(items, batch_size=2000)
    texts = {AgendaItem.Kind.ORDINARY: 850, AgendaItem.Kind.ANY_OTHER_BUSINESS: 300}
    item_minutes, decisions, actions, owners, attendances = [], [], [], [], []
    documents = []
    for index, (meeting, record) in enumerate(zip(past, minutes, strict=True)):
        recorded = rng.sample(seats, 15)
        statuses = [Attendance.Status.PRESENT] * 12 + [Attendance.Status.APOLOGIES] * 2
        statuses += [Attendance.Status.ABSENT]
        for person, status in zip(recorded, statuses, strict=True):
            attendances.append(
                Attendance(
                    meeting=meeting,
                    person=person,
                    status=status,
                    organisation_id=person.organisation_id,
                    role="Chair" if person is seats[0] else "",
                )
            )
        present = recorded[:12]
        document_items = []
        meeting_items = items[index * 8 : index * 8 + 8]
        recent = index >= len(past) - RECENT_OPEN
        for position, item in enumerate(meeting_items, start=1):
            text = minute_text(rng, texts.get(item.kind, 120))
            item_minutes.append(ItemMinute(minutes=record, agenda_item=item, text=text))
            item_decisions = []
            item_actions = []
            if position in (4, 5):
                item_decisions = [paragraph(rng, 12)]
                decisions += [Decision(minutes=record, agenda_item=item, text=item_decisions[0])]
            if position in (6, 7):
                owner = rng.choice(present)
                due = meeting.date + datetime.timedelta(days=28)
                if recent or rng.random() < 0.05:
                    status, closed = Action.Status.OPEN, None
                elif rng.random() < 0.05:
                    status, closed = Action.Status.WITHDRAWN, due
                else:
                    status, closed = Action.Status.DONE, due - datetime.timedelta(days=3)
                action = Action(
                    minutes=record,
                    agenda_item=item,
                    text=paragraph(rng, 14),
                    due_date=due,
                    status=status,
                    closed_on=closed,
                )
                actions.append(action)
                owners.append(owner)
                item_actions = [
                    ActionEntry(
                        text=action.text,
                        owners=[owner.initials],
                        owner_names=[owner.full_name],
                        item_number=item.number,
                        due_date=due,
                    )
                ]
            document_items.append(
                Item(
                    number=item.number,
                    title=item.title,
                    kind=item.kind,
                    text=text,
                    decisions=item_decisions,
                    actions=item_actions,
                    previous_meeting_date=past[index - 1].date if position == 2 and index else None,
                )
            )
        if record.status == Minutes.Status.PUBLISHED:
            names = {p.pk: Attendee(name=p.full_name) for p in recorded}
            documents.append(
                (
                    record,
                    MinutesDocument(
                        committee=committee.name,
                        committee_slug=committee.slug,
                        meeting_date=meeting.date,
                        state=DocumentState.APPROVED,
                        present=[names[p.pk] for p in recorded[:12]],
                        apologies=[names[p.pk] for p in recorded[12:14]],
                        absent=[names[p.pk] for p in recorded[14:]],
                        items=document_items,
                        approval=Minutes.Approval.ON_DATE,
                        approved_on=record.approved_on,
                        version=1,
                    ),
                )
            )
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    ItemMinute.objects.bulk_create(item_minutes, batch_size=2000)
    Decision.objects.bulk_create(decisions, batch_size=5000)
    actions = Action.objects.bulk_create(actions, batch_size=5000)
    Action.owners.through.objects.bulk_create(
        (
            Action.owners.through(action_id=a.pk, person_id=p.pk)
            for a, p in zip(actions, owners, strict=True)
        ),
        batch_size=5000,
    )
    published = [
        (action, owner)
        for action, owner in zip(actions, owners, strict=True)
        if action.minutes.status == Minutes.Status.PUBLISHED
    ]
    rows = PublishedAction.objects.bulk_create(
        (
            PublishedAction(
                minutes=action.minutes,
                action=action,
                agenda_item=action.agenda_item,
                text=action.text,
                due_date=action.due_date,
                status=action.status,
                closed_on=action.closed_on,
            )
            for action, _ in published
        ),
        batch_size=5000,
    )
    PublishedAction.owners.through.objects.bulk_create(
        (
            PublishedAction.owners.through(publishedaction_id=row.pk, person_id=owner.pk)
            for row, (_, owner) in zip(rows, published, strict=True)
        ),
        batch_size=5000,
    )
    versions = MinutesVersion.objects.bulk_create(
        (
            MinutesVersion(
                minutes=record,
                number=1,
                confirmed=True,
                document=document.to_json(),
                plain_text=document.plain_text(),
                pdf=f"bench/{committee.slug}-{record.meeting.date}.pdf",
                pdf_sha256=f"{record.pk:064d}",
                pdf_size=0,
            )
            for record, document in documents
        ),
        batch_size=500,
    )
    for version in versions:
        version.minutes.current_version = version
    Minutes.objects.bulk_update(
        [version.minutes for version in versions], ["current_version"], batch_size=500
    )
    MinutesEvent.objects.bulk_create(
        (
            MinutesEvent(minutes=v.minutes, kind=MinutesEvent.Kind.PUBLISHED, version=v)
            for v in versions
        ),
        batch_size=5000,
    )
    for start in range(0, len(versions), 250):
        search.index_versions(versions[start : start + 250])


def _long_agenda(slug: str, count: int) -> int:
    """The committee's next meeting with an agenda of ``count`` items; returns its pk."""
    from meetings.models import AgendaItem, Meeting

    meeting = Meeting.objects.upcoming().filter(committee__slug=slug).first()
    AgendaItem.objects.bulk_create(
        (
            AgendaItem(
                meeting=meeting,
                position=position,
                number=str(position),
                title=f"Item {position}: {ITEM_TITLES[position % len(ITEM_TITLES)]}",
                description="Report attached; members are asked to note it.",
            )
            for position in range(1, count + 1)
        ),
        batch_size=2000,
    )
    return meeting.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=10_000, help="past meetings in all")
    parser.add_argument("--committees", type=int, default=20)
    parser.add_argument(
        "--agenda-items", type=int, default=0, help="items on the first committee's next agenda"
    )
    parser.add_argument(
        "--member", default="member", help="login whose person sits on half the committees"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    made = generate(
        meetings=args.meetings,
        committees=args.committees,
        agenda_items=args.agenda_items,
        member=args.member,
        seed=args.seed,
    )
    print(f"{made['meetings']} meetings in {len(made['committees'])} committees, ", end="")
    print(f"in {made['seconds']:.0f} s")


if __name__ == "__main__":
    main()
