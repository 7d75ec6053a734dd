"""The parser on the ways minutes are written: dates, attendance, items, decisions and actions."""

import datetime

import pytest

from minutes.importing.dates import find_dates
from minutes.importing.parse import parse_minutes


@pytest.mark.parametrize(
    "written",
    ["Monday 9th December 2015", "2015-12-09", "9 December 2015", "Dec 9, 2015",
     "December 9th, 2015", "Wednesday, 9 Dec 2015", "09/12/2015"],
)  # fmt: skip
def test_a_meeting_date_is_read_however_it_is_written(written):
    parsed = parse_minutes(
        f"Minutes of the meeting held on {written}\n\nPresent: Ann Lee, Bob Roe\n"
    )
    assert parsed.date == datetime.date(2015, 12, 9)


def test_numeric_dates_are_read_month_first_when_the_document_writes_them_that_way():
    text = "Minutes of 12/7/2009 Board Meeting\n\n1. Minutes\n\nMinutes of 9/28/2009 approved.\n"
    assert parse_minutes(text).date == datetime.date(2009, 12, 7)


def test_a_date_without_a_year_resolves_to_the_first_matching_day_after_the_meeting():
    found = find_dates("Monday 18th January", reference=datetime.date(2009, 11, 16))
    assert found[0].date == datetime.date(2010, 1, 18)


PARISH = """\
Minutes of the Meeting of Little Upton Parish Council
held at the Village Hall on Tuesday 7 March 2023 at 7.30pm

Members present: Cllrs A Smith (Chairman), B Jones, C Patel and D O'Neill
In attendance: Mrs E Green (Clerk), 3 members of the public
Apologies: Cllr F White (work commitments), Cllr G Black (illness)
Absent: Cllr H Brown

A001/23 1. Declarations of interest
None.

A002/23 2. Minutes of the previous meeting
RESOLVED that the minutes of the meeting held on 7 February 2023 be signed as a true record.

A003/23 3. Playground
The Clerk reported on the inspection. It was RESOLVED to accept the quote of £450.
Action: Clerk to order the repairs by 31 March 2023.

A004/23 4. Date of next meeting
Tuesday 4 April 2023 at 7.30pm.
"""


def test_a_parish_council_comes_out_with_members_officers_apologies_and_absentees():
    parsed = parse_minutes(PARISH).as_json()
    assert parsed["date"] == "2023-03-07"
    assert [(p["name"], p["role"]) for p in parsed["present"]] == [
        ("A Smith", "Chairman"), ("B Jones", ""), ("C Patel", ""), ("D O'Neill", "")
    ]  # fmt: skip
    assert [(p["name"], p["role"]) for p in parsed["in_attendance"]] == [("E Green", "Clerk")]
    assert [p["name"] for p in parsed["apologies"]] == ["F White", "G Black"]
    assert [p["name"] for p in parsed["absent"]] == ["H Brown"]


def test_parish_minute_references_resolutions_and_the_clerks_action():
    parsed = parse_minutes(PARISH)
    items = parsed.as_json()["items"]
    assert [(i["number"], i["title"]) for i in items] == [
        ("A001/23 1", "Declarations of interest"),
        ("A002/23 2", "Minutes of the previous meeting"),
        ("A003/23 3", "Playground"),
        ("A004/23 4", "Date of next meeting"),
    ]
    assert items[1]["decisions"] == [
        "RESOLVED that the minutes of the meeting held on 7 February 2023 be signed as a true"
        " record."
    ]
    assert items[2]["decisions"] == ["It was RESOLVED to accept the quote of £450."]
    assert items[2]["text"] == "The Clerk reported on the inspection.\n"
    assert items[2]["actions"] == [
        {"owners": ["Clerk"], "text": "Clerk to order the repairs by 31 March 2023.",
         "due": "2023-03-31", "reference": ""}
    ]  # fmt: skip
    assert parsed.next_meeting == datetime.date(2023, 4, 4)
    assert parsed.venue == "Village Hall"
    assert parsed.start_time == datetime.time(19, 30)


