"""A long agenda costs no more queries to add to, or renumber, than a short one."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.models import AgendaItem
from meetings.tests.conftest import numbered

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 300


def grow(meeting, count: int) -> None:
    """Put ``count`` ordinary items before "Any other business", numbered, in one go."""
    closing = list(meeting.agenda_items.filter(kind__in=AgendaItem.CLOSING_KINDS))
    start = meeting.agenda_items.exclude(kind__in=AgendaItem.CLOSING_KINDS).count() + 1
    AgendaItem.objects.filter(pk__in=[item.pk for item in closing]).update(
        position=F("position") + 100_000, number=""
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=start + i, number=str(start + i), title=f"Item {i}")
        for i in range(count)
    )
    for offset, item in enumerate(sorted(closing, key=lambda item: item.position)):
        item.position = start + count + offset
        item.number = str(item.position)
        item.save()


def agendas(scheduled):
    """Two meetings' agendas: a short one and a long one."""
    short = scheduled(datetime.date(2010, 1, 18))
    long = scheduled(datetime.date(2010, 3, 15))
    grow(short, SMALL)
    grow(long, LARGE)
    return short, long


def queries(operation) -> int:
    with CaptureQueriesContext(connection) as ran:
        operation()
    return len(ran)


def test_adding_an_item_runs_as_many_queries_on_a_long_agenda_as_on_a_short_one(scheduled):
    short, long = agendas(scheduled)
    counts = [
        queries(lambda meeting=meeting: services.agenda_item_add(meeting=meeting, title="New"))
        for meeting in (short, long)
    ]
    assert counts[0] == counts[1]
    rows = numbered(long)
    assert len(rows) == LARGE + 6
    assert rows[-3:] == [
        (str(LARGE + 4), "New"),
        (str(LARGE + 5), "Any other business"),
        (str(LARGE + 6), "Dates of future meetings"),
    ]


def test_adding_a_sub_item_early_renumbers_what_follows_in_as_many_queries(scheduled):
    short, long = agendas(scheduled)
    counts = []
    for meeting in (short, long):
        apologies = meeting.agenda_items.get(kind=AgendaItem.Kind.APOLOGIES)
        counts.append(
            queries(
                lambda meeting=meeting, parent=apologies: services.agenda_item_add(
                    meeting=meeting, title="Received in advance", parent=parent
                )
            )
        )
    assert counts[0] == counts[1]
    assert numbered(long)[:3] == [
        ("1", "Apologies"),
        ("1.1", "Received in advance"),
        ("2", "Minutes of the last meeting"),
    ]


def test_renumbering_a_whole_agenda_is_one_bulk_update_whatever_its_length(scheduled):
    short, long = agendas(scheduled)
    counts = []
    for meeting in (short, long):
        reversed_order = list(reversed(services._ordered(meeting)))
        counts.append(
            queries(
                lambda meeting=meeting, order=reversed_order: services.agenda_renumber(
                    meeting=meeting, order=order
                )
            )
        )
    # Out of the way, then into place: two statements (and the savepoint around them).
    assert counts[0] == counts[1] <= 4
    assert numbered(long)[0] == ("1", "Dates of future meetings")
    assert numbered(long)[-1] == (str(LARGE + 5), "Apologies")
