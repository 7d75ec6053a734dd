"""From an empty database to published minutes, in a real browser, never opening /admin/.

A secretariat user (staff, in the Secretariat group, not a superuser) sets up a committee of
eight from a CSV, invites a member (who chooses a password from the emailed link and logs in),
schedules a meeting at a venue added from the scheduling form, records it — a guest, an officer
in attendance, an agenda numbered by hand with a gap, the minutes, a decision, an action with a
reference and two owners, a next meeting without a date — approves it by correspondence and
publishes it; the member reads the published page and the PDF, in order. axe checks every page
set up here.

The test counts the secretary's clicks (``Clicks``) and prints them with its time.
"""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Attendance, Meeting, Venue
from members.models import Committee, Invitation, Membership
from members.roles import SECRETARIAT_GROUP
from minutes.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.browser_context_args(reduced_motion="reduce")]

MEMBERS_CSV = """name,initials,organisation,email,role
Tom Grant,TG,Northshire Council,tom.grant@example.org,Chair
Beth Morris,BM,Eastvale District Council,beth.morris@example.org,Vice-chair
Ravi Patel,RP,Northshire Council,ravi.patel@example.org,member
Ann Kowalski,AK,Westbury Borough Council,ann.kowalski@example.org,member
Owen Price,OP,Eastvale District Council,,member
Sara Lind,SL,Westbury Borough Council,sara.lind@example.org,member
Dee Walsh,DW,Northshire Council,dee.walsh@example.org,Observer
Clare Hughes,CH,Northshire Council,clare.hughes@example.org,Clerk
"""
MEMBER_PASSWORD = "a long and memorable passphrase"
ITEM = "Data sharing agreement"
MINUTE = "Ravi presented the draft agreement.\n\nMembers asked for a plain-English summary."
DECISION = "The draft agreement was endorsed for consultation."
ACTION = "Write the plain-English summary of the agreement."
NEXT_MEETING = "early February 2027; date to be confirmed"
APPROVED = "Approved as a correct record by correspondence on Friday 20 November 2026"


class Clicks:
    """Counts what the secretary does: each click, and each field filled or chosen."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def select(self, locator, value):
        self.count += 1
        locator.select_option(value)

    def check(self, locator):
        self.count += 1
        locator.check()


def _field(scope, label):
    """The field labelled ``label``; crispy-forms marks a required one's label with "*"."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def _status(page):
    return page.locator(".messages").get_by_role("status")


