"""The members' site in a real browser: reading minutes, on a phone, by keyboard, and with axe."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from members.models import Committee
from minutes.demo import IN_ATTENDANCE

pytestmark = pytest.mark.browser

MINUTES_PAGE = "/committees/socitm-futures/2009-11-16/"
PDF = MINUTES_PAGE + "minutes.pdf"
MINUTES_HEADING = "Minutes of the meeting held on Monday 16 November 2009"


def test_a_member_finds_reads_and_downloads_the_minutes_of_16_november_2009(page, demo_site):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill("minutebook-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as Ian Cooper")).to_be_visible()

    page.get_by_role("link", name="Socitm Futures", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Socitm Futures")
    page.get_by_role("link", name="Monday 16 November 2009").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(MINUTES_HEADING)
    minutes = page.locator("article")
    attendance = minutes.get_by_role("region", name="Attendance")
    expect(attendance.get_by_role("list").first).to_contain_text("Ian Cooper")
    expect(attendance.get_by_role("list").last).to_contain_text("Stephen Fellowes")
    expect(minutes.get_by_role("heading", level=2, name="Any Other Business")).to_be_visible()
    expect(minutes.get_by_role("heading", name="Suggested Meeting dates for 2010")).to_be_visible()
    expect(minutes.get_by_text("Decision: Proposed meeting dates were agreed.")).to_be_visible()
    expect(minutes.get_by_text("Action: SH")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download PDF")).click()
    download = download_info.value
    assert download.suggested_filename == "socitm-futures-minutes-2009-11-16.pdf"
    pdf_pages = PdfReader(download.path()).pages
    text = " ".join(" ".join(pdf_page.extract_text().split()) for pdf_page in pdf_pages)
    assert MINUTES_HEADING in text
    for given, family, *_ in IN_ATTENDANCE:
        assert f"{given} {family}" in text
    assert "Page 1 of" in text


def test_a_newcomer_opening_the_demo_reads_its_minutes_without_logging_in(page, demo_site):
    page.goto("/")
    page.get_by_role("link", name=re.compile("Monday 16 November 2009")).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(MINUTES_HEADING)
    expect(page.locator("article").get_by_text("Action: SH")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Download PDF"))).to_be_visible()


def test_an_anonymous_visitor_sees_a_members_only_committee_but_must_log_in_to_read_its_minutes(
    page, demo_site
):
    Committee.objects.filter(slug="socitm-futures").update(
        minutes_visibility=Committee.Visibility.MEMBERS
    )
    page.goto("/committees/")
    page.get_by_role("link", name="Socitm Futures").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Socitm Futures")
    published = page.get_by_role("region", name="Published minutes")
    expect(published).to_contain_text("The minutes of this committee are for its members.")
    expect(published.get_by_role("link", name="Monday 16 November 2009")).to_have_count(0)
    expect(published.get_by_role("link", name="Log in")).to_be_visible()

    page.goto(PDF)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(PDF) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_on_a_phone_the_minutes_fit_the_screen_and_the_menu_button_opens_the_navigation(
    page, demo_site, login
):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "member")
    page.goto(MINUTES_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text(MINUTES_HEADING)

    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"the page scrolls sideways: {widths}"

    menu = page.get_by_role("button", name="Show navigation")
    committees = page.get_by_role("navigation", name="Main").get_by_role("link", name="Committees")
    expect(committees).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    committees.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committees")


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(
    page, demo_site, login
):
    login(page, "member")
    page.goto(MINUTES_PAGE)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab stop is inside the content (the breadcrumb), not back in the header.
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first
    ).to_be_focused()


STATISTICS_2009 = "/committees/socitm-futures/statistics/?date_from=2009-01-01&date_to=2009-12-31"

# (who is logged in, where, what a person sees there)
MEMBERS_SITE_PAGES = {
    "home": (None, "/", "Recently published minutes"),
    "committees": (None, "/committees/", "Minutes are public."),
    "committee page, anonymous": (None, "/committees/socitm-futures/", "Monday 16 November 2009"),
    "committee page, member": ("member", "/committees/socitm-futures/", "Monday 16 November 2009"),
    "minutes page": ("member", MINUTES_PAGE, "Action: SH"),
    "search with results": (
        "member",
        "/search/?q=Digital+Britain",
        "results for “Digital Britain”",
    ),
    # The secretary's login is Suzanne Horner's, who owns the meeting's one action.
    "my actions": ("secretary", "/my/actions/", "draft a letter of thanks to Jim Haslem"),
    "API token page": ("member", "/my/api-token/", "You have no token."),
    "committee statistics, anonymous": (None, STATISTICS_2009, "Ian Cooper"),
    "committee statistics, period refused": (
        "member",
        "/committees/socitm-futures/statistics/?date_from=2010-01-01&date_to=2009-01-01",
        "The end of the period cannot be before its start.",
    ),
    "login page": (None, "/accounts/login/", "Forgotten your password?"),
    "404 page": (None, "/committees/no-such-committee/", "Page not found"),
}


@pytest.mark.parametrize("where", MEMBERS_SITE_PAGES)
def test_the_members_site_has_no_wcag_2_a_or_aa_violations(
    page, demo_site, login, axe_check, where
):
    username, path, seen = MEMBERS_SITE_PAGES[where]
    if username:
        login(page, username)
    page.goto(path)
    expect(page.get_by_role("main")).to_contain_text(seen)
    axe_check(page)


def test_the_login_page_showing_an_error_has_no_wcag_2_a_or_aa_violations(
    page, demo_site, axe_check
):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    axe_check(page)


def test_the_page_after_logging_out_has_no_wcag_2_a_or_aa_violations(
    page, demo_site, login, axe_check
):
    login(page, "member")
    page.get_by_role("button", name="Log out").click()
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Log in")).to_be_visible()
    expect(main_nav).not_to_contain_text("Signed in as")
    axe_check(page)


def test_a_member_who_forgot_their_password_chooses_a_new_one_from_the_email(
    page, demo_site, axe_check, mailoutbox
):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forgotten your password?")
    axe_check(page)
    page.get_by_label("Email").fill("member@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe_check(page)

    (email,) = mailoutbox
    path = re.search(r"^http\S+?(/accounts/reset/\S+)$", email.body, re.MULTILINE).group(1)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password*", exact=True).fill("a new and memorable passphrase")
    page.get_by_label("New password confirmation*", exact=True).fill("a different passphrase")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("The two password fields didn’t match.")).to_be_visible()
    axe_check(page)
    page.get_by_label("New password*", exact=True).fill("a new and memorable passphrase")
    page.get_by_label("New password confirmation*", exact=True).fill(
        "a new and memorable passphrase"
    )
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    axe_check(page)

    page.get_by_role("link", name="Log in").last.click()
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill("a new and memorable passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as Ian Cooper")).to_be_visible()
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    axe_check(page)


def test_the_page_after_too_many_wrong_passwords_has_no_wcag_violations(
    page, demo_site, axe_check, settings
):
    page.goto("/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("member")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many attempts to log in")
    axe_check(page)


def test_a_reader_goes_from_the_committee_to_a_members_attendance_and_the_pages_pass_axe(
    page, demo_site, axe_check
):
    page.goto("/committees/socitm-futures/")
    page.get_by_role("link", name="Attendance and actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Attendance and actions: Socitm Futures"
    )
    page.get_by_label("Meetings from").fill("2009-01-01")
    page.get_by_label("to", exact=True).fill("2009-12-31")
    page.get_by_role("button", name="Show").click()
    members = page.get_by_role("table", name="Attendance and actions by member")
    expect(members.get_by_role("row", name=re.compile("^Ian Cooper"))).to_contain_text("100%")
    expect(page.get_by_role("img", name=re.compile("^Attendance rate by member"))).to_be_visible()
    axe_check(page)

    members.get_by_role("link", name="Stephen Fellowes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stephen Fellowes")
    # The same period, carried over.
    expect(page.get_by_label("Meetings from")).to_have_value("2009-01-01")
    expect(page.get_by_role("main")).to_contain_text("present at 0 of the 1 meeting recorded (0%)")
    axe_check(page)
