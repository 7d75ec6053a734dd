"""A meeting's life: scheduled, then held (marked so by itself) or cancelled.

A held meeting, and one whose minutes are approved or published, stays where it
is: it cannot be cancelled or moved — in the workspace, the services or the admin.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.tests.admin_pages import admin_url, inline_rows, save_admin_form
from meetings import services
from meetings.models import Meeting
from meetings.tests.factories import AttendanceFactory
from members.tests.factories import MembershipFactory
from minutes.services import minutes_for_meeting
from minutes.tests.factories import APPROVED, CORRECTING, PUBLISHED, MinutesFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def status_of(meeting) -> str:
    meeting.refresh_from_db()
    return meeting.status


@pytest.fixture
def ian(committee):
    return MembershipFactory(committee=committee, person__given_name="Ian").person


# -- Held, without anyone clicking -------------------------------------------------


@pytest.mark.parametrize("when", [0, -7], ids=["today", "last-week"])
def test_recording_attendance_at_a_meeting_on_or_before_today_marks_it_held(scheduled, ian, when):
    meeting = scheduled(days(when))
    services.attendance_record(meeting=meeting, statuses={ian: "present"})
    assert status_of(meeting) == Meeting.Status.HELD


def test_apologies_sent_before_the_meeting_leave_it_scheduled(scheduled, ian):
    meeting = scheduled(days(7))
    services.attendance_record(meeting=meeting, statuses={ian: "apologies"})
    assert status_of(meeting) == Meeting.Status.SCHEDULED


def test_adding_a_guest_to_a_past_meeting_marks_it_held(scheduled, ian):
    meeting = scheduled(days(-1))
    services.guest_add(meeting=meeting, person=ian, role="Guest presenter")
    assert status_of(meeting) == Meeting.Status.HELD


def test_starting_the_minutes_of_a_past_meeting_marks_it_held(scheduled):
    meeting = scheduled(days(-3))
    minutes_for_meeting(meeting=meeting)
    assert status_of(meeting) == Meeting.Status.HELD


def test_once_its_date_passes_a_meeting_with_a_record_is_marked_held_by_the_daily_command(
    scheduled, ian
):
    recorded = scheduled(days(-2))
    AttendanceFactory(meeting=recorded, person=ian)  # recorded before its day
    minuted = scheduled(days(-30))
    MinutesFactory(meeting=minuted)
    unrecorded = scheduled(days(-10))
    future = scheduled(days(5))
    AttendanceFactory(meeting=future, person=ian, status="apologies")
    cancelled = scheduled(days(-20))
    AttendanceFactory(meeting=cancelled, person=ian, status="apologies")
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)

    call_command("mark_held_meetings", verbosity=0)
    assert [status_of(m) for m in (recorded, minuted, unrecorded, future, cancelled)] == [
        "held",
        "held",
        "scheduled",
        "scheduled",
        "cancelled",
    ]
    # Running it again changes nothing.
    assert services.meetings_mark_held() == 0


def test_the_workspace_shows_a_held_meeting_as_held_without_move_or_cancel(
    client_for, secretary, scheduled, ian
):
    meeting = scheduled(days(-1))
    services.attendance_record(meeting=meeting, statuses={ian: "present"})
    page = client_for(secretary).get(reverse("meetings:meeting_workspace", args=[meeting.pk]))
    html = page.content.decode()
    assert '<dd class="col-sm-9">Held</dd>' in html
    assert "Move the meeting" not in html
    assert "Cancel the meeting" not in html


# -- What cannot be cancelled or moved ---------------------------------------------


@pytest.fixture(params=["held", "approved", "published", "correcting"])
def fixed(request, scheduled, ian):
    """A meeting that must stay: held, or with minutes approved or published."""
    meeting = scheduled(datetime.date(2010, 1, 18))
    if request.param == "held":
        services.attendance_record(meeting=meeting, statuses={ian: "present"})
    else:
        state = {"approved": APPROVED, "published": PUBLISHED, "correcting": CORRECTING}
        MinutesFactory(meeting=meeting, **state[request.param])
        # As when the minutes were entered in the admin: nobody marked it held.
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SCHEDULED)
    return Meeting.objects.select_related("minutes").get(pk=meeting.pk)


def test_the_meeting_says_why_it_cannot_be_cancelled_or_moved(fixed):
    assert fixed.can_be_cancelled() is not None
    assert fixed.can_be_moved() is not None


def test_a_scheduled_meeting_can_be_cancelled_and_moved(scheduled):
    meeting = scheduled(days(10))
    assert meeting.can_be_cancelled() is None
    assert meeting.can_be_moved() is None


def test_the_services_refuse_to_cancel_or_move_it(fixed, mailoutbox):
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=fixed, reason="Oops")
    with pytest.raises(ValidationError):
        services.meeting_move(
            meeting=fixed,
            date=datetime.date(2010, 1, 25),
            start_time=fixed.start_time,
            end_time=None,
            venue=fixed.venue,
            reason="Oops",
        )
    fixed.refresh_from_db()
    assert (fixed.date, fixed.status) == (datetime.date(2010, 1, 18), fixed.status)
    assert fixed.status != Meeting.Status.CANCELLED
    assert mailoutbox == []


def test_the_workspace_refuses_to_cancel_it_and_emails_nobody(
    client_for, secretary, fixed, emailable_members, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(
            reverse("meetings:meeting_cancel", args=[fixed.pk]), {"reason": "Oops"}, follow=True
        )
    assert fixed.can_be_cancelled() in response.content.decode()
    assert status_of(fixed) != Meeting.Status.CANCELLED
    assert mailoutbox == []


def test_the_workspace_refuses_to_move_it(client_for, secretary, fixed, mailoutbox):
    response = client_for(secretary).post(
        reverse("meetings:meeting_move", args=[fixed.pk]),
        {"date": "2010-01-25", "start_time": "10:30", "venue": fixed.venue_id, "reason": "x"},
        follow=True,
    )
    assert fixed.can_be_moved() in response.content.decode()
    fixed.refresh_from_db()
    assert fixed.date == datetime.date(2010, 1, 18)
    assert mailoutbox == []


def test_editing_its_status_to_cancelled_is_refused_at_the_status(client_for, secretary, fixed):
    response = client_for(secretary).post(
        reverse("meetings:meeting_edit", args=[fixed.pk]),
        {
            "date": "2010-01-18",
            "start_time": "10:30",
            "venue": fixed.venue_id,
            "status": "cancelled",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [fixed.can_be_cancelled()]
    assert status_of(fixed) != Meeting.Status.CANCELLED


def test_the_admin_refuses_to_cancel_it(client_for, secretary, fixed):
    response = save_admin_form(
        client_for(secretary), admin_url(fixed, "change"), status=Meeting.Status.CANCELLED
    )
    assert response.status_code == 200
    assert fixed.can_be_cancelled() in response.content.decode()
    assert status_of(fixed) != Meeting.Status.CANCELLED


def test_the_admin_refuses_to_move_a_held_meeting(client_for, secretary, scheduled, ian):
    meeting = scheduled(datetime.date(2010, 1, 18))
    services.attendance_record(meeting=meeting, statuses={ian: "present"})
    response = save_admin_form(
        client_for(secretary), admin_url(meeting, "change"), date="2010-01-25"
    )
    assert response.status_code == 200
    assert "This meeting has been held, so it cannot be moved." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2010, 1, 18)


def test_a_meeting_cannot_be_marked_held_before_its_day(client_for, secretary, scheduled):
    meeting = scheduled(days(10))
    response = client_for(secretary).post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {"date": days(10).isoformat(), "start_time": "10:30", "status": "held"},
    )
    assert response.context["form"].errors["status"] == [
        "A meeting can be marked held only on or after its date."
    ]
    assert status_of(meeting) == Meeting.Status.SCHEDULED


def test_attendance_recorded_in_the_admin_marks_a_past_meeting_held(
    client_for, secretary, scheduled, ian
):
    meeting = scheduled(days(-3))
    response = save_admin_form(
        client_for(secretary),
        admin_url(meeting, "change"),
        **inline_rows("attendances", [{"person": ian.pk, "status": "present"}]),
    )
    assert response.status_code == 302, response.context["errors"]
    assert status_of(meeting) == Meeting.Status.HELD
