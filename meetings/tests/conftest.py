"""Fixtures for the meetings app's tests: a venue, and meetings with their standard agenda."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from config.tests.tasks import run_tasks
from meetings.services import meeting_schedule
from meetings.tests.factories import VenueFactory
from members.tests.factories import MembershipFactory, PersonFactory, UserFactory

JANUARY_2010 = datetime.date(2010, 1, 18)

# The standard items every new agenda starts from, as printed.
STANDARD_AGENDA = [
    ("1", "Apologies"),
    ("2", "Minutes of the last meeting"),
    ("3", "Matters arising"),
    ("4", "Any other business"),
    ("5", "Dates of future meetings"),
]


@pytest.fixture
def venue(committee):
    """The committee's usual venue."""
    venue = VenueFactory(name="Siemens", building="Hillgate House")
    committee.default_venue = venue
    committee.save()
    return venue


@pytest.fixture
def scheduled(committee, venue):
    """``scheduled(date)`` schedules a meeting of ``committee``, with the standard agenda."""

    def schedule(date=JANUARY_2010, **details):
        details.setdefault("start_time", datetime.time(10, 30))
        details.setdefault("venue", venue)
        return meeting_schedule(committee=committee, date=date, **details)

    return schedule


@pytest.fixture
def meeting(scheduled):
    """A scheduled meeting of ``committee`` on Monday 18 January 2010, standard agenda."""
    return scheduled()


@pytest.fixture
def emailable_members(committee, member, outsider):
    """The committee's current members who can be emailed, by address (sorted).

    ``member`` is reached through their login; one member has no address, one
    left the committee, and ``outsider`` sits on another committee.
    """
    MembershipFactory(
        committee=committee,
        person=PersonFactory(given_name="Suzanne", email="suzanne@example.org"),
    )
    MembershipFactory(
        committee=committee,
        person=PersonFactory(
            given_name="Glyn", email="glyn@example.org", user=UserFactory(email="old@example.org")
        ),
    )
    MembershipFactory(committee=committee, person=PersonFactory(given_name="Nomail"))
    MembershipFactory(
        committee=committee,
        person=PersonFactory(given_name="Former", email="former@example.org"),
        end_date=datetime.date(2009, 12, 31),
    )
    return ["glyn@example.org", "member@example.org", "suzanne@example.org"]


def addresses(mailoutbox) -> list[str]:
    """Every address mailed, sorted, without the names."""
    return sorted(to.split("<")[-1].rstrip(">") for message in mailoutbox for to in message.to)


def numbered(meeting) -> list[tuple[str, str]]:
    """The agenda as printed: (number, title) in order."""
    return list(meeting.agenda_items.order_by("position").values_list("number", "title"))


def h1_count(response) -> int:
    return response.content.decode().count("<h1")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(response) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body(response))).pages)


def reader_pdf(client, meeting):
    """A reader's agenda PDF: asked for before the worker has made it, it comes after."""
    response = client.get(reverse("meetings:agenda_pdf", kwargs=meeting.url_kwargs()))
    if response.status_code == 503:
        run_tasks(after=datetime.timedelta(seconds=10))
        response = client.get(reverse("meetings:agenda_pdf", kwargs=meeting.url_kwargs()))
    return response
