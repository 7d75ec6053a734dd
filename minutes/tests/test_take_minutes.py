"""The take-minutes page: every item's minute, decisions and actions, edited in place."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from members.tests.factories import PersonFactory, UserFactory
from minutes.models import MINUTE_TEXT_MAX_LENGTH, Action, Decision, ItemMinute, Minutes
from minutes.tests.factories import (
    ActionFactory,
    DecisionFactory,
    ItemMinuteFactory,
    MinutesFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee, date=datetime.date(2009, 11, 16))


@pytest.fixture
def item(meeting):
    return AgendaItemFactory(meeting=meeting, number="6", title="Any Other Business")


@pytest.fixture
def suzanne():
    return PersonFactory(given_name="Suzanne", family_name="Horner", initials="SH")


@pytest.fixture
def martin():
    return PersonFactory(given_name="Martin", family_name="Ferguson", initials="MF")


def take_url(meeting):
    return reverse("minutes:take", args=[meeting.pk])


def save_url(item):
    return reverse("minutes:item_minute_save", args=[item.pk])


def textarea(response, name):
    """The text in the textarea ``name`` of the page, as the browser would show it."""
    match = re.search(
        rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>',
        response.content.decode(),
        flags=re.DOTALL,
    )
    assert match, f"no textarea {name}"
    return match.group(1).removeprefix("\n")  # browsers drop the newline after the tag


def input_value(response, name):
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', response.content.decode())
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def minute_post(item, text, revision, **extra):
    prefix = f"minute-{item.pk}"
    return {f"{prefix}-text": text, f"{prefix}-revision": str(revision), **extra}


def action_post(prefix, *, text="Draft a letter of thanks.", owners="SH", due="", status=None):
    data = {f"{prefix}-text": text, f"{prefix}-owners": owners, f"{prefix}-due_date": due}
    if status:
        data[f"{prefix}-status"] = status
    return data


# -- The page -------------------------------------------------------------------------


def test_the_page_lists_every_item_and_looking_creates_no_minutes(client_for, secretary, meeting):
    AgendaItemFactory(meeting=meeting, number="1", title="Update on Strategy")
    AgendaItemFactory(meeting=meeting, number="2", title="Local CIO Council")
    client = client_for(secretary)

    response = client.get(take_url(meeting))
    client.get(reverse("minutes:workflow", args=[meeting.pk]))

    assert response.status_code == 200
    assert not Minutes.objects.filter(meeting=meeting).exists()
    page = response.content.decode()
    assert "Update on Strategy" in page
    assert "Local CIO Council" in page
    assert "Nothing recorded yet." in page
    assert page.count("<h1") == 1


def test_the_first_thing_saved_starts_the_minutes_as_a_draft(client_for, secretary, meeting):
    item = AgendaItemFactory(meeting=meeting, number="1", title="Update on Strategy")

    client_for(secretary).post(save_url(item), minute_post(item, "The panel noted it.", 0))

    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.item_minutes.get().text == "The panel noted it."


def test_the_page_shows_the_stored_minute_decisions_and_actions_for_editing(
    client_for, secretary, item, suzanne
):
    minute = ItemMinuteFactory(
        minutes__meeting=item.meeting, agenda_item=item, text="Glyn enquired."
    )
    DecisionFactory(minutes=minute.minutes, agenda_item=item, text="Thanks to be sent.")
    action = ActionFactory(
        minutes=minute.minutes, agenda_item=item, text="Draft a letter.", owners=[suzanne]
    )

    response = client_for(secretary).get(take_url(item.meeting))

    assert textarea(response, f"minute-{item.pk}-text").strip() == "Glyn enquired."
    assert input_value(response, f"minute-{item.pk}-revision") == str(minute.revision)
    assert "Thanks to be sent." in textarea(
        response, f"decision-{minute.minutes.decisions.get().pk}-text"
    )
    assert textarea(response, f"action-{action.pk}-text").strip() == "Draft a letter."
    assert input_value(response, f"action-{action.pk}-owners") == "SH"


def test_approved_minutes_are_shown_read_only_with_a_way_to_the_workflow(
    client_for, secretary, item
):
    ItemMinuteFactory(minutes__meeting=item.meeting, agenda_item=item, text="**Agreed**.")
    Minutes.objects.filter(meeting=item.meeting).update(
        status=Minutes.Status.APPROVED, approved_on=item.meeting.date, approval="date"
    )

    response = client_for(secretary).get(take_url(item.meeting))

    page = response.content.decode()
    assert "<textarea" not in page
    assert "<strong>Agreed</strong>" in page
    assert "cannot be changed here" in page
    assert reverse("minutes:workflow", args=[item.meeting.pk]) in page


@pytest.mark.parametrize("user", [None, "member", "outsider"])
def test_only_the_secretariat_can_open_the_page(client_for, request, meeting, user):
    response = client_for(request.getfixturevalue(user) if user else None).get(take_url(meeting))

    if user is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 403
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_the_page_cannot_be_posted_to(client_for, secretary, meeting):
    assert client_for(secretary).post(take_url(meeting)).status_code == 405


def _edit_urls(item, decision, action):
    return [
        reverse("minutes:item_minute_save", args=[item.pk]),
        reverse("minutes:decision_add", args=[item.pk]),
        reverse("minutes:decision_update", args=[decision.pk]),
        reverse("minutes:decision_delete", args=[decision.pk]),
        reverse("minutes:action_add", args=[item.pk]),
        reverse("minutes:action_update", args=[action.pk]),
        reverse("minutes:action_delete", args=[action.pk]),
    ]


@pytest.mark.parametrize("user", [None, "member"])
def test_only_the_secretariat_can_change_the_minutes(client_for, request, item, user):
    decision = DecisionFactory(minutes__meeting=item.meeting, agenda_item=item)
    action = ActionFactory(minutes=decision.minutes, agenda_item=item)
    client = client_for(request.getfixturevalue(user) if user else None)

    for url in _edit_urls(item, decision, action):
        response = client.post(url, {})
        assert response.status_code == (302 if user is None else 403), url

    assert Decision.objects.filter(pk=decision.pk).exists()
    assert Action.objects.filter(pk=action.pk).exists()


def test_the_editing_urls_refuse_get(client_for, secretary, item):
    decision = DecisionFactory(minutes__meeting=item.meeting, agenda_item=item)
    action = ActionFactory(minutes=decision.minutes, agenda_item=item)
    client = client_for(secretary)

    for url in _edit_urls(item, decision, action):
        assert client.get(url).status_code == 405, url


@pytest.mark.parametrize("extra", [0, 5])
def test_the_page_runs_the_same_queries_however_many_items_and_actions(
    client_for, secretary, committee, django_assert_num_queries, extra
):
    meeting = MeetingFactory(committee=committee)
    minutes = MinutesFactory(meeting=meeting)
    earlier = MinutesFactory(
        meeting__committee=committee, meeting__date=meeting.date - datetime.timedelta(weeks=8)
    )
    AgendaItemFactory(meeting=meeting, kind="matters-arising", title="Matters arising")
    for _ in range(1 + extra):
        item = AgendaItemFactory(meeting=meeting)
        ItemMinuteFactory(minutes=minutes, agenda_item=item, updated_by=secretary)
        DecisionFactory(minutes=minutes, agenda_item=item)
        ActionFactory(minutes=minutes, agenda_item=item, owners=[PersonFactory(), PersonFactory()])
        ActionFactory(minutes=earlier, agenda_item=AgendaItemFactory(meeting=earlier.meeting))
    client = client_for(secretary)

    with django_assert_num_queries(20):  # with the record's mark (config/page_cache.py)
        response = client.get(take_url(meeting))

    assert response.status_code == 200
    assert response.content.decode().count("Action: ") == 1 + extra  # carried forward


# -- The minute text --------------------------------------------------------------------


def test_saving_a_minute_stores_it_and_goes_back_to_its_item(client_for, secretary, item):
    response = client_for(secretary).post(save_url(item), minute_post(item, "Glyn enquired.", 0))

    assert response.status_code == 302
    assert response.url == take_url(item.meeting) + f"#item-{item.pk}"
    minute = ItemMinute.objects.get(agenda_item=item)
    assert (minute.text, minute.updated_by) == ("Glyn enquired.", secretary)


def test_windows_line_endings_are_stored_as_plain_newlines(client_for, secretary, item):
    client_for(secretary).post(save_url(item), minute_post(item, "One.\r\n\r\n- two", 0))

    assert ItemMinute.objects.get(agenda_item=item).text == "One.\n\n- two"


def test_with_htmx_a_save_answers_with_the_item_section_only(client_for, secretary, item):
    response = client_for(secretary).post(save_url(item), minute_post(item, "Noted.", 0), **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in page
    assert "<html" not in page
    assert 'id="take-status" hx-swap-oob' in page
    assert input_value(response, f"minute-{item.pk}-revision") == "1"


def test_with_htmx_a_refused_save_is_announced_as_not_saved(client_for, secretary, item):
    text = "x" * (MINUTE_TEXT_MAX_LENGTH + 1)

    response = client_for(secretary).post(save_url(item), minute_post(item, text, 0), **HTMX)

    status = re.search(
        r'<div id="take-status" hx-swap-oob="innerHTML">(.*?)</div>', response.content.decode()
    )
    assert status.group(1) == "Not saved: see what is marked under item 6."
    assert textarea(response, f"minute-{item.pk}-text") == text


def test_the_later_of_two_saves_from_the_same_revision_is_refused_and_keeps_its_text(
    client, secretary, item
):
    other = UserFactory(username="vicky", first_name="Vicky", last_name="Sargent", is_staff=True)
    other.groups.set(secretary.groups.all())
    ItemMinuteFactory(minutes__meeting=item.meeting, agenda_item=item, text="Start.", revision=4)

    client.force_login(other)
    client.post(save_url(item), minute_post(item, "Start.\nVicky's line.", 4))
    client.force_login(secretary)
    mine = "Start.\nMy line & more."
    response = client.post(save_url(item), minute_post(item, mine, 4))

    assert response.status_code == 200
    assert textarea(response, f"minute-{item.pk}-text").strip() == escape(mine)
    page = response.content.decode()
    assert "Someone else saved this item at" in page
    assert "(by Vicky Sargent)" in page
    assert "Vicky&#x27;s line." in page  # their version, to merge from
    assert ItemMinute.objects.get(agenda_item=item).text == "Start.\nVicky's line."
    assert input_value(response, f"minute-{item.pk}-revision") == "5"


def test_after_a_refusal_saving_again_from_the_new_revision_succeeds(client_for, secretary, item):
    ItemMinuteFactory(minutes__meeting=item.meeting, agenda_item=item, text="Theirs.", revision=2)
    client = client_for(secretary)
    refused = client.post(save_url(item), minute_post(item, "Mine.", 1))
    revision = input_value(refused, f"minute-{item.pk}-revision")

    response = client.post(save_url(item), minute_post(item, "Theirs. Mine.", revision))

    assert response.status_code == 302
    assert ItemMinute.objects.get(agenda_item=item).text == "Theirs. Mine."


def test_the_refusal_shows_line_by_line_what_differs(client_for, secretary, item):
    ItemMinuteFactory(
        minutes__meeting=item.meeting, agenda_item=item, text="Kept.\nTheir change.", revision=2
    )

    response = client_for(secretary).post(save_url(item), minute_post(item, "Kept.\nMy change.", 1))

    page = response.content.decode()
    assert re.search(r"Saved only:</span>\s*Their change\.", page)
    assert re.search(r"Yours only:</span>\s*My change\.", page)
    assert re.search(r"Both:</span>\s*Kept\.", page)


def test_the_refusal_leaves_out_long_runs_of_unchanged_lines(client_for, secretary, item):
    unchanged = [f"Paragraph {n}." for n in range(1, 9)]
    ItemMinuteFactory(
        minutes__meeting=item.meeting,
        agenda_item=item,
        text="\n".join([*unchanged, "Their ending."]),
        revision=2,
    )

    response = client_for(secretary).post(
        save_url(item), minute_post(item, "\n".join([*unchanged, "My ending."]), 1)
    )

    page = response.content.decode()
    assert "… 7 unchanged line(s) …" in page
    assert re.search(r"Both:</span>\s*Paragraph 8\.", page)
    assert not re.search(r"Both:</span>\s*Paragraph 7\.", page)


def test_a_refusal_of_ones_own_earlier_save_says_it_came_from_another_window(
    client_for, secretary, item
):
    ItemMinuteFactory(
        minutes__meeting=item.meeting, agenda_item=item, updated_by=secretary, revision=3
    )

    response = client_for(secretary).post(save_url(item), minute_post(item, "Mine.", 2))

    assert "You saved this item in another window or tab at" in response.content.decode()


def test_too_long_a_minute_is_refused_at_the_field_with_the_text_kept(client_for, secretary, item):
    text = "x" * (MINUTE_TEXT_MAX_LENGTH + 1)

    response = client_for(secretary).post(save_url(item), minute_post(item, text, 0))

    assert response.status_code == 200
    assert textarea(response, f"minute-{item.pk}-text") == text
    assert f"at most {MINUTE_TEXT_MAX_LENGTH} characters" in response.content.decode()
    assert not ItemMinute.objects.filter(agenda_item=item).exists()


def test_preview_shows_the_sanitised_minute_without_saving_it(client_for, secretary, item):
    text = "Agreed:\n\n- **PSN** support\n\n<script>alert(1)</script>"

    response = client_for(secretary).post(save_url(item), minute_post(item, text, 0, preview="1"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<li><strong>PSN</strong> support</li>" in page
    assert "<script>alert(1)</script>" not in page
    assert textarea(response, f"minute-{item.pk}-text") == escape(text)
    assert "<html" in page
    assert not ItemMinute.objects.filter(agenda_item=item).exists()


def test_with_htmx_preview_answers_with_the_item_section_only(client_for, secretary, item):
    response = client_for(secretary).post(
        save_url(item), minute_post(item, "*Noted*", 0, preview="1"), **HTMX
    )

    page = response.content.decode()
    assert "<em>Noted</em>" in page
    assert "<html" not in page


def test_a_minute_of_published_minutes_cannot_be_saved_and_the_text_stays(
    client_for, secretary, item
):
    Minutes.objects.create(meeting=item.meeting, status=Minutes.Status.PUBLISHED)

    response = client_for(secretary).post(save_url(item), minute_post(item, "Too late.", 0))

    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    assert not ItemMinute.objects.filter(agenda_item=item).exists()


# -- Decisions --------------------------------------------------------------------------


def test_a_decision_is_added_to_its_item(client_for, secretary, item):
    response = client_for(secretary).post(
        reverse("minutes:decision_add", args=[item.pk]),
        {f"new-decision-{item.pk}-text": "Proposed meeting dates were agreed."},
    )

    assert response.status_code == 302
    assert list(item.decisions.values_list("text", flat=True)) == [
        "Proposed meeting dates were agreed."
    ]


def test_an_empty_decision_is_refused_at_the_field(client_for, secretary, item):
    response = client_for(secretary).post(
        reverse("minutes:decision_add", args=[item.pk]), {f"new-decision-{item.pk}-text": " "}
    )

    assert "Say what was decided." in response.content.decode()
    assert not item.decisions.exists()


def test_a_decision_is_changed_and_deleted(client_for, secretary, item):
    decision = DecisionFactory(minutes__meeting=item.meeting, agenda_item=item, text="Old.")
    client = client_for(secretary)

    client.post(
        reverse("minutes:decision_update", args=[decision.pk]),
        {f"decision-{decision.pk}-text": "New."},
    )
    decision.refresh_from_db()
    assert decision.text == "New."

    # Without scripts, Delete asks first, keeping the row as typed.
    delete_url = reverse("minutes:decision_delete", args=[decision.pk])
    asked = client.post(delete_url, {f"decision-{decision.pk}-text": "Newer, unsaved."})
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert "Delete decision 1 under item 6?" in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    assert "Newer, unsaved." in asked.text

    client.post(delete_url, {"confirm": "yes"})
    assert not Decision.objects.filter(pk=decision.pk).exists()


def test_with_scripts_the_browser_asks_and_delete_needs_no_second_post(client_for, secretary, item):
    decision = DecisionFactory(minutes__meeting=item.meeting, agenda_item=item)
    client = client_for(secretary)
    client.post(reverse("minutes:decision_delete", args=[decision.pk]), HTTP_HX_REQUEST="true")
    assert not Decision.objects.filter(pk=decision.pk).exists()


def test_a_decision_of_approved_minutes_cannot_be_deleted(client_for, secretary, item):
    decision = DecisionFactory(minutes__meeting=item.meeting, agenda_item=item)
    Minutes.objects.filter(pk=decision.minutes_id).update(
        status=Minutes.Status.APPROVED, approved_on=item.meeting.date, approval="date"
    )

    response = client_for(secretary).post(
        reverse("minutes:decision_delete", args=[decision.pk]),
        {f"decision-{decision.pk}-text": decision.text, "confirm": "yes"},
    )

    assert "cannot be changed" in response.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()


# -- Actions ----------------------------------------------------------------------------


def add_action(client, item, **fields):
    prefix = f"new-action-{item.pk}"
    return client.post(reverse("minutes:action_add", args=[item.pk]), action_post(prefix, **fields))


def test_owners_are_picked_by_initials_in_any_case_and_by_full_name(
    client_for, secretary, item, suzanne, martin
):
    response = add_action(
        client_for(secretary), item, owners="sh, Martin  Ferguson", due="2009-12-01"
    )

    assert response.status_code == 302
    action = item.actions.get()
    assert action.text == "Draft a letter of thanks."
    assert set(action.owners.all()) == {suzanne, martin}
    assert action.due_date == datetime.date(2009, 12, 1)
    assert action.status == Action.Status.OPEN


def test_unknown_initials_are_named_in_the_error_and_every_field_is_kept(
    client_for, secretary, item, suzanne
):
    response = add_action(
        client_for(secretary),
        item,
        text="Write to Jim.",
        owners="SH, QQ, Nobody Here",
        due="2010-01-18",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "No one has the initials or name “QQ” and “Nobody Here”." in page
    prefix = f"new-action-{item.pk}"
    assert textarea(response, f"{prefix}-text").strip() == "Write to Jim."
    assert input_value(response, f"{prefix}-owners") == "SH, QQ, Nobody Here"
    assert input_value(response, f"{prefix}-due_date") == "2010-01-18"
    assert not item.actions.exists()


def test_a_name_two_people_share_is_refused_as_ambiguous(client_for, secretary, item):
    PersonFactory(given_name="David", family_name="Bryant", initials="DB")
    PersonFactory(given_name="David", family_name="Bryant", initials="DB2")

    response = add_action(client_for(secretary), item, owners="David Bryant")

    assert "More than one person is called “David Bryant”: use their initials (DB, DB2)." in (
        response.content.decode()
    )
    assert not item.actions.exists()


def test_an_action_without_an_owner_is_refused(client_for, secretary, item):
    response = add_action(client_for(secretary), item, owners=" , ")

    assert "Say who will do this" in response.content.decode()
    assert not item.actions.exists()


def test_an_action_due_before_the_meeting_is_refused_at_the_field(
    client_for, secretary, item, suzanne
):
    response = add_action(client_for(secretary), item, due="2009-11-15")

    page = response.content.decode()
    assert "The due date cannot be before the meeting (Monday 16 November 2009)." in page
    assert input_value(response, f"new-action-{item.pk}-due_date") == "2009-11-15"
    assert not item.actions.exists()


def test_too_long_an_action_is_refused_at_the_field(client_for, secretary, item, suzanne):
    limit = Action._meta.get_field("text").max_length

    response = add_action(client_for(secretary), item, text="y" * (limit + 1))

    assert f"at most {limit} characters" in response.content.decode()
    assert not item.actions.exists()


def test_the_error_is_tied_to_its_field_for_screen_readers(client_for, secretary, item):
    response = add_action(client_for(secretary), item, owners="QQ")

    field = re.search(
        rf'<input[^>]*name="new-action-{item.pk}-owners"[^>]*>', response.content.decode()
    ).group(0)
    assert 'aria-invalid="true"' in field
    described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert any(f'id="{ref}"' in response.content.decode() for ref in described_by if "error" in ref)


def test_an_action_is_changed_closed_and_deleted_from_the_page(
    client_for, secretary, item, suzanne, martin
):
    action = ActionFactory(minutes__meeting=item.meeting, agenda_item=item, owners=[suzanne])
    client = client_for(secretary)
    prefix = f"action-{action.pk}"

    client.post(
        reverse("minutes:action_update", args=[action.pk]),
        action_post(prefix, text="Thank Jim.", owners="MF", status="done"),
    )
    action.refresh_from_db()
    assert action.text == "Thank Jim."
    assert list(action.owners.all()) == [martin]
    assert (action.status, action.closed_on) == (Action.Status.DONE, timezone.localdate())

    client.post(reverse("minutes:action_delete", args=[action.pk]), {"confirm": "yes"})
    assert not Action.objects.filter(pk=action.pk).exists()