@pytest.fixture
def empty_site(transactional_db, live_server, _rerun_data_migrations):
    """An empty database but for one secretariat user, made as the README says."""
    _rerun_data_migrations()
    user = get_user_model().objects.create_user(
        "clerk", "clerk@example.org", DEMO_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return live_server


def test_from_an_empty_database_to_published_minutes_without_the_admin(
    page, new_context, empty_site, login, axe_check, mailoutbox, run_tasks
):
    started = time.perf_counter()
    admin_requests = []
    page.on("request", lambda r: "/admin/" in r.url and admin_requests.append(r.url))
    you = Clicks()
    login(page, "clerk")

    # An empty workspace says what to do first.
    you.click(page.get_by_role("navigation", name="Main").get_by_role("link", name="Workspace"))
    expect(page.get_by_role("region", name="Committees")).to_contain_text("No committees yet.")
    axe_check(page)
    you.click(page.get_by_role("link", name="Set up your first committee"))
    axe_check(page)
    you.fill(_field(page, "Name"), "Data Steering Group")
    you.check(page.get_by_label("Members only: published minutes need a login"))
    you.fill(page.get_by_label("Meetings usually start at"), "14:00")
    you.click(page.get_by_role("button", name="Set up the committee"))
    expect(_status(page)).to_have_text(
        "Set up Data Steering Group. Now add its members, one by one or from a list."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of Data Steering Group")
    axe_check(page)

    # Eight members from a list: previewed, then saved.
    you.click(page.get_by_role("link", name="Add members from a list (CSV)"))
    axe_check(page)
    you.fill(page.get_by_label("Paste the list"), MEMBERS_CSV)
    you.click(page.get_by_role("button", name="Check the list"))
    preview = page.get_by_role("table")
    expect(preview.get_by_role("rowheader")).to_have_count(8)
    expect(preview.locator("tbody tr").filter(has_text="New person")).to_have_count(8)
    expect(preview.locator("tbody tr").first).to_contain_text(
        "New organisation: Northshire Council."
    )
    axe_check(page)
    assert not Membership.objects.exists()
    you.click(page.get_by_role("button", name="Save the members shown above"))
    expect(_status(page)).to_have_text("Added 8 members.")
    members_table = page.get_by_role("table")
    expect(members_table.get_by_role("rowheader")).to_have_count(8)
    expect(members_table.locator("tr", has_text="Tom Grant")).to_contain_text("Chair")
    expect(members_table.locator("tr", has_text="Clare Hughes")).to_contain_text("Officer or clerk")
    expect(members_table.locator("tr", has_text="Owen Price")).to_contain_text(
        "Add an email address to invite"
    )

    # Invite a member, who chooses a password from the emailed link and logs in.
    you.click(page.get_by_role("button", name="Invite Ravi Patel"))
    expect(_status(page)).to_have_text(
        "Invited Ravi Patel: an email with a link to choose a password is on its way to "
        "ravi.patel@example.org."
    )
    expect(members_table.locator("tr", has_text="Ravi Patel")).to_contain_text(
        "Invited, not yet accepted"
    )
    assert mailoutbox == [], "the worker sends the email, not the request"
    run_tasks()
    page.reload()
    expect(members_table.locator("tr", has_text="Ravi Patel")).to_contain_text("Email: sent")
    (invitation_email,) = mailoutbox
    assert invitation_email.to == ["Ravi Patel <ravi.patel@example.org>"]
    link = re.search(r"^(http\S+)$", invitation_email.body, re.MULTILINE).group(1)
    ravi = new_context().new_page()
    ravi.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(ravi.get_by_role("heading", level=1)).to_have_text("Choose your password")
    axe_check(ravi)
    _field(ravi, "New password").fill(MEMBER_PASSWORD)
    _field(ravi, "New password confirmation").fill(MEMBER_PASSWORD)
    ravi.get_by_role("button", name="Save my password and log in").click()
    expect(ravi.get_by_role("status")).to_contain_text("Welcome, Ravi.")
    ravi.get_by_role("button", name="Log out").click()
    login(ravi, "ravi.patel@example.org", MEMBER_PASSWORD)
    page.reload()
    expect(members_table.locator("tr", has_text="Ravi Patel")).to_contain_text("Accepted")
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED

    # Schedule a meeting at a venue that is not yet known, added from the scheduling form.
    you.click(page.get_by_role("link", name="Data Steering Group"))
    axe_check(page)
    you.click(page.get_by_role("link", name="Schedule a meeting", exact=True))
    expect(page.get_by_label("Start time")).to_have_value("14:00")
    you.fill(page.get_by_label("Date"), "2026-11-10")
    you.click(page.get_by_role("button", name="Add a venue that is not in the list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a venue")
    axe_check(page)
    you.fill(_field(page, "Name"), "Northshire Council")
    you.fill(page.get_by_label("Building"), "County Hall")
    you.fill(page.get_by_label("Address"), "Market Street, Northtown NT1 1AA")
    you.click(page.get_by_role("button", name="Add the venue"))
    expect(_status(page)).to_have_text("Added the venue Northshire Council, County Hall.")
    venue = Venue.objects.get()
    expect(page.get_by_label("Date")).to_have_value("2026-11-10")
    expect(page.get_by_label("Start time")).to_have_value("14:00")
    expect(page.get_by_label("Venue")).to_have_value(str(venue.pk))
    you.click(page.get_by_role("button", name="Schedule the meeting"))
    expect(_status(page)).to_contain_text("Scheduled the meeting on Tuesday 10 November 2026.")
    meeting = Meeting.objects.get()
    assert (meeting.venue, meeting.start_time.hour) == (venue, 14)

    # The meeting's reference, items numbered as the secretary types them, and a next meeting
    # that has no date yet.
    you.click(page.get_by_role("link", name="Edit the details"))
    you.fill(page.get_by_label("Reference"), "Meeting #1")
    you.check(page.get_by_label("As typed: gaps, “23/045” or any other style"))
    you.fill(page.get_by_label("Next meeting, in words"), NEXT_MEETING)
    you.click(page.get_by_role("button", name="Save"))
    expect(_status(page)).to_have_text("Saved the meeting’s details.")

    # The agenda, numbered by hand with a gap: 1, 2, 3, 7, 9, 10.
    you.click(page.get_by_role("link", name="Prepare the agenda"))
    for old, new in (("4", "9"), ("5", "10")):
        you.click(page.get_by_role("link", name=f"Edit item {old}"))
        you.fill(_field(page, "Number"), new)
        you.click(page.get_by_role("button", name="Save the item"))
        expect(_status(page)).to_contain_text(f"Saved item {new}:")
    you.click(page.get_by_role("link", name="Add an item", exact=True))
    you.fill(_field(page, "Number"), "7")
    you.fill(page.get_by_label("Title"), ITEM)
    you.click(page.get_by_role("button", name="Add the item"))
    expect(_status(page)).to_contain_text(f"Added item 7: {ITEM}.")
    item_number = "7"
    assert list(meeting.agenda_items.order_by("position").values_list("number", flat=True)) == [
        "1",
        "2",
        "3",
        "7",
        "9",
        "10",
    ]

    # Attendance: six members present, the clerk in attendance, one apology, one absent; a guest.
    nav = page.get_by_role("navigation", name="This meeting")
    you.click(nav.get_by_role("link", name="Attendance"))
    expect(nav.get_by_role("link", name="Attendance")).to_have_attribute("aria-current", "page")
    page.wait_for_load_state("load")
    marks = {
        "Tom Grant": "Present",
        "Beth Morris": "Present",
        "Ravi Patel": "Present",
        "Ann Kowalski": "Present",
        "Sara Lind": "Present",
        "Clare Hughes": "Present",
        "Owen Price": "Apologies",
        "Dee Walsh": "Absent",
    }
    for name, mark in marks.items():
        group = page.get_by_role("group", name=f"Attendance of {name}")
        you.check(group.get_by_label(mark))
        expect(page.locator("tr", has=group)).to_contain_text("Saved")
    guest = page.get_by_role("region", name="Add a guest")
    you.fill(guest.get_by_label("Given name"), "Paul")
    you.fill(guest.get_by_label("Family name"), "Newman")
    you.fill(guest.get_by_label("Initials"), "PN")
    you.fill(guest.get_by_label("Or a new organisation"), "Open Data Trust")
    you.fill(guest.get_by_label("Role"), "Guest presenter")
    you.click(guest.get_by_role("button", name="Add the guest"))
    expect(page.locator("#attendance-section")).to_contain_text(
        "Added Paul Newman as a guest, present."
    )
    assert meeting.attendances.filter(status=Attendance.Status.PRESENT).count() == 7

    # The minutes: the item's text, a decision and an action.
    you.click(nav.get_by_role("link", name="Minutes"))
    expect(nav.get_by_role("link", name="Minutes")).to_have_attribute("aria-current", "page")
    page.wait_for_load_state("load")
    item = page.get_by_role("region", name=re.compile(rf"^\S+ {re.escape(ITEM)}$"))
    you.fill(item.get_by_label(f"Minute of item {item_number}"), MINUTE)
    you.click(item.get_by_role("button", name=f"Save the minute of item {item_number}"))
    expect(item.get_by_text(f"Minute of item {item_number} saved.")).to_be_visible()
    you.click(item.get_by_text("Add a decision"))
    you.fill(item.get_by_label("New decision"), DECISION)
    you.click(item.get_by_role("button", name=f"Add decision to item {item_number}"))
    expect(item.get_by_text(f"Decision added to item {item_number}.")).to_be_visible()
    you.click(item.get_by_text("Add an action"))
    new_action = item.get_by_role("group", name="New action")
    you.fill(new_action.get_by_label("Ref."), "7.1")
    you.fill(new_action.get_by_label("Action"), ACTION)
    you.fill(new_action.get_by_label("Owners"), "TG & BM")
    you.click(new_action.get_by_role("button", name=f"Add action to item {item_number}"))
    expect(item.get_by_text(f"Action added to item {item_number}.")).to_be_visible()

    # Approve and publish.
    you.click(nav.get_by_role("link", name="Approve & publish"))
    you.click(page.get_by_role("link", name="Record approval…"))
    you.check(page.get_by_label("By correspondence (email or post)"))
    you.fill(page.get_by_label("Approved on", exact=True), "2026-11-20")
    you.click(page.get_by_role("button", name="Record approval"))
    expect(_status(page)).to_contain_text("The minutes are recorded as approved.")
    you.click(page.get_by_role("link", name="Publish…"))
    you.click(page.get_by_role("button", name="Publish", exact=True))
    expect(_status(page)).to_contain_text("The minutes are being published")
    run_tasks()  # the worker renders the PDF and commits the version
    page.reload()
    expect(page.get_by_text("Publishing…")).to_have_count(0)
    clicks, elapsed = you.count, time.perf_counter() - started

    # The member reads the published minutes, and the PDF, in the order they were recorded.
    ravi.goto("/committees/data-steering-group/2026-11-10/")
    article = ravi.locator("article")
    expect(article.get_by_role("heading", name=re.compile(re.escape(ITEM)))).to_be_visible()
    page_text = " ".join(article.inner_text().split())
    in_order = [
        "Meeting #1",
        APPROVED,
        "Present",
        "Tom Grant (Chair)",
        "Beth Morris",
        "In attendance",
        "Clare Hughes",
        "Paul Newman",
        "Apologies",
        "Owen Price",
        "Absent",
        "Dee Walsh",
        ITEM,
        "Ravi presented the draft agreement.",
        "Members asked for a plain-English summary.",
        DECISION,
        f"7.1 {ACTION}",
        "Action: TG & BM",
        "Any other business",
        f"Next meeting: {NEXT_MEETING}",
    ]
    positions = [page_text.find(words) for words in in_order]
    assert -1 not in positions, dict(zip(in_order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(in_order, positions, strict=True))
    with ravi.expect_download() as download_info:
        ravi.get_by_role("link", name=re.compile("^Download PDF")).click()
    pdf_text = " ".join(
        " ".join(pdf_page.extract_text().split())
        for pdf_page in PdfReader(download_info.value.path()).pages
    )
    positions = [pdf_text.find(words) for words in in_order]
    assert -1 not in positions, dict(zip(in_order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(in_order, positions, strict=True))

    assert admin_requests == []
    assert Committee.objects.get().memberships.count() == 8
    print(f"\nFrom nothing to published minutes: {clicks} clicks and fields, {elapsed:.1f} s")


@pytest.mark.parametrize(
    ("path", "then_open"),
    [
        ("/workspace/people/", "main table a[href*='/people/']"),
        ("/workspace/people/new/", None),
        ("/workspace/organisations/", "main table a[href*='/organisations/']"),
        ("/workspace/organisations/new/", None),
        ("/workspace/venues/", "main table a[href*='/venues/']"),
        ("/workspace/committees/socitm-futures/edit/", None),
        ("/workspace/committees/socitm-futures/members/", "main table a[href*='/memberships/']"),
    ],
)
def test_the_setting_up_pages_have_no_wcag_violations(
    page, demo_site, login, axe_check, path, then_open
):
    login(page, "secretary")
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    if then_open:
        # The list's first entry, on its own editing page.
        page.locator(then_open).first.click()
        expect(page.get_by_role("button", name="Save")).to_be_visible()
        axe_check(page)
