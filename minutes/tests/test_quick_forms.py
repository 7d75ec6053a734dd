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


def test_quick_widget_writes_what_django_writes_for_the_search_filters(member, committee):
    from members.tests.factories import CommitteeFactory, MembershipFactory
    from minutes.forms import SearchForm

    odd = CommitteeFactory(name='Audit & "Risk" <Panel>', slug="audit-risk")
    MembershipFactory(committee=odd, person=member.person)
    asked = [
        {},
        {"q": "council", "kind": "decision", "committee": "audit-risk", "date_to": "2010-01-18"},
        {"q": "council", "kind": "nonsense", "committee": "nobody", "date_from": "2009-13-01"},
    ]
    for data in asked:
        form = SearchForm(data or None, user=member)
        form.is_valid()
        for field in form:
            quick = Template("{% load quick_forms %}{% quick_widget field %}")
            rendered = quick.render(Context({"field": field}))
            assert parse_html(rendered) == parse_html(str(field)), (data, field.name)
        assert "Audit &amp; &quot;Risk&quot; &lt;Panel&gt;" in str(form["committee"])
