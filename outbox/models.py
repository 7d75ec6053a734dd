"""Every email Minutebook sends to a person, one row per recipient, and what became of it.

An email is written in full when it is queued — subject, text, HTML, attachment — so what is
sent, even on a retry an hour later, is what the secretariat circulated, and the record
says exactly what happened to it: queued, sending, sent, failed and retrying, given up, or
unconfirmed (the sender stopped while the mail server had it: it may or may not have arrived).
"""

import collections
import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone


class Attachment(models.Model):
    """A file sent with emails; stored once for all the recipients of one circulation."""

    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    def __str__(self):
        return self.filename

    @classmethod
    def for_content(cls, filename: str, content: bytes, content_type: str) -> "Attachment":
        return cls.objects.create(
            filename=filename,
            content_type=content_type,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )


class OutgoingEmailQuerySet(models.QuerySet):
    def status_counts(self) -> dict[str, int]:
        """{"sent": 3, "retrying": 1, …}: how the emails in this set stand.

        Counted from the rows already fetched when there are some (``prefetch_related``), so a
        page listing many sets of emails asks once, not once per set.
        """
        if self._result_cache is not None:
            return dict(collections.Counter(email.status for email in self._result_cache))
        return dict(self.order_by().values_list("status").annotate(n=Count("pk")))

    def summary(self) -> str:
        """ "2 sent, 1 failed (will retry)": how the emails in this set stand, in words."""
        counts = self.status_counts()
        return ", ".join(
            f"{counts[status]} {OutgoingEmail.SUMMARY[status]}"
            for status in OutgoingEmail.Status
            if counts.get(status)
        )

    def overdue(self, now: datetime.datetime, grace: datetime.timedelta):
        """Emails waiting to be sent ``grace`` after they were due: their task was lost (a
        worker killed while holding it)."""
        S = OutgoingEmail.Status
        late = now - grace
        return self.filter(status__in=[S.QUEUED, S.RETRYING]).filter(
            Q(next_attempt_at__lte=late) | Q(next_attempt_at__isnull=True, queued_at__lte=late)
        )

    def stalled(self, now: datetime.datetime, grace: datetime.timedelta):
        """Emails still "sending" ``grace`` after the attempt began: the worker stopped mid-send."""
        return self.filter(status=OutgoingEmail.Status.SENDING, attempted_at__lte=now - grace)


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed, will retry"
        FAILED = "failed", "Failed, given up"
        # Never sent again by itself: only the secretariat, knowing it may have arrived, does.
        UNCONFIRMED = "unconfirmed", "Unconfirmed, may or may not have arrived"

    # How a count of emails in each state reads: "2 sent, 1 failed (will retry)".
    SUMMARY = {
        Status.QUEUED: "queued",
        Status.SENDING: "sending",
        Status.SENT: "sent",
        Status.RETRYING: "failed (will retry)",
        Status.FAILED: "failed (given up)",
        Status.UNCONFIRMED: "unconfirmed (may or may not have arrived)",
    }
    # Why an email is unconfirmed, for the secretariat deciding whether to send it again.
    UNCONFIRMED_STOPPED = (
        "The sender stopped while sending; it may or may not have arrived. "
        "Send it again only if the recipient did not get it."
    )
    UNCONFIRMED_NO_REPLY = (
        "The mail server was handed the email but its answer never came ({error}); "
        "it may or may not have arrived. Send it again only if the recipient did not get it."
    )

    class Kind(models.TextChoices):
        CIRCULATION = "circulation", "Minutes circulated"
        MEETING_CANCELLED = "meeting_cancelled", "Meeting cancelled"
        MEETING_MOVED = "meeting_moved", "Meeting moved"
        INVITATION = "invitation", "Invitation to log in"

    kind = models.CharField(max_length=30, choices=Kind)
    # The meeting the email is about; none for an invitation to log in.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
    )
    # The history entry of a circulation, so the history can say how its emails stand.
    minutes_event = models.ForeignKey(
        "minutes.MinutesEvent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to = models.CharField("to", max_length=400, help_text="Name and address, as sent.")
    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True)
    attachment = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The same on every attempt, so a mail client shows a repeat (after a worker was killed
    # between the mail server accepting it and this row saying so) as one message.
    message_id = models.CharField(max_length=255, unique=True)

    status = models.CharField(max_length=12, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    # When the latest attempt was claimed, committed before the mail server is contacted.
    attempted_at = models.DateTimeField(null=True, blank=True)
    # When the latest attempt began handing the content over (SMTP's DATA), committed first:
    # a worker that stopped before this surely did not deliver it, one after may have.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbox_sent_has_time",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}: {self.get_status_display().lower()}"

    @staticmethod
    def new_message_id() -> str:
        return f"<{uuid.uuid4().hex}@{_message_id_domain()}>"

    def as_message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject,
            self.body,
            to=[self.to],
            headers={"Message-ID": self.message_id},
        )
        if self.html:
            message.attach_alternative(self.html, "text/html")
        if self.attachment_id:
            attachment = self.attachment
            message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
        return message

    # Those the secretariat may send again: given up, or perhaps never arrived.
    RETRIABLE = (Status.FAILED, Status.UNCONFIRMED)

    @property
    def can_be_retried(self) -> bool:
        return self.status in self.RETRIABLE


def _message_id_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")
    return address or "minutebook"
