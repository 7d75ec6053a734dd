"""Reading an uploaded file of minutes: a background task, so a large file never holds a request."""

from django.db import transaction
from django_tasks import task

from .models import ImportUpload
from .parse import parse_minutes
from .readers import UnreadableFile, read_text


@task()
def read_upload(upload_id: int) -> str:
    """Read and parse one upload; a file that cannot be read is refused and its bytes deleted."""
    upload = ImportUpload.objects.filter(pk=upload_id, status=ImportUpload.Status.QUEUED).first()
    if upload is None:
        return "gone"
    with upload.file.open("rb") as stored:
        data = stored.read()
    try:
        text = read_text(upload.filename, data)
    except UnreadableFile as error:
        stored_name = upload.file.name
        upload.status = ImportUpload.Status.FAILED
        upload.error = str(error)[:500]
        upload.file = ""
        upload.save(update_fields=["status", "error", "file"])
        transaction.on_commit(lambda: ImportUpload.file.field.storage.delete(stored_name))
        return "failed"
    draft = parse_minutes(text)
    upload.source_text = text
    upload.draft = {
        **draft.as_json(),
        "venue": draft.venue,
        "start_time": draft.start_time.isoformat() if draft.start_time else None,
        "line_kinds": {str(k): v for k, v in draft.line_kinds.items()},
    }
    upload.status = ImportUpload.Status.READY
    upload.save(update_fields=["source_text", "draft", "status"])
    return "ready"
