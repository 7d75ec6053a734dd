"""Queue emails with the change that calls for them, send each one, retry, and give up honestly.

``queue_emails`` is called inside the transaction that makes the change (minutes circulated,
a meeting cancelled or moved): the emails and their tasks are saved with it, or not at all.
A worker then sends each email on its own (``deliver``), so one recipient the mail server
refuses does not hold up the others. A failure the mail server may get over (it is down,
busy, or says "try later") is retried with back-off; after ``EMAIL_MAX_ATTEMPTS`` attempts,
or at once when the server refuses for good (a 5xx reply, an address it will never take),
the email is given up, with the reason, and the secretariat can send it again. An email the
server may have taken without the record saying so (the worker stopped mid-send, or the
server's answer never came) is never sent again by itself: it is "unconfirmed", and the
secretariat decides. So no email is sent twice and none is lost without a word.
"""

import contextlib
import datetime
import logging
import smtplib
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import Attachment, OutgoingEmail
from outbox.tasks import send_email

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status
WAITING = [Status.QUEUED, Status.RETRYING]


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

    The attempt is claimed — "sending", one more attempt, when — and committed before the
    mail server is contacted, in one conditional update: two workers holding a task for the
    same email send it once, and a worker that dies mid-send leaves it "sending" for
    ``recover`` to find. Just before the email's content goes over (DATA) that is committed
    too, so recovery knows whether the server could have it. An email is tried again by
    itself only when the mail server surely did not take it; when that is unknown it is
    "unconfirmed", for the secretariat to judge.
    """
    claimed_at = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, status__in=WAITING).update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        attempted_at=claimed_at,
        handed_over_at=None,
    )
    if not claimed:
        return "not waiting"
    email = OutgoingEmail.objects.select_related("attachment").get(pk=email_id)
    # What this attempt records, it records on its own claim: if recovery called it
    # unconfirmed meanwhile, the truth still lands; a later attempt is never overwritten.
    this_attempt = OutgoingEmail.objects.filter(
        pk=email_id, attempted_at=claimed_at, status__in=[Status.SENDING, Status.UNCONFIRMED]
    )

    def hand_over():
        if not this_attempt.filter(status=Status.SENDING).update(handed_over_at=timezone.now()):
            # Recovery took this attempt for dead and sent the email again: stop here.
            raise _Superseded

    connection = get_connection(fail_silently=False)
    content = None
    try:
        message = email.as_message()
        connection.open()
        content = _ContentWatch(connection, before=hand_over)
        connection.send_messages([message])
    except _Superseded:
        _close_quietly(connection)
        return "superseded"
    except Exception as error:  # whatever stops a send is recorded, never raised
        _close_quietly(connection)
        if content is not None and content.handed_over and not _answered(error):
            return _record_unconfirmed(email, this_attempt, error)
        return _record_failure(email, this_attempt, error)
    # Recorded before the connection is closed: the time between the mail server taking the
    # email and this record saying so is as short as it can be (see ``recover``).
    this_attempt.update(status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None)
    _close_quietly(connection)
    return Status.SENT


class _Superseded(Exception):
    """This attempt was given up for dead by recovery, and another one made."""


class _ContentWatch:
    """Whether a connection has begun handing the email's content over (SMTP's DATA), with
    ``before`` called just before it does.

    From then on an error with no reply from the server (a timeout, a dropped connection)
    leaves unknown whether it took the email: trying again could deliver it twice. A backend
    other than SMTP (console, file) is taken as handing over at once.
    """

    def __init__(self, connection, *, before):
        self.handed_over = False
        smtp = getattr(connection, "connection", None)  # Django's SMTP backend, once open
        if not isinstance(smtp, smtplib.SMTP):
            before()
            self.handed_over = True
            return
        data = smtp.data

        def watched_data(msg):
            before()
            self.handed_over = True
            return data(msg)

        smtp.data = watched_data


def _answered(error: Exception) -> bool:
    """True when the mail server replied with a refusal: it surely did not take the email."""
    return isinstance(error, smtplib.SMTPResponseException) and not isinstance(
        error, smtplib.SMTPServerDisconnected
    )


def _close_quietly(connection) -> None:
    with contextlib.suppress(Exception):  # the email's fate is already recorded
        connection.close()


def retry(email: OutgoingEmail) -> bool:
    """Send again an email given up or unconfirmed (the secretariat's "Send again").

    False if it was neither. The Message-ID stays the same, so a mail client that already
    has an unconfirmed email shows the two as one.
    """
    with transaction.atomic():
        requeued = OutgoingEmail.objects.filter(
            pk=email.pk, status__in=OutgoingEmail.RETRIABLE
        ).update(status=Status.QUEUED, attempts=0, next_attempt_at=None, queued_at=timezone.now())
        if requeued:
            send_email.enqueue(email.pk)
    return bool(requeued)


class Recovered(NamedTuple):
    requeued: int  # waiting with no task, or stopped before handing the email over: sent again
    unconfirmed: int  # stopped while handing the email over, or after: not sent again


def recover(*, grace: datetime.timedelta | None = None) -> Recovered:
    """Deal with what stopped workers left behind; the upkeep loop runs it (``recover_tasks``).

    An email waiting with no task (its worker was killed while holding it) gets a new task,
    and so does one left "sending" before its content was handed to the mail server. One
    left "sending" after that may have reached the server just before its worker stopped:
    it is marked unconfirmed and never sent again by itself — the secretariat sees it and
    decides. A worker merely slow past ``grace`` still records what happened when it ends
    (and one not yet handing over stops, seeing the email taken from it).
    """
    if grace is None:
        grace = datetime.timedelta(seconds=settings.EMAIL_TIMEOUT + 60)
    now = timezone.now()
    with transaction.atomic():
        requeued = 0
        for email in OutgoingEmail.objects.overdue(now, grace).select_for_update():
            send_email.enqueue(email.pk)
            requeued += 1
        stalled = OutgoingEmail.objects.stalled(now, grace)
        for email in stalled.filter(handed_over_at__isnull=True).select_for_update():
            email.status = Status.RETRYING
            email.last_error = "The sender stopped before handing the email over; sent again."
            email.next_attempt_at = now
            email.save(update_fields=["status", "last_error", "next_attempt_at"])
            send_email.enqueue(email.pk)
            requeued += 1
        stalled = stalled.filter(handed_over_at__isnull=False)
        unconfirmed_emails = list(stalled.values_list("pk", "to"))
        unconfirmed = stalled.update(
            status=Status.UNCONFIRMED,
            last_error=OutgoingEmail.UNCONFIRMED_STOPPED,
            next_attempt_at=None,
        )
    for pk, to in unconfirmed_emails:
        logger.warning("Email %s to %s: the sender stopped while sending (unconfirmed)", pk, to)
    return Recovered(requeued, unconfirmed)


def _record_unconfirmed(email: OutgoingEmail, this_attempt, error: Exception) -> str:
    reason = OutgoingEmail.UNCONFIRMED_NO_REPLY.format(error=error)
    this_attempt.update(status=Status.UNCONFIRMED, last_error=reason, next_attempt_at=None)
    logger.warning("Email %s to %s: %s", email.pk, email.to, reason)
    return Status.UNCONFIRMED


def _record_failure(email: OutgoingEmail, this_attempt, error: Exception) -> str:
    reason = describe_failure(error)
    with transaction.atomic():
        if is_permanent(error) or email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            status, next_attempt_at = Status.FAILED, None
        else:
            status = Status.RETRYING
            next_attempt_at = timezone.now() + backoff(email.attempts)
        recorded = this_attempt.update(
            status=status, last_error=reason, next_attempt_at=next_attempt_at
        )
        if recorded and status == Status.RETRYING:
            send_email.using(run_after=next_attempt_at).enqueue(email.pk)
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
