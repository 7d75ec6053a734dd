"""The secretariat's workspace in a real browser: the reference meeting recorded end to end,
every page of the workspace checked with axe, and the attendance and minutes pages on a phone."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Attendance, Meeting, Venue
from meetings.services import agenda_start_from_template
from members.models import Committee, Membership, Organisation, Person
from minutes.demo import ITEM_2_TEXT, MEETING_DATE
from minutes.models import ItemMinute
from minutes.services import item_minute_save

pytestmark = [
    pytest.mark.browser,
    # Bootstrap's buttons fade between colours; axe measuring a button mid-fade, just after a
    # click, reports a contrast nobody sees. Bootstrap drops the fade for reduced motion.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
]

STRATEGY = "Update on Strategy for Policy and Policy Briefings (Digital Britain and OEP)"
LCIOC = "Update from Local CIO Council Meetings in September and October"
DATES_2010 = "Suggested Meeting dates for 2010"
THANKS = (
    "Glyn asked Suzanne to draft a letter of thanks to Jim Haslem for his work as Vice Chair "
    "of Socitm Futures."
)
PRESENT = ["Caron Alexander", "Mark Brett", "Ian Cooper", "Glyn Evans", "Suzanne Horner"]
APOLOGIES = ["Stephen Fellowes", "Dylan Roberts"]
# Besides the two demo logins' addresses (Suzanne Horner's and Ian Cooper's).
MEMBER_EMAILS = {"GE": "glyn.evans@example.org", "MF": "martin.ferguson@example.org"}


def _committee_like_socitm_futures() -> Committee:
    """A fresh committee with the demo's members, meeting at Siemens: the admin's work."""
    committee = Committee.objects.create(
        name="Socitm Futures (test)",
        slug="socitm-futures-test",
        parent_body="Socitm",
        default_venue=Venue.objects.get(name="Siemens"),
        minutes_visibility=Committee.Visibility.MEMBERS,
    )
    for person in Person.objects.filter(memberships__committee__slug="socitm-futures"):
        Membership.objects.create(person=person, committee=committee)
    for initials, email in MEMBER_EMAILS.items():
        Person.objects.filter(initials=initials).update(email=email)
    return committee


def _item(page, title):
    """An agenda item's section on the take-minutes page, by its title (after the number)."""
    return page.get_by_role("region", name=re.compile(rf"^\d+\. {re.escape(title)}$"))


