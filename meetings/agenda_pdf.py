"""A published agenda as a PDF: rendered once per revision by a background task, then
served from storage like the minutes' PDFs.

What an agenda prints changes with its items, the meeting's details, the actions carried
forward from published minutes and the dates of later meetings. Rather than track each,
the printed HTML is the revision: its hash names the stored file. A reader's request
renders that HTML (milliseconds, against seconds for the PDF) and gets the stored PDF of
that revision; when there is none yet, a task renders it and the reader is asked to try
again in a moment. Readers cannot make the server render anything the agenda has not
changed to, however often they ask.
"""

import datetime
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from meetings.models import AgendaItem, Meeting
from minutes.document import FUTURE_MEETINGS_LIMIT
from minutes.models import Action, PublishedAction, previous_minutes_published
from minutes.pdf import html_to_pdf

PDF_TEMPLATE = "meetings/pdf/agenda.html"
# A reader who finds no PDF queues its rendering at most this often (seconds).
QUEUE_AGAIN_AFTER = 10


def agenda_context(meeting: Meeting, *, working_copy: bool = False) -> dict:
    """Everything the agenda shows; a fixed number of queries however long it is.

    Matters arising lists the actions as their minutes were published; only the
    secretariat's ``working_copy`` shows actions of minutes not yet published.
    """
    items = list(meeting.agenda_items.select_related("previous_meeting").order_by("position"))
    kinds = {item.kind for item in items}
    carried, carried_known = [], False
    if AgendaItem.Kind.MATTERS_ARISING in kinds:
        actions = Action if working_copy else PublishedAction
        carried_known = previous_minutes_published(meeting, published_only=not working_copy)
        carried = list(
            actions.objects.outstanding_at(meeting)
            .select_related("agenda_item", "minutes__meeting")
            .prefetch_related("owners")
            .order_by("minutes__meeting__date", "agenda_item__position", "position", "pk")
        )
    future = []
    if AgendaItem.Kind.FUTURE_MEETINGS in kinds:
        future = list(
            Meeting.objects.after(meeting).select_related("venue")[:FUTURE_MEETINGS_LIMIT]
        )
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "items": items,
        "carried_actions": carried,
        "carried_actions_known": carried_known,
        "future_meetings": future,
    }


def agenda_pdf_html(meeting: Meeting, *, working_copy: bool = False) -> str:
    return render_to_string(
        PDF_TEMPLATE,
        {**agenda_context(meeting, working_copy=working_copy), "link_base": settings.SITE_URL},
    )


def stored_name(meeting: Meeting, html: str) -> tuple[str, str]:
    """The storage name of the PDF printed from ``html``, and its revision (a hash)."""
    revision = hashlib.sha256(html.encode()).hexdigest()[:20]
    slug, date = meeting.committee.slug, meeting.date
    return f"agendas/{slug}/{date:%Y}/{slug}-agenda-{date.isoformat()}-{revision}.pdf", revision


# A name stored_name gives (or a racing writer's renamed copy of one), read back.
_STORED_NAME = re.compile(
    r"^agendas/(?P<slug>[^/]+)/\d{4}/(?P=slug)-agenda-(?P<date>[\d-]{10})-\w+\.pdf$"
)


def current_agenda_pdfs(names) -> set[str]:
    """Which of the stored ``names`` are the PDF of a published agenda as it reads now.

    Agenda PDFs are named by revision, not recorded in a row: the older revisions of an
    agenda, and the agendas of meetings gone or unpublished, are not current.
    """
    wanted: dict[tuple[str, str], set[str]] = {}
    for name in names:
        if match := _STORED_NAME.match(name):
            wanted.setdefault((match["slug"], match["date"]), set()).add(name)
    current = set()
    for (slug, date), candidates in wanted.items():
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            continue
        meeting = (
            Meeting.objects.select_related("committee")
            .filter(committee__slug=slug, date=day)
            .first()
        )
        if meeting and meeting.agenda_is_published:
            current |= candidates & {stored_name(meeting, agenda_pdf_html(meeting))[0]}
    return current


def agenda_pdf_store(*, meeting: Meeting) -> str | None:
    """Render and store the reader's PDF of the agenda as it is now, unless stored already.

    The name says which revision it is, so a PDF is never overwritten or renamed: a
    rerun, or two workers at once, store the same file once.
    """
    if not meeting.agenda_is_published:
        return None
    html = agenda_pdf_html(meeting)
    name, _ = stored_name(meeting, html)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(html_to_pdf(html)))
        if saved != name:  # another worker stored it between our look and our write
            default_storage.delete(saved)
    return name


@task(queue_name="pdf")
def render_agenda_pdf(*, meeting_id: int) -> str | None:
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    return agenda_pdf_store(meeting=meeting) if meeting else None


def queue_agenda_pdf(
    meeting: Meeting, *, once_per: str = "", after: datetime.timedelta | None = None
) -> None:
    """Queue the rendering of the agenda's PDF, unless the same was queued just now.

    ``once_per`` names what is queued once (a revision; by default, the meeting: a
    burst of changes queues one rendering); ``after`` delays it, to let a burst end.
    """
    key = f"agenda-pdf:queued:{meeting.pk}:{once_per}"
    if not cache.add(key, True, QUEUE_AGAIN_AFTER):
        return
    queued = render_agenda_pdf
    if after:
        queued = queued.using(run_after=timezone.now() + after)
    queued.enqueue(meeting_id=meeting.pk)


def stored_agenda_pdf(meeting: Meeting):
    """(the open stored PDF of the agenda as readers see it now, its revision).

    The file is None when this revision has not been rendered yet; its rendering is
    then queued (once a minute at most, however many readers ask).
    """
    name, revision = stored_name(meeting, agenda_pdf_html(meeting))
    try:
        return default_storage.open(name, "rb"), revision
    except FileNotFoundError:
        queue_agenda_pdf(meeting, once_per=revision)
        return None, revision
