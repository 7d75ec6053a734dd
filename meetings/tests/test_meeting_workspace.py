import pytest
from django.urls import reverse

from meetings.models import Meeting
from meetings.tests.conftest import h1_count
from meetings.tests.factories import AttendanceFactory

pytestmark = pytest.mark.django_db


def url(meeting):
    return reverse("meetings:meeting_workspace", args=[meeting.pk])


def test_the_hub_shows_the_meetings_details_and_the_tabs(client_for, secretary, meeting):
    AttendanceFactory(meeting=meeting)
    AttendanceFactory(meeting=meeting, status="apologies")
    response = client_for(secretary).get(url(meeting))
    assert response.status_code == 200
    assert h1_count(response) == 1
    html = response.content.decode()
    assert "Socitm Futures: Monday 18 January 2010" in html
    assert "Siemens, Hillgate House" in html
    assert "10:30" in html
    assert "1 present, 1 apologies, 0 absent" in html
    assert "5 items; not published" in html
    for name in ("meeting_workspace", "agenda_workspace", "attendance", "meeting_edit"):
        assert reverse(f"meetings:{name}", args=[meeting.pk]) in html
    assert f'aria-current="page" href="{url(meeting)}"' in html


def test_a_scheduled_meeting_can_be_moved_or_cancelled(client_for, secretary, meeting):
    html = client_for(secretary).get(url(meeting)).content.decode()
    assert reverse("meetings:meeting_move", args=[meeting.pk]) in html
    assert reverse("meetings:meeting_cancel", args=[meeting.pk]) in html


def test_a_cancelled_meeting_shows_its_notice_and_cannot_be_cancelled_again(
    client_for, secretary, meeting
):
    meeting.status = Meeting.Status.CANCELLED
    meeting.notice = "Snow."
    meeting.save()
    html = client_for(secretary).get(url(meeting)).content.decode()
    assert "Snow." in html
    assert reverse("meetings:meeting_cancel", args=[meeting.pk]) not in html


def test_an_unknown_meeting_is_not_found(client_for, secretary):
    assert client_for(secretary).get("/workspace/meetings/999999/").status_code == 404
