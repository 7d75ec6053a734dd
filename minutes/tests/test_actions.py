"""Actions across meetings: the committee's action log, closing and reopening, carrying forward."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from members.tests.factories import PersonFactory
from minutes.document import build_document
from minutes.models import Action, Minutes
from minutes.services import WorkflowError, action_close, action_reopen
from minutes.tests.factories import ActionFactory, MinutesFactory, publish

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def minutes(committee, today):
    """Minutes of a meeting a month ago."""
    return MinutesFactory(meeting__committee=committee, meeting__date=today - 30 * DAY)


@pytest.fixture
def suzanne():
    return PersonFactory(given_name="Suzanne", family_name="Horner", initials="SH")


@pytest.fixture
def glyn():
    return PersonFactory(given_name="Glyn", family_name="Evans", initials="GE")


def action(minutes, text, **fields):
    return ActionFactory(
        minutes=minutes, agenda_item=AgendaItemFactory(meeting=minutes.meeting), text=text, **fields
    )


def log_url(committee, **query):
    url = reverse("minutes:action_log", args=[committee.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def shown(response, *texts):
    page = response.content.decode()
    return {text for text in texts if text in page}


# -- The log ----------------------------------------------------------------------------


def test_the_log_lists_open_actions_with_owner_meeting_item_and_due_date(
    client_for, secretary, committee, minutes, suzanne, today
):
    item = AgendaItemFactory(meeting=minutes.meeting, number="6")
    ActionFactory(
        minutes=minutes, agenda_item=item, text="Thank Jim.", owners=[suzanne], due_date=today
    )

    response = client_for(secretary).get(log_url(committee))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Thank Jim." in page
    assert '<abbr title="Suzanne Horner">SH</abbr>' in page
    assert f"{minutes.meeting.date:%-d %b %Y}, item 6" in page
    assert f"{today:%-d %b %Y}" in page
    assert page.count("<h1") == 1


def test_the_log_shows_open_actions_unless_asked_for_others(
    client_for, secretary, committee, minutes, today
):
    action(minutes, "Still open.")
    action(minutes, "Late.", due_date=today - DAY)
    action(minutes, "Done already.", status="done", closed_on=today)
    action(minutes, "No longer needed.", status="withdrawn", closed_on=today)
    action(MinutesFactory(), "Another committee.")
    client = client_for(secretary)
    everything = (
        "Still open.",
        "Late.",
        "Done already.",
        "No longer needed.",
        "Another committee.",
    )

    assert shown(client.get(log_url(committee)), *everything) == {"Still open.", "Late."}
    assert shown(client.get(log_url(committee, status="overdue")), *everything) == {"Late."}
    assert shown(client.get(log_url(committee, status="done")), *everything) == {"Done already."}
    assert shown(client.get(log_url(committee, status="withdrawn")), *everything) == {
        "No longer needed."
    }
    assert shown(client.get(log_url(committee, status="all")), *everything) == set(everything[:4])


def test_an_action_due_today_is_not_overdue(client_for, secretary, committee, minutes, today):
    action(minutes, "Due today.", due_date=today)

    response = client_for(secretary).get(log_url(committee, status="overdue"))

    assert "Due today." not in response.content.decode()


def test_overdue_actions_say_so_in_words_not_only_colour(
    client_for, secretary, committee, minutes, today
):
    action(minutes, "Late.", due_date=today - DAY)

    response = client_for(secretary).get(log_url(committee))

    assert ">Overdue</span>" in response.content.decode()


def test_the_log_filters_by_owner(client_for, secretary, committee, minutes, suzanne, glyn):
    action(minutes, "For Suzanne.", owners=[suzanne])
    action(minutes, "For Glyn.", owners=[glyn])
    action(minutes, "For both.", owners=[suzanne, glyn])

    response = client_for(secretary).get(log_url(committee, owner=glyn.pk))

    assert shown(response, "For Suzanne.", "For Glyn.", "For both.") == {"For Glyn.", "For both."}


def test_a_filter_that_makes_no_sense_shows_the_open_actions(
    client_for, secretary, committee, minutes
):
    action(minutes, "Still open.")

    response = client_for(secretary).get(log_url(committee, status="nonsense", owner="x"))

    assert response.status_code == 200
    assert "Still open." in response.content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_the_log_runs_the_same_queries_however_many_actions(
    client_for, secretary, committee, minutes, django_assert_num_queries, extra
):
    for n in range(2 + extra):
        action(minutes, f"Action {n}.", owners=[PersonFactory(), PersonFactory()])
    client = client_for(secretary)

    # with the count of the page's actions and the record's mark (config/page_cache.py)
    with django_assert_num_queries(10):
        response = client.get(log_url(committee, status="all"))

    assert response.content.decode().count("<abbr title=") == 2 * (2 + extra)


@pytest.mark.parametrize("user", [None, "member", "outsider"])
def test_only_the_secretariat_can_see_the_log(client_for, request, committee, user):
    response = client_for(request.getfixturevalue(user) if user else None).get(log_url(committee))

    assert response.status_code == (302 if user is None else 403)


def test_the_log_cannot_be_posted_to(client_for, secretary, committee):
    assert client_for(secretary).post(log_url(committee)).status_code == 405


# -- Closing and reopening --------------------------------------------------------------


def close(client, act, status, note=""):
    return client.post(
        reverse("minutes:action_close", args=[act.pk]),
        {f"close-{act.pk}-status": status, f"close-{act.pk}-note": note},
    )


def test_marking_an_action_done_dates_it_today_and_keeps_the_note(
    client_for, secretary, committee, minutes, today
):
    act = action(minutes, "Thank Jim.")

    response = close(client_for(secretary), act, "done", "Letter sent on 20 November.")

    assert response.status_code == 302
    assert response.url == log_url(committee)
    act.refresh_from_db()
    assert (act.status, act.closed_on, act.closing_note) == (
        Action.Status.DONE,
        today,
        "Letter sent on 20 November.",
    )


def test_an_action_can_be_withdrawn_and_reopened(client_for, secretary, minutes):
    act = action(minutes, "Invite Francis Maude's office.")
    client = client_for(secretary)

    close(client, act, "withdrawn", "Overtaken by the election.")
    act.refresh_from_db()
    assert act.status == Action.Status.WITHDRAWN

    client.post(reverse("minutes:action_reopen", args=[act.pk]))
    act.refresh_from_db()
    assert (act.status, act.closed_on, act.closing_note) == (Action.Status.OPEN, None, "")


def test_closing_goes_back_to_the_page_it_came_from(client_for, secretary, committee, minutes):
    act = action(minutes, "Thank Jim.")
    back = log_url(committee, status="overdue")

    response = client_for(secretary).post(
        reverse("minutes:action_close", args=[act.pk]),
        {f"close-{act.pk}-status": "done", "next": back},
    )

    assert response.url == back


def test_closing_never_sends_the_browser_to_another_site(client_for, secretary, committee, minutes):
    act = action(minutes, "Thank Jim.")

    response = client_for(secretary).post(
        reverse("minutes:action_close", args=[act.pk]),
        {f"close-{act.pk}-status": "done", "next": "https://evil.example/"},
    )

    assert response.url == log_url(committee)


def test_too_long_a_note_is_refused_at_the_field_and_kept(client_for, secretary, minutes):
    act = action(minutes, "Thank Jim.")
    note = "z" * (Action._meta.get_field("closing_note").max_length + 1)

    response = close(client_for(secretary), act, "done", note)

    assert response.status_code == 200
    assert "at most" in response.content.decode()
    assert note in response.content.decode()
    act.refresh_from_db()
    assert act.status == Action.Status.OPEN


def test_closing_an_action_that_is_already_closed_says_so(client_for, secretary, minutes, today):
    act = action(minutes, "Thank Jim.", status="done", closed_on=today - DAY)

    response = close(client_for(secretary), act, "withdrawn")

    assert response.status_code == 302
    act.refresh_from_db()
    assert (act.status, act.closed_on) == (Action.Status.DONE, today - DAY)


def test_actions_of_published_minutes_can_still_be_closed(minutes):
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.PUBLISHED)
    act = action(minutes, "Thank Jim.")

    action_close(action=act, note="Sent.")

    act.refresh_from_db()
    assert act.status == Action.Status.DONE


def test_reopening_an_open_action_is_refused(minutes):
    act = action(minutes, "Thank Jim.")

    with pytest.raises(WorkflowError, match="already open"):
        action_reopen(action=act)


@pytest.mark.parametrize("user", [None, "member"])
def test_only_the_secretariat_can_close_or_reopen(client_for, request, minutes, today, user):
    open_action = action(minutes, "Open.")
    done_action = action(minutes, "Done.", status="done", closed_on=today)
    client = client_for(request.getfixturevalue(user) if user else None)

    assert close(client, open_action, "done").status_code == (302 if user is None else 403)
    reopen = client.post(reverse("minutes:action_reopen", args=[done_action.pk]))
    assert reopen.status_code == (302 if user is None else 403)

    assert Action.objects.get(pk=open_action.pk).status == Action.Status.OPEN
    assert Action.objects.get(pk=done_action.pk).status == Action.Status.DONE


def test_closing_and_reopening_refuse_get(client_for, secretary, minutes):
    act = action(minutes, "Thank Jim.")
    client = client_for(secretary)

    assert client.get(reverse("minutes:action_close", args=[act.pk])).status_code == 405
    assert client.get(reverse("minutes:action_reopen", args=[act.pk])).status_code == 405


# -- Carried forward to the next meeting's matters arising ------------------------------


@pytest.fixture
def next_meeting(committee, today, minutes):
    """The committee's next meeting, after ``minutes``' meeting."""
    meeting = MeetingFactory(committee=committee, date=today + 7 * DAY)
    AgendaItemFactory(
        meeting=meeting, kind=AgendaItem.Kind.MATTERS_ARISING, title="Matters arising"
    )
    return meeting


def carried(meeting):
    minutes = MinutesFactory(meeting=meeting)
    (item,) = [
        i for i in build_document(minutes).items if i.kind == AgendaItem.Kind.MATTERS_ARISING
    ]
    return [entry.text for entry in item.carried_actions]


def test_open_actions_carry_forward_to_the_next_meetings_matters_arising(minutes, next_meeting):
    action(minutes, "Thank Jim.")
    publish(minutes, by=None)

    assert carried(next_meeting) == ["Thank Jim."]


def test_an_action_in_minutes_still_in_draft_does_not_carry_into_published_minutes(
    minutes, next_meeting
):
    action(minutes, "Thank Jim.")

    assert carried(next_meeting) == []


def test_an_action_closed_before_the_next_meeting_no_longer_carries_forward(minutes, next_meeting):
    act = action(minutes, "Thank Jim.")
    publish(minutes, by=None)

    action_close(action=act, on=next_meeting.date - DAY)

    assert carried(next_meeting) == []


def test_an_action_closed_at_the_next_meeting_is_reported_there_as_done(minutes, next_meeting):
    act = action(minutes, "Thank Jim.")
    publish(minutes, by=None)

    action_close(action=act, on=next_meeting.date)

    assert carried(next_meeting) == ["Thank Jim."]


def test_the_take_minutes_page_offers_to_close_carried_forward_actions(
    client_for, secretary, minutes, next_meeting
):
    act = action(minutes, "Thank Jim.")
    take = reverse("minutes:take", args=[next_meeting.pk])
    client = client_for(secretary)

    page = client.get(take).content.decode()
    assert "Thank Jim." in page
    assert reverse("minutes:action_close", args=[act.pk]) in page

    item = next_meeting.agenda_items.get()
    response = client.post(
        reverse("minutes:action_close", args=[act.pk]),
        {f"close-{act.pk}-status": "done", "next": f"{take}#item-{item.pk}"},
    )
    assert response.url == f"{take}#item-{item.pk}"
    act.refresh_from_db()
    assert act.status == Action.Status.DONE


def test_a_long_log_is_shown_a_page_at_a_time_keeping_its_filter(
    client_for, secretary, committee, minutes, monkeypatch
):
    from minutes import workspace_views

    monkeypatch.setattr(workspace_views, "ACTION_LOG_PAGE_SIZE", 2)
    for n in range(3):
        action(minutes, f"Action {n}.", status="done", closed_on=minutes.meeting.date)
    client = client_for(secretary)

    first = client.get(log_url(committee, status="done"))
    assert shown(first, "Action 0.", "Action 1.", "Action 2.") == {"Action 0.", "Action 1."}
    assert "3 done actions; 1 to 2 shown" in first.text
    assert 'href="?status=done&amp;page=2"' in first.text
    second = client.get(log_url(committee, status="done", page=2))
    assert shown(second, "Action 0.", "Action 1.", "Action 2.") == {"Action 2."}
    assert 'href="?status=done&amp;page=1"' in second.text


def test_closed_actions_are_listed_latest_meeting_first(
    client_for, secretary, committee, minutes, today
):
    older = MinutesFactory(meeting__committee=committee, meeting__date=today - 90 * DAY)
    action(older, "From the older meeting.", status="done", closed_on=today - 80 * DAY)
    action(minutes, "From the later meeting.", status="done", closed_on=today - 20 * DAY)

    page = client_for(secretary).get(log_url(committee, status="done")).text

    assert page.index("From the later meeting.") < page.index("From the older meeting.")
