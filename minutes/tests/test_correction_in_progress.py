"""While published minutes are being corrected, readers see only what was published.

The working copy of a correction (new or edited actions, decisions, text) is the
secretariat's until its version is published: not on the meeting page, the next
meeting's agenda (page and PDF), "My actions", search, feeds or later minutes.
"""

import datetime

import pytest
from django.urls import reverse

from meetings.services import agenda_publish, meeting_schedule
from meetings.tests.conftest import pdf_text, reader_pdf
from members.models import Committee
from members.roles import person_for
from minutes.models import Action
from minutes.services import (
    action_add,
    action_close,
    action_delete,
    action_update,
    item_minute_save,
    minutes_for_meeting,
    minutes_publish_correction,
    minutes_start_correction,
)
from minutes.tests.factories import publish, published_version

pytestmark = pytest.mark.django_db

NOVEMBER, JANUARY = datetime.date(2009, 11, 16), datetime.date(2010, 1, 18)
PUBLISHED_ACTION = "Draft a letter of thanks to Jim Haslem"
EDITED_ACTION = "Zanzibar letter, edited in the correction"
NEW_ACTION = "Xylophone review, added in the correction"
NEW_TEXT = "Quokka paragraph added in the correction."


@pytest.fixture
def correcting(committee, member, secretary):
    """November's minutes, published with one action for ``member``, then opened for a
    correction that edits that action, adds another and adds text; January's agenda
    (with matters arising) is published afterwards."""
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    person = person_for(member)
    november = meeting_schedule(committee=committee, date=NOVEMBER)
    aob = november.agenda_items.get(kind="aob")
    action_add(agenda_item=aob, text=PUBLISHED_ACTION, owners=[person])
    minutes = minutes_for_meeting(meeting=november)
    publish(minutes, by=secretary)
    minutes_start_correction(minutes=minutes, by=secretary)
    action = Action.objects.get(text=PUBLISHED_ACTION)
    action_update(action=action, text=EDITED_ACTION, owners=[person], due_date=None, status="open")
    action_add(agenda_item=aob, text=NEW_ACTION, owners=[person])
    item_minute_save(agenda_item=aob, text=NEW_TEXT, expected_revision=0, by=secretary)
    january = meeting_schedule(committee=committee, date=JANUARY)
    agenda_publish(meeting=january, by=secretary)
    return minutes, january


UNPUBLISHED = (EDITED_ACTION, NEW_ACTION, "Quokka", "Zanzibar", "Xylophone")


def assert_only_published(text: str):
    for words in UNPUBLISHED:
        assert words not in text
    assert PUBLISHED_ACTION in text


@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_the_next_agendas_page_and_pdf_show_the_actions_as_published(
    client_for, member, correcting, reader
):
    _, january = correcting
    client = client_for(member if reader == "member" else None)
    page = client.get(reverse("meetings:agenda", kwargs=january.url_kwargs()))
    assert_only_published(page.content.decode())
    assert_only_published(pdf_text(reader_pdf(client, january)))


def test_my_actions_show_the_action_as_published(client_for, member, correcting):
    assert_only_published(client_for(member).get(reverse("minutes:my_actions")).content.decode())


def test_the_meeting_page_search_and_feed_show_only_the_published_version(
    client_for, member, correcting
):
    minutes, _ = correcting
    client = client_for(member)
    assert_only_published(client.get(minutes.meeting.get_absolute_url()).content.decode())
    for word in UNPUBLISHED:
        found = client.get(reverse("minutes:search"), {"q": word}).content.decode()
        assert "Nothing you can read matches" in found
    feed = client_for(None).get(reverse("minutes:feed", kwargs={"slug": "socitm-futures"}))
    assert feed.status_code == 200
    for words in UNPUBLISHED:
        assert words not in feed.content.decode()


def test_the_next_meetings_minutes_carry_forward_the_action_as_published(
    member, secretary, correcting
):
    _, january = correcting
    version = publish(minutes_for_meeting(meeting=january), by=secretary)
    frozen = str(version.document)
    for words in UNPUBLISHED:
        assert words not in frozen
    assert PUBLISHED_ACTION in frozen


def test_the_secretariat_sees_the_working_copy_and_readers_see_it_once_published(
    client_for, member, secretary, correcting
):
    minutes, january = correcting
    draft = client_for(secretary).get(reverse("minutes:draft", kwargs=minutes.meeting.url_kwargs()))
    assert NEW_ACTION in draft.content.decode()
    assert "Quokka" in draft.content.decode()

    minutes_publish_correction(minutes=minutes, by=secretary, reason="Actions were missed.")
    published_version(minutes)
    client = client_for(member)
    mine = client.get(reverse("minutes:my_actions")).content.decode()
    assert EDITED_ACTION in mine and NEW_ACTION in mine
    assert PUBLISHED_ACTION not in mine
    agenda = client.get(reverse("meetings:agenda", kwargs=january.url_kwargs())).content.decode()
    assert EDITED_ACTION in agenda and NEW_ACTION in agenda


def test_following_up_an_action_shows_at_once_even_during_a_correction(
    client_for, member, correcting
):
    """Done or withdrawn is the action's follow-up, not the record: readers see it at once."""
    action = Action.objects.get(text=EDITED_ACTION)
    action_close(action=action, note="Sent on 1 December.")
    mine = client_for(member).get(reverse("minutes:my_actions") + "?show=closed").text
    assert EDITED_ACTION not in mine
    row = mine.split(PUBLISHED_ACTION)[1].split("</tr>")[0]
    assert "Done" in row


def test_an_action_deleted_in_the_correction_stays_published_until_the_correction_is(
    client_for, member, secretary, correcting
):
    minutes, _ = correcting
    action_delete(action=Action.objects.get(text=EDITED_ACTION))
    mine = client_for(member).get(reverse("minutes:my_actions")).content.decode()
    assert PUBLISHED_ACTION in mine
    minutes_publish_correction(minutes=minutes, by=secretary, reason="The letter was not agreed.")
    published_version(minutes)
    assert (
        PUBLISHED_ACTION
        not in client_for(member).get(reverse("minutes:my_actions")).content.decode()
    )
