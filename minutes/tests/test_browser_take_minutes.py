"""Taking, approving and publishing minutes in a real browser: two secretaries saving the same
item, the keyboard's place in an item, and the take-minutes, workflow and action log pages
checked with axe."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from config.tests.tasks import run_tasks
from meetings.models import Meeting
from meetings.services import agenda_start_from_template
from members.roles import SECRETARIAT_GROUP
from minutes.demo import DEMO_PASSWORD, MEETING_DATE, PREVIOUS_MEETING_DATE
from minutes.models import ItemMinute

pytestmark = [
    pytest.mark.browser,
    # Bootstrap's buttons fade between colours; axe measuring a button mid-fade, just after a
    # click, reports a contrast nobody sees. Bootstrap drops the fade for reduced motion.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
]

NEXT_MEETING_DATE = datetime.date(2010, 1, 18)
AOB = "Any other business"
A_TEXT = "Glyn enquired on the Cabinet Office approach to transformation."
B_TEXT = "Mark B commented that OCC is based in the Treasury – links could be exploited."


def _demo_meeting(day: datetime.date) -> Meeting:
    return Meeting.objects.get(committee__slug="socitm-futures", date=day)


def _next_meeting_with_an_agenda() -> Meeting:
    """The demo's meeting of 18 January 2010, its agenda started from the standard items."""
    meeting = _demo_meeting(NEXT_MEETING_DATE)
    agenda_start_from_template(meeting=meeting)
    return meeting


def _take_minutes_url(meeting: Meeting) -> str:
    return f"/workspace/meetings/{meeting.pk}/minutes/"


def _workflow_url(meeting: Meeting) -> str:
    return f"/workspace/meetings/{meeting.pk}/minutes/workflow/"


def _item(page, title):
    return page.get_by_role("region", name=re.compile(rf"^\d+\. {re.escape(title)}$"))


