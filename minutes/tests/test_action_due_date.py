"""An action falls due on or after the meeting that set it: one rule, one message."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from config.tests.admin_pages import admin_url, save_admin_form
from minutes.models import Action
from minutes.services import action_add, action_update
from minutes.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

TOO_EARLY = "The due date cannot be before the meeting (Monday 16 November 2009)."


@pytest.fixture
def action(committee):
    return ActionFactory(
        minutes__meeting__committee=committee, minutes__meeting__date=datetime.date(2009, 11, 16)
    )


def test_the_services_say_which_meeting_the_due_date_must_follow(action):
    owners = list(action.owners.all())
    with pytest.raises(ValidationError) as adding:
        action_add(
            agenda_item=action.agenda_item,
            text="Write it up",
            owners=owners,
            due_date=datetime.date(2009, 11, 1),
        )
    with pytest.raises(ValidationError) as updating:
        action_update(
            action=action,
            text=action.text,
            owners=owners,
            due_date=datetime.date(2009, 11, 1),
            status=action.status,
        )
    assert adding.value.message_dict == updating.value.message_dict == {"due_date": [TOO_EARLY]}


def test_the_model_refuses_it_with_the_same_words(action):
    action.due_date = datetime.date(2009, 11, 15)
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert refused.value.message_dict == {"due_date": [TOO_EARLY]}


def test_the_meeting_day_itself_is_allowed(action):
    action.due_date = datetime.date(2009, 11, 16)
    action.full_clean()


def test_the_admin_refuses_it_at_the_due_date(client_for, secretary, action):
    response = save_admin_form(
        client_for(secretary), admin_url(action, "change"), due_date="2009-11-01"
    )
    assert response.status_code == 200
    assert TOO_EARLY in response.text
    action.refresh_from_db()
    assert action.due_date is None
    assert Action.objects.count() == 1
