"""Email to members is durable and honest: through the task queue, one email per recipient,
retried while the mail server is down, given up with the reason, and never called "sent"
unless a mail server took it. Real SMTP throughout: a closed port, and a local server."""

import datetime
import os
import re
import signal
import subprocess
import sys
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config.queue import requeue_stalled_tasks
from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory
from members.models import Person
from members.tests.factories import MembershipFactory, PersonFactory
from minutes.models import PendingCirculation
from minutes.services import circulation_complete
from minutes.tests.factories import ItemMinuteFactory
from outbox import services
from outbox.models import OutgoingEmail
from outbox.tests.conftest import free_port

pytestmark = pytest.mark.django_db

ADDRESSES = ["gl@example.org", "ic@example.org", "sh@example.org"]
LATER = datetime.timedelta(days=1)


@pytest.fixture
def people(committee):
    names = [("Glyn", "Lewis"), ("Ian", "Cooper"), ("Suzanne", "Horner")]
    people = []
    for (given, family), address in zip(names, ADDRESSES, strict=True):
        person = PersonFactory(given_name=given, family_name=family, email=address)
        MembershipFactory(committee=committee, person=person)
        people.append(person)
    return people


@pytest.fixture
def minutes(committee, people):
    meeting = MeetingFactory(committee=committee, date=datetime.date(2009, 11, 16))
    return ItemMinuteFactory(minutes__meeting=meeting, text="Glyn enquired.").minutes


@pytest.fixture
def meeting(committee, people):
    return MeetingFactory(
        committee=committee,
        date=timezone.localdate() + LATER * 30,
        status=Meeting.Status.SCHEDULED,
    )


def circulate(client, minutes):
    url = reverse("minutes:workflow_step", args=[minutes.meeting.pk, "circulate"])
    return client.post(url)


def prepare_emails():
    """What the circulation's own task does: render the PDF and queue the emails, unsent."""
    for pending in PendingCirculation.objects.all():
        circulation_complete(event_id=pending.event_id)


def history(client, meeting) -> str:
    """The circulation's row in the minutes' history."""
    page = client.get(reverse("minutes:workflow", args=[meeting.pk])).content.decode()
    [row] = re.findall(r"<tr>(?:(?!</tr>).)*Circulated.*?</tr>", page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def email_page(client, meeting) -> str:
    return client.get(reverse("outbox:meeting_emails", args=[meeting.pk])).content.decode()


def statuses() -> list[str]:
    return sorted(OutgoingEmail.objects.values_list("status", flat=True))


# -- The mail server is down ---------------------------------------------------------


def test_circulating_with_smtp_down_answers_at_once_and_says_failed_not_sent(
    client_for, secretary, minutes, smtp_down, run_tasks
):
    client = client_for(secretary)

    response = circulate(client, minutes)
    assert response.status_code == 302
    run_tasks()

    page = history(client, minutes.meeting)
    assert "Email: 3 failed (will retry)." in page
    assert "sent" not in page
    assert statuses() == ["retrying"] * 3
    emails = email_page(client, minutes.meeting)
    assert emails.count("Could not reach the mail server: connection refused.") == 3
    assert "Failed, will retry" in emails


def test_cancelling_with_smtp_down_cancels_and_says_the_emails_failed(
    client_for, secretary, meeting, smtp_down, run_tasks
):
    client = client_for(secretary)
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])

    response = client.post(url, {"reason": "Too few could attend."})
    assert response.status_code == 302
    run_tasks()

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    page = client.get(reverse("meetings:meeting_workspace", args=[meeting.pk])).content.decode()
    assert "Email: 3 failed (will retry)." in page
    assert statuses() == ["retrying"] * 3
    assert client.post(url, {"reason": "Again."}).status_code == 302, "no 500 on a second try"


