"""item_minute_save: compare-and-set, so two secretaries cannot overwrite each other."""

import pytest

from meetings.tests.factories import AgendaItemFactory
from members.tests.factories import UserFactory
from minutes.models import ItemMinute, Minutes
from minutes.services import EditConflict, WorkflowError, item_minute_save
from minutes.tests.factories import MinutesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return AgendaItemFactory(meeting=MinutesFactory().meeting)


@pytest.fixture
def alice():
    return UserFactory(username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob():
    return UserFactory(username="bob", first_name="Bob", last_name="Baker")


def test_the_first_save_creates_the_minute_at_revision_one(item, alice):
    minute = item_minute_save(agenda_item=item, text="Agreed.", expected_revision=0, by=alice)

    stored = ItemMinute.objects.get(agenda_item=item)
    assert (stored.pk, stored.text, stored.revision, stored.updated_by) == (
        minute.pk,
        "Agreed.",
        1,
        alice,
    )


def test_each_save_from_the_current_revision_moves_the_revision_on(item, alice):
    first = item_minute_save(agenda_item=item, text="One.", expected_revision=0, by=alice)
    second = item_minute_save(
        agenda_item=item, text="Two.", expected_revision=first.revision, by=alice
    )

    assert (first.revision, second.revision) == (1, 2)
    assert ItemMinute.objects.get(agenda_item=item).text == "Two."


def test_a_save_from_a_stale_revision_is_refused_and_says_who_saved_what(item, alice, bob):
    item_minute_save(agenda_item=item, text="Start.", expected_revision=0, by=alice)
    item_minute_save(agenda_item=item, text="Alice's words.", expected_revision=1, by=alice)

    with pytest.raises(EditConflict) as refused:
        item_minute_save(agenda_item=item, text="Bob's words.", expected_revision=1, by=bob)

    assert refused.value.text == "Alice's words."
    assert refused.value.saved_by == alice
    assert refused.value.revision == 2
    assert refused.value.saved_at is not None
    assert ItemMinute.objects.get(agenda_item=item).text == "Alice's words."


def test_two_first_saves_of_a_new_minute_cannot_both_win(item, alice, bob):
    item_minute_save(agenda_item=item, text="Alice first.", expected_revision=0, by=alice)

    with pytest.raises(EditConflict) as refused:
        item_minute_save(agenda_item=item, text="Bob second.", expected_revision=0, by=bob)

    assert refused.value.text == "Alice first."
    assert ItemMinute.objects.get(agenda_item=item).text == "Alice first."


def test_saving_the_same_words_as_the_other_save_is_not_a_conflict(item, alice, bob):
    item_minute_save(agenda_item=item, text="Same.", expected_revision=0, by=alice)

    minute = item_minute_save(agenda_item=item, text="Same.", expected_revision=0, by=bob)

    assert (minute.text, minute.revision, minute.updated_by) == ("Same.", 1, alice)


def test_minutes_that_are_not_editable_refuse_the_save(item, alice):
    Minutes.objects.filter(meeting=item.meeting).update(status=Minutes.Status.PUBLISHED)

    with pytest.raises(WorkflowError, match="cannot be changed"):
        item_minute_save(agenda_item=item, text="Late.", expected_revision=0, by=alice)

    assert not ItemMinute.objects.filter(agenda_item=item).exists()


def test_a_meeting_without_minutes_gets_them_on_the_first_save(alice):
    item = AgendaItemFactory()

    item_minute_save(agenda_item=item, text="Noted.", expected_revision=0, by=alice)

    assert item.meeting.minutes.item_minutes.get().text == "Noted."
