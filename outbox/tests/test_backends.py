"""Every email backend the README offers delivers through the outbox, configured from the
environment: the console (development), files (EMAIL_FILE_PATH), memory (tests) and SMTP
(see test_delivery.py)."""

import datetime

import pytest

from config.tests.test_settings import run_manage
from meetings.services import meeting_cancel
from meetings.tests.factories import MeetingFactory
from members.tests.factories import MembershipFactory, PersonFactory
from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee):
    MembershipFactory(committee=committee, person=PersonFactory(email="sh@example.org"))
    return MeetingFactory(
        committee=committee, date=datetime.date.today() + datetime.timedelta(days=30)
    )


def cancel(meeting, run_tasks):
    meeting.status = meeting.Status.SCHEDULED
    meeting.save()
    meeting_cancel(meeting=meeting, reason="Room flooded.")
    run_tasks()
    assert OutgoingEmail.objects.get().status == "sent"


def test_the_file_backend_writes_each_email_into_email_file_path(
    meeting, run_tasks, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "sent"

    cancel(meeting, run_tasks)

    [written] = (tmp_path / "sent").iterdir()
    text = written.read_text()
    assert "sh@example.org" in text
    assert "Room flooded." in text


def test_the_console_backend_prints_each_email(meeting, run_tasks, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    cancel(meeting, run_tasks)

    assert "Room flooded." in capsys.readouterr().out


def test_email_file_path_is_read_from_the_environment(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_FILE_PATH)",
        env={"DEBUG": "true", "EMAIL_FILE_PATH": str(tmp_path / "mail")},
    )
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "mail"), result.stderr
