"""The workflow page and its confirmed steps: approve, return to draft, publish, correct."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.tests.tasks import run_tasks
from meetings.models import AgendaItem
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from minutes.models import Minutes, MinutesEvent, MinutesVersion
from minutes.tests.factories import ItemMinuteFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee, date=datetime.date(2009, 11, 16))


@pytest.fixture
def minutes(meeting):
    return ItemMinuteFactory(minutes__meeting=meeting, text="Glyn enquired.").minutes


@pytest.fixture
def next_meeting(meeting):
    """The later meeting whose "minutes of the last meeting" item agreed them."""
    later = MeetingFactory(committee=meeting.committee, date=datetime.date(2010, 1, 18))
    AgendaItemFactory(
        meeting=later, kind=AgendaItem.Kind.PREVIOUS_MINUTES, previous_meeting=meeting
    )
    return later


def workflow_url(meeting):
    return reverse("minutes:workflow", args=[meeting.pk])


def step_url(meeting, step):
    return reverse("minutes:workflow_step", args=[meeting.pk, step])


def fresh(minutes):
    return Minutes.objects.get(pk=minutes.pk)


def test_the_workflow_page_shows_the_status_the_steps_and_the_preview_links(
    client_for, secretary, meeting, minutes
):
    response = client_for(secretary).get(workflow_url(meeting))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Draft</strong>" in page
    assert step_url(meeting, "approve") in page
    assert step_url(meeting, "circulate") in page
    assert step_url(meeting, "publish") not in page  # needs approval first
    assert reverse("minutes:draft_pdf", args=[meeting.committee.slug, meeting.date]) in page
    assert reverse("minutes:draft", args=[meeting.committee.slug, meeting.date]) in page
    assert page.count("<h1") == 1


def test_the_approve_step_preselects_the_meeting_that_agreed_the_minutes(
    client_for, secretary, meeting, minutes, next_meeting
):
    MeetingFactory(committee=meeting.committee, date=datetime.date(2010, 3, 15))

    response = client_for(secretary).get(step_url(meeting, "approve"))

    assert response.status_code == 200
    assert f'<option value="{next_meeting.pk}" selected>Monday 18 January 2010</option>' in (
        response.content.decode()
    )


def test_approve_then_publish_then_correct_keeps_version_one_unchanged(
    client_for, secretary, meeting, minutes, next_meeting
):
    client = client_for(secretary)

    response = client.post(step_url(meeting, "approve"), {"at_meeting": next_meeting.pk})
    assert response.status_code == 302
    assert response.url == workflow_url(meeting)
    assert fresh(minutes).status == Minutes.Status.APPROVED
    assert fresh(minutes).approved_at_meeting == next_meeting

    client.post(step_url(meeting, "publish"))
    assert "Publishing…" in client.get(workflow_url(meeting)).content.decode()
    assert not MinutesVersion.objects.filter(minutes=minutes).exists()
    run_tasks()
    first = MinutesVersion.objects.get(minutes=minutes)
    first_pdf = first.pdf.open("rb").read()
    assert fresh(minutes).status == Minutes.Status.PUBLISHED

    client.post(step_url(meeting, "start-correction"))
    assert fresh(minutes).status == Minutes.Status.CORRECTING

    response = client.post(
        step_url(meeting, "publish-correction"), {"reason": "Item 1: a name was misspelt."}
    )
    assert response.status_code == 302
    run_tasks()
    second = MinutesVersion.objects.get(minutes=minutes, number=2)
    assert second.reason == "Item 1: a name was misspelt."
    assert MinutesVersion.objects.get(pk=first.pk).pdf.open("rb").read() == first_pdf

    page = client.get(workflow_url(meeting)).content.decode()
    for version in (first, second):
        assert (
            reverse(
                "minutes:version_pdf", args=[meeting.committee.slug, meeting.date, version.number]
            )
            in page
        )
    assert "Correction published" in page
    assert "Item 1: a name was misspelt." in page


def test_approval_can_be_recorded_by_date(client_for, secretary, meeting, minutes):
    client_for(secretary).post(step_url(meeting, "approve"), {"on": "2009-12-01"})

    assert fresh(minutes).approved_on == datetime.date(2009, 12, 1)
    assert MinutesEvent.objects.get(minutes=minutes).by == secretary


def test_an_approval_date_before_the_meeting_is_refused_at_the_field(
    client_for, secretary, meeting, minutes
):
    response = client_for(secretary).post(step_url(meeting, "approve"), {"on": "2009-11-15"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Minutes cannot be approved before the meeting took place." in page
    assert 'value="2009-11-15"' in page
    assert 'aria-invalid="true"' in page
    assert fresh(minutes).status == Minutes.Status.DRAFT


def test_an_approval_date_in_the_future_is_refused_at_the_field(
    client_for, secretary, meeting, minutes
):
    tomorrow = timezone.localdate() + DAY

    response = client_for(secretary).post(
        step_url(meeting, "approve"), {"on": tomorrow.isoformat()}
    )

    assert "Approval cannot be recorded for a date in the future." in response.content.decode()
    assert fresh(minutes).approved_on is None


def test_approval_at_a_meeting_that_has_not_happened_yet_is_refused(
    client_for, secretary, meeting, minutes
):
    future = MeetingFactory(committee=meeting.committee, date=timezone.localdate() + 30 * DAY)

    response = client_for(secretary).post(step_url(meeting, "approve"), {"at_meeting": future.pk})

    assert "Approval cannot be recorded for a date in the future." in response.content.decode()
    assert fresh(minutes).approved_on is None


def test_approval_needs_a_meeting_or_a_date(client_for, secretary, meeting, minutes):
    response = client_for(secretary).post(step_url(meeting, "approve"), {})

    assert "Choose the meeting that approved them, or give a date." in response.content.decode()


def test_approved_minutes_can_return_to_draft_with_a_note(client_for, secretary, meeting, minutes):
    client = client_for(secretary)
    client.post(step_url(meeting, "approve"), {"on": "2009-12-01"})

    client.post(step_url(meeting, "return-to-draft"), {"note": "Item 3 needs a fix."})

    assert fresh(minutes).status == Minutes.Status.DRAFT
    assert minutes.events.get(kind=MinutesEvent.Kind.RETURNED_TO_DRAFT).note == (
        "Item 3 needs a fix."
    )


def test_a_correction_needs_a_reason(client_for, secretary, meeting, minutes):
    Minutes.objects.filter(pk=minutes.pk).update(status=Minutes.Status.CORRECTING)

    response = client_for(secretary).post(step_url(meeting, "publish-correction"), {"reason": " "})

    assert response.status_code == 200
    assert "Say why the minutes are being corrected." in response.content.decode()
    assert not minutes.versions.exists()


def test_a_refused_step_is_shown_on_the_page_not_as_an_error(
    client_for, secretary, meeting, minutes
):
    response = client_for(secretary).post(step_url(meeting, "publish"))

    assert response.status_code == 200
    assert "Minutes must be approved before they are published." in response.content.decode()
    assert not minutes.versions.exists()


def test_a_refused_step_on_a_meeting_with_nothing_minuted_starts_no_minutes(
    client_for, secretary, meeting
):
    response = client_for(secretary).post(step_url(meeting, "publish"))

    assert "Minutes must be approved before they are published." in response.content.decode()
    assert not Minutes.objects.filter(meeting=meeting).exists()


def test_a_step_taken_on_a_meeting_with_nothing_minuted_starts_its_minutes(
    client_for, secretary, meeting
):
    client_for(secretary).post(step_url(meeting, "approve"), {"on": "2009-12-01"})

    assert Minutes.objects.get(meeting=meeting).approved_on == datetime.date(2009, 12, 1)


def test_a_step_not_possible_now_sends_the_user_back_to_the_workflow(
    client_for, secretary, meeting, minutes
):
    response = client_for(secretary).get(step_url(meeting, "start-correction"))

    assert response.status_code == 302
    assert response.url == workflow_url(meeting)


def test_an_unknown_step_is_not_found(client_for, secretary, meeting, minutes):
    assert client_for(secretary).get(step_url(meeting, "shred")).status_code == 404


@pytest.mark.parametrize("user", [None, "member", "outsider"])
@pytest.mark.parametrize("step", [None, "approve", "publish", "circulate"])
def test_only_the_secretariat_can_reach_the_workflow(
    client_for, request, meeting, minutes, user, step
):
    url = step_url(meeting, step) if step else workflow_url(meeting)
    client = client_for(request.getfixturevalue(user) if user else None)

    assert client.get(url).status_code == (302 if user is None else 403)
    if step:
        assert client.post(url, {"on": "2009-12-01"}).status_code == (302 if user is None else 403)
    assert fresh(minutes).status == Minutes.Status.DRAFT


def test_the_workflow_page_refuses_post_and_steps_refuse_put(client_for, secretary, meeting):
    client = client_for(secretary)

    assert client.post(workflow_url(meeting)).status_code == 405
    assert client.put(step_url(meeting, "approve")).status_code == 405
