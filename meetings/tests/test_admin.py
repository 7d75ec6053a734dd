import datetime

import pytest
from django.core.management import call_command

from config.tests.admin_pages import (
    admin_url,
    assert_only_the_secretariat_gets_in,
    inline_rows,
    save_admin_form,
)
from meetings.admin import MeetingAdminForm
from meetings.models import AgendaItem, Meeting
from meetings.tests.conftest import STANDARD_AGENDA, addresses, numbered
from meetings.tests.factories import AgendaItemFactory, MeetingFactory, VenueFactory
from members.tests.factories import OrganisationFactory, PersonFactory
from minutes.models import Minutes
from minutes.tests.factories import ItemMinuteFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make", [VenueFactory, MeetingFactory], ids=["venue", "meeting"])
def test_only_the_secretariat_can_open_the_list_add_and_change_pages(
    make, client_for, secretary, member
):
    assert_only_the_secretariat_gets_in(
        make(), client_for=client_for, secretary=secretary, member=member
    )


def test_secretary_can_add_a_meeting_with_attendance(client_for, secretary, committee):
    moved_on = PersonFactory(family_name="Cooper")
    at_the_time = OrganisationFactory(name="Hampshire CC")
    newcomer = PersonFactory(family_name="Horner", organisation=OrganisationFactory(name="Socitm"))
    venue = VenueFactory(name="Siemens")

    response = save_admin_form(
        client_for(secretary),
        admin_url(Meeting, "add"),
        committee=committee.pk,
        date="2009-11-16",
        venue=venue.pk,
        status=Meeting.Status.HELD,
        **inline_rows(
            "attendances",
            [
                {"person": moved_on.pk, "status": "present", "organisation": at_the_time.pk},
                {"person": newcomer.pk, "status": "apologies", "role": "Secretary"},
            ],
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get(committee=committee, date=datetime.date(2009, 11, 16))
    assert meeting.venue == venue
    assert [
        (a.person, a.get_status_display(), a.organisation.name, a.role)
        for a in meeting.attendances.all()
    ] == [
        (moved_on, "Present", "Hampshire CC", ""),
        # Added without an organisation: recorded with the one they are with now.
        (newcomer, "Apologies", "Socitm", "Secretary"),
    ]
    # As when scheduled in the workspace: the standard agenda, its items on their own page.
    assert numbered(meeting) == STANDARD_AGENDA


def items_of(meeting) -> list[str]:
    return [str(item) for item in meeting.agenda_items.order_by("position")]


def test_the_meeting_page_links_its_agenda_items_rather_than_listing_them(
    client_for, secretary, django_assert_max_num_queries
):
    meeting = MeetingFactory()
    AgendaItemFactory.create_batch(3, meeting=meeting)
    page = client_for(secretary).get(admin_url(meeting, "change")).content.decode()
    assert 'name="agenda_items-0-title"' not in page
    items = admin_url(AgendaItem, "changelist") + f"?meeting__id__exact={meeting.pk}"
    assert f'<a href="{items}">3 items</a>' in page
    assert f"{admin_url(AgendaItem, 'add')}?meeting={meeting.pk}" in page


def test_the_meeting_page_runs_as_many_queries_with_many_items_as_with_few(client_for, secretary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(secretary)
    counts = []
    for size in (2, 60):
        meeting = MeetingFactory()
        AgendaItemFactory.create_batch(size, meeting=meeting)
        with CaptureQueriesContext(connection) as ran:
            assert client.get(admin_url(meeting, "change")).status_code == 200
        counts.append(len(ran))
    assert counts[0] == counts[1]


def test_an_item_added_in_the_admin_goes_before_any_other_business_numbered(
    client_for, secretary, meeting
):
    client = client_for(secretary)
    add = admin_url(AgendaItem, "add") + f"?meeting={meeting.pk}"
    assert client.get(add).context["adminform"].form["meeting"].value() == str(meeting.pk)
    response = client.post(
        add, {"meeting": meeting.pk, "title": "Digital Britain", "kind": "ordinary"}
    )
    assert response.status_code == 302, response.context["errors"]
    assert items_of(meeting) == [
        "1. Apologies",
        "2. Minutes of the last meeting",
        "3. Matters arising",
        "4. Digital Britain",
        "5. Any other business",
        "6. Dates of future meetings",
    ]


def test_secretary_reorders_the_agenda_with_the_move_actions(client_for, secretary, meeting):
    aob = meeting.agenda_items.get(kind=AgendaItem.Kind.ANY_OTHER_BUSINESS)
    response = client_for(secretary).post(
        admin_url(AgendaItem, "changelist"),
        {"action": "move_up", "_selected_action": [aob.pk]},
    )
    assert response.status_code == 302
    assert items_of(meeting)[2:4] == ["3. Any other business", "4. Matters arising"]


def test_changing_a_published_agenda_in_the_admin_marks_it_revised(client_for, secretary, meeting):
    meeting.agenda_published_at = datetime.datetime(2010, 1, 4, tzinfo=datetime.UTC)
    meeting.save()
    item = meeting.agenda_items.get(kind=AgendaItem.Kind.APOLOGIES)
    client = client_for(secretary)

    save_admin_form(client, admin_url(item, "change"))  # nothing changed
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is None

    response = save_admin_form(client, admin_url(item, "change"), title="Apologies.")
    assert response.status_code == 302, response.context["errors"]
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is not None
    assert items_of(meeting)[0] == "1. Apologies."


def test_making_an_item_a_sub_item_in_the_admin_renumbers_the_agenda(
    client_for, secretary, meeting
):
    matters = meeting.agenda_items.get(kind=AgendaItem.Kind.MATTERS_ARISING)
    minutes_item = meeting.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    response = save_admin_form(
        client_for(secretary), admin_url(matters, "change"), parent=minutes_item.pk
    )
    assert response.status_code == 302, response.context["errors"]
    assert items_of(meeting)[1:4] == [
        "2. Minutes of the last meeting",
        "2.1. Matters arising",
        "3. Any other business",
    ]


def test_attendance_and_agenda_of_published_minutes_are_read_only_in_the_admin(
    client_for, secretary
):
    call_command("load_demo", stdout=None)
    meeting = Meeting.objects.get(date=datetime.date(2009, 11, 16))
    client = client_for(secretary)
    page = client.get(admin_url(meeting, "change")).content.decode()
    assert "Ian Cooper" in page
    assert 'name="attendances-0-status"' not in page
    assert 'name="date"' not in page
    assert 'name="venue"' not in page
    assert 'name="status"' in page
    item = meeting.agenda_items.order_by("position").first()
    item_page = client.get(admin_url(item, "change")).content.decode()
    assert item.title in item_page
    assert 'name="title"' not in item_page
    refused = client.post(admin_url(item, "change"), {"title": "Changed", "kind": item.kind})
    assert refused.status_code == 403
    item.refresh_from_db()
    assert item.title != "Changed"

    draft = MeetingFactory()
    own = AgendaItemFactory(meeting=draft, position=1, number="1", title="Apologies")
    assert 'name="title"' in client.get(admin_url(own, "change")).content.decode()


def test_an_agenda_item_with_minutes_under_it_cannot_be_deleted(client_for, secretary):
    minuted = ItemMinuteFactory(text="Glyn E updated the panel.").agenda_item
    client = client_for(secretary)
    assert client.post(admin_url(minuted, "delete"), {"post": "yes"}).status_code == 403
    assert AgendaItem.objects.filter(pk=minuted.pk).exists()


def test_deleting_an_item_in_the_admin_renumbers_the_agenda(client_for, secretary, meeting):
    matters = meeting.agenda_items.get(kind=AgendaItem.Kind.MATTERS_ARISING)
    response = client_for(secretary).post(admin_url(matters, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert items_of(meeting)[2:] == ["3. Any other business", "4. Dates of future meetings"]


def test_the_parent_item_dropdown_offers_only_this_meetings_main_items(client_for, secretary):
    meeting = MeetingFactory()
    own = AgendaItemFactory(meeting=meeting, title="Finance")
    AgendaItemFactory(meeting=meeting, title="Budget", parent=own)
    edited = AgendaItemFactory(meeting=meeting, title="Any other business")
    AgendaItemFactory(title="Another meeting's item")

    page = client_for(secretary).get(admin_url(edited, "change"))

    offered = page.context["adminform"].form.fields["parent"].queryset
    assert list(offered) == [own]


def test_search_and_filters_find_the_demo_meeting(client_for, secretary):
    call_command("load_demo", stdout=None)
    demo = Meeting.objects.get(date=datetime.date(2009, 11, 16))
    client = client_for(secretary)
    changelist = admin_url(Meeting, "changelist")

    def listed(**query):
        return list(client.get(changelist, query).context["cl"].result_list)

    at_siemens = demo.committee.meetings.filter(venue__name="Siemens")
    assert demo in at_siemens
    assert set(listed(q="Siemens")) == set(at_siemens)
    assert set(listed(q="socitm futures")) == set(demo.committee.meetings.all())
    assert demo in listed(committee__id__exact=demo.committee_id, status__exact="held")
    assert listed(date__year=2009, date__month=11) == [demo]
    page = client.get(changelist, {"date__year": 2009})
    assert "Published" in page.content.decode()


def test_a_meeting_without_minutes_offers_to_start_them(client_for, secretary):
    meeting = MeetingFactory()

    page = client_for(secretary).get(admin_url(Meeting, "changelist"))

    assert f"{admin_url(Minutes, 'add')}?meeting={meeting.pk}" in page.content.decode()


def test_an_item_of_an_agenda_numbered_as_typed_keeps_the_number_typed_in_the_admin(
    client_for, secretary, meeting
):
    meeting.item_numbering = Meeting.ItemNumbering.AS_TYPED
    meeting.save()
    add = admin_url(AgendaItem, "add") + f"?meeting={meeting.pk}"
    response = client_for(secretary).post(
        add, {"meeting": meeting.pk, "number": "23/045", "title": "Planning", "kind": "ordinary"}
    )
    assert response.status_code == 302, response.context["errors"]
    assert "23/045. Planning" in items_of(meeting)


def test_only_a_meeting_with_nothing_recorded_can_be_deleted(client_for, secretary):
    from meetings.tests.factories import AttendanceFactory

    client = client_for(secretary)
    empty = MeetingFactory(date=datetime.date(2030, 1, 7), status=Meeting.Status.SCHEDULED)
    held = MeetingFactory(date=datetime.date(2009, 11, 16))
    AttendanceFactory(meeting=held)
    minuted = ItemMinuteFactory().minutes.meeting
    for kept in (held, minuted):
        assert client.get(admin_url(kept, "delete")).status_code == 403
        assert client.post(admin_url(kept, "delete"), {"post": "yes"}).status_code == 403
    assert client.post(admin_url(empty, "delete"), {"post": "yes"}).status_code == 302
    assert set(Meeting.objects.all()) == {held, minuted}


# -- Through the services, as the workspace --------------------------------------------


def test_a_meeting_added_in_the_admin_points_its_previous_minutes_at_the_last_meeting(
    client_for, secretary, committee, scheduled
):
    before = scheduled(datetime.date(2009, 11, 16))
    response = save_admin_form(
        client_for(secretary), admin_url(Meeting, "add"), committee=committee.pk, date="2010-01-18"
    )
    assert response.status_code == 302, response.context["errors"]
    meeting = Meeting.objects.get(committee=committee, date=datetime.date(2010, 1, 18))
    previous = meeting.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    assert previous.previous_meeting == before
    assert meeting.status == Meeting.Status.SCHEDULED


def test_a_future_meeting_cannot_be_added_as_held(client_for, secretary, committee):
    response = save_admin_form(
        client_for(secretary),
        admin_url(Meeting, "add"),
        committee=committee.pk,
        date="2030-01-21",
        status=Meeting.Status.HELD,
    )
    assert response.status_code == 200
    assert "A meeting can be marked held only on or after its date." in response.text
    assert not Meeting.objects.exists()


def cancel_in_the_admin(client, meeting):
    """Cancel ``meeting`` on its admin page, telling the members why."""
    return save_admin_form(
        client,
        admin_url(meeting, "change"),
        status=Meeting.Status.CANCELLED,
        tell_members="on",
        reason="Too few could attend.",
    )


def test_cancelling_in_the_admin_and_telling_the_members_emails_them_as_the_workspace_does(
    client_for, secretary, meeting, emailable_members, mailoutbox, run_tasks
):
    response = cancel_in_the_admin(client_for(secretary), meeting)
    assert response.status_code == 302, response.context["errors"]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.notice) == (Meeting.Status.CANCELLED, "Too few could attend.")
    run_tasks()
    assert addresses(mailoutbox) == emailable_members
    assert mailoutbox[0].subject == "Cancelled: Socitm Futures meeting on Monday 18 January 2010"


def test_moving_in_the_admin_and_telling_the_members_says_where_it_moved_from(
    client_for, secretary, meeting, emailable_members, mailoutbox, run_tasks
):
    response = save_admin_form(
        client_for(secretary),
        admin_url(meeting, "change"),
        date="2010-01-25",
        tell_members="on",
        reason="The room is needed.",
    )
    assert response.status_code == 302, response.context["errors"]
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2010, 1, 25)
    assert meeting.notice == "Moved from Monday 18 January 2010: The room is needed."
    run_tasks()
    assert addresses(mailoutbox) == emailable_members


def test_telling_the_members_needs_a_reason_and_something_to_tell(
    client_for, secretary, meeting, emailable_members, mailoutbox, run_tasks
):
    client = client_for(secretary)
    no_reason = save_admin_form(
        client, admin_url(meeting, "change"), status=Meeting.Status.CANCELLED, tell_members="on"
    )
    assert "Say why, for the members." in no_reason.text
    nothing = save_admin_form(
        client, admin_url(meeting, "change"), tell_members="on", reason="Just because."
    )
    assert "There is nothing to tell the members" in nothing.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    run_tasks()
    assert mailoutbox == []


def test_a_correction_in_the_admin_tells_nobody(
    client_for, secretary, meeting, emailable_members, mailoutbox, run_tasks
):
    response = save_admin_form(
        client_for(secretary), admin_url(meeting, "change"), date="2010-01-19", reference="#3"
    )
    assert response.status_code == 302, response.context["errors"]
    meeting.refresh_from_db()
    assert (meeting.date, meeting.reference, meeting.notice) == (
        datetime.date(2010, 1, 19),
        "#3",
        "",
    )
    run_tasks()
    assert mailoutbox == []


def test_a_meeting_marked_held_after_the_form_was_checked_is_refused_by_the_form(
    client_for, secretary, meeting, emailable_members, mailoutbox, run_tasks, monkeypatch
):
    """The service's refusal comes back as the form, as typed, with the reason: not a 500."""
    checked = MeetingAdminForm.clean

    def marked_held_meanwhile(form):
        cleaned = checked(form)
        # The form found nothing wrong; then the worker marks the past meeting held.
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        return cleaned

    monkeypatch.setattr(MeetingAdminForm, "clean", marked_held_meanwhile)
    response = cancel_in_the_admin(client_for(secretary), meeting)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors, "shown by the form"
    assert "held" in " ".join(form.non_field_errors() + form.errors.get("status", []))
    assert "Too few could attend.</textarea>" in response.text, "nothing typed is lost"
    assert form["status"].value() == Meeting.Status.CANCELLED
    meeting.refresh_from_db()
    assert (meeting.status, meeting.notice) == (Meeting.Status.HELD, ""), "as the worker left it"
    run_tasks()
    assert mailoutbox == []
