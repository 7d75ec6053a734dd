"""A secretary imports a folder of old minutes — Word, PDF and text — through the review screen,
publishes them as the record, and finds them in search and the action log."""

import re

import pytest
from playwright.sync_api import expect

from members.tests.factories import CommitteeFactory
from minutes.importing.tests.files import MINUTES_LINES, docx_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.browser_context_args(reduced_motion="reduce")]

APRIL = [
    ("title", "Minutes of the Parks Committee held on Monday 3 April 2023"),
    *MINUTES_LINES[1:3],
    ("heading", "1. Allotments"),
    ("para", "The waiting list has grown to forty names."),
    ("para", "Action: AL to write to the landowner about a second site."),
]
MAY = """\
Parks Committee
Minutes of the meeting held on Monday 1 May 2023 at the Pavilion

Present: Ann Lee (Chair), Bob Roe, Cy Day
Apologies: Di Fox

1. Bandstand
The bandstand repainting is finished. It was agreed to thank the volunteers.
"""


def watch_upload_progress(page) -> list[tuple[str, int]]:
    """What the upload's live region says, with the progress bar's value at the time."""
    said = []
    page.expose_function("uploadSaid", lambda text, value: said.append((text, value)))
    page.evaluate("""() => {
        const status = document.getElementById("upload-progress-status");
        const bar = document.getElementById("upload-progress-bar");
        new MutationObserver(() => window.uploadSaid(status.textContent, bar.value))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    return said


def test_a_secretary_imports_mixed_files_reviews_and_publishes_them(
    page, demo_site, login, axe_check, run_tasks
):
    CommitteeFactory(name="Parks Committee", slug="parks")
    login(page, "secretary")
    page.goto("/workspace/committees/parks/")
    page.get_by_role("link", name="Import old minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import old minutes: Parks Committee")
    axe_check(page)
    page.get_by_label("Files of minutes").set_input_files([
        {"name": "2023-03 parks.docx", "mimeType": "application/octet-stream",
         "buffer": docx_bytes()},
        {"name": "2023-04 parks.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(APRIL)},
        {"name": "2023-05 parks.txt", "mimeType": "text/plain", "buffer": MAY.encode()},
    ])  # fmt: skip
    said = watch_upload_progress(page)
    page.get_by_role("button", name="Read the files").click()
    expect(page.locator("#import-progress")).to_contain_text("Reading 3 files")
    # The progress bar reached the end, and said so, before the page moved on.
    assert said[0] == ("Sending the files…", 0)
    assert said[-1] == ("All the files have been sent; checking them…", 100)
    files = page.get_by_role("table")
    expect(files.get_by_role("row", name=re.compile("Waiting to be read"))).to_have_count(3)
    axe_check(page)
    run_tasks()  # the worker reads them; the page notices by itself, row by row
    expect(page.locator("#import-progress")).to_have_text("All files have been read.")
    expect(files.get_by_role("row", name=re.compile("Ready to review"))).to_have_count(3)
    axe_check(page)

    for name, wording in [
        ("2023-03 parks.docx", "Signed by the Chair as a correct record"),
        ("2023-04 parks.pdf", "Signed by the Chair as a correct record"),
        ("2023-05 parks.txt", "Approved at the meeting of 5 June 2023"),
    ]:
        page.get_by_role("link", name=f"Review {name}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Review {name}")
        source = page.get_by_label("The original, line by line")
        expect(source.locator(".line-person").first).to_be_visible()
        expect(source.locator(".line-item").first).to_be_visible()
        if name.endswith(".docx"):
            axe_check(page)
            # A correction: someone the minutes missed.
            present = page.get_by_label("Present", exact=True)
            present.fill(present.input_value() + "\nEd Poe")
        page.get_by_label(re.compile("Publish as the record now")).check()
        page.get_by_label("How they were approved, in their own words").fill(wording)
        page.get_by_role("button", name="Save as Parks Committee’s minutes").click()
        expect(page.get_by_text("they are being published as the record")).to_be_visible()
        page.goto("/workspace/committees/parks/import/files/")

    run_tasks()  # publication: the version and its PDF
    page.goto("/search/?q=allotments")
    expect(page.get_by_role("main")).to_contain_text("3 April 2023")
    page.goto("/search/?q=bandstand")
    expect(page.get_by_role("main")).to_contain_text("1 May 2023")

    page.goto("/workspace/committees/parks/actions/")
    log = page.get_by_role("table")
    expect(log).to_contain_text("AL to write to the landowner about a second site.")
    expect(log).to_contain_text("BR to order the repairs by 31 March 2023.")
    expect(log).to_contain_text("Paint the bench")


PASTED = """\
Minutes of the Parks Committee held on 6 March 2023

Present: Ann Lee, Janet Smithers

1. Parks
The play area was discussed.
Footpaths
The footpath by the church is blocked.

2. Budget
The budget was noted.
"""


def test_a_secretary_splits_and_merges_items_and_says_who_someone_is_before_saving(
    page, demo_site, login, axe_check, run_tasks
):
    CommitteeFactory(name="Parks Committee", slug="parks")
    login(page, "secretary")
    page.goto("/workspace/committees/parks/import/")
    page.get_by_label("Or paste the text of one set of minutes").fill(PASTED)
    page.get_by_role("button", name="Read the files").click()
    expect(page.locator("#import-progress")).to_contain_text("Reading 1 file")
    run_tasks()
    page.get_by_role("link", name="Review pasted-minutes.txt").click()
    expect(page.get_by_text("People not found")).to_be_visible()
    axe_check(page)

    parks = page.get_by_role("group", name="Item 1: Parks")
    parks.get_by_label("Split at line").fill("3")
    parks.get_by_role("button", name="Split at the line given").click()
    expect(page.get_by_role("group", name="Item 2: Footpaths")).to_be_visible()
    page.get_by_role("group", name="Item 2: Footpaths").get_by_role(
        "button", name="Merge with the next item"
    ).click()
    footpaths = page.get_by_role("group", name="Item 2: Footpaths")
    expect(footpaths.get_by_label("Minute text")).to_have_value(re.compile("Budget"))

    page.get_by_label("“Janet Smithers”").select_option(label="Add as a new person")
    page.get_by_role("button", name="Save these minutes").click()
    expect(page.get_by_text("Saved as draft minutes")).to_be_visible()


def test_a_file_that_cannot_be_read_is_refused_by_the_field_without_leaving_the_page(
    page, demo_site, login, axe_check
):
    CommitteeFactory(name="Parks Committee", slug="parks")
    login(page, "secretary")
    page.goto("/workspace/committees/parks/import/")
    page.get_by_label("Or paste the text of one set of minutes").fill(PASTED)
    page.get_by_label("Files of minutes").set_input_files([
        {"name": "junk.txt", "mimeType": "text/plain", "buffer": bytes(range(256)) * 40},
    ])  # fmt: skip
    page.get_by_role("button", name="Read the files").click()
    files = page.get_by_label("Files of minutes")
    expect(files).to_be_focused()
    expect(files).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("junk.txt is not a text file.")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "The files were not accepted; the reasons are given by the form."
    )
    # What was typed is still there, and the form works again.
    expect(page.get_by_label("Or paste the text of one set of minutes")).to_have_value(PASTED)
    axe_check(page)

    # More files than one post takes are refused by the field before anything is sent.
    files.set_input_files(
        [{"name": f"{n}.txt", "mimeType": "text/plain", "buffer": b"Minutes"} for n in range(101)]
    )
    page.get_by_role("button", name="Read the files").click()
    too_many = "You chose 101 files; choose up to 100 at a time, and import the rest after."
    expect(files).to_be_focused()
    expect(files).to_have_accessible_description(re.compile(re.escape(too_many)))
    axe_check(page)

    files.set_input_files([])
    page.get_by_role("button", name="Read the files").click()
    expect(page.locator("#import-progress")).to_contain_text("Reading 1 file")