def _second_secretary():
    """Another member of the secretariat, beside the demo's Suzanne Horner."""
    user = get_user_model().objects.create_user(
        username="clerk",
        password=DEMO_PASSWORD,
        first_name="Vicky",
        last_name="Sargent",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user


@pytest.mark.parametrize("second_has_javascript", [True, False], ids=["with JS", "without JS"])
def test_of_two_secretaries_saving_the_same_item_the_second_is_refused_and_keeps_their_text(
    new_context, demo_site, login, axe_check, second_has_javascript
):
    meeting = _next_meeting_with_an_agenda()
    _second_secretary()
    first = login(new_context().new_page(), "secretary")
    second = login(new_context(java_script_enabled=second_has_javascript).new_page(), "clerk")
    for page in (first, second):
        page.goto(_take_minutes_url(meeting))

    first_aob = _item(first, AOB)
    first_aob.get_by_label("Minute of item 4").fill(A_TEXT)
    first_aob.get_by_role("button", name="Save the minute of item 4").click()
    expect(first_aob.get_by_text("Minute of item 4 saved.")).to_be_visible()

    second_aob = _item(second, AOB)
    second_aob.get_by_label("Minute of item 4").fill(B_TEXT)
    second_aob.get_by_role("button", name="Save the minute of item 4").click()
    box = second_aob.get_by_label("Minute of item 4")
    expect(box).to_have_accessible_description(
        re.compile(
            # The time, and the date too if the save was before midnight.
            r"Someone else saved this item at \d\d:\d\d( on [^(]+)? \(by Suzanne Horner\) after "
            r"you opened it, so your text was not saved\."
        )
    )
    expect(box).to_have_value(B_TEXT)
    saved_version = second_aob.get_by_role("region", name=re.compile("^The version saved by"))
    expect(saved_version).to_contain_text("The version saved by Suzanne Horner")
    expect(saved_version.locator("pre")).to_have_text(A_TEXT)
    expect(saved_version.get_by_role("listitem")).to_have_text(
        [f"Saved only: {A_TEXT}", f"Yours only: {B_TEXT}"]
    )
    assert ItemMinute.objects.get(agenda_item__meeting=meeting, agenda_item__title=AOB).text == (
        A_TEXT
    )
    if second_has_javascript:  # axe runs as a script in the page
        axe_check(second)

    # Having seen the other version, the second secretary saves theirs (here, unmerged).
    second_aob = _item(second, AOB)
    second_aob.get_by_role("button", name="Save the minute of item 4").click()
    # Said in the item's section with JavaScript, at the top of the page without; announced.
    expect(second.get_by_role("status").filter(has_text="Minute of item 4 saved.")).to_have_count(1)
    expect(_item(second, AOB).get_by_label("Minute of item 4")).to_have_value(B_TEXT)
    saved = ItemMinute.objects.get(agenda_item__meeting=meeting, agenda_item__title=AOB)
    assert (saved.text, saved.updated_by.username) == (B_TEXT, "clerk")


def test_a_keyboard_user_stays_in_the_item_they_save_add_to_or_delete_from(page, demo_site, login):
    meeting = _next_meeting_with_an_agenda()
    login(page, "secretary")
    page.goto(_take_minutes_url(meeting))
    aob = _item(page, AOB)

    aob.get_by_label("Minute of item 4").focus()
    page.keyboard.type(A_TEXT)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(aob.get_by_text("Minute of item 4 saved.")).to_be_visible()
    expect(aob.get_by_role("button", name="Save the minute of item 4")).to_be_focused()
    page.keyboard.press("Tab")
    expect(aob.get_by_role("button", name="Preview the minute of item 4")).to_be_focused()

    add_decision = aob.locator("summary", has_text="Add a decision")
    add_decision.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Proposed meeting dates were agreed.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(aob.get_by_text("Decision added to item 4.")).to_be_visible()
    # The form has closed: the focus is where it opens again, ready for another decision.
    expect(add_decision).to_be_focused()

    page.once("dialog", lambda dialog: dialog.accept())
    aob.get_by_role("button", name="Delete decision 1").focus()
    page.keyboard.press("Enter")
    expect(aob.get_by_text("Decision deleted from item 4.")).to_be_visible()
    expect(aob.get_by_role("heading", name="4. Any other business")).to_be_focused()


def test_without_scripts_delete_asks_on_the_page_and_no_keeps_the_decision(
    new_context, demo_site, login
):
    meeting = _next_meeting_with_an_agenda()
    page = login(new_context(java_script_enabled=False).new_page(), "secretary")
    page.goto(_take_minutes_url(meeting))
    aob = _item(page, AOB)
    aob.locator("summary", has_text="Add a decision").click()
    aob.get_by_label("New decision").fill("Proposed meeting dates were agreed.")
    aob.get_by_role("button", name="Add decision to item 4").click()

    aob = _item(page, AOB)
    aob.get_by_role("button", name="Delete decision 1").click()
    aob = _item(page, AOB)
    expect(aob.get_by_role("alert")).to_contain_text("Delete decision 1 under item 4?")
    aob.get_by_role("link", name="No, keep it").click()
    decision = re.compile(r"^Decision\b")
    expect(_item(page, AOB).get_by_role("textbox", name=decision)).to_have_value(
        "Proposed meeting dates were agreed."
    )

    _item(page, AOB).get_by_role("button", name="Delete decision 1").click()
    _item(page, AOB).get_by_role("button", name="Yes, delete decision 1").click()
    expect(page.get_by_text("Decision deleted from item 4.")).to_be_visible()
    expect(_item(page, AOB).get_by_role("textbox", name=decision)).to_have_count(0)


def test_the_take_minutes_page_has_no_wcag_violations_with_a_preview_and_with_field_errors(
    page, demo_site, login, axe_check
):
    meeting = _next_meeting_with_an_agenda()
    login(page, "secretary")
    page.goto(_take_minutes_url(meeting))
    # Matters arising lists the open action carried from 16 November 2009.
    expect(_item(page, "Matters arising")).to_contain_text("draft a letter of thanks")
    axe_check(page)

    aob = _item(page, AOB)
    aob.get_by_label("Minute of item 4").fill("- Cabinet Office\n- Treasury")
    aob.get_by_role("button", name="Preview the minute of item 4").click()
    expect(
        aob.get_by_role("region", name=re.compile("^Preview")).get_by_role("listitem")
    ).to_have_count(2)
    axe_check(page)

    aob.get_by_text("Add an action").click()
    new_action = aob.get_by_role("group", name="New action")
    new_action.get_by_label("Action").fill("Write to the Treasury.")
    new_action.get_by_label("Owners").fill("ZZ")
    new_action.get_by_role("button", name="Add action to item 4").click()
    expect(new_action.get_by_label("Owners")).to_have_accessible_description(
        re.compile("No one has the initials or name “ZZ”.")
    )
    aob.get_by_text("Add a decision").click()
    aob.get_by_label("New decision").fill("   ")  # not empty, so the browser lets it through
    aob.get_by_role("button", name="Add decision to item 4").click()
    expect(aob.get_by_label("New decision")).to_have_accessible_description(
        re.compile("Say what was decided.")
    )
    axe_check(page)


def test_published_minutes_on_the_take_minutes_page_have_no_wcag_violations(
    page, demo_site, login, axe_check
):
    login(page, "secretary")
    page.goto(_take_minutes_url(_demo_meeting(MEETING_DATE)))
    expect(page.get_by_role("note")).to_contain_text("These minutes are published")
    expect(_item(page, "Any Other Business")).to_contain_text("Action: SH")
    axe_check(page)


def test_the_workflow_page_and_its_confirmation_steps_have_no_wcag_violations(
    page, demo_site, login, axe_check
):
    login(page, "secretary")

    # Draft minutes: approval, refused without a meeting or a date.
    page.goto(_workflow_url(_next_meeting_with_an_agenda()))
    expect(page.get_by_role("heading", name="Next steps")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Record approval…").click()
    expect(page.get_by_role("button", name="Record approval")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Record approval").click()
    expect(page.get_by_label("Approved at the meeting of")).to_have_accessible_description(
        re.compile("Choose the meeting that approved them, or give a date.")
    )
    axe_check(page)

    # Approved minutes: publish, or return to draft.
    page.goto(_workflow_url(_demo_meeting(PREVIOUS_MEETING_DATE)))
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Publish: minutes of Monday 13 July 2009"
    )
    axe_check(page)
    page.get_by_role("link", name="Cancel", exact=True).click()
    page.get_by_role("link", name="Return to draft…").click()
    expect(page.get_by_label("Why")).to_be_visible()
    axe_check(page)

    # Published minutes: circulate; start a correction and publish it, refused without a reason.
    page.goto(_workflow_url(_demo_meeting(MEETING_DATE)))
    expect(page.get_by_role("region", name="Published versions")).to_contain_text("Version 1")
    axe_check(page)
    page.get_by_role("link", name="Circulate by email…").click()
    expect(page.get_by_role("heading", name="To be emailed to 2 members")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Cancel", exact=True).click()
    page.get_by_role("link", name="Start a correction…").click()
    expect(page.get_by_role("button", name="Start a correction")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Start a correction").click()
    expect(page.get_by_role("status")).to_contain_text("The minutes are open for correction.")
    page.get_by_role("link", name="Publish the correction…").click()
    page.get_by_label("Reason for the correction").fill("   ")
    page.get_by_role("button", name="Publish the correction").click()
    expect(page.get_by_label("Reason for the correction")).to_have_accessible_description(
        re.compile("Say why the minutes are being corrected.")
    )
    axe_check(page)

    # Once corrected, the first version says it has been replaced.
    page.get_by_label("Reason for the correction").fill("Item 6: “Any Other Business” retitled")
    page.get_by_role("button", name="Publish the correction").click()
    expect(page.get_by_role("status")).to_have_text(
        "The correction is being published: the new version appears below in a moment."
    )
    axe_check(page)  # with its "Publishing…" notice
    run_tasks()
    page.reload()
    page.get_by_role("link", name="read version 1").click()
    expect(page.get_by_role("note")).to_contain_text("It has since been replaced")
    axe_check(page)


def test_the_action_log_with_its_filters_has_no_wcag_violations(page, demo_site, login, axe_check):
    login(page, "secretary")
    page.goto("/workspace/committees/socitm-futures/")
    page.get_by_role("link", name="Action log").click()
    log = page.get_by_role("table")
    expect(log.get_by_role("caption")).to_have_text("1 open action")
    axe_check(page)

    page.get_by_label("Show", exact=True).select_option("All")
    page.get_by_label("Owner").select_option("Suzanne Horner (SH)")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(log.get_by_role("caption")).to_have_text("1 action, owned by Suzanne Horner")
    axe_check(page)

    page.get_by_label("Show", exact=True).select_option("Done")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("No actions match.")).to_be_visible()
    axe_check(page)


def test_the_working_copy_and_a_published_version_have_no_wcag_violations(
    page, demo_site, login, axe_check
):
    login(page, "secretary")
    meeting = _next_meeting_with_an_agenda()
    page.goto(_take_minutes_url(meeting))
    expect(page.get_by_text("Nothing recorded yet.")).to_be_visible()
    _item(page, "Apologies").get_by_label("Minute of item 1").fill("Apologies were received.")
    _item(page, "Apologies").get_by_role("button", name="Save the minute of item 1").click()
    expect(_item(page, "Apologies").get_by_text("Minute of item 1 saved.")).to_be_visible()
    page.reload()
    page.get_by_role("link", name="Read the working copy").click()
    expect(page.get_by_role("note")).to_contain_text("Working copy.")
    axe_check(page)

    page.goto("/committees/socitm-futures/2009-11-16/minutes/v1/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Minutes of the meeting held on Monday 16 November 2009"
    )
    axe_check(page)