def _field(scope, label):
    """The field labelled ``label``; crispy-forms marks a required one's label with "*"."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def _error_at(scope, label, message):
    """The field labelled ``label`` is described by ``message`` (its error)."""
    expect(_field(scope, label)).to_have_accessible_description(re.compile(re.escape(message)))


def _attendance_of(page, name):
    return page.get_by_role("group", name=f"Attendance of {name}")


def _open_tab(page, name):
    """Open a tab of the meeting's workspace, and wait for its scripts.

    A click on a link does not wait for the next page to load: a radio button
    clicked before htmx has started would save nothing, as a person's would not.
    """
    page.get_by_role("navigation", name="This meeting").get_by_role("link", name=name).click()
    expect(
        page.get_by_role("navigation", name="This meeting").get_by_role("link", name=name)
    ).to_have_attribute("aria-current", "page")
    page.wait_for_load_state("load")


def test_a_secretary_records_the_reference_meeting_and_a_member_reads_and_downloads_it(
    page, new_context, demo_site, login, mailoutbox, run_tasks, axe_check
):
    committee = _committee_like_socitm_futures()
    login(page, "secretary")

    # Schedule the meeting: the committee's usual venue is chosen to start with.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Workspace").click()
    page.get_by_role("link", name="Socitm Futures (test)").click()
    page.get_by_role("link", name="Schedule a meeting", exact=True).click()
    expect(page.get_by_label("Venue")).to_have_value(str(committee.default_venue_id))
    page.get_by_label("Date").fill("2009-11-16")
    page.get_by_label("Start time").fill("10:30")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("status")).to_have_text(
        "Scheduled the meeting on Monday 16 November 2009. "
        "Its agenda starts from the standard items."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Socitm Futures (test): Monday 16 November 2009"
    )
    meeting = Meeting.objects.get(committee=committee, date=MEETING_DATE)

    # The agenda: the standard items, the reference's own, one moved, one renamed; published.
    page.get_by_role("link", name="Prepare the agenda").click()
    items = page.get_by_role("table").get_by_role("rowheader")
    expect(items).to_contain_text(
        [
            "Apologies",
            "Minutes of the last meeting",
            "Matters arising",
            "Any other business",
            "Dates of future meetings",
        ]
    )
    for title in (LCIOC, STRATEGY):
        page.get_by_role("link", name="Add an item", exact=True).click()
        page.get_by_label("Title").fill(title)
        page.get_by_role("button", name="Add the item").click()
        expect(page.get_by_role("status")).to_contain_text(f": {title}.")
    page.get_by_role("button", name=re.compile("^Up ?: move item 5 up$")).click()
    expect(page.get_by_role("status")).to_have_text(f"Moved “{STRATEGY}” up: it is now item 4.")
    page.get_by_role("link", name="Edit item 7").click()
    page.get_by_label("Title").fill(DATES_2010)
    page.get_by_role("button", name="Save the item").click()
    expect(items).to_contain_text(
        [
            "Apologies",
            "Minutes of the last meeting",
            "Matters arising",
            STRATEGY,
            LCIOC,
            "Any other business",
            DATES_2010,
        ]
    )
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("Published the agenda")

    # Attendance: each mark saves as it is clicked, so saving the sheet afterwards changes nothing.
    _open_tab(page, "Attendance")
    for names, mark in ((PRESENT, "Present"), (APOLOGIES, "Apologies")):
        for name in names:
            _attendance_of(page, name).get_by_label(mark).check()
            expect(page.locator("tr", has=_attendance_of(page, name))).to_contain_text("Saved")
    page.get_by_role("button", name="Save attendance").click()
    expect(
        page.get_by_text("Attendance is up to date: every mark was already saved.")
    ).to_be_visible()
    for name in PRESENT:
        expect(_attendance_of(page, name).get_by_label("Present")).to_be_checked()
    for name in APOLOGIES:
        expect(_attendance_of(page, name).get_by_label("Apologies")).to_be_checked()
    expect(
        _attendance_of(page, "Martin Ferguson").get_by_role("radio", checked=True)
    ).to_have_count(0)

    # A guest from a new organisation, added without leaving the page.
    page.evaluate("window.stillTheSamePage = true")
    guest = page.get_by_role("region", name="Add a guest")
    guest.get_by_label("Given name").fill("Paul")
    guest.get_by_label("Family name").fill("Davidson")
    guest.get_by_label("Initials").fill("pd")
    guest.get_by_label("Or a new organisation").fill("Sandwell MBC")
    guest.get_by_label("Role").fill("Guest presenter")
    guest.get_by_role("button", name="Add the guest").click()
    added = "Added Paul Davidson as a guest, present."
    expect(page.locator("#attendance-section").get_by_text(added)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=added)).to_have_count(1)
    guest_row = page.locator("tr", has=_attendance_of(page, "Paul Davidson"))
    expect(guest_row).to_contain_text("Guest: Guest presenter")
    expect(guest_row).to_contain_text("Sandwell MBC")
    expect(_attendance_of(page, "Paul Davidson").get_by_label("Present")).to_be_checked()
    assert page.evaluate("window.stillTheSamePage") is True
    assert Organisation.objects.filter(name="Sandwell MBC").exists()
    assert dict(meeting.attendances.values_list("person__initials", "status")) == {
        **dict.fromkeys(["CA", "MB", "IC", "GE", "SH", "PD"], Attendance.Status.PRESENT),
        **dict.fromkeys(["SF", "DR"], Attendance.Status.APOLOGIES),
    }

    # The minutes: an item's text with bullet points, previewed, then saved.
    _open_tab(page, "Minutes")
    lcioc = _item(page, LCIOC)
    lcioc.get_by_label("Minute of item 5").fill(ITEM_2_TEXT)
    lcioc.get_by_role("button", name="Preview the minute of item 5").click()
    preview = lcioc.get_by_role("region", name=re.compile("^Preview"))
    expect(preview.get_by_role("listitem")).to_have_count(5)
    expect(preview.get_by_role("listitem").first).to_contain_text("Support for PSN was slow")
    lcioc.get_by_role("button", name="Save the minute of item 5").click()
    expect(lcioc.get_by_text("Minute of item 5 saved.")).to_be_visible()
    saved = ItemMinute.objects.get(agenda_item__meeting=meeting, agenda_item__number="5")
    assert saved.text == ITEM_2_TEXT.strip()

    # A decision.
    dates = _item(page, DATES_2010)
    dates.get_by_text("Add a decision").click()
    dates.get_by_label("New decision").fill("Proposed meeting dates were agreed.")
    dates.get_by_role("button", name="Add decision to item 7").click()
    expect(dates.get_by_text("Decision added to item 7.")).to_be_visible()
    expect(dates.get_by_role("textbox", name=re.compile(r"^Decision\b"))).to_have_value(
        "Proposed meeting dates were agreed."
    )

    # An action: unknown initials and a date before the meeting are refused at their fields,
    # the text kept; then corrected.
    aob = _item(page, "Any other business")
    aob.get_by_text("Add an action").click()
    new_action = aob.get_by_role("group", name="New action")
    new_action.get_by_label("Action").fill(THANKS)
    new_action.get_by_label("Owners").fill("ZZ")
    new_action.get_by_label("Due by").fill("2009-11-01")
    new_action.get_by_role("button", name="Add action to item 6").click()
    _error_at(new_action, "Owners", "No one has the initials or name “ZZ”.")
    _error_at(
        new_action, "Due by", "The due date cannot be before the meeting (Monday 16 November 2009)."
    )
    expect(new_action.get_by_label("Action")).to_have_value(THANKS)
    expect(new_action.get_by_label("Owners")).to_have_value("ZZ")
    new_action.get_by_label("Owners").fill("SH")
    new_action.get_by_label("Due by").fill("2010-01-18")
    new_action.get_by_role("button", name="Add action to item 6").click()
    expect(aob.get_by_text("Action added to item 6.")).to_be_visible()
    action_1 = aob.get_by_role("group", name="Action 1")
    expect(action_1.get_by_label("Owners")).to_have_value("SH")
    expect(action_1.get_by_role("textbox", name=re.compile(r"^Action\b"))).to_have_value(THANKS)

    # Approve (by date: no later meeting is in the diary), then publish; each step confirmed.
    _open_tab(page, "Approve & publish")
    page.get_by_role("link", name="Record approval…").click()
    page.get_by_label("On a date, nothing more to say").check()
    page.get_by_label("Approved on").fill("2010-01-18")
    page.get_by_role("button", name="Record approval").click()
    expect(page.get_by_role("status")).to_have_text(
        "The minutes are recorded as approved. They can now be published."
    )
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Publish: minutes of Monday 16 November 2009"
    )
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        "The minutes are being published: members can read them as soon as the version "
        "appears below, in a moment."
    )
    expect(page.get_by_text("Publishing…")).to_be_visible()
    run_tasks()  # the worker renders the PDF and commits the version
    page.reload()
    expect(page.get_by_text("Publishing…")).to_have_count(0)

    # The published page, as members will see it.
    page.get_by_role("link", name="read version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Minutes of the meeting held on Monday 16 November 2009"
    )
    expect(page.locator("article")).to_contain_text("Paul Davidson")
    page.go_back()

    # Circulate: one email a member with an address, each with the PDF, sent by the worker.
    page.get_by_role("link", name="Circulate by email…").click()
    expect(page.get_by_role("heading", name="To be emailed to 4 members")).to_be_visible()
    page.get_by_role("button", name="Circulate by email").click()
    expect(page.get_by_role("status")).to_contain_text("The minutes are being emailed to 4 members")
    expect(page.get_by_text("Email: being prepared.")).to_be_visible()
    assert mailoutbox == []
    run_tasks()
    _open_tab(page, "Email")
    expect(page.get_by_role("table")).to_contain_text("Sent")
    expect(page.get_by_role("table")).not_to_contain_text("Queued")
    axe_check(page)
    addresses = sorted(address for message in mailoutbox for address in message.to)
    assert addresses == [
        "Glyn Evans <glyn.evans@example.org>",
        "Ian Cooper <member@example.org>",
        "Martin Ferguson <martin.ferguson@example.org>",
        "Suzanne Horner <secretary@example.org>",
    ]
    for message in mailoutbox:
        ((filename, content, mimetype),) = message.attachments
        assert (filename, mimetype) == (
            "socitm-futures-test-minutes-2009-11-16.pdf",
            "application/pdf",
        )
        assert content.startswith(b"%PDF")

    # A member finds the meeting from the committee's page, reads it and downloads the PDF.
    reader = new_context().new_page()
    login(reader, "member")
    reader.get_by_role("navigation", name="Main").get_by_role("link", name="Committees").click()
    reader.get_by_role("link", name="Socitm Futures (test)").click()
    reader.get_by_role("link", name="Monday 16 November 2009").click()
    minutes = reader.locator("article")
    expect(minutes.get_by_role("heading", name=LCIOC)).to_be_visible()
    expect(
        minutes.get_by_role("listitem").filter(has_text="Support for PSN was slow")
    ).to_be_visible()
    expect(minutes.get_by_text("Decision: Proposed meeting dates were agreed.")).to_be_visible()
    expect(minutes.get_by_text("Action: SH")).to_be_visible()
    with reader.expect_download() as download_info:
        reader.get_by_role("link", name=re.compile("^Download PDF")).click()
    download = download_info.value
    assert download.suggested_filename == "socitm-futures-test-minutes-2009-11-16.pdf"
    text = " ".join(
        " ".join(pdf_page.extract_text().split()) for pdf_page in PdfReader(download.path()).pages
    )
    assert LCIOC in text
    assert "Proposed meeting dates were agreed." in text
    assert "Action: SH" in text


# -- Every page of the workspace, with axe ----------------------------------------------------

NEXT_MEETING = datetime.date(2010, 1, 18)


def _demo_meeting(day: datetime.date) -> Meeting:
    return Meeting.objects.get(committee__slug="socitm-futures", date=day)


def _hub_url(meeting: Meeting) -> str:
    return f"/workspace/meetings/{meeting.pk}/"


def test_the_workspace_committee_and_scheduling_pages_have_no_wcag_violations(
    page, demo_site, login, axe_check
):
    login(page, "secretary")
    page.goto("/workspace/")
    expect(page.get_by_role("region", name="Committees")).to_contain_text("Socitm Futures")
    axe_check(page)
    page.get_by_role("link", name="Socitm Futures", exact=True).click()
    expect(page.get_by_role("region", name="Past meetings")).to_contain_text("16 November 2009")
    axe_check(page)

    page.get_by_role("link", name="Schedule a meeting", exact=True).click()
    expect(page.get_by_role("button", name="Schedule the meeting")).to_be_visible()
    axe_check(page)
    page.get_by_label("Date").fill("2010-01-18")
    page.get_by_label("Start time").fill("12:00")
    page.get_by_label("End time").fill("10:00")
    page.get_by_role("button", name="Schedule the meeting").click()
    _error_at(page, "Date", "Socitm Futures already has a meeting on Monday 18 January 2010.")
    _error_at(page, "End time", "The meeting must end after it starts.")
    axe_check(page)

    page.get_by_role("link", name="Socitm Futures", exact=True).click()
    page.get_by_role("link", name="Schedule a series of meetings").click()
    expect(page.get_by_role("button", name="Show the dates")).to_be_visible()
    axe_check(page)
    page.get_by_label("Number of meetings").fill("")
    page.get_by_role("button", name="Show the dates").click()
    _error_at(page, "Number of meetings", "Give a number of meetings or an end date.")
    axe_check(page)
    # The third Monday of every second month of 2010: the demo already has most of them.
    page.get_by_label("Year").fill("2010")
    page.get_by_label("Number of meetings").fill("6")
    page.get_by_role("button", name="Show the dates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a series of meetings")
    _error_at(page, "Meeting 1", "Socitm Futures already has a meeting on Monday 18 January 2010.")
    axe_check(page)


def test_a_meetings_hub_and_its_edit_move_and_cancel_pages_have_no_wcag_violations(
    page, demo_site, login, axe_check
):
    login(page, "secretary")
    page.goto(_hub_url(_demo_meeting(NEXT_MEETING)))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Socitm Futures: Monday 18 January 2010"
    )
    axe_check(page)

    page.get_by_role("link", name="Edit the details").click()
    page.get_by_label("Date").fill("2009-11-16")
    page.get_by_role("button", name="Save").click()
    _error_at(page, "Date", "Socitm Futures already has a meeting on Monday 16 November 2009.")
    axe_check(page)

    for change in ("Move the meeting", "Cancel the meeting"):
        page.get_by_role(
            "link", name=re.compile("^(Back without saving|Keep the meeting)$")
        ).click()
        page.get_by_role("link", name=change).click()
        expect(page.get_by_role("button", name=change)).to_be_visible()
        axe_check(page)
        page.get_by_role("button", name=change).click()
        _error_at(page, "Reason", "This field is required.")
        axe_check(page)


def test_the_agenda_pages_and_the_published_agenda_have_no_wcag_violations(
    page, new_context, demo_site, login, axe_check
):
    login(page, "secretary")
    page.goto(_hub_url(_demo_meeting(NEXT_MEETING)))
    page.get_by_role("link", name="Prepare the agenda").click()
    expect(page.get_by_text("This agenda has no items yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Start from the standard items").click()
    expect(page.get_by_role("status")).to_have_text("Started the agenda from the standard items.")
    axe_check(page)

    page.get_by_role("link", name="Add an item", exact=True).click()
    expect(page.get_by_role("button", name="Add the item")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Add the item").click()
    _error_at(page, "Title", "This field is required.")
    axe_check(page)
    _field(page, "Title").fill(STRATEGY)
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_role("status")).to_have_text(f"Added item 4: {STRATEGY}.")

    page.get_by_role("link", name="Edit item 2").click()
    expect(page.get_by_label("Kind of item")).to_have_value("previous-minutes")
    axe_check(page)
    page.get_by_role("link", name="Back without saving").click()
    page.get_by_role("link", name="Delete item 4").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Delete item 4: {STRATEGY}")
    axe_check(page)
    page.get_by_role("link", name="Keep it").click()
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("Published the agenda")
    axe_check(page)

    # An item with minutes under it cannot be deleted; the page says why.
    meeting = _demo_meeting(NEXT_MEETING)
    item_minute_save(
        agenda_item=meeting.agenda_items.get(number="1"),
        text="Apologies were received from Steve Palmer.",
        expected_revision=0,
        by=get_user_model().objects.get(username="secretary"),
    )
    page.goto(f"/workspace/meetings/{meeting.pk}/agenda/")
    page.get_by_role("link", name="Delete item 1").click()
    expect(page.get_by_role("note")).to_contain_text("so it cannot be deleted")
    axe_check(page)

    # Published minutes: their meeting's agenda is part of the record, shown but not changed.
    page.goto(f"/workspace/meetings/{_demo_meeting(MEETING_DATE).pk}/agenda/")
    expect(page.get_by_role("note")).to_contain_text("so the agenda is part of the record")
    expect(page.get_by_role("link", name="Delete item 1")).to_have_count(0)
    axe_check(page)

    # The published agenda, as a member reads it.
    reader = login(new_context().new_page(), "member")
    reader.goto("/committees/socitm-futures/2010-01-18/agenda/")
    expect(reader.get_by_role("main")).to_contain_text(STRATEGY)
    expect(reader.get_by_role("main")).to_contain_text("draft a letter of thanks to Jim Haslem")
    axe_check(reader)


def test_the_attendance_page_has_no_wcag_violations_with_or_without_guest_errors(
    page, demo_site, login, axe_check
):
    login(page, "secretary")
    # Published minutes: who attended is part of the record, shown but not changed.
    page.goto(f"/workspace/meetings/{_demo_meeting(MEETING_DATE).pk}/attendance/")
    present = _attendance_of(page, "Ian Cooper").get_by_label("Present")
    expect(present).to_be_checked()
    expect(present).to_be_disabled()
    expect(page.get_by_role("note")).to_contain_text("so who attended is part of the record")
    axe_check(page)

    page.goto(f"/workspace/meetings/{_demo_meeting(NEXT_MEETING).pk}/attendance/")
    _attendance_of(page, "Martin Greenwood").get_by_label("Absent").check()
    expect(page.locator("tr", has=_attendance_of(page, "Martin Greenwood"))).to_contain_text(
        "Saved"
    )
    axe_check(page)

    guest = page.get_by_role("region", name="Add a guest")
    # Members are marked in the list, so the guest form does not offer them.
    known = guest.get_by_label("Someone already in Minutebook")
    expect(known.locator("option", has_text="Ian Cooper")).to_have_count(0)
    known.select_option("No: a new person")
    guest.get_by_label("Given name").fill("")
    guest.get_by_label("Initials").fill("ic")
    guest.get_by_role("button", name="Add the guest").click()
    _error_at(guest, "Initials", "Ian Cooper already uses the initials IC: choose others.")
    _error_at(guest, "Given name", "Enter the guest’s given name.")
    axe_check(page)


def test_a_guest_added_by_mistake_is_removed_from_the_sheet_after_the_browser_asks(
    page, demo_site, login, axe_check
):
    login(page, "secretary")
    page.goto(f"/workspace/meetings/{_demo_meeting(NEXT_MEETING).pk}/attendance/")
    guest = page.get_by_role("region", name="Add a guest")
    guest.get_by_label("Given name").fill("Paul")
    guest.get_by_label("Family name").fill("Davidson")
    guest.get_by_label("Initials").fill("PD")
    guest.get_by_role("button", name="Add the guest").click()
    expect(_attendance_of(page, "Paul Davidson").get_by_label("Present")).to_be_checked()
    axe_check(page)

    # Without the script the link opens a page that asks; "Keep them" goes back unchanged.
    remove = page.get_by_role("link", name="Remove Paul Davidson from the record")
    page.goto(remove.get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove Paul Davidson from the record"
    )
    axe_check(page)
    page.get_by_role("link", name="Keep them").click()
    expect(_attendance_of(page, "Paul Davidson").get_by_label("Present")).to_be_checked()

    page.evaluate("window.stillTheSamePage = true")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("link", name="Remove Paul Davidson from the record").click()
    removed = "Removed Paul Davidson from the record of this meeting."
    expect(page.get_by_role("status").filter(has_text=removed)).to_have_count(1)
    expect(_attendance_of(page, "Paul Davidson")).to_have_count(0)
    assert asked == ["Remove Paul Davidson from the record of this meeting?"]
    assert page.evaluate("window.stillTheSamePage") is True
    assert not _demo_meeting(NEXT_MEETING).attendances.filter(person__initials="PD").exists()
    axe_check(page)


def test_a_refused_guest_is_announced_and_the_keyboard_stays_on_the_add_button(
    page, demo_site, login
):
    login(page, "secretary")
    page.goto(f"/workspace/meetings/{_demo_meeting(NEXT_MEETING).pk}/attendance/")
    guest = page.get_by_role("region", name="Add a guest")
    guest.get_by_label("Given name").fill("Jim")
    guest.get_by_label("Role").focus()
    page.keyboard.press("Tab")
    add = guest.get_by_role("button", name="Add the guest")
    expect(add).to_be_focused()
    page.keyboard.press("Enter")

    _error_at(guest, "Family name", "Enter the guest’s family name.")
    expect(page.get_by_role("status")).to_have_text("Guest not added: see the marked fields.")
    expect(add).to_be_focused()
    expect(guest.get_by_label("Given name")).to_have_value("Jim")


@pytest.mark.parametrize("tab", ["Attendance", "Minutes"])
def test_on_a_phone_the_attendance_and_take_minutes_pages_do_not_scroll_sideways(
    page, demo_site, login, tab
):
    meeting = _demo_meeting(NEXT_MEETING)
    agenda_start_from_template(meeting=meeting)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "secretary")
    page.goto(_hub_url(meeting))
    _open_tab(page, tab)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{tab}: Socitm Futures, Monday 18 January 2010"
    )
    # Every folded form open (adding a decision or an action): the widest the page gets.
    for summary in page.locator("summary").all():
        summary.click()

    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"the page scrolls sideways: {widths}"
