"""Real-browser tests: Playwright driving Debian's Chromium, with axe-core accessibility checks.

Registered from the root ``conftest.py`` (``pytest_plugins``). A browser test::

    pytestmark = pytest.mark.browser

    def test_a_member_reads_the_minutes(page, demo_site, login, axe_check):
        login(page, "member")               # or "secretary"; through the login form
        page.goto("/committees/")           # relative to the live server
        ...
        axe_check(page)                     # fails on WCAG 2 A/AA violations, listed

- ``demo_site``: ``load_demo`` in a transactional database (committed, so the live server's
  thread sees it; emptied after the test), served by ``live_server``, which it returns. Other
  data: create it in the test, after ``demo_site``. No ``django_db`` marker is needed.
- ``page``: pytest-playwright's; its context's base URL is the live server. Each pytest-xdist
  worker has its own live server and Chromium.
- ``login(page, username, password=DEMO_PASSWORD)`` and ``axe_check(page)``: as above.
- Every test that uses ``page`` also fails if the browser reported a Content-Security-Policy
  violation on any page it opened (``csp_violations`` lists them).

Without Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``) the browser tests are skipped,
and the run ends by naming them and the line that installs Chromium; in CI (``CI=true``) they fail
instead, so nothing goes unchecked there.
"""

import contextlib
import io
import os
import shutil
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ALLOW_ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

# The axe-core tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _run_order(item):
    if item.get_closest_marker("browser") or "page" in getattr(item, "fixturenames", ()):
        return 2
    return 1 if _is_transactional(item) else 0


INSTALL_CHROMIUM = "sudo apt-get install -y chromium"
NO_CHROMIUM = f"Chromium is not installed; install it with: {INSTALL_CHROMIUM}"


def chromium_path():
    """The Chromium the browser tests drive, or None when there is none."""
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return shutil.which(path)


