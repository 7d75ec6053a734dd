"""Attendance and action statistics: the committee's page and a person's page."""

import datetime
import io

import pytest
from django.contrib.auth.views import redirect_to_login
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Attendance
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory
from members.models import Committee
from members.tests.factories import CommitteeFactory, MembershipFactory, PersonFactory
from minutes.models import PublishedAction
from minutes.tests.factories import MinutesFactory, published_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def published_action(meeting, owner, *, due=None, closed_on=None):
    action = PublishedAction.objects.create(
        minutes=meeting.minutes,
        agenda_item=AgendaItemFactory(meeting=meeting),
        text="Report back to the committee.",
        due_date=due,
        status="done" if closed_on else "open",
        closed_on=closed_on,
    )
    action.owners.add(owner)
    return action


def stats_url(committee, **period):
    query = "&".join(f"{key}={value}" for key, value in period.items())
    return f"/committees/{committee.slug}/statistics/" + (f"?{query}" if query else "")


def member_rows(response) -> dict[str, tuple[int, int, int, int | None]]:
    """Each member's (present, apologies, absent, rate) as the page's table gives them."""
    return {
        row.label: (
            row.attendance.present,
            row.attendance.apologies,
            row.attendance.absent,
            row.attendance.rate,
        )
        for row in response.context["figures"].members
    }


def test_attendance_rates_on_the_demo_match_a_hand_count_of_the_reference_minutes(client):
    call_command("load_demo", stdout=io.StringIO())

    response = client.get(
        stats_url(
            Committee.objects.get(slug="socitm-futures"),
            date_from="2009-01-01",
            date_to="2009-12-31",
        )
    )

    # Counted by hand from the minutes of 16 November 2009, the one meeting published:
    # fifteen present, eight apologies, nobody absent.
    present = [
        "Caron Alexander", "Leonard Anderson", "Mark Brett", "David Bryant", "Ian Cooper",
        "Susan Douglas", "Glyn Evans", "Martin Ferguson", "Martin Greenwood", "Suzanne Horner",
        "Doug Maclean", "Neil Moore", "Simon Norbury", "Tony Riding", "Vicky Sargent",
    ]  # fmt: skip
    apologies = [
        "Stephen Fellowes", "Adrian Hancock", "David Hopkins", "Sal Khan", "Steve Palmer",
        "Dylan Roberts", "David Thickett", "Glenn Wood",
    ]  # fmt: skip
    expected = dict.fromkeys(present, (1, 0, 0, 100)) | dict.fromkeys(apologies, (0, 1, 0, 0))
    assert member_rows(response) == expected
    figures = response.context["figures"]
    assert figures.meetings_held == 1
    assert (figures.attendance.present, figures.attendance.apologies) == (15, 8)
    assert figures.attendance.rate == 65  # 15 of 23
    # SH's one action, set at that meeting, with no due date and not yet done.
    horner = next(row for row in figures.members if row.label == "Suzanne Horner")
    assert (horner.actions.set, horner.actions.open, horner.actions.overdue) == (1, 1, 0)
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert "Monday 16 November 2009" not in page  # the period is shown, not the meetings
    assert "Thursday 1 January 2009 to Thursday 31 December 2009: 1 meeting" in page


def test_the_period_is_the_last_twelve_months_unless_chosen(client):
    committee = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)
    lucy, omar = PersonFactory(given_name="Lucy", family_name="Ames"), PersonFactory()
    published_meeting(committee, TODAY - 30 * DAY, present=[lucy, omar])
    published_meeting(committee, TODAY - 200 * DAY, apologies=[lucy], present=[omar])
    published_meeting(committee, TODAY - 400 * DAY, absent=[lucy], present=[omar])

    response = client.get(stats_url(committee))

    assert response.context["figures"].meetings_held == 2
    assert member_rows(response)["Lucy Ames"] == (1, 1, 0, 50)

    earlier = TODAY - 500 * DAY
    response = client.get(stats_url(committee, date_from=earlier.isoformat()))
    assert response.context["figures"].meetings_held == 3
    assert member_rows(response)["Lucy Ames"] == (1, 1, 1, 33)