def test_failures_are_retried_with_back_off_then_given_up_and_can_be_sent_again(
    client_for, secretary, minutes, smtp_down, run_tasks, settings
):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_RETRY_SECONDS = 60
    client = client_for(secretary)
    circulate(client, minutes)

    run_tasks()
    first = OutgoingEmail.objects.first()
    wait = first.next_attempt_at - first.attempted_at
    assert datetime.timedelta(seconds=59) < wait <= datetime.timedelta(seconds=61)
    assert run_tasks() == 0, "a retry waits for its time"
    run_tasks(after=datetime.timedelta(seconds=61))
    second = OutgoingEmail.objects.get(pk=first.pk)
    assert second.attempts == 2
    assert second.next_attempt_at - second.attempted_at > datetime.timedelta(seconds=119)
    run_tasks(after=LATER)

    assert statuses() == ["failed"] * 3
    assert OutgoingEmail.objects.filter(attempts=3).count() == 3
    assert "Email: 3 failed (given up)." in history(client, minutes.meeting)
    assert run_tasks(after=LATER) == 0, "given up means no more attempts"


def test_an_email_given_up_is_sent_when_the_secretariat_retries_it(
    client_for, secretary, minutes, run_tasks, settings, smtp_server
):
    settings.EMAIL_MAX_ATTEMPTS = 1
    working_port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # the server is down
    client = client_for(secretary)
    circulate(client, minutes)
    run_tasks()
    assert statuses() == ["failed"] * 3
    assert "Send again" in email_page(client, minutes.meeting)

    settings.EMAIL_PORT = working_port
    email = OutgoingEmail.objects.get(to__contains="sh@example.org")
    response = client.post(reverse("outbox:email_retry", args=[email.pk]), follow=True)
    assert "queued to be sent again" in response.content.decode()
    run_tasks()

    assert smtp_server.recipients == ["sh@example.org"]
    assert statuses() == ["failed", "failed", "sent"]


# -- A mail server that answers -----------------------------------------------------


def test_each_member_is_sent_the_minutes_exactly_once(
    client_for, secretary, minutes, smtp_server, run_tasks
):
    client = client_for(secretary)
    circulate(client, minutes)

    run_tasks()
    run_tasks(after=LATER)
    services.recover(grace=datetime.timedelta(0))
    run_tasks(after=LATER)

    assert smtp_server.recipients == ADDRESSES
    assert all(len(rcpt_tos) == 1 for rcpt_tos, _ in smtp_server.received)
    _, message = smtp_server.received[0]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "socitm-futures-minutes-2009-11-16-draft.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    message_ids = {message["Message-ID"] for _, message in smtp_server.received}
    assert len(message_ids) == 3
    assert "Email: 3 sent." in history(client, minutes.meeting)


def test_one_refused_recipient_does_not_stop_the_others(
    client_for, secretary, minutes, smtp_server, run_tasks
):
    smtp_server.refuse.add("ic@example.org")
    client = client_for(secretary)
    circulate(client, minutes)

    run_tasks()

    assert smtp_server.recipients == ["gl@example.org", "sh@example.org"]
    refused = OutgoingEmail.objects.get(to__contains="ic@example.org")
    assert refused.status == OutgoingEmail.Status.FAILED, "a 5xx refusal is not retried"
    assert refused.last_error == (
        "The mail server refused the address: 550 5.1.1 No such mailbox here"
    )
    assert "Email: 2 sent, 1 failed (given up)." in history(client, minutes.meeting)
    assert "550 5.1.1 No such mailbox here" in email_page(client, minutes.meeting)


def test_a_line_break_stored_in_a_name_does_not_stop_the_mail(
    client_for, secretary, meeting, people, smtp_server, run_tasks
):
    # Stored before names were checked, or written around the forms.
    Person.objects.filter(pk=people[2].pk).update(given_name="Suzanne\r\nBcc: x@evil.example")
    client = client_for(secretary)

    response = client.post(
        reverse("meetings:meeting_cancel", args=[meeting.pk]), {"reason": "Room flooded."}
    )
    assert response.status_code == 302
    run_tasks()

    assert smtp_server.recipients == ADDRESSES, "no one added, no one left out"
    to = next(m["To"] for _, m in smtp_server.received if "sh@example.org" in m["To"])
    assert "\n" not in to
    assert "Suzanne Bcc: x@evil.example Horner" in to
    assert statuses() == ["sent"] * 3


