import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, Meeting
from meetings.tests.conftest import addresses, h1_count
from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def url(meeting):
    return reverse("meetings:meeting_cancel", args=[meeting.pk])


def test_the_page_asks_for_a_reason(client_for, secretary, meeting):
    response = client_for(secretary).get(url(meeting))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert "Cancel the meeting of Monday 18 January 2010" in response.content.decode()


def test_cancelling_records_the_status_and_reason_and_emails_current_members_with_an_address(
    client_for,
    secretary,
    meeting,
    emailable_members,
    mailoutbox,
    run_tasks,
):
    response = client_for(secretary).post(url(meeting), {"reason": "Too few could attend."})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.notice == "Too few could attend."
    assert mailoutbox == [], "the worker sends the emails, not the request"
    run_tasks()
    assert addresses(mailoutbox) == emailable_members
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    message = next(m for m in mailoutbox if "suzanne@example.org" in m.to[0])
    assert message.subject == "Cancelled: Socitm Futures meeting on Monday 18 January 2010"
    assert "Dear Suzanne," in message.body
    assert "Too few could attend." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Too few could attend." in html


def test_no_email_is_queued_when_the_change_is_not_saved(
    secretary, meeting, emailable_members, mailoutbox, run_tasks, monkeypatch
):
    def fail(committee):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_relink_previous_minutes", fail)
    with pytest.raises(RuntimeError):
        services.meeting_cancel(meeting=meeting, reason="Room unavailable.")

    run_tasks()
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_a_reason_is_required(client_for, secretary, meeting, mailoutbox):
    response = client_for(secretary).post(url(meeting), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_a_meeting_already_held_cannot_be_cancelled(client_for, secretary, meeting):
    meeting.status = Meeting.Status.HELD
    meeting.save()
    client = client_for(secretary)
    response = client.post(url(meeting), {"reason": "Oops"}, follow=True)
    assert "This meeting has been held, so it cannot be cancelled." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_the_next_meetings_last_meeting_becomes_the_one_before_the_cancelled_one(
    client_for, secretary, scheduled
):
    november, january, march = (
        scheduled(datetime.date(2009, 11, 16)),
        scheduled(datetime.date(2010, 1, 18)),
        scheduled(datetime.date(2010, 3, 15)),
    )
    item = march.agenda_items.get(kind=AgendaItem.Kind.PREVIOUS_MINUTES)
    assert item.previous_meeting == january
    client_for(secretary).post(url(january), {"reason": "Snow."})
    item.refresh_from_db()
    assert item.previous_meeting == november


def test_the_committee_page_shows_the_cancelled_meeting_with_its_reason(
    client_for, secretary, member, scheduled
):
    soon = scheduled(timezone.localdate() + datetime.timedelta(days=30))
    client_for(secretary).post(url(soon), {"reason": "Too few could attend."})
    response = client_for(member).get(reverse("minutes:committee", args=[soon.committee.slug]))
    assert "Too few could attend." in response.content.decode()


def test_cancelling_refuses_put(client_for, secretary, meeting):
    assert client_for(secretary).put(url(meeting)).status_code == 405