def test_a_period_that_ends_before_it_starts_is_reported_beside_the_field_with_the_dates_kept(
    client,
):
    committee = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)

    response = client.get(stats_url(committee, date_from="2010-05-01", date_to="2010-01-31"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "figures" not in response.context
    assert 'id="error_date_to"' in page
    assert "The end of the period cannot be before its start." in page
    assert 'value="2010-05-01"' in page and 'value="2010-01-31"' in page
    assert 'aria-invalid="true"' in page


def test_a_date_that_is_not_a_date_is_reported_beside_its_field(client):
    committee = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)

    response = client.get(stats_url(committee, date_from="31/02/2010"))

    assert "Enter a valid date." in response.content.decode()
    assert 'value="31/02/2010"' in response.content.decode()


def test_draft_minutes_and_guests_do_not_count(client):
    committee = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)
    lucy = PersonFactory(given_name="Lucy", family_name="Ames")
    published_meeting(committee, TODAY - 10 * DAY, present=[lucy])
    draft = MeetingFactory(committee=committee, date=TODAY - 5 * DAY)
    MinutesFactory(meeting=draft)
    AttendanceFactory(meeting=draft, person=lucy, status=Attendance.Status.ABSENT)
    guest = PersonFactory(given_name="Gail", family_name="Guest")
    AttendanceFactory(
        meeting=published_meeting(committee, TODAY - 3 * DAY), person=guest, is_guest=True
    )

    response = client.get(stats_url(committee))

    assert response.context["figures"].meetings_held == 2
    assert member_rows(response) == {"Lucy Ames": (1, 0, 0, 100)}


def test_actions_done_on_time_late_and_overdue_are_counted_for_the_committee_and_each_owner(
    client,
):
    committee = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)
    lucy, omar = PersonFactory(given_name="Lucy"), PersonFactory(given_name="Omar")
    meeting = published_meeting(committee, TODAY - 60 * DAY, present=[lucy, omar])
    published_action(meeting, lucy, due=TODAY - 30 * DAY, closed_on=TODAY - 31 * DAY)  # on time
    published_action(meeting, lucy, due=TODAY - 30 * DAY, closed_on=TODAY - 20 * DAY)  # late
    published_action(meeting, lucy, due=TODAY - 1 * DAY)  # overdue
    published_action(meeting, omar, due=TODAY + 10 * DAY)  # open, not yet due
    published_action(meeting, omar, closed_on=TODAY - 50 * DAY)  # done, no due date: on time

    response = client.get(stats_url(committee))

    actions = response.context["figures"].actions
    assert (actions.set, actions.done_on_time, actions.done_late) == (5, 2, 1)
    assert (actions.open, actions.overdue) == (2, 1)
    by_owner = {
        row.key: (row.actions.set, row.actions.done_on_time, row.actions.overdue)
        for row in response.context["figures"].members
    }
    assert by_owner == {lucy.pk: (3, 1, 1), omar.pk: (2, 1, 0)}


def test_a_members_only_committees_statistics_are_for_its_members(client_for, cast, committee):
    committee.minutes_visibility = Committee.Visibility.MEMBERS
    committee.save()
    published_meeting(committee, TODAY - 10 * DAY, present=[PersonFactory()])
    url = stats_url(committee)

    response = client_for(None).get(url)
    assert response.status_code == 302 and response.url == redirect_to_login(url).url
    assert client_for(cast["outsider"]).get(url).status_code == 404
    for reader in ("member", "secretary"):
        response = client_for(cast[reader]).get(url)
        assert response.status_code == 200
        assert response.context["figures"].meetings_held == 1


def test_the_committee_page_links_to_the_statistics_for_those_who_may_read_them(
    client_for, cast, committee
):
    link = f'href="/committees/{committee.slug}/statistics/"'
    assert link in client_for(cast["member"]).get(committee.get_absolute_url()).content.decode()
    assert (
        link not in client_for(cast["outsider"]).get(committee.get_absolute_url()).content.decode()
    )


def test_the_statistics_pages_refuse_to_change_anything(client, committee):
    committee.minutes_visibility = Committee.Visibility.PUBLIC
    committee.save()
    lucy = PersonFactory()
    published_meeting(committee, TODAY - 10 * DAY, present=[lucy])
    assert client.post(stats_url(committee)).status_code == 405
    assert client.post(f"/people/{lucy.pk}/").status_code == 405


