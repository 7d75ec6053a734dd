"""Background work for minutes: rendering and committing published versions, and
rendering the PDF a circulation sends."""

import functools

from django_tasks import task

from config.busy import database_is_busy, retry_when_busy
from minutes import services


def _failure_said_by(record_failure):
    """A task whose failure is recorded where the secretariat looks (``record_failure`` with
    the task's arguments and the error) before the task fails with it. A busy database is
    not a failure: ``retry_when_busy`` waits it out."""

    def decorate(function):
        @functools.wraps(function)
        def run(**kwargs):
            try:
                return function(**kwargs)
            except Exception as error:
                if not database_is_busy(error):
                    record_failure(error=error, **kwargs)
                raise

        return run

    return decorate


@task(queue_name="pdf")
@retry_when_busy
@_failure_said_by(services.publication_failed)
def publish_minutes(*, minutes_id: int) -> int | None:
    """Publish the version asked for; returns its number (None if nothing was wanted)."""
    version = services.publication_complete(minutes_id=minutes_id)
    return version.number if version else None


@task(queue_name="pdf")
@retry_when_busy
@_failure_said_by(services.circulation_failed)
def circulate_minutes(*, event_id: int) -> int:
    """Render the circulation's PDF and queue its emails; returns how many were queued."""
    return services.circulation_complete(event_id=event_id)
