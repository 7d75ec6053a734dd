"""The reference minutes come out of the parser exactly as the demo records them."""

import datetime

from minutes import demo
from minutes.importing.parse import parse_minutes
from minutes.tests.reference import SEED


def draft():
    return parse_minutes(SEED.read_text(encoding="utf-8"))


def test_the_reference_date_venue_and_next_meeting_are_recovered():
    parsed = draft()
    assert parsed.date == demo.MEETING_DATE
    assert parsed.next_meeting == demo.MEETING_DATES_2010[0]
    assert parsed.future_meetings == demo.MEETING_DATES_2010
    assert "SIEMENS" in parsed.venue.upper() and "OLD BAILEY" in parsed.venue.upper()


def test_everyone_present_and_sending_apologies_comes_out_with_their_organisation():
    people = draft().as_json()
    assert [(p["name"], p["organisation"]) for p in people["present"]] == [
        (f"{given} {family}", organisation)
        for given, family, _, _, organisation in demo.IN_ATTENDANCE
    ]
    assert [(p["name"], p["organisation"]) for p in people["apologies"]] == [
        (f"{given} {family}", organisation) for given, family, _, _, organisation in demo.APOLOGIES
    ]
    assert people["in_attendance"] == [] and people["absent"] == []


def test_every_item_comes_out_with_its_text_decisions_and_actions():
    items = draft().as_json()["items"]
    assert [
        (i["number"], i["title"], i["text"], i["decisions"],
         [(a["text"], a["owners"][0]) for a in i["actions"]])
        for i in items
    ] == [
        (number, title, text, decisions, actions)
        for number, title, _, text, decisions, actions in demo.ITEMS
    ]  # fmt: skip


def test_the_reference_needs_no_warnings_and_nothing_is_guessed():
    parsed = draft()
    assert parsed.warnings == []
    assert parsed.date_confidence == 1.0
    action = parsed.items[-1].actions[0]
    assert action.confidence == 1.0
    # The action is the sentence above "Action: SH", and both lines are its span.
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert lines[action.span.start - 1].startswith("Glyn asked Suzanne")
    assert lines[action.span.end - 1].strip() == "Action:  SH"


def test_each_item_keeps_the_lines_it_came_from():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    parsed = draft()
    for item in parsed.items:
        assert item.title.split()[0] in " ".join(lines[item.span.start - 1 : item.span.start + 1])
    assert lines[parsed.date_span.start - 1].startswith(" MINUTES OF SOCITM FUTURES")
    assert datetime.date(2009, 11, 16) == parsed.date