def test_a_persons_page_shows_each_committee_the_reader_may_read(client_for, cast, committee):
    public = CommitteeFactory(name="Audit Panel", minutes_visibility=Committee.Visibility.PUBLIC)
    lucy = PersonFactory(given_name="Lucy", family_name="Ames")
    published_meeting(public, TODAY - 10 * DAY, present=[lucy])
    published_meeting(public, TODAY - 40 * DAY, apologies=[lucy])
    members_only = published_meeting(committee, TODAY - 20 * DAY, present=[lucy])
    published_action(members_only, lucy, due=TODAY - DAY)
    url = f"/people/{lucy.pk}/"

    anonymous = client_for(None).get(url)
    assert [row.label for row in anonymous.context["figures"].committees] == ["Audit Panel"]
    assert anonymous.context["figures"].actions.set == 0
    assert "Lucy Ames" in anonymous.content.decode()

    member = client_for(cast["member"]).get(url)
    rows = {row.label: row for row in member.context["figures"].committees}
    assert set(rows) == {"Audit Panel", "Socitm Futures"}
    assert rows["Audit Panel"].attendance.rate == 50
    assert rows["Socitm Futures"].actions.overdue == 1
    figures = member.context["figures"]
    assert (figures.attendance.present, figures.attendance.recorded) == (2, 3)
    assert "present at 2 of the 3 meetings recorded (67%)" in member.content.decode()


def test_a_person_seen_only_in_minutes_the_reader_may_not_read_is_not_found(
    client_for, cast, committee
):
    lucy = PersonFactory()
    published_meeting(committee, TODAY - 10 * DAY, present=[lucy])
    hidden = PersonFactory()
    draft = MeetingFactory(committee=CommitteeFactory(minutes_visibility="public"))
    MinutesFactory(meeting=draft)
    AttendanceFactory(meeting=draft, person=hidden)

    assert client_for(cast["outsider"]).get(f"/people/{lucy.pk}/").status_code == 404
    url = f"/people/{lucy.pk}/"
    assert client_for(None).get(url).url == redirect_to_login(url).url
    assert client_for(cast["secretary"]).get(f"/people/{hidden.pk}/").status_code == 404
    assert client_for(cast["member"]).get(f"/people/{lucy.pk}/").status_code == 200


def test_the_charts_are_images_with_a_title_and_description_beside_a_table(client):
    committee = CommitteeFactory(minutes_visibility=Committee.Visibility.PUBLIC)
    lucy = PersonFactory(given_name="Lucy", family_name="Ames")
    published_meeting(committee, TODAY - 10 * DAY, present=[lucy])
    published_meeting(committee, TODAY - 20 * DAY, apologies=[lucy])

    page = client.get(stats_url(committee)).content.decode()

    assert page.count('role="img"') == 2
    assert '<title id="attendance-chart-title">Attendance rate by member' in page
    assert 'aria-labelledby="attendance-chart-title attendance-chart-desc"' in page
    assert "<caption>Attendance and actions by member</caption>" in page
    # Lucy's bar is half the full length (50%), and the figure is printed beside it.
    assert 'width="180" height="18"' in page and ">50%</text>" in page
    assert "style=" not in page.split("<main", 1)[1]


@pytest.mark.parametrize("size", [2, 8])
def test_the_statistics_pages_take_the_same_number_of_queries_however_much_there_is(
    client_for, cast, committee, django_assert_num_queries, size
):
    people = [MembershipFactory(committee=committee).person for _ in range(size)]
    for week in range(size):
        meeting = published_meeting(
            committee, TODAY - (week + 1) * 7 * DAY, present=people[1:], apologies=people[:1]
        )
        for person in people:
            published_action(meeting, person, due=TODAY - DAY)
    client = client_for(cast["member"])
    client.get(stats_url(committee))  # the session and the user, loaded once

    # session, user, the record's mark, committee with whether the member may read it;
    # meetings held, attendance by member and in all, actions by owner and in all.
    with django_assert_num_queries(9):
        response = client.get(stats_url(committee))
    assert response.context["figures"].meetings_held == size
    # session, user, the record's mark, person, attendance by committee, actions by
    # committee.
    with django_assert_num_queries(6):
        response = client.get(f"/people/{people[0].pk}/")
    assert response.context["figures"].attendance.apologies == size
