import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.tests.admin_pages import (
    admin_url,
    assert_only_the_secretariat_gets_in,
    changeform_data,
    inline_rows,
    save_admin_form,
)
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from members.roles import person_for
from members.tests.factories import PersonFactory
from minutes.models import Action, Decision, ItemMinute, Minutes
from minutes.services import item_minute_save, minutes_approve
from minutes.tests.factories import (
    ActionFactory,
    DecisionFactory,
    ItemMinuteFactory,
    MinutesFactory,
    publish,
    published_version,
)

pytestmark = pytest.mark.django_db

MEETING_DATE = datetime.date(2009, 11, 16)


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee, date=MEETING_DATE)


@pytest.fixture
def items(meeting):
    return [
        AgendaItemFactory(meeting=meeting, position=1, number="1", title="Digital Britain"),
        AgendaItemFactory(meeting=meeting, position=2, number="2", title="Any Other Business"),
    ]


@pytest.fixture
def minutes(meeting, items):
    return MinutesFactory(meeting=meeting)


def published(minutes, status=Minutes.Status.PUBLISHED):
    """Minutes in a state that makes them the record, without rendering a PDF."""
    Minutes.objects.filter(pk=minutes.pk).update(
        status=status, approved_on=MEETING_DATE, approval="date"
    )
    minutes.refresh_from_db()
    return minutes


def inline_forms(page, model):
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is model
    )
    return formset


def publish_from_the_list(client, *selected):
    return client.post(
        admin_url(Minutes, "changelist"),
        {"action": "publish", "_selected_action": [minutes.pk for minutes in selected]},
        follow=True,
    )


@pytest.mark.parametrize(
    ("make", "secretary_sees"),
    [(MinutesFactory, [200, 200, 200]), (ActionFactory, [200, 403, 200])],
    ids=["minutes", "action"],
)
def test_only_the_secretariat_can_open_the_list_add_and_change_pages(
    make, secretary_sees, client_for, secretary, member
):
    # Actions are added on the page of the minutes they arose in, never on their own.
    assert_only_the_secretariat_gets_in(
        make(),
        client_for=client_for,
        secretary=secretary,
        member=member,
        secretary_sees=secretary_sees,
    )


def test_the_add_page_asks_for_the_meeting_then_opens_the_minutes_for_typing(
    client_for, secretary, meeting, items
):
    client = client_for(secretary)
    page = client.get(admin_url(Minutes, "add"), {"meeting": meeting.pk})
    assert page.context["inline_admin_formsets"] == []

    response = client.post(admin_url(Minutes, "add"), changeform_data(page), follow=True)

    minutes = Minutes.objects.get(meeting=meeting)
    assert response.redirect_chain == [(admin_url(minutes, "change"), 302)]
    # One box for the text of each agenda item, in agenda order.
    boxes = inline_forms(response, ItemMinute).extra_forms
    assert [form["agenda_item"].value() for form in boxes] == [item.pk for item in items]


