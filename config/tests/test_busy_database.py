"""A write that meets a busy database is refused politely (503), and nothing typed is lost.

Each test holds a real lock from another connection (config/tests/locks.py) while the test
client posts, with the wait for it cut to a fraction of a second.
"""

import datetime
import json
import logging
import os
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, OperationalError, connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from config.busy import database_is_busy, handler500
from config.tests.locks import short_lock_timeout, write_lock_held
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from minutes.importing.models import ImportUpload
from minutes.models import ItemMinute, Minutes, MinutesVersion, Publication
from minutes.services import minutes_publish
from minutes.tasks import publish_minutes
from minutes.tests.factories import APPROVED, ItemMinuteFactory, MinutesFactory
from minutes.tests.test_publish_safely import in_threads

# Committed for real, so that another connection meets it; serialized rollback keeps the
# roles the migrations create.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TYPED = "The committee noted the report.\n\n- Budget: agreed & minuted <as read>."


class _Forms(HTMLParser):
    """The page's forms: each one's action and the fields it would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._textarea = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": [], "files": []})
        elif tag == "input" and self.forms and attrs.get("type") == "file":
            self.forms[-1]["files"].append(attrs["name"])
        elif tag == "input" and self.forms and "name" in attrs:
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea" and self.forms:
            self._textarea = [attrs["name"], "", "readonly" in attrs]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text, _readonly = self._textarea
            # Browsers drop the newline just after <textarea>.
            self.forms[-1]["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None


def try_again_form(response) -> dict:
    parser = _Forms()
    parser.feed(response.content.decode())
    forms = [form for form in parser.forms if form["action"] != reverse("logout")]
    assert len(forms) == 1, "one form: the one that sends it again"
    return forms[0]


@pytest.fixture
def item(committee):
    meeting = MeetingFactory(committee=committee, date=datetime.date(2009, 11, 16))
    return AgendaItemFactory(meeting=meeting, number="6", title="Any Other Business")


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


def save_url(item):
    return reverse("minutes:item_minute_save", args=[item.pk])


def minute_post(item, text):
    return {f"minute-{item.pk}-text": text, f"minute-{item.pk}-revision": "0"}


def test_a_save_that_meets_a_held_lock_is_refused_with_what_was_typed(secretary_client, item):
    with short_lock_timeout(), write_lock_held(Minutes, ItemMinute):
        response = secretary_client.post(save_url(item), minute_post(item, TYPED))

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    assert "<h1>Not saved: the database was busy</h1>" in page
    assert "Nothing you sent has been saved." in page
    assert not ItemMinute.objects.exists()
    form = try_again_form(response)
    assert form["action"] == save_url(item)
    sent = dict(form["fields"])
    assert sent[f"minute-{item.pk}-text"] == TYPED
    assert sent[f"minute-{item.pk}-revision"] == "0"
    assert "csrfmiddlewaretoken" in sent
    assert "Try again</button>" in page


def test_try_again_once_the_lock_is_gone_saves_the_text_once(secretary_client, item):
    with short_lock_timeout(), write_lock_held(Minutes, ItemMinute):
        refused = secretary_client.post(save_url(item), minute_post(item, TYPED))
    form = try_again_form(refused)

    response = secretary_client.post(form["action"], dict(form["fields"]))

    assert response.status_code == 302
    minute = ItemMinute.objects.get(agenda_item=item)
    assert minute.text == TYPED
    assert minute.revision == 1


def test_with_htmx_a_busy_database_answers_a_short_message_and_saves_nothing(
    secretary_client, item
):
    with short_lock_timeout(), write_lock_held(Minutes, ItemMinute):
        response = secretary_client.post(
            save_url(item), minute_post(item, TYPED), headers={"HX-Request": "true"}
        )

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == (
        "Not saved: the database was busy. What you typed is still here; try again in a moment."
    )
    assert not ItemMinute.objects.exists()


def test_a_request_for_json_gets_json(secretary_client, item):
    with short_lock_timeout(), write_lock_held(Minutes, ItemMinute):
        response = secretary_client.post(
            save_url(item), minute_post(item, TYPED), headers={"Accept": "application/json"}
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {
        "detail": "The database was busy, so nothing was saved. Please try again in a moment."
    }


def test_an_upload_cannot_be_kept_and_the_page_says_so(secretary_client, committee):
    upload = SimpleUploadedFile("minutes-2009.txt", b"Minutes of the meeting.")
    with short_lock_timeout(), write_lock_held(ImportUpload):
        response = secretary_client.post(
            reverse("minutes:import_start", args=[committee.slug]),
            {"files": upload, "pasted": "Pasted minutes\nof a meeting."},
        )

    page = response.content.decode()
    assert response.status_code == 503
    assert "Files cannot be kept" in page
    assert "Choose “minutes-2009.txt” again" in page
    form = try_again_form(response)
    assert form["files"] == ["files"]
    assert dict(form["fields"])["pasted"] == "Pasted minutes\nof a meeting."
    assert not ImportUpload.objects.exists()


def test_a_password_is_never_sent_back_in_the_page(client, secretary):
    with short_lock_timeout(), write_lock_held(User, Session):
        response = client.post(
            reverse("login"), {"username": "secretary", "password": "correct horse battery staple"}
        )

    page = response.content.decode()
    assert response.status_code == 503
    assert "correct horse" not in page
    assert dict(try_again_form(response)["fields"])["username"] == "secretary"


def test_a_page_that_meets_a_busy_database_offers_to_load_it_again(rf):
    request = rf.get("/workspace/?committee=socitm-futures")
    request.user = AnonymousUser()
    with short_lock_timeout(), write_lock_held(Session):
        try:
            SessionStore().create()
        except OperationalError:
            response = handler500(request)

    page = response.content.decode()
    assert response.status_code == 503
    assert "Nothing has changed." in page
    assert (
        '<a class="btn btn-primary" href="/workspace/?committee=socitm-futures">Try again</a>'
        in page
    )


def test_only_lock_errors_count_as_busy():
    assert not database_is_busy(OperationalError("no such table: minutes_minutes"))
    assert not database_is_busy(IntegrityError("UNIQUE constraint failed"))
    assert not database_is_busy(ValueError("database is locked"))
    assert not database_is_busy(None)


def test_a_busy_database_met_outside_a_view_is_the_same_503(rf, secretary):
    """Saving the session, say, happens after the view: Django's 500 handler answers then."""
    request = rf.post("/workspace/", {"note": "Typed before the lock."})
    request.user = AnonymousUser()
    with short_lock_timeout(), write_lock_held(Session):
        try:
            SessionStore().create()  # as the session middleware does after the view
        except OperationalError:
            response = handler500(request)

    assert response.status_code == 503
    assert "Typed before the lock." in response.content.decode()