WORKING_GROUP = """\
# Data working group notes, 2015-12-09

Attendees: Michael Stone, Priya Shah, Tom Green
Regrets: Ana Lopez

## Schema review

- Priya walked through the draft schema.
  - Field names agreed.
- ACTION ITEM: Michael will circulate the revised schema next week.

## Releases

| Ref | Action | Owner | Due |
|---|---|---|---|
| ACT-2015-12 | Tag the release | TG & PS | Dec 16, 2015 |

ACT-2015-13: Priya: update the changelog, by December 18

## Next meeting

Next week, same time.
"""


def test_working_group_notes_give_regrets_headings_and_actions_with_due_dates():
    parsed = parse_minutes(WORKING_GROUP)
    data = parsed.as_json()
    assert data["date"] == "2015-12-09"
    assert [p["name"] for p in data["present"]] == ["Michael Stone", "Priya Shah", "Tom Green"]
    assert [p["name"] for p in data["apologies"]] == ["Ana Lopez"]
    assert [i["title"] for i in data["items"]] == ["Schema review", "Releases", "Next meeting"]
    schema, releases, _ = data["items"]
    assert schema["actions"] == [
        {"owners": ["Michael"], "text": "Michael will circulate the revised schema next week.",
         "due": "2015-12-16", "reference": ""}
    ]  # fmt: skip
    assert "- Priya walked through the draft schema." in schema["text"]
    assert releases["actions"] == [
        {"owners": ["TG", "PS"], "text": "Tag the release", "due": "2015-12-16",
         "reference": "ACT-2015-12"},
        {"owners": ["Priya"], "text": "Priya: update the changelog, by December 18",
         "due": "2015-12-18", "reference": "ACT-2015-13"},
    ]  # fmt: skip
    assert data["next_meeting"] == "2015-12-16"


def test_an_action_guessed_from_a_sentence_says_it_was_guessed():
    text = (
        "Board meeting, 3 May 2024\n\nDirectors Present: Ann Lee, Bob Roe\n\n"
        "Budget\n\nThe budget was discussed. Ann will send the figures to the treasurer.\n"
    )
    action = parse_minutes(text).items[0].actions[0]
    assert action.owners == ["Ann"]
    assert action.confidence < 1


def test_an_action_marker_with_several_owners_and_a_reference():
    text = (
        "Meeting 1 June 2016\n\nPresent: Tom Green, Bea Moss\n\n2.10 Wiki\n\n"
        "Update the wiki pages. Action: TG & BM\n"
    )
    (action,) = parse_minutes(text).items[0].actions
    assert action.owners == ["TG", "BM"]
    assert action.text == "Update the wiki pages."


def test_a_document_with_nothing_recognisable_says_so():
    parsed = parse_minutes("just some words\nand more words\n")
    assert "No meeting date found." in parsed.warnings
    assert "No attendance recognised." in parsed.warnings


def test_the_dry_run_json_has_exactly_the_documented_keys():
    data = parse_minutes(PARISH).as_json()
    assert list(data) == [
        "date", "present", "in_attendance", "apologies", "absent", "items", "next_meeting",
        "warnings",
    ]  # fmt: skip
    assert list(data["present"][0]) == ["name", "organisation", "role"]
    assert list(data["items"][0]) == ["number", "title", "text", "decisions", "actions"]
    assert list(data["items"][2]["actions"][0]) == ["owners", "text", "due", "reference"]


STEERING = """\
# Minutes of the Project Steering Committee on the 26th of January 2016

## Attendance

Were physically present:
- Ann Lee (AL): University of Warwick
- Bob Roe (BR): Coordinator

Were able to participate remotely via conference call:
- Cy Day (CD): Simula Research Laboratory

## Data management plan

- CD: the first version is short.

  AL: I'll send the template to all partners.

The budget will be checked by BR before the review.

TODO: copy the recommendations to the README.
"""


