"""The demo: the Socitm Futures meeting of Monday 16 November 2009, as its minutes record it.

Names, organisations, item titles and text are as printed in the reference
minutes (``minutes/reference/socitm-futures-2009-11-16.txt``). Nothing is added that the
reference does not hold, except what the app needs to work: initials for every
person (the reference prints only "SH"), two demo logins, and the approval of
the minutes at the next meeting, so that members have published minutes to read.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from meetings.models import AgendaItem, Attendance, Meeting, Venue
from members.models import Committee, Membership, Organisation, Person
from members.roles import SECRETARIAT_GROUP
from minutes.models import Action, Decision, ItemMinute, Minutes
from minutes.services import (
    minutes_approve,
    minutes_for_meeting,
    minutes_publish,
    publication_complete,
)

MEETING_DATE = datetime.date(2009, 11, 16)
PREVIOUS_MEETING_DATE = datetime.date(2009, 7, 13)
MEETING_DATES_2010 = [
    datetime.date(2010, 1, 18),
    datetime.date(2010, 3, 15),
    datetime.date(2010, 5, 17),
    datetime.date(2010, 7, 12),
    datetime.date(2010, 9, 13),
    datetime.date(2010, 11, 15),
]

COMMITTEE = {"name": "Socitm Futures", "slug": "socitm-futures", "parent_body": "Socitm"}
VENUE = {
    "name": "Siemens",
    "building": "Hillgate House",
    "address": "26 Old Bailey\nLondon EC4M 7HS",
}

# (given name, family name, initials, known as, organisation as printed)
IN_ATTENDANCE = [
    ("Caron", "Alexander", "CA", "", "DFPNI"),
    ("Leonard", "Anderson", "LA", "", "Socitm Consulting"),
    ("Mark", "Brett", "MB", "Mark B", "Socitm"),
    ("David", "Bryant", "DB", "", "Hytec"),
    ("Ian", "Cooper", "IC", "", "Hampshire CC"),
    ("Susan", "Douglas", "SD", "", "Independent Consultant"),
    ("Glyn", "Evans", "GE", "Glyn E", "Birmingham City Council"),
    ("Martin", "Ferguson", "MF", "Martin F", "Socitm"),
    ("Martin", "Greenwood", "MG", "", "Socitm"),
    ("Suzanne", "Horner", "SH", "", "Socitm"),
    ("Doug", "Maclean", "DM", "", "Socitm"),
    ("Neil", "Moore", "NM", "", "Hants Fire & Rescue"),
    ("Simon", "Norbury", "SN", "", "Independent Consultant"),
    ("Tony", "Riding", "TR", "", "Socitm"),
    ("Vicky", "Sargent", "VS", "", "Socitm"),
]
APOLOGIES = [
    ("Stephen", "Fellowes", "SF", "", "London Councils"),
    ("Adrian", "Hancock", "AH", "", "Socitm"),
    ("David", "Hopkins", "DH", "", "Milton Keynes/Siemens"),
    ("Sal", "Khan", "SK", "", "East Staffs BC"),
    ("Steve", "Palmer", "SP", "", "LB Hillingdon"),
    ("Dylan", "Roberts", "DR", "", "Leeds City Council"),
    ("David", "Thickett", "DT", "", "DWP"),
    ("Glenn", "Wood", "GW", "", "Wolverhampton City Council"),
]

ITEM_1_TEXT = """\
The 4 key areas that Futures has suggested as the priority policy areas for Socitm have been agreed by the Board of Directors. They are: Information Assurance; Efficiency and sustainability; Government infrastructures and Citizen/staff engagement. They are brought together under the overarching theme: ‘Tomorrow’s Public Services’. Socitm’s Board of Directors has agreed this framework will drive our policy work, including policy briefings and policy position statements on current issues. The latter could include: G-cloud and shared services; it is intended to use a Wiki style approach to sharing ideas for comment and collaboration.

Martin F discussed the Policy briefing on Digital Britain produced earlier this year. There was very little engagement with local government on what it can deliver for Digital Britain. The focus has tended to be on Cabinet Office and central government services.