def test_recovery_sends_again_what_surely_did_not_go_and_never_what_may_have(
    client_for, secretary, minutes, smtp_server, run_tasks
):
    client = client_for(secretary)
    circulate(client, minutes)
    prepare_emails()
    # Workers took two emails' tasks and died: one before handing the email to the mail
    # server, one while handing it over. A third email's task was lost altogether.
    before, during, lost = OutgoingEmail.objects.order_by("pk")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    OutgoingEmail.objects.filter(pk__in=[before.pk, during.pk]).update(
        status="sending", attempts=1, attempted_at=an_hour_ago
    )
    OutgoingEmail.objects.filter(pk=during.pk).update(handed_over_at=an_hour_ago)
    OutgoingEmail.objects.filter(pk=lost.pk).update(queued_at=an_hour_ago)
    DBTaskResult.objects.filter(args_kwargs__args__in=[[before.pk], [during.pk]]).update(
        status="RUNNING"
    )
    DBTaskResult.objects.filter(args_kwargs__args=[lost.pk]).delete()
    run_tasks()
    assert smtp_server.received == [], "no task is left for any of them"

    assert services.recover() == (2, 1)
    requeue_stalled_tasks(older_than=datetime.timedelta(0))  # the dead workers' tasks run again
    run_tasks()

    assert sorted(smtp_server.recipients) == sorted(
        email.to.split("<")[1][:-1] for email in (before, lost)
    )
    assert OutgoingEmail.objects.get(pk=during.pk).status == "unconfirmed"
    assert statuses() == ["sent", "sent", "unconfirmed"]
    assert services.recover(grace=datetime.timedelta(0)) == (0, 0)
    assert "Email: 2 sent, 1 unconfirmed (may or may not have arrived)." in history(
        client, minutes.meeting
    )


