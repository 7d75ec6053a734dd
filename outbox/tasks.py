"""The outbox's background task: one email to one recipient per run."""

from django_tasks import task


@task(queue_name="email")
def send_email(email_id: int) -> str:
    from outbox.services import deliver

    return deliver(email_id)