Martin F has been working on a policy briefing response to the Operational Efficiency Programme: final report. This is being finalised and will be published later in the current week, with a covering press release.
"""  # noqa: E501

ITEM_2_TEXT = """\
Glyn E updated on the LCIOC PSN Conference which took place on 15/16 September and the LCIOC meeting on 20 October.

- Support for PSN was slow - engagement at local level is required. LCIOC members wish to be involved in shaping development of services to be delivered across PSN and G- Cloud (open invitation to workshop on 8th December – contact Suzanne if interested).
- Catalina McGregor, chair of the Green IT team presented. LCIOC support was given to Green ICT strategy.
- Bill McCluggage, Deputy Government CIO presented on the draft National ICT Strategy. The draft strategy document was subsequently circulated to LCIOC members for comment. Martin Ferguson will represent LCIO Council on the UK Government ICT Strategy Implementation Steering Group.
- Discussions focused on Digital Britain – the lack of understanding at local level, social and digital exclusion. The report from Price Waterhouse Cooper: the case for Digital Britain, has been circulated to members.
- The work streams are progressing well, including collaborative procurement strategy.
"""  # noqa: E501

ITEM_3_TEXT = """\
- The link between efficiency and staff/citizen engagement
- Social media
- Innovation and efficiency - "better for less"
- The 'political' role of local government officers

Ian Cooper commented that Paul Davidson’s work on linked data and information architecture should be included on the agenda.

