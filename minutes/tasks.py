"""Background work for minutes: rendering and committing published versions, and
rendering the PDF a circulation sends."""

from django_tasks import task

from config.busy import database_is_busy, retry_when_busy
from minutes import services


@task(queue_name="pdf")
@retry_when_busy
def publish_minutes(*, minutes_id: int) -> int | None:
    """Publish the version asked for; returns its number (None if nothing was wanted)."""
    try:
        version = services.publication_complete(minutes_id=minutes_id)
    except Exception as error:
        # A busy database is waited out (retry_when_busy); anything else is said where the
        # secretariat looks, and the task fails with it.
        if not database_is_busy(error):
            services.publication_failed(minutes_id=minutes_id, error=error)
        raise
    return version.number if version else None


@task(queue_name="pdf")
@retry_when_busy
def circulate_minutes(*, event_id: int) -> int:
    """Render the circulation's PDF and queue its emails; returns how many were queued."""
    try:
        return services.circulation_complete(event_id=event_id)
    except Exception as error:
        if not database_is_busy(error):
            services.circulation_failed(event_id=event_id, error=error)
        raise
