"""Background work for minutes: rendering and committing published versions, and
rendering the PDF a circulation sends."""

from django_tasks import task

from config.busy import retry_when_busy
from minutes import services


@task(queue_name="pdf")
@retry_when_busy
def publish_minutes(*, minutes_id: int) -> int | None:
    """Publish the version asked for; returns its number (None if nothing was wanted)."""
    version = services.publication_complete(minutes_id=minutes_id)
    return version.number if version else None


@task(queue_name="pdf")
def circulate_minutes(*, event_id: int) -> int:
    """Render the circulation's PDF and queue its emails; returns how many were queued."""
    return services.circulation_complete(event_id=event_id)