def _in_ci():
    return os.environ.get("CI") == "true"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run transactional tests (the browser tests among them) after all the others.

    pytest-django orders them last, because the flush after each empties the tables that the data
    migrations filled, but pytest then regroups tests by session-scoped parameters, and
    pytest-playwright gives every test with an argument named ``page`` a ``browser_name`` one.
    The browser tests come last of all: once Playwright's event loop runs in a worker, Django's
    connection there is another object, without the contents that serialized rollback restores.
    Without Chromium, outside CI, the browser tests are skipped (and named at the end).
    """
    items.sort(key=_run_order)
    # A committed test that does not restore the database leaves the next one without the rows
    # the migrations made, and on PostgreSQL with content types under new ids, which a later
    # serialized rollback then collides with.
    unrestored = [
        item.nodeid
        for item in items
        if _run_order(item) == 1
        and (marker := item.get_closest_marker("django_db"))
        and not marker.kwargs.get("serialized_rollback")
    ]
    if unrestored:
        raise pytest.UsageError(
            "Committed tests must restore the database: mark them "
            "django_db(transaction=True, serialized_rollback=True):\n  " + "\n  ".join(unrestored)
        )
    if chromium_path() is None and not _in_ci():
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


def pytest_terminal_summary(terminalreporter, config):
    """Name the browser tests that did not run, and how to run them (xdist: reports, not items)."""
    not_run = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and NO_CHROMIUM in report.longrepr[2]
    ]
    if not not_run:
        return
    files = {}
    for report in not_run:
        path = report.nodeid.split("::")[0]
        files[path] = files.get(path, 0) + 1
    terminalreporter.section("browser tests not run", sep="=", yellow=True)
    terminalreporter.write_line(
        f"{len(not_run)} browser tests were skipped: Chromium is not installed "
        f"(looked for {os.environ.get('CHROMIUM_PATH', '/usr/bin/chromium')})."
    )
    for path, count in sorted(files.items()):
        terminalreporter.write_line(f"  {path}: {count}")
    terminalreporter.write_line(f"Install it with: {INSTALL_CHROMIUM}   (then run make test again)")


def _uses_the_database_or_browser(item):
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("browser")
        or item.get_closest_marker("django_db")
        or fixtures & {"db", "transactional_db", "live_server", "django_db_setup"}
    )


@contextlib.contextmanager
def _async_unsafe_allowed(allowed):
    """Let the ORM run while Playwright's event loop is running in this thread.

    Once Playwright's sync API has started (the first browser test), it keeps an event loop running
    in the test thread for the rest of the session, and Django refuses ORM calls there. They are
    still synchronous and safe. The variable is set only around the tests that use the database
    (and the last teardown, which stops the session's fixtures), so subprocesses started by other
    tests, such as ``manage.py check --deploy``, do not see it.
    """
    before = os.environ.get(ALLOW_ASYNC_UNSAFE)
    if allowed:
        os.environ[ALLOW_ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ALLOW_ASYNC_UNSAFE, None)
        else:
            os.environ[ALLOW_ASYNC_UNSAFE] = before


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _async_unsafe_allowed(_uses_the_database_or_browser(item)):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _async_unsafe_allowed(_uses_the_database_or_browser(item)):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _async_unsafe_allowed(_uses_the_database_or_browser(item) or nextitem is None):
        return (yield)


@pytest.fixture(scope="session")
def _live_server_outlives_the_browser(django_db_setup, live_server):
    """Start the live server before Chromium, and stop it only once its last request is answered.

    On SQLite the live server's request threads use the test thread's in-memory database connection,
    shared with them until ``live_server`` stops. Django's request threads are daemon threads, which
    the server does not wait for when it stops; and the browser, started first, used to be closed
    last. So a request still being answered at the end of the run (or a kept-alive connection the
    browser had not closed yet) closed that connection after sharing had ended, in another thread:
    "DatabaseWrapper objects created in a thread can only be used in that same thread", reported as
    an unhandled thread exception. Now the browser closes first (it starts after the server), and
    this waits for every request thread before the server stops. The test database is made first,
    so the server always shares the in-memory connection, whatever test a worker runs first.
    """
    server = live_server.thread.httpd
    answering, lock = set(), threading.Lock()
    answer = server.process_request_thread

    def tracked(request, client_address):
        with lock:
            answering.add(threading.current_thread())
        try:
            answer(request, client_address)
        finally:
            with lock:
                answering.discard(threading.current_thread())

    server.process_request_thread = tracked
    yield
    with lock:
        still_answering = list(answering)
    for thread in still_answering:
        thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, _live_server_outlives_the_browser):
    """Launch the system Chromium: Playwright cannot download its own browsers here."""
    path = chromium_path()
    if path is None:  # Only in CI: elsewhere the browser tests were skipped at collection.
        pytest.fail(
            "Chromium is needed for the browser tests and was not found at "
            f"{os.environ.get('CHROMIUM_PATH', '/usr/bin/chromium')}. "
            f"Install it with: {INSTALL_CHROMIUM} (or set CHROMIUM_PATH).",
            pytrace=False,
        )
    headless = browser_type_launch_args.get("headless", True)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": (["--headless"] if headless else []) + CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Pages open relative to the live server (each pytest-xdist worker runs its own)."""
    return {**browser_context_args, "base_url": live_server.url}


# Data migrations whose rows the demo needs. The flush after a transactional test empties every
# table, and post_migrate brings back content types and permissions but not these: demo_site runs
# them again (their code must be safe to repeat).
DATA_MIGRATIONS = [("minutes", "0002_create_secretariat_group")]


@pytest.fixture(scope="session")
def _rerun_data_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    steps = []
    for key in DATA_MIGRATIONS:
        apps = loader.project_state(key, at_end=False).apps
        steps += [
            (operation.code, apps)
            for operation in loader.get_migration(*key).operations
            if isinstance(operation, RunPython)
        ]

    def rerun():
        for code, apps in steps:
            code(apps, None)

    return rerun


@pytest.fixture
def demo_site(transactional_db, live_server, _rerun_data_migrations):
    """The demo, loaded where the live server can see it; returns the live server.

    The live server answers from its own thread, so the data must be committed: a transactional
    database, emptied after the test.
    """
    _rerun_data_migrations()
    call_command("load_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def login():
    """``login(page, username)`` logs in through the login page, as a person would."""

    from minutes.demo import DEMO_PASSWORD

    def log_in(page, username, password=DEMO_PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        # Logged in: a Log out button (in the collapsed menu on phones); otherwise, the errors.
        log_out = page.get_by_role("button", name="Log out", include_hidden=True)
        errors = page.locator(".alert-danger, .invalid-feedback")
        expect(log_out.or_(errors).first).to_be_attached()
        if errors.count():
            pytest.fail(
                f"Could not log in as {username!r}: {errors.all_inner_texts()}", pytrace=False
            )
        return page

    return log_in


def _violations_report(page, violations):
    lines = [f"{len(violations)} WCAG 2 A/AA violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"])
        lines.append(f"    {violation['helpUrl']}")
    return "\n".join(lines)


@pytest.fixture
def axe_check():
    """``axe_check(page)`` runs axe-core on the page as it is and fails on WCAG 2 A/AA issues."""
    axe = Axe()

    def check(page):
        # Only the WCAG 2 A/AA rules run; axe's best-practice rules are advice, not the standard.
        options = {
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        }
        # A click does not wait for the page it opens: axe must run on the loaded page, and
        # again if a navigation replaced the document while it ran.
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page, options=options)
                break
            except PlaywrightError as error:
                if attempt == 2 or not _navigated_during(error):
                    raise
        violations = [v for v in results.response["violations"] if set(v["tags"]) & set(WCAG_TAGS)]
        if violations:
            pytest.fail(_violations_report(page, violations), pytrace=False)

    return check


def _navigated_during(error):
    message = str(error)
    return "Execution context was destroyed" in message or "reading 'documentElement'" in message


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy, as it said so in the console.

    Every browser test fails if this is not empty at its end (see ``_no_csp_violations``).
    """
    return []


@pytest.fixture(autouse=True)
def _no_csp_violations(request, csp_violations):
    """Each browser test also checks that no page it opened broke the Content-Security-Policy:
    no inline script or style, nothing fetched from elsewhere."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")

    def collect(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", collect)
    yield
    if csp_violations:
        pytest.fail(
            f"{len(csp_violations)} Content-Security-Policy violation(s):\n"
            + "\n".join(csp_violations),
            pytrace=False,
        )
