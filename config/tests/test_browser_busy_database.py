"""A save that meets a busy database, in a real browser: nothing typed is lost, and "Try again"
saves it once the lock is gone. The lock is real (config/tests/locks.py)."""

import pytest
from playwright.sync_api import expect

from config.tests.locks import short_lock_timeout, write_lock_held
from members.models import Committee
from minutes.importing.models import ImportUpload
from minutes.models import ItemMinute, Minutes
from minutes.tests.test_browser_take_minutes import (
    AOB,
    _item,
    _next_meeting_with_an_agenda,
    _take_minutes_url,
)

pytestmark = [
    pytest.mark.browser,
    # Bootstrap's buttons fade between colours; axe would measure one mid-fade.
    pytest.mark.browser_context_args(reduced_motion="reduce"),
]


@pytest.fixture
def busy_site(demo_site):
    """The demo, where a write gives up on a held lock at once. From the start: the live
    server keeps a browser's connection, and with it a database connection, between requests."""
    with short_lock_timeout():
        yield demo_site


TYPED = "Glyn enquired on the Cabinet Office approach.\n\n- Mark B: links could be exploited."
PASTED = "Minutes of the meeting of 14 September 2009\n\n1. Apologies\nNone."
BUSY = "Not saved: the database was busy"


def test_without_javascript_try_again_saves_the_minute_once_the_lock_is_gone(
    new_context, busy_site, login
):
    meeting = _next_meeting_with_an_agenda()
    page = login(new_context(java_script_enabled=False).new_page(), "secretary")
    page.goto(_take_minutes_url(meeting))
    _item(page, AOB).get_by_label("Minute of item 4").fill(TYPED)

    with write_lock_held(Minutes, ItemMinute):
        _item(page, AOB).get_by_role("button", name="Save the minute of item 4").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(BUSY)
    expect(page.get_by_label("Text (as you typed it)")).to_have_value(TYPED)
    assert not ItemMinute.objects.filter(agenda_item__meeting=meeting).exists()

    page.get_by_role("button", name="Try again").click()

    expect(page.get_by_role("status").filter(has_text="Minute of item 4 saved.")).to_have_count(1)
    saved = ItemMinute.objects.get(agenda_item__meeting=meeting, agenda_item__title=AOB)
    assert (saved.text, saved.revision) == (TYPED, 1)


def test_an_upload_sent_by_javascript_stays_on_the_form_with_the_files_still_chosen(
    page, busy_site, login, axe_check
):
    committee = Committee.objects.get(slug="socitm-futures")
    login(page, "secretary")
    page.goto(f"/workspace/committees/{committee.slug}/import/")
    page.get_by_label("Files of minutes").set_input_files(
        [{"name": "minutes.txt", "mimeType": "text/plain", "buffer": PASTED.encode()}]
    )

    with write_lock_held(ImportUpload):
        page.get_by_role("button", name="Read the files").click()
        expect(page.get_by_role("status")).to_have_text(
            "Not saved: the database was busy. The files you chose and what you typed are "
            "still here; try again in a moment."
        )
    axe_check(page)
    assert not ImportUpload.objects.exists()

    page.get_by_role("button", name="Read the files").click()
    expect(page.get_by_text("Reading 1 file")).to_be_visible()
    assert ImportUpload.objects.get().filename == "minutes.txt"


def test_with_htmx_the_item_says_not_saved_and_keeps_the_text_until_a_save_succeeds(
    page, busy_site, login, axe_check
):
    meeting = _next_meeting_with_an_agenda()
    login(page, "secretary")
    page.goto(_take_minutes_url(meeting))
    aob = _item(page, AOB)
    box = aob.get_by_label("Minute of item 4")
    box.fill(TYPED)
    save = aob.get_by_role("button", name="Save the minute of item 4")

    with write_lock_held(Minutes, ItemMinute):
        save.click()
        alert = aob.get_by_role("alert")
        expect(alert).to_have_text(
            "Not saved: the database was busy. What you typed is still here; try again in a moment."
        )
    expect(box).to_have_value(TYPED)
    axe_check(page)
    assert not ItemMinute.objects.filter(agenda_item__meeting=meeting).exists()

    save.click()

    expect(aob.get_by_text("Minute of item 4 saved.")).to_be_visible()
    expect(aob.get_by_role("alert")).to_have_count(0)
    assert (
        ItemMinute.objects.get(agenda_item__meeting=meeting, agenda_item__title=AOB).text == TYPED
    )
