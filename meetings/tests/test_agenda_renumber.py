import pytest

from meetings.services import agenda_renumber
from meetings.tests.conftest import numbered
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_items_are_numbered_in_order_and_sub_items_under_their_main_item():
    meeting = MeetingFactory()
    # Out of order and wrongly numbered, as an import or a hand edit might leave them.
    strategy = AgendaItemFactory(meeting=meeting, position=10, number="7", title="Strategy")
    AgendaItemFactory(meeting=meeting, position=3, number="", title="Apologies")
    AgendaItemFactory(
        meeting=meeting, position=30, number="9", title="Digital Britain", parent=strategy
    )
    AgendaItemFactory(meeting=meeting, position=20, number="", title="AOB")
    AgendaItemFactory(meeting=meeting, position=1, number="1", title="OEP", parent=strategy)

    agenda_renumber(meeting=meeting)

    assert numbered(meeting) == [
        ("1", "Apologies"),
        ("2", "Strategy"),
        ("2.1", "OEP"),
        ("2.2", "Digital Britain"),
        ("3", "AOB"),
    ]
    assert list(meeting.agenda_items.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_renumbering_one_agenda_leaves_another_alone():
    meeting, other = MeetingFactory(), MeetingFactory()
    AgendaItemFactory(meeting=meeting, position=5, number="5")
    AgendaItemFactory(meeting=other, position=5, number="5")
    agenda_renumber(meeting=meeting)
    assert other.agenda_items.get().number == "5"
    assert meeting.agenda_items.get().number == "1"