def test_secretary_can_type_item_text_a_decision_and_an_action_with_an_owner(
    client_for, secretary, minutes, items
):
    suzanne = PersonFactory(given_name="Suzanne", family_name="Horner", initials="SH")
    digital_britain, aob = items

    response = save_admin_form(
        client_for(secretary),
        admin_url(minutes, "change"),
        **{"item_minutes-0-text": "Martin F discussed the policy briefing."},
        **inline_rows(
            "decisions",
            [{"agenda_item": digital_britain.pk, "position": 1, "text": "Briefing agreed."}],
        ),
        **inline_rows(
            "actions",
            [
                {
                    "agenda_item": aob.pk,
                    "text": "Draft a letter of thanks to Jim Haslem.",
                    "owners": [suzanne.pk],
                    "due_date": "2010-01-18",
                    "status": "open",
                }
            ],
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    [item_minute] = minutes.item_minutes.all()
    assert (item_minute.agenda_item, item_minute.text) == (
        digital_britain,
        "Martin F discussed the policy briefing.",
    )
    assert item_minute.updated_by == secretary
    assert [(d.agenda_item, d.text) for d in minutes.decisions.all()] == [
        (digital_britain, "Briefing agreed.")
    ]
    [action] = minutes.actions.all()
    assert (action.agenda_item, action.owner_initials, action.due_date) == (
        aob,
        "SH",
        datetime.date(2010, 1, 18),
    )


def test_agenda_item_dropdowns_offer_only_this_meetings_items(
    client_for, secretary, minutes, items
):
    elsewhere = AgendaItemFactory(title="Another meeting's item")
    client = client_for(secretary)
    page = client.get(admin_url(minutes, "change"))

    for model in (ItemMinute, Decision, Action):
        offered = inline_forms(page, model).forms[0].fields["agenda_item"].queryset
        assert list(offered) == items, model

    response = client.post(
        admin_url(minutes, "change"),
        changeform_data(
            page,
            **inline_rows(
                "decisions", [{"agenda_item": elsewhere.pk, "position": 0, "text": "Agreed."}]
            ),
        ),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Decision.objects.exists()


def test_text_saved_in_the_workspace_meanwhile_is_not_overwritten(
    client_for, secretary, minutes, items
):
    item_minute = ItemMinuteFactory(minutes=minutes, agenda_item=items[0], text="First draft.")
    client = client_for(secretary)
    page = client.get(admin_url(minutes, "change"))
    item_minute_save(
        agenda_item=items[0], text="Saved in the workspace.", expected_revision=0, by=secretary
    )

    response = client.post(
        admin_url(minutes, "change"),
        changeform_data(page, **{"item_minutes-0-text": "Typed in the admin."}),
    )

    assert response.status_code == 200
    assert "Someone else saved this item’s text since you opened the page." in (
        response.content.decode()
    )
    item_minute.refresh_from_db()
    assert item_minute.text == "Saved in the workspace."


@pytest.mark.parametrize("status", [Minutes.Status.APPROVED, Minutes.Status.PUBLISHED])
def test_approved_and_published_minutes_are_shown_read_only(
    status, client_for, secretary, minutes, items
):
    ItemMinuteFactory(minutes=minutes, agenda_item=items[0], text="As published.")
    published(minutes, status)

    page = client_for(secretary).get(admin_url(minutes, "change"))

    content = page.content.decode()
    assert "As published." in content
    assert 'name="item_minutes-0-text"' not in content
    assert 'name="_save"' not in content
    assert 'name="decisions-0-DELETE"' not in content


@pytest.mark.parametrize("status", [Minutes.Status.APPROVED, Minutes.Status.PUBLISHED])
def test_a_crafted_post_changes_nothing_in_approved_or_published_minutes(
    status, client_for, secretary, minutes, items
):
    digital_britain, aob = items
    item_minute = ItemMinuteFactory(minutes=minutes, agenda_item=digital_britain, text="Record.")
    decision = DecisionFactory(minutes=minutes, agenda_item=aob, text="Agreed.")
    client = client_for(secretary)
    page = client.get(admin_url(minutes, "change"))
    published(minutes, status)

    response = client.post(
        admin_url(minutes, "change"),
        changeform_data(
            page,
            **{
                "item_minutes-0-text": "Rewritten after publication.",
                "decisions-0-DELETE": "on",
            },
            **inline_rows(
                "actions",
                [{"agenda_item": aob.pk, "text": "Sneaked in.", "status": "open"}],
            ),
        ),
    )

    assert response.status_code == 403
    item_minute.refresh_from_db()
    assert item_minute.text == "Record."
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert not Action.objects.exists()


def test_minutes_being_corrected_can_be_edited_again(client_for, secretary, minutes, items):
    item_minute = ItemMinuteFactory(minutes=minutes, agenda_item=items[0], text="Typo here.")
    published(minutes, Minutes.Status.CORRECTING)

    response = save_admin_form(
        client_for(secretary),
        admin_url(minutes, "change"),
        **{"item_minutes-0-text": "Typo fixed."},
    )

    assert response.status_code == 302, response.context["errors"]
    item_minute.refresh_from_db()
    assert (item_minute.text, item_minute.updated_by) == ("Typo fixed.", secretary)
    # A new revision: anyone editing the old text in the workspace is told it changed.
    assert item_minute.revision == 1


def test_publishing_approved_minutes_from_the_list_shows_the_version_and_its_pdf(
    client_for, secretary, minutes, items
):
    ItemMinuteFactory(minutes=minutes, agenda_item=items[0])
    minutes_approve(minutes=minutes, by=secretary, on=MEETING_DATE)
    client = client_for(secretary)

    response = publish_from_the_list(client, minutes)

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{minutes.meeting}: being published; the version appears in a moment."
    ]
    published_version(minutes)
    assert minutes.status == Minutes.Status.PUBLISHED
    page = client.get(admin_url(minutes, "change")).content.decode()
    pdf = reverse("minutes:version_pdf", kwargs={**minutes.meeting.url_kwargs(), "number": 1})
    assert f'<a href="{pdf}">Download version 1</a>' in page
    assert "First published" in page
    # The history says who published them.
    assert page.count("secretary") >= 2


def test_publishing_refuses_draft_minutes_with_a_clear_message(client_for, secretary, minutes):
    response = publish_from_the_list(client_for(secretary), minutes)

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{minutes.meeting}: Minutes must be approved before they are published."
    ]
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    assert not minutes.versions.exists()


def test_only_minutes_that_never_left_draft_can_be_deleted(client_for, secretary, minutes):
    client = client_for(secretary)
    other = published(MinutesFactory())

    assert client.get(admin_url(minutes, "delete")).status_code == 200
    assert client.get(admin_url(other, "delete")).status_code == 403


def test_search_and_filters_find_the_demo_minutes(client_for, secretary):
    call_command("load_demo", stdout=None)
    demo = Minutes.objects.get(meeting__date=MEETING_DATE)
    client = client_for(secretary)
    changelist = admin_url(Minutes, "changelist")

    def listed(**query):
        return list(client.get(changelist, query).context["cl"].result_list)

    assert demo in listed(q="Socitm Futures")
    assert listed(status__exact="published") == [demo]
    assert demo in listed(meeting__committee__id__exact=demo.meeting.committee_id)
    assert listed(meeting__date__year=2009, meeting__date__month=11) == [demo]

    actions = admin_url(Action, "changelist")
    [thanks] = client.get(actions, {"q": "SH", "status__exact": "open"}).context["cl"].result_list
    assert thanks.text.startswith("Glyn asked Suzanne to draft a letter of thanks")


def test_secretary_can_close_an_action_of_published_minutes_but_not_rewrite_it(
    client_for, secretary, minutes, items
):
    action = ActionFactory(minutes=minutes, agenda_item=items[1], text="Draft a letter.")
    published(minutes)

    response = save_admin_form(
        client_for(secretary),
        admin_url(action, "change"),
        status="done",
        closed_on="2010-01-18",
        closing_note="Sent.",
        text="Rewritten after publication.",
    )

    assert response.status_code == 302, response.context["errors"]
    action.refresh_from_db()
    assert (action.text, action.status, action.closed_on, action.closing_note) == (
        "Draft a letter.",
        "done",
        datetime.date(2010, 1, 18),
        "Sent.",
    )


def test_secretary_marks_open_actions_done_from_the_list(client_for, secretary, minutes, items):
    action = ActionFactory(minutes=minutes, agenda_item=items[1], text="Draft a letter.")
    published(minutes)

    response = client_for(secretary).post(
        admin_url(Action, "changelist"),
        {"action": "mark_done", "_selected_action": [action.pk]},
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["“Draft a letter.”: done."]
    action.refresh_from_db()
    assert (action.status, action.closed_on) == (Action.Status.DONE, timezone.localdate())


def test_an_action_closed_in_the_admin_is_shown_closed_to_readers(
    client_for, secretary, member, minutes, items
):
    action = ActionFactory(
        minutes=minutes, agenda_item=items[1], text="Draft a letter.", owners=[person_for(member)]
    )
    publish(minutes, by=secretary)

    response = save_admin_form(
        client_for(secretary),
        admin_url(action, "change"),
        status="withdrawn",
        closed_on="2010-01-18",
        closing_note="Overtaken by events.",
    )

    assert response.status_code == 302, response.context["errors"]
    mine = client_for(member).get(reverse("minutes:my_actions") + "?show=closed").content.decode()
    assert "Withdrawn" in mine.split("Draft a letter.")[1].split("</tr>")[0]


def test_item_text_deleted_in_the_admin_goes_through_the_working_copys_lock(
    client_for, secretary, minutes, items
):
    item_minute = ItemMinuteFactory(minutes=minutes, agenda_item=items[0], text="Wrong item.")
    response = save_admin_form(
        client_for(secretary), admin_url(minutes, "change"), **{"item_minutes-0-DELETE": "on"}
    )
    assert response.status_code == 302
    assert not ItemMinute.objects.filter(pk=item_minute.pk).exists()