def worker_process(settings) -> subprocess.Popen:
    """``manage.py db_worker`` in a process of its own, on the test's database."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EMAIL_BACKEND": settings.EMAIL_BACKEND,
        "EMAIL_HOST": settings.EMAIL_HOST,
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "EMAIL_TIMEOUT": str(settings.EMAIL_TIMEOUT),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name=email", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_a_worker_while_the_server_holds(smtp_server, settings) -> None:
    """Start a worker, SIGKILL it once the server holds its email, then let the server go on."""
    worker = worker_process(settings)
    try:
        assert smtp_server.arrived.wait(60), "the worker sent nothing"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        worker.kill()
        smtp_server.holding and smtp_server.holding.set()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_after_the_server_took_the_email_leaves_it_unconfirmed_not_sent_twice(
    client_for, secretary, minutes, smtp_server, run_tasks, settings
):
    client = client_for(secretary)
    circulate(client, minutes)
    prepare_emails()
    smtp_server.holding = threading.Event()  # the server has the email; its "250" waits
    kill_a_worker_while_the_server_holds(smtp_server, settings)
    [(_, taken)] = smtp_server.received
    assert statuses() == ["queued", "queued", "sending"], "claimed before the server was spoken to"

    run_tasks()  # another worker sends the others
    services.recover(grace=datetime.timedelta(0))
    requeue_stalled_tasks(older_than=datetime.timedelta(0))  # the killed worker's task runs again
    run_tasks(after=LATER)

    assert smtp_server.recipients == ADDRESSES, "each member once: none twice, none left out"
    assert statuses() == ["sent", "sent", "unconfirmed"]
    assert "Email: 2 sent, 1 unconfirmed (may or may not have arrived)." in history(
        client, minutes.meeting
    )
    page = email_page(client, minutes.meeting)
    assert "The sender stopped while sending; it may or may not have arrived." in page
    assert page.count("Send again") == 1

    unconfirmed = OutgoingEmail.objects.get(status="unconfirmed")
    response = client.post(reverse("outbox:email_retry", args=[unconfirmed.pk]), follow=True)
    assert "queued to be sent again" in response.content.decode()
    run_tasks()
    assert statuses() == ["sent"] * 3
    again = smtp_server.received[-1][1]
    assert again["Message-ID"] == taken["Message-ID"], "a mail client shows the two as one"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_before_handing_the_email_over_leaves_it_to_be_sent_again_once(
    client_for, secretary, minutes, smtp_server, run_tasks, settings
):
    client = client_for(secretary)
    circulate(client, minutes)
    prepare_emails()
    smtp_server.hold_at = "RCPT"
    smtp_server.holding = threading.Event()  # the server has not said yes to the address
    kill_a_worker_while_the_server_holds(smtp_server, settings)
    assert smtp_server.received == []
    smtp_server.hold_at = None

    run_tasks()
    assert services.recover(grace=datetime.timedelta(0)) == (1, 0)
    requeue_stalled_tasks(older_than=datetime.timedelta(0))
    run_tasks()

    assert smtp_server.recipients == ADDRESSES, "each member once: none twice, none left out"
    assert statuses() == ["sent"] * 3
    assert "Email: 3 sent." in history(client, minutes.meeting)


def test_an_email_whose_acceptance_never_came_back_is_unconfirmed_not_retried(
    client_for, secretary, minutes, smtp_server, run_tasks, settings
):
    settings.EMAIL_TIMEOUT = 1
    release = smtp_server.holding = threading.Event()
    client = client_for(secretary)
    circulate(client, minutes)

    try:
        run_tasks()
    finally:
        release.set()
    run_tasks(after=LATER)

    assert smtp_server.recipients == ADDRESSES, "none sent twice"
    assert statuses() == ["sent", "sent", "unconfirmed"]
    [unconfirmed] = OutgoingEmail.objects.filter(status="unconfirmed")
    assert unconfirmed.last_error.startswith(
        "The mail server was handed the email but its answer never came"
    )
    assert unconfirmed.attempts == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_slow_sender_marked_unconfirmed_still_records_that_the_email_was_sent(
    client_for, secretary, minutes, smtp_server, run_tasks
):
    """Recovery cannot tell a dead worker from a slow one; the slow one's answer wins."""
    circulate(client_for(secretary), minutes)
    prepare_emails()
    release = smtp_server.holding = threading.Event()

    def slow_worker(email_id):
        services.deliver(email_id)
        connection.close()

    worker = threading.Thread(target=slow_worker, args=[OutgoingEmail.objects.first().pk])
    worker.start()
    try:
        assert smtp_server.arrived.wait(10)
        assert services.recover(grace=datetime.timedelta(0)).unconfirmed == 1
    finally:
        release.set()
        worker.join(10)

    assert statuses() == ["queued", "queued", "sent"]


def test_the_email_page_costs_the_same_queries_for_three_emails_or_thirty(
    client_for, secretary, minutes, committee, smtp_down, run_tasks, django_assert_max_num_queries
):
    client = client_for(secretary)
    circulate(client, minutes)
    run_tasks()
    email_page(client, minutes.meeting)  # warm: sessions, permissions
    with django_assert_max_num_queries(12) as three:
        assert email_page(client, minutes.meeting).count("Failed, will retry") == 3
    queries = len(three.captured_queries)

    for n in range(27):
        MembershipFactory(committee=committee, person=PersonFactory(email=f"m{n}@example.org"))
    circulate(client, minutes)
    run_tasks()
    with django_assert_max_num_queries(queries):
        assert email_page(client, minutes.meeting).count("Failed, will retry") == 33
