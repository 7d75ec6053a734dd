"""The files of minutes imported from a committee's archive, kept as they were received."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from meetings.models import Meeting
from members.models import Committee


def imported_document_path(document: "ImportedDocument", filename: str) -> str:
    return f"imported/{document.committee.slug}/{document.sha256[:16]}/{filename}"


class ImportedDocument(models.Model):
    """One imported file: the meeting made from it, and the file itself, byte for byte.

    The content hash is unique per committee, so the same file is not imported twice by
    accident; importing it again on purpose replaces the draft made from it.
    """

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="imported_documents"
    )
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="imported_document"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=imported_document_path, max_length=400)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "sha256"],
                name="imported_document_once_per_committee",
                violation_error_message="This file has already been imported for this committee.",
            )
        ]

    def __str__(self):
        return self.filename


def upload_path(upload: "ImportUpload", filename: str) -> str:
    return f"imports/{upload.committee.slug}/{upload.sha256[:16]}/{filename}"


class ImportUpload(models.Model):
    """A file uploaded in the workspace to be read, reviewed and saved as draft minutes.

    Reading runs as a background task, never in the request; nothing reaches the committee's
    record until the secretary saves the reviewed draft.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be read"
        PARSING = "parsing", "Being read"
        READY = "ready", "Ready to review"
        FAILED = "failed", "Could not be read"
        SAVED = "saved", "Saved"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=upload_path, max_length=400, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    error = models.CharField(max_length=500, blank=True)
    source_text = models.TextField(blank=True)
    draft = models.JSONField(default=dict, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    @property
    def being_read(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.PARSING}
