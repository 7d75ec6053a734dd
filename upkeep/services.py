"""One upkeep pass: the periodic chores, run by whichever copy of the loop claims them.

``manage.py run_upkeep`` runs a pass every ``UPKEEP_INTERVAL_SECONDS`` beside the web server
and the task worker (``make run``, ``make serve``); each chore also has a command of its own
for use by hand. Every chore is safe to repeat; the claim (``Chore.claim``) makes sure that,
of several copies running at once, one does each pass.
"""

import datetime
import logging

from django.conf import settings

from config.queue import prune_finished_tasks, requeue_stalled_tasks
from meetings.services import meetings_mark_held
from outbox.services import recover as emails_recover
from upkeep.models import Chore
from upkeep.stored_files import stored_files_prune

logger = logging.getLogger("minutebook.upkeep")

UPKEEP = "upkeep"
# A task still "running" this long after it started lost its worker (no task runs so long).
STALLED_AFTER = datetime.timedelta(minutes=15)
# Finished tasks stay visible in the admin this long, then go.
FINISHED_TASKS_KEPT = datetime.timedelta(days=30)


def stalled_work_recover(*, older_than: datetime.timedelta = STALLED_AFTER) -> str:
    """Run again what a killed task worker left behind: its tasks, and its emails (those that
    may have reached the mail server are marked unconfirmed, never sent again by themselves)."""
    tasks = requeue_stalled_tasks(older_than=older_than)
    emails = emails_recover()
    return (
        f"requeued {tasks} stalled task(s) and {emails.requeued} email(s); "
        f"{emails.unconfirmed} email(s) marked unconfirmed"
    )


def finished_tasks_prune() -> str:
    return f"deleted {prune_finished_tasks(older_than=FINISHED_TASKS_KEPT)} finished task(s)"


def held_meetings_mark() -> str:
    marked = meetings_mark_held()
    return f"marked {marked} meeting{'' if marked == 1 else 's'} held"


def orphaned_files_prune() -> str:
    grace = datetime.timedelta(seconds=settings.ORPHANED_FILE_GRACE_SECONDS)
    return stored_files_prune(older_than=grace).summary()


def sentence(phrase: str) -> str:
    """A chore's report as a sentence of its own, for a command's output."""
    return phrase[:1].upper() + phrase[1:] + "."


CHORES = [stalled_work_recover, finished_tasks_prune, held_meetings_mark, orphaned_files_prune]


def upkeep_pass(*, every: datetime.timedelta) -> str | None:
    """Run every chore, if no other copy has within ``every``; what was done, or None.

    A chore that fails (the store unreachable, say) is logged and the others still run.
    """
    if not Chore.claim(UPKEEP, every=every):
        return None
    done = []
    for chore in CHORES:
        try:
            done.append(chore())
        except Exception as error:
            logger.exception("Upkeep: %s failed", chore.__name__)
            done.append(f"{chore.__name__} failed ({type(error).__name__})")
    report = "Upkeep: " + "; ".join(done) + "."
    Chore.record(UPKEEP, report)
    return report
