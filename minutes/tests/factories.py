import datetime

import factory

from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from members.tests.factories import PersonFactory
from minutes.models import Action, Decision, ItemMinute, Minutes

# Minutes fields for each state past draft, approved on a date, for tests that need the state
# itself rather than the way to it.
APPROVED = {
    "status": Minutes.Status.APPROVED,
    "approved_on": datetime.date(2010, 3, 15),
    "approval": "date",
}
PUBLISHED = {
    "status": Minutes.Status.PUBLISHED,
    "approved_on": datetime.date(2010, 3, 15),
    "approval": "date",
}
CORRECTING = {
    "status": Minutes.Status.CORRECTING,
    "approved_on": datetime.date(2010, 3, 15),
    "approval": "date",
}


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)


class ItemMinuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemMinute

    minutes = factory.SubFactory(MinutesFactory)
    agenda_item = factory.SubFactory(
        AgendaItemFactory, meeting=factory.SelfAttribute("..minutes.meeting")
    )
    text = "The panel discussed the item."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    minutes = factory.SubFactory(MinutesFactory)
    agenda_item = factory.SubFactory(
        AgendaItemFactory, meeting=factory.SelfAttribute("..minutes.meeting")
    )
    text = "The recommendation was agreed."


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    minutes = factory.SubFactory(MinutesFactory)
    agenda_item = factory.SubFactory(
        AgendaItemFactory, meeting=factory.SelfAttribute("..minutes.meeting")
    )
    text = "Circulate the briefing to members."

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if create:
            self.owners.set(extracted if extracted is not None else [PersonFactory()])


def publish(minutes, *, by, on=None):
    """Approve (on the meeting's own date unless told) and publish ``minutes``, then run
    the queued task that renders and commits the version; returns the version."""
    from minutes.services import minutes_approve, minutes_publish

    minutes_approve(minutes=minutes, by=by, on=on or minutes.meeting.date)
    minutes_publish(minutes=minutes, by=by)
    return published_version(minutes)


def published_version(minutes):
    """Run the queued tasks, as a worker would; the minutes' latest version after that."""
    from config.tests.tasks import run_tasks

    run_tasks()
    minutes.refresh_from_db(fields=["status", "updated_at"])
    return minutes.versions.order_by("-number").first()


def published_meeting(committee, date, **attendance):
    """A meeting of ``committee`` on ``date`` whose minutes are published (without rendering
    a version), with ``attendance`` as {status: [people]}."""
    from meetings.tests.factories import AttendanceFactory, MeetingFactory

    meeting = MeetingFactory(committee=committee, date=date)
    MinutesFactory(meeting=meeting, status=Minutes.Status.PUBLISHED)
    for status, people in attendance.items():
        for person in people:
            AttendanceFactory(meeting=meeting, person=person, status=status)
    return meeting
