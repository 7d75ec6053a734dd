"""Queue emails with the change that calls for them, send each one, retry, and give up honestly.

``queue_emails`` is called inside the transaction that makes the change (minutes circulated,
a meeting cancelled or moved): the emails and their tasks are saved with it, or not at all.
A worker then sends each email on its own (``deliver``), so one recipient the mail server
refuses does not hold up the others. A failure the mail server may get over (it is down,
busy, or says "try later") is retried with back-off; after ``EMAIL_MAX_ATTEMPTS`` attempts,
or at once when the server refuses for good (a 5xx reply, an address it will never take),
the email is given up, with the reason, and the secretariat can send it again.
"""

import contextlib
import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import Attachment, OutgoingEmail
from outbox.tasks import send_email

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status


def queue_emails(
    messages: Iterable[tuple[object, EmailMultiAlternatives]],
    *,
    kind: str,
    meeting=None,
    minutes_event=None,
) -> list[OutgoingEmail]:
    """Record each ``(person, message)`` as an email to send, and enqueue its sending.

    Call it inside the transaction of the change the emails announce. Attachments with
    the same name and content are stored once.
    """
    attachments: dict[tuple[str, bytes], Attachment] = {}
    emails = []
    with transaction.atomic():
        for person, message in messages:
            attachment = None
            if message.attachments:
                [(filename, content, content_type)] = message.attachments
                key = (filename, content)
                if key not in attachments:
                    attachments[key] = Attachment.for_content(filename, content, content_type)
                attachment = attachments[key]
            html = next(
                (body for body, mimetype in message.alternatives if mimetype == "text/html"), ""
            )
            emails.append(
                OutgoingEmail(
                    kind=kind,
                    meeting=meeting,
                    minutes_event=minutes_event,
                    person=person,
                    to=message.to[0],
                    subject=message.subject,
                    body=message.body,
                    html=html,
                    attachment=attachment,
                    message_id=OutgoingEmail.new_message_id(),
                )
            )
        for email in emails:
            email.save()
            send_email.enqueue(email.pk)
    return emails


def deliver(email_id: int) -> str:
    """Send one queued email, and record what happened. Returns the email's new status.

    Claiming the email is one conditional update, so two workers holding a task for the
    same email (a recovered task, say) send it once.
    """
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status__in=[Status.QUEUED, Status.RETRYING]
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, attempted_at=now)
    if not claimed:
        return "not waiting"
    email = OutgoingEmail.objects.select_related("attachment").get(pk=email_id)
    connection = get_connection(fail_silently=False)
    try:
        message = email.as_message()
        connection.open()
        connection.send_messages([message])
    except Exception as error:  # whatever stops a send is recorded, never raised
        _close_quietly(connection)
        return _record_failure(email, error)
    # Recorded before the connection is closed: the time between the mail server taking the
    # email and this record saying so is as short as it can be (see ``recover``).
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None
    )
    _close_quietly(connection)
    return Status.SENT


def _close_quietly(connection) -> None:
    with contextlib.suppress(Exception):  # the email's fate is already recorded
        connection.close()


def retry(email: OutgoingEmail) -> bool:
    """Send a given-up email again (the secretariat's "Retry"); False if it was not given up."""
    with transaction.atomic():
        requeued = OutgoingEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=None, queued_at=timezone.now()
        )
        if requeued:
            send_email.enqueue(email.pk)
    return bool(requeued)


def recover(*, grace: datetime.timedelta | None = None) -> int:
    """Give every overdue email a fresh task; return how many.

    A worker killed while holding an email's task leaves it waiting with no task, or
    "sending" with no one sending it. Run from cron (``manage.py recover_tasks``). An email
    left "sending" may have reached the mail server just before the worker stopped: it is
    sent again with the same Message-ID, which mail clients show as one message.
    """
    grace = grace or datetime.timedelta(seconds=settings.EMAIL_TIMEOUT + 60)
    now = timezone.now()
    recovered = 0
    with transaction.atomic():
        for email in OutgoingEmail.objects.overdue(now, grace).select_for_update():
            if email.status == Status.SENDING:
                email.status = Status.RETRYING
                email.last_error = "The worker stopped while sending; sent again."
                email.next_attempt_at = now
                email.save(update_fields=["status", "last_error", "next_attempt_at"])
            send_email.enqueue(email.pk)
            recovered += 1
    return recovered


def _record_failure(email: OutgoingEmail, error: Exception) -> str:
    reason = describe_failure(error)
    permanent = is_permanent(error)
    attempts = OutgoingEmail.objects.values_list("attempts", flat=True).get(pk=email.pk)
    with transaction.atomic():
        if permanent or attempts >= settings.EMAIL_MAX_ATTEMPTS:
            status, next_attempt_at = Status.FAILED, None
        else:
            status = Status.RETRYING
            next_attempt_at = timezone.now() + backoff(attempts)
            send_email.using(run_after=next_attempt_at).enqueue(email.pk)
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=status, last_error=reason, next_attempt_at=next_attempt_at
        )
    logger.warning("Email %s to %s: %s (%s)", email.pk, email.to, reason, status)
    return status


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failure: doubling, from EMAIL_RETRY_SECONDS."""
    seconds = settings.EMAIL_RETRY_SECONDS * 2 ** (attempts - 1)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def is_permanent(error: Exception) -> bool:
    """True when sending again cannot help: the server refused for good, or the email is bad."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500 and not isinstance(
            error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError
        )
    return isinstance(error, ValueError)  # a header Django refuses to write (BadHeaderError)


def describe_failure(error: Exception) -> str:
    """A sentence for the secretariat: what the mail server said, or why it could not be reached."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = "; ".join(
            f"{code} {_text(message)}" for code, message in error.recipients.values()
        )
        return f"The mail server refused the address: {replies}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server said: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, ConnectionRefusedError):
        return "Could not reach the mail server: connection refused."
    if isinstance(error, TimeoutError):
        return "Could not reach the mail server: it did not answer in time."
    if isinstance(error, OSError):
        return f"Could not reach the mail server: {error.strerror or error}."
    if isinstance(error, smtplib.SMTPException):
        return f"The mail server failed: {error}"
    return f"The email could not be written: {error}"


def _text(message) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)