Glyn Evans suggested the possible change in the national political situation as a topic to be covered in the March or May meeting. It would be useful to get some insight into Conservative policy. Glyn discussed possibly inviting someone from Francis Maude’s office to present.
"""  # noqa: E501

ITEM_4_TEXT = (
    "Venue will continue to be Siemens’ offices. Suzanne Horner will advise of any changes.\n"
)

ITEM_6_TEXT = """\
Glyn enquired on the Cabinet Office approach to transformation. Key people are leaving and not being replaced. Moves into Treasury seem to be taking place. Mark B commented that OCC is based in the Treasury – links could be exploited.
"""  # noqa: E501

# (number, title, kind, minute text, decisions, actions as (text, owner initials))
ITEMS = [
    ("1", "Update on Strategy for Policy and Policy Briefings (Digital Britain and OEP)",
     AgendaItem.Kind.ORDINARY, ITEM_1_TEXT, [], []),
    ("2", "Update from Local CIO Council Meetings in September and October",
     AgendaItem.Kind.ORDINARY, ITEM_2_TEXT, [], []),
    ("3", "Future Topics for Consideration by Socitm Futures (as discussed in Edinburgh)",
     AgendaItem.Kind.ORDINARY, ITEM_3_TEXT, [], []),
    ("4", "Suggested Meeting dates for 2010",
     AgendaItem.Kind.FUTURE_MEETINGS, ITEM_4_TEXT, ["Proposed meeting dates were agreed."], []),
    ("5", "Minutes of last meeting on 13 July 2009",
     AgendaItem.Kind.PREVIOUS_MINUTES, "",
     ["Minutes of the meeting held on 13 July were agreed."], []),
    ("6", "Any Other Business",
     AgendaItem.Kind.ANY_OTHER_BUSINESS, ITEM_6_TEXT, [],
     [("Glyn asked Suzanne to draft a letter of thanks to Jim Haslem for his work as Vice Chair "
       "of Socitm Futures.", "SH")]),
]  # fmt: skip

DEMO_PASSWORD = "minutebook-demo"  # noqa: S105 - printed for anyone trying the demo
DEMO_LOGINS = [
    # (username, email, linked person's initials, secretariat?)
    ("secretary", "secretary@example.org", "SH", True),
    ("member", "member@example.org", "IC", False),
]


def load_demo() -> list[tuple[str, str, str]]:
    """Load the reference meeting. Safe to run again: existing rows are left as they are.

    Returns the demo logins as (username, password, role).
    """
    with transaction.atomic():
        venue, _ = Venue.objects.get_or_create(
            name=VENUE["name"], building=VENUE["building"], defaults={"address": VENUE["address"]}
        )
        committee, _ = Committee.objects.get_or_create(
            slug=COMMITTEE["slug"],
            defaults={
                "name": COMMITTEE["name"],
                "parent_body": COMMITTEE["parent_body"],
                "default_venue": venue,
                # Public, so that a newcomer sees the demo's minutes on the home page at once.
                "minutes_visibility": Committee.Visibility.PUBLIC,
            },
        )

        previous, _ = Meeting.objects.get_or_create(
            committee=committee,
            date=PREVIOUS_MEETING_DATE,
            defaults={"status": Meeting.Status.HELD},
        )
        meeting, _ = Meeting.objects.get_or_create(
            committee=committee,
            date=MEETING_DATE,
            defaults={"status": Meeting.Status.HELD, "venue": venue},
        )
        future = [
            Meeting.objects.get_or_create(committee=committee, date=day, defaults={"venue": venue})[
                0
            ]
            for day in MEETING_DATES_2010
        ]

        people = {}
        for rows, status in (
            (IN_ATTENDANCE, Attendance.Status.PRESENT),
            (APOLOGIES, Attendance.Status.APOLOGIES),
        ):
            for given, family, initials, known_as, organisation_name in rows:
                organisation, _ = Organisation.objects.get_or_create(name=organisation_name)
                person, _ = Person.objects.get_or_create(
                    initials=initials,
                    defaults={
                        "given_name": given,
                        "family_name": family,
                        "known_as": known_as,
                        "organisation": organisation,
                    },
                )
                people[initials] = person
                Membership.objects.get_or_create(person=person, committee=committee)
                Attendance.objects.get_or_create(
                    meeting=meeting,
                    person=person,
                    defaults={"status": status, "organisation": organisation},
                )

        minutes = minutes_for_meeting(meeting=meeting)
        for position, (number, title, kind, text, decisions, actions) in enumerate(ITEMS, 1):
            item, _ = AgendaItem.objects.get_or_create(
                meeting=meeting,
                position=position,
                defaults={
                    "number": number,
                    "title": title,
                    "kind": kind,
                    "previous_meeting": (
                        previous if kind == AgendaItem.Kind.PREVIOUS_MINUTES else None
                    ),
                },
            )
            ItemMinute.objects.get_or_create(
                agenda_item=item, defaults={"minutes": minutes, "text": text}
            )
            for order, decision in enumerate(decisions):
                Decision.objects.get_or_create(
                    minutes=minutes, agenda_item=item, text=decision, defaults={"position": order}
                )
            for order, (action_text, owner) in enumerate(actions):
                action, created = Action.objects.get_or_create(
                    minutes=minutes,
                    agenda_item=item,
                    text=action_text,
                    defaults={"position": order},
                )
                if created:
                    action.owners.add(people[owner])

        logins = _demo_logins(people)

    secretary = logins[0][0]
    previous_minutes = minutes_for_meeting(meeting=previous)
    if not previous_minutes.is_confirmed:
        # Item 5: "Minutes of the meeting held on 13 July were agreed."
        minutes_approve(minutes=previous_minutes, by=secretary, at_meeting=meeting)
    minutes.refresh_from_db()
    if not minutes.is_confirmed:
        minutes_approve(minutes=minutes, by=secretary, at_meeting=future[0])
    if minutes.status == Minutes.Status.APPROVED:
        minutes_publish(minutes=minutes, by=secretary)
        # The demo is ready when loaded: publish now rather than wait for the worker,
        # which then finds nothing left to do.
        publication_complete(minutes_id=minutes.pk)

    return [(user.username, DEMO_PASSWORD, role) for user, role in logins]


def _demo_logins(people):
    User = get_user_model()
    secretariat = Group.objects.get(name=SECRETARIAT_GROUP)
    logins = []
    for username, email, initials, is_secretary in DEMO_LOGINS:
        person = people[initials]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=email,
                password=DEMO_PASSWORD,
                first_name=person.given_name,
                last_name=person.family_name,
                is_staff=is_secretary,
            )
            if is_secretary:
                user.groups.add(secretariat)
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        role = "secretariat: edits, approves and publishes" if is_secretary else "committee member"
        logins.append((user, role))
    return logins