@pytest.fixture
def approved(item):
    """Approved minutes of one item, ready to publish; their meeting."""
    minutes = MinutesFactory(meeting=item.meeting, **APPROVED)
    ItemMinuteFactory(minutes=minutes, agenda_item=item, text="Glyn enquired.")
    return item.meeting


def publish_url(meeting):
    return reverse("minutes:workflow_step", args=[meeting.pk, "publish"])


def test_two_secretaries_publishing_at_once_both_get_an_answer_and_neither_an_error(
    secretary, approved
):
    """Each request in its own thread and connection, as two web workers would be: they take
    turns for the write lock, and the later one is told the minutes are being published."""
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(secretary)
    ready = threading.Barrier(2)

    def publish(client):
        ready.wait()
        return client.post(publish_url(approved))

    answers = in_threads(*(lambda c=client: publish(c) for client in clients))

    assert sorted(answer.status_code for answer in answers) == [200, 302]
    refused = next(answer for answer in answers if answer.status_code == 200)
    assert "These minutes are being published" in refused.content.decode()
    assert Publication.objects.count() == 1


def test_a_publish_that_meets_a_held_lock_is_refused_politely_and_can_be_tried_again(
    secretary_client, approved
):
    with short_lock_timeout(), write_lock_held(Minutes, Publication):
        refused = secretary_client.post(publish_url(approved))

    assert refused.status_code == 503
    assert not Publication.objects.exists()
    form = try_again_form(refused)
    assert form["action"] == publish_url(approved)

    response = secretary_client.post(form["action"], dict(form["fields"]))

    assert response.status_code == 302
    assert Publication.objects.count() == 1


class _Said(logging.Handler):
    """Sets ``event`` when the busy logger says something."""

    def __init__(self, event):
        super().__init__()
        self.event = event

    def emit(self, record):
        self.event.set()


def test_a_publish_task_that_meets_a_held_lock_waits_and_then_publishes(secretary, approved):
    minutes = Minutes.objects.get(meeting=approved)
    minutes_publish(minutes=minutes, by=secretary)
    held, said = threading.Event(), threading.Event()
    busy_log = logging.getLogger("minutebook.busy")

    def hold_until_the_task_has_met_it():
        with write_lock_held(Minutes, MinutesVersion, Publication):
            held.set()
            said.wait(60)

    holder = threading.Thread(target=hold_until_the_task_has_met_it)
    busy_log.addHandler(handler := _Said(said))
    try:
        with short_lock_timeout():
            holder.start()
            held.wait(10)
            number = publish_minutes.call(minutes_id=minutes.pk)  # as the worker runs it
            met_the_lock = said.is_set()
    finally:
        busy_log.removeHandler(handler)
        said.set()
        holder.join(10)

    assert met_the_lock
    assert number == 1
    assert MinutesVersion.objects.filter(minutes=minutes).count() == 1
    assert not Publication.objects.exists()


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_the_task_worker_carries_on_after_the_database_was_busy_longer_than_it_waits(
    secretary, approved
):
    """The real ``manage.py db_worker``, waiting 1 s for a lock held for 3 s."""
    worker = subprocess.Popen(
        [
            *(sys.executable, "manage.py", "db_worker", "--queue-name=*", "--no-reload"),
            *("--interval=0.2", "--no-startup-delay"),
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": _database_url(),
            "DATABASE_LOCK_TIMEOUT": "1",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    said = []
    threading.Thread(target=lambda: said.extend(worker.stdout), daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while not any("Starting worker" in line for line in said) and time.monotonic() < deadline:
            time.sleep(0.2)
        with write_lock_held(DBTaskResult):
            time.sleep(3)
        alive = worker.poll() is None

        minutes_publish(minutes=Minutes.objects.get(meeting=approved), by=secretary)
        while not MinutesVersion.objects.exists() and time.monotonic() < deadline + 60:
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(30)

    assert alive, "".join(said)
    assert any("Database busy: the task worker carries on" in line for line in said)
    assert MinutesVersion.objects.filter(minutes__meeting=approved).count() == 1
