import datetime

import pytest
from django.core.management import call_command

from config.tests.admin_pages import (
    admin_url,
    assert_only_the_secretariat_gets_in,
    changeform_data,
    inline_rows,
    save_admin_form,
)
from meetings.models import AgendaItem, Meeting
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


def test_secretary_can_add_a_meeting_with_attendance_and_agenda_items(
    client_for, secretary, committee
):
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
        **inline_rows(
            "agenda_items",
            [
                {"position": 2, "number": "2", "title": "Any Other Business", "kind": "aob"},
                {"position": 1, "number": "1", "title": "Digital Britain", "kind": "ordinary"},
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
    assert [str(item) for item in meeting.agenda_items.order_by("position")] == [
        "1. Digital Britain",
        "2. Any Other Business",
    ]


def test_secretary_reorders_the_agenda_by_swapping_positions(client_for, secretary):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, position=1, number="1", title="Apologies")
    second = AgendaItemFactory(meeting=meeting, position=2, number="2", title="Finance")
    client = client_for(secretary)
    page = client.get(admin_url(meeting, "change"))
    positions = {row.instance.pk: row.prefix for row in agenda_forms(page)}

    response = client.post(
        admin_url(meeting, "change"),
        changeform_data(
            page,
            **{
                f"{positions[first.pk]}-position": 2,
                f"{positions[first.pk]}-number": "2",
                f"{positions[second.pk]}-position": 1,
                f"{positions[second.pk]}-number": "1",
            },
        ),
    )

    assert response.status_code == 302, response.context["errors"]
    assert [str(item) for item in meeting.agenda_items.order_by("position")] == [
        "1. Finance",
        "2. Apologies",
    ]


def test_changing_a_published_agenda_in_the_admin_marks_it_revised(client_for, secretary):
    meeting = MeetingFactory(agenda_published_at=datetime.datetime(2010, 1, 4, tzinfo=datetime.UTC))
    item = AgendaItemFactory(meeting=meeting, position=1, number="1", title="Apologies")
    client = client_for(secretary)
    page = client.get(admin_url(meeting, "change"))
    prefix = next(row.prefix for row in agenda_forms(page) if row.instance.pk == item.pk)

    client.post(admin_url(meeting, "change"), changeform_data(page))  # nothing changed
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is None

    response = client.post(
        admin_url(meeting, "change"), changeform_data(page, **{f"{prefix}-title": "Apologies."})
    )
    assert response.status_code == 302, response.context["errors"]
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is not None


def test_attendance_and_agenda_of_published_minutes_are_read_only_in_the_admin(
    client_for, secretary
):
    call_command("load_demo", stdout=None)
    meeting = Meeting.objects.get(date=datetime.date(2009, 11, 16))
    page = client_for(secretary).get(admin_url(meeting, "change")).content.decode()
    assert "Ian Cooper" in page
    assert 'name="attendances-0-status"' not in page
    assert 'name="agenda_items-0-title"' not in page
    assert 'name="date"' not in page
    assert 'name="venue"' not in page
    assert 'name="status"' in page

    draft = MeetingFactory()
    AgendaItemFactory(meeting=draft, position=1, number="1", title="Apologies")
    page = client_for(secretary).get(admin_url(draft, "change")).content.decode()
    assert 'name="agenda_items-0-title"' in page


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("position", "Please correct the duplicate data for position"),
        ("number", "Two items on this agenda have the same number."),
    ],
)
def test_two_agenda_items_cannot_take_the_same_position_or_number(
    field, message, client_for, secretary
):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, position=1, number="1")
    AgendaItemFactory(meeting=meeting, position=2, number="2")
    client = client_for(secretary)
    page = client.get(admin_url(meeting, "change"))
    prefix = next(row.prefix for row in agenda_forms(page) if row.instance == first)

    response = client.post(
        admin_url(meeting, "change"), changeform_data(page, **{f"{prefix}-{field}": 2})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    first.refresh_from_db()
    assert (first.position, first.number) == (1, "1")


def test_an_agenda_item_with_minutes_under_it_cannot_be_deleted(client_for, secretary):
    minuted = ItemMinuteFactory(text="Glyn E updated the panel.").agenda_item
    client = client_for(secretary)
    page = client.get(admin_url(minuted.meeting, "change"))
    prefix = agenda_forms(page)[0].prefix

    response = client.post(
        admin_url(minuted.meeting, "change"), changeform_data(page, **{f"{prefix}-DELETE": "on"})
    )

    assert response.status_code == 200
    assert "has minute text, decisions or actions, so it cannot be deleted" in (
        response.content.decode()
    )
    assert AgendaItem.objects.filter(pk=minuted.pk).exists()


def test_the_parent_item_dropdown_offers_only_this_meetings_items(client_for, secretary):
    meeting = MeetingFactory()
    own = AgendaItemFactory(meeting=meeting, title="Finance")
    AgendaItemFactory(title="Another meeting's item")

    page = client_for(secretary).get(admin_url(meeting, "change"))

    offered = agenda_forms(page)[0].fields["parent"].queryset
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


def agenda_forms(page):
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is AgendaItem
    )
    return [form for form in formset.forms if form.instance.pk]
