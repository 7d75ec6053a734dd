"""Reading an uploaded file of minutes: a background task, so a large file never holds a request."""

from django.db import transaction
from django_tasks import task

from .models import ImportUpload
from .parse import parse_minutes
from .readers import UnreadableFile, read_text

UNEXPECTED = (
    "{name} could not be read: something went wrong in Minutebook, and the administrators have "
    "been told. Try it again later, or import a Word, PDF or text copy of it."
)


@task()
def read_upload(upload_id: int) -> str:
    """Read and parse one upload; a file that cannot be read is refused and its bytes deleted.

    The upload is marked as being read first (autocommitted, so the list of uploads shows it);
    whatever happens, it ends ready or failed, so that list never waits for it for ever."""
    queued = ImportUpload.objects.filter(pk=upload_id, status=ImportUpload.Status.QUEUED)
    if not queued.update(status=ImportUpload.Status.PARSING):
        return "gone"
    upload = ImportUpload.objects.get(pk=upload_id)
    try:
        with upload.file.open("rb") as stored:
            data = stored.read()
        text = read_text(upload.filename, data)
        draft = parse_minutes(text)
    except UnreadableFile as error:
        _refuse(upload, str(error))
        return "failed"
    except Exception:
        _refuse(upload, UNEXPECTED.format(name=upload.filename))
        raise  # recorded as the task's failure, and logged
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


def _refuse(upload: ImportUpload, message: str) -> None:
    stored_name = upload.file.name
    upload.status = ImportUpload.Status.FAILED
    upload.error = message[:500]
    upload.file = ""
    upload.save(update_fields=["status", "error", "file"])
    if stored_name:
        transaction.on_commit(lambda: ImportUpload.file.field.storage.delete(stored_name))