def test_steering_committee_participants_keep_initials_organisation_and_role():
    present = parse_minutes(STEERING).people["present"]
    assert [(p.name, p.initials, p.organisation, p.role) for p in present] == [
        ("Ann Lee", "AL", "University of Warwick", ""),
        ("Bob Roe", "BR", "", "Coordinator"),
        ("Cy Day", "CD", "Simula Research Laboratory", ""),
    ]


def test_a_speakers_promise_a_passive_task_and_a_todo_are_actions():
    (item,) = parse_minutes(STEERING).items
    assert [(a.owners, a.text[:20]) for a in item.actions] == [
        (["AL"], "AL: I'll send the te"),
        (["BR"], "The budget will be c"),
        ([], "copy the recommendat"),
    ]


def test_a_key_to_initials_under_no_heading_lists_those_present():
    text = (
        "Minutes of the study group, 13 December 2019\n\nNH - Neil Horlock\n"
        "JC - JC Van Winkel (chair)\nKG - Kate Gregory\n\nNotetaker: Neil Horlock\n\n"
        "Summary of Belfast:\nACTION: KG will populate the tracker.\n"
    )
    parsed = parse_minutes(text)
    assert [(p.name, p.initials) for p in parsed.people["present"]] == [
        ("Neil Horlock", "NH"), ("JC Van Winkel", "JC"), ("Kate Gregory", "KG"),
    ]  # fmt: skip
    assert parsed.items[0].actions[0].owners == ["KG"]


def test_a_bulleted_attendance_list_ends_at_the_first_heading_without_a_bullet():
    text = (
        "A meeting of the board was held on April 7th, 2016.\nAttendance\n- Frank Wiles\n"
        "- Karen Tracey\nApologies\n- James Bennett\nOld Business\nTravel Grants\n"
        "Requested $5000. Approved by the board.\nNew Business\nBanking\nAlternative banks.\n"
    )
    parsed = parse_minutes(text)
    assert [p.name for p in parsed.people["apologies"]] == ["James Bennett"]
    assert [i.title for i in parsed.items] == [
        "Old Business", "Travel Grants", "New Business", "Banking",
    ]  # fmt: skip


def test_headings_that_lost_their_numbers_on_a_web_page_are_still_items():
    text = (
        "Parish Council meeting on Thursday 8th April 2021\n- MEMBERS PRESENT\n"
        "Mr G. Hall (Chairman), Mr. M. Lake, Mrs P. Colthorpe (District Councillor)\n"
        "- APOLOGIES FOR ABSENCE\nMr G. Kingdom (Work commitments), Mrs A. Clements (Unwell)\n"
        "- MINUTES OF PREVIOUS MEETING\nThe minutes were agreed.\n7. DALC subscription\n"
        "Payment agreed.\n- Risk Assessment\nThe risk assessment was discussed.\n"
    )
    parsed = parse_minutes(text)
    assert [p.name for p in parsed.people["present"]] == ["G. Hall", "M. Lake", "P. Colthorpe"]
    assert [p.name for p in parsed.people["apologies"]] == ["G. Kingdom", "A. Clements"]
    assert [i.title for i in parsed.items] == [
        "MINUTES OF PREVIOUS MEETING", "DALC subscription", "Risk Assessment",
    ]  # fmt: skip


def test_a_matter_and_its_outcome_on_one_line_is_an_item_with_its_decision():
    data = parse_minutes(
        "Minutes of the meeting held on 13 December 2019\n\n"
        "Present: Ann Lee, Bob Roe\n\n"
        "Adoption of the agenda: agreed.\n\n"
        "Unanimous consent on the minutes of the last meeting.\n\n"
        "Budget review\n"
        "The treasurer presented the accounts.\n"
    ).as_json()
    assert [i["title"] for i in data["items"]] == ["Adoption of the agenda", "Budget review"]
    assert data["items"][0]["decisions"] == [
        "Adoption of the agenda: agreed.",
        "Unanimous consent on the minutes of the last meeting.",
    ]
    assert data["items"][1]["decisions"] == []
