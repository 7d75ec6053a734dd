import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def url(meeting, name="agenda_publish"):
    return reverse(f"meetings:{name}", args=[meeting.pk])


def test_publishing_records_when_and_by_whom(client_for, secretary, meeting):
    before = timezone.now()
    response = client_for(secretary).post(url(meeting))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_published_by == secretary
    assert before <= meeting.agenda_published_at <= timezone.now()


def test_the_agenda_page_in_the_workspace_says_who_published_it(client_for, secretary, meeting):
    secretary.first_name, secretary.last_name = "Suzanne", "Horner"
    secretary.save()
    client = client_for(secretary)
    client.post(url(meeting))
    html = client.get(url(meeting, "agenda_workspace")).content.decode()
    assert "by Suzanne Horner" in html
    assert "Withdraw the agenda" in html


def test_an_empty_agenda_is_not_published(client_for, secretary, committee):
    empty = MeetingFactory(committee=committee)
    response = client_for(secretary).post(url(empty), follow=True)
    assert "Add items to the agenda before publishing it." in response.content.decode()
    empty.refresh_from_db()
    assert empty.agenda_published_at is None


def test_a_published_agenda_is_not_published_twice(client_for, secretary, meeting):
    client = client_for(secretary)
    client.post(url(meeting))
    meeting.refresh_from_db()
    first = meeting.agenda_published_at
    response = client.post(url(meeting), follow=True)
    assert "The agenda is already published." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_published_at == first


def test_withdrawing_hides_the_agenda_again(client_for, secretary, member, meeting):
    client = client_for(secretary)
    client.post(url(meeting))
    client.post(url(meeting, "agenda_withdraw"))
    meeting.refresh_from_db()
    assert (meeting.agenda_published_at, meeting.agenda_published_by) == (None, None)
    agenda = reverse("meetings:agenda", kwargs=meeting.url_kwargs())
    assert client_for(member).get(agenda).status_code == 404


def _edit(client, item, **changes):
    fields = {"title": item.title, "kind": item.kind, "description": "", "presenter": ""}
    return client.post(
        reverse("meetings:agenda_item_edit", args=[item.meeting_id, item.pk]), fields | changes
    )


def test_readers_are_told_when_a_published_agenda_was_revised(
    client_for, secretary, member, meeting
):
    agenda = reverse("meetings:agenda", kwargs=meeting.url_kwargs())
    client_for(secretary).post(url(meeting))
    assert "Revised on" not in client_for(member).get(agenda).content.decode()

    item = meeting.agenda_items.get(title="Any other business")
    _edit(client_for(secretary), item)  # saved with nothing changed: not a revision
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is None

    _edit(client_for(secretary), item, title="Any other urgent business")
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is not None
    page = client_for(member).get(agenda).content.decode()
    assert "Any other urgent business" in page
    today = timezone.localdate()
    assert f"Revised on {today:%A} {today.day} {today:%B %Y}, after it was published on" in page


@pytest.mark.parametrize("change", ["new", "move", "delete"])
def test_adding_moving_or_deleting_an_item_revises_a_published_agenda(
    client_for, secretary, meeting, change
):
    client = client_for(secretary)
    client.post(url(meeting))
    item = meeting.agenda_items.get(title="Matters arising")
    if change == "new":
        client.post(
            reverse("meetings:agenda_item_new", args=[meeting.pk]),
            {
                "title": "Strategy",
                "kind": "ordinary",
                "description": "",
                "presenter": "",
            },
        )
    elif change == "move":
        client.post(
            reverse("meetings:agenda_item_move", args=[meeting.pk, item.pk]), {"direction": "up"}
        )
    else:
        client.post(reverse("meetings:agenda_item_delete", args=[meeting.pk, item.pk]))
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is not None


def test_changes_before_publication_and_a_fresh_publication_are_not_revisions(
    client_for, secretary, meeting
):
    client = client_for(secretary)
    item = meeting.agenda_items.get(title="Any other business")
    _edit(client, item, title="AOB")
    client.post(url(meeting))
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is None

    _edit(client, item, title="Any other business")
    client.post(url(meeting, "agenda_withdraw"))
    client.post(url(meeting))
    meeting.refresh_from_db()
    assert meeting.agenda_revised_at is None
