import datetime

import factory

from meetings.models import AgendaItem, Attendance, Meeting, Venue
from members.tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Council House {n}")
    building = "Committee Room 1"
    address = "1 High Street\nLondon EC1A 1AA"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    date = factory.Sequence(lambda n: datetime.date(2009, 1, 5) + datetime.timedelta(weeks=n))
    venue = factory.SubFactory(VenueFactory)
    status = Meeting.Status.HELD


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Attendance.Status.PRESENT


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda item: str(item.position))
    title = factory.Sequence(lambda n: f"Agenda item {n}")
