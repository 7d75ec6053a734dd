"""The site's pages, the admin and htmx run under the strict Content-Security-Policy.

Every browser test checks the console for violations (config/browser_testing.py); these open
the pages no other browser test does, and show that the check sees a violation.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_check_sees_an_inline_script_the_policy_refuses(page, demo_site, csp_violations):
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran === undefined")
    assert len(csp_violations) == 1
    assert "script-src" in csp_violations[0]
    csp_violations.clear()  # seen: this test is about the check itself


def test_the_admin_runs_without_violations(page, demo_site, login):
    login(page, "secretary")
    page.goto("/admin/")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role(
        "link", name=re.compile("16 November 2009|Nov. 16, 2009|2009-11-16")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^\d+ items$")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_htmx_pages_run_without_violations(page, demo_site, login):
    login(page, "secretary")
    page.goto("/workspace/")
    page.get_by_role(
        "link", name=re.compile("Socitm Futures: Monday 16 November 2009")
    ).first.click()
    page.get_by_role("link", name="Attendance").first.click()
    expect(page).to_have_url(re.compile("/attendance/$"))
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof htmx") == "object"
    assert page.locator("head style").count() == 0
