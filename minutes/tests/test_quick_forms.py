"""``{% quick_form %}`` writes the take-minutes and close-action forms as crispy-forms would:
same fields, labels, help text and errors tied to their fields, valid or not."""

import datetime

import pytest
from django.template import Context, Template
from django.test.html import parse_html

from meetings.tests.factories import MeetingFactory
from minutes.forms import ActionForm, CloseActionForm, DecisionForm, MinuteForm

pytestmark = pytest.mark.django_db

CRISPY = Template("{% load crispy_forms_tags %}{% crispy form %}")
QUICK = Template("{% load quick_forms %}{% quick_form form %}")


def forms(meeting):
    action = {"text": "Write <to> them", "owners": "SH", "status": "open", "reference": '1.2 "<&>'}
    return [
        MinuteForm(
            prefix="minute-1",
            item_label="item 1",
            generates=True,
            initial={"text": "a < b & c", "shows_generated": True, "revision": 3},
        ),
        MinuteForm({"m-text": "x", "m-revision": "z"}, prefix="m", item_label="item 2"),
        MinuteForm({"m-text": "x", "m-revision": "1"}, prefix="m", generates=True),
        DecisionForm(prefix="new-decision-1", label="New decision"),
        DecisionForm({"d-text": ""}, prefix="d"),
        ActionForm(prefix="action-9", meeting=meeting, initial=action),
        ActionForm(prefix="n", meeting=meeting, with_status=False),
        ActionForm(
            {"n-text": "", "n-owners": "QQQ", "n-due_date": "bad", "n-status": "zz"},
            prefix="n",
            meeting=meeting,
        ),
        CloseActionForm(prefix="close-1"),
        CloseActionForm({"c-status": "done", "c-note": "x" * 5000}, prefix="c"),
    ]


def test_quick_form_writes_what_crispy_forms_writes(committee):
    meeting = MeetingFactory(committee=committee, date=datetime.date(2009, 11, 16))
    for form in forms(meeting):
        if form.is_bound:
            form.is_valid()
        context = Context({"form": form})
        assert parse_html(QUICK.render(context)) == parse_html(CRISPY.render(context)), form
