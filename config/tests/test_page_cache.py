"""Pages kept per reader (config/page_cache.py): served again only to the session they were
made for, and never after anything in the record has changed."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.urls import reverse

from config.page_cache import current_mark
from meetings.tests.factories import MeetingFactory
from members.models import Committee, Membership, Organisation
from minutes.services import action_close
from minutes.tests.factories import ActionFactory, ItemMinuteFactory, publish

pytestmark = pytest.mark.django_db

WORD = "Pomegranate"


def published_minutes(committee, secretary, *, date=datetime.date(2009, 11, 16), word=WORD):
    meeting = MeetingFactory(committee=committee, date=date)
    minutes = ItemMinuteFactory(minutes__meeting=meeting, text=f"{word} was discussed.").minutes
    publish(minutes, by=secretary)
    return minutes


def page_url(minutes):
    return reverse("minutes:meeting", kwargs=minutes.meeting.url_kwargs())


def settle(client, url):
    """Ask twice: the first answer sets the CSRF cookie its forms need, the second is kept."""
    client.get(url)
    return client.get(url)


@pytest.fixture
def members_only(committee):
    committee.minutes_visibility = Committee.Visibility.MEMBERS
    committee.save()
    return committee


def test_a_readers_repeat_visit_is_served_without_making_the_page_again(
    client_for, member, members_only, secretary, django_assert_num_queries
):
    minutes = published_minutes(members_only, secretary)
    client = client_for(member)
    made = settle(client, page_url(minutes))
    # session, user, and the record's mark: nothing of the meeting, minutes or committee
    with django_assert_num_queries(3):
        kept = client.get(page_url(minutes))
    assert kept.status_code == 200
    assert kept.content == made.content
    assert WORD in kept.text


def test_a_member_who_leaves_the_committee_no_longer_gets_the_kept_page(
    client_for, member, members_only, secretary
):
    minutes = published_minutes(members_only, secretary)
    client = client_for(member)
    settle(client, page_url(minutes))
    Membership.objects.filter(person__user=member).update(
        end_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    response = client.get(page_url(minutes))
    assert response.status_code == 200  # the meeting's public summary, without the minutes
    assert WORD not in response.text


def test_the_secretariats_page_is_never_given_to_a_member(
    client, client_for, member, members_only, secretary
):
    """The committee page lists drafts for the secretariat only: each reader gets their own."""
    draft = ItemMinuteFactory(
        minutes__meeting=MeetingFactory(committee=members_only, date=datetime.date(2010, 1, 18))
    ).minutes
    url = members_only.get_absolute_url()
    secretary_page = settle(client_for(secretary), url)
    assert draft.meeting.get_absolute_url() in secretary_page.text
    member_page = settle(client_for(member), url)
    assert member_page.status_code == 200
    assert draft.meeting.get_absolute_url() not in member_page.text


def test_a_change_by_the_secretariat_reaches_a_page_already_kept(
    client_for, member, members_only, secretary
):
    meeting = MeetingFactory(committee=members_only, date=datetime.date(2009, 11, 16))
    action = ActionFactory(
        minutes__meeting=meeting, text="Write the strategy", owners=[member.person]
    )
    publish(action.minutes, by=secretary)
    client = client_for(member)
    url = reverse("minutes:my_actions")
    assert "Write the strategy" in settle(client, url).text
    action_close(action=action)
    assert "Write the strategy" not in client.get(url).text


def test_someone_who_leaves_the_secretariat_no_longer_gets_the_workspace_kept_for_them(
    client_for, secretary
):
    client = client_for(secretary)
    assert settle(client, reverse("meetings:workspace")).status_code == 200
    secretary.groups.clear()
    assert client.get(reverse("meetings:workspace")).status_code == 403


def test_logging_out_ends_the_kept_pages_of_that_session(
    client_for, member, members_only, secretary
):
    minutes = published_minutes(members_only, secretary)
    client = client_for(member)
    settle(client, page_url(minutes))
    session_cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=session_cookie).exists()
    client.cookies["sessionid"] = session_cookie  # a copy of the cookie kept after logout
    response = client.get(page_url(minutes))
    assert WORD not in response.text


def test_a_message_is_shown_once_not_kept_with_the_page(client_for, secretary):
    client = client_for(secretary)
    url = reverse("members:organisations")
    assert "Borough of Barchester" not in settle(client, url).text
    added = client.post(
        reverse("members:organisation_new"), {"name": "Borough of Barchester"}, follow=True
    )
    [message] = [str(m) for m in added.context["messages"]]
    assert message in added.text
    again = client.get(url)
    assert "Borough of Barchester" in again.text
    assert message not in again.text
    assert client.get(url).content == again.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_mark_changes_when_a_write_commits_and_not_when_it_rolls_back():
    Organisation.objects.create(name="First")  # autocommit: a new mark at once
    mark = current_mark()
    assert mark is not None

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        Organisation.objects.create(name="Rolled back")
        raise Undo
    assert current_mark() == mark

    with transaction.atomic():
        Organisation.objects.create(name="Second")
        Organisation.objects.filter(name="Second").update(name="Second, renamed")
        assert current_mark() == mark  # not before it commits
    after = current_mark()
    assert after != mark

    Organisation.objects.filter(name="Nobody").update(name="Still nobody")
    assert current_mark() == after  # it matched nothing, so nothing changed

    with connection.cursor() as cursor:  # raw SQL is a change like any other
        cursor.execute("UPDATE members_organisation SET name = 'Third' WHERE name = 'First'")
    assert current_mark() != after


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_being_saved_is_not_a_change_to_the_record(client, member):
    client.force_login(member)
    mark = current_mark()
    session = Session.objects.get()
    session.save()
    assert current_mark() == mark


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_is_saved_even_when_its_new_mark_cannot_be_written(caplog):
    Organisation.objects.create(name="First")  # the mark's table is known to exist
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE config_recordchange RENAME TO config_recordchange_away")
    try:
        with transaction.atomic():
            Organisation.objects.create(name="Saved all the same")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE config_recordchange_away RENAME TO config_recordchange")
    assert Organisation.objects.filter(name="Saved all the same").exists()
    assert "kept pages could not be told of it" in caplog.text
