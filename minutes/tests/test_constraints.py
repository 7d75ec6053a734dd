"""The database keeps the minutes' own rules: one set per meeting, immutable versions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from minutes.models import Action, Minutes
from minutes.services import minutes_approve, minutes_publish
from minutes.tests.factories import (
    ActionFactory,
    DecisionFactory,
    MinutesFactory,
    published_version,
)

pytestmark = pytest.mark.django_db


def test_a_meeting_has_one_set_of_minutes():
    minutes = MinutesFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesFactory(meeting=minutes.meeting)


def test_approved_minutes_need_the_date_they_were_approved():
    minutes = MinutesFactory()
    minutes.status = Minutes.Status.APPROVED
    with pytest.raises(IntegrityError), transaction.atomic():
        minutes.save()


def test_a_closed_action_records_when_it_closed():
    action = ActionFactory()
    action.status = Action.Status.DONE
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()
    action.closed_on = timezone.localdate()
    action.save()
    assert Action.objects.open().count() == 0


def test_a_decision_must_belong_to_an_item_of_its_own_meeting():
    decision = DecisionFactory()
    decision.agenda_item = AgendaItemFactory(meeting=MeetingFactory())
    with pytest.raises(ValidationError) as error:
        decision.full_clean()
    assert "this meeting’s agenda" in str(error.value)


def test_an_action_cannot_be_due_before_its_meeting():
    action = ActionFactory()
    action.due_date = action.minutes.meeting.date.replace(year=action.minutes.meeting.date.year - 1)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "cannot be before the meeting" in str(error.value)


def test_a_published_version_cannot_be_changed_or_deleted(secretary):
    minutes = MinutesFactory()
    minutes_approve(minutes=minutes, by=secretary, on=minutes.meeting.date)
    minutes_publish(minutes=minutes, by=secretary)
    version = published_version(minutes)
    version.reason = "Quietly rewritten"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    version.refresh_from_db()
    assert version.reason == ""
