"""The secretariat's workspace: committees, their meetings, agendas and attendance;
and the published agenda, online and as PDF."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from config.page_cache import kept_per_reader
from config.pagination import page_of
from meetings import services
from meetings.agenda_pdf import agenda_context, agenda_pdf_html, stored_agenda_pdf
from meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    GuestForm,
    MeetingCancelForm,
    MeetingEditForm,
    MeetingMoveForm,
    MeetingScheduleForm,
    SeriesDateFormSet,
    SeriesDetailsForm,
    SeriesRuleForm,
    VenueForm,
)
from meetings.models import AgendaItem, Attendance, Meeting, Venue
from members import detours
from members.models import Committee, Person
from members.pages import ListPages, form_page, require_form_methods
from members.pages import perform as _perform
from members.pages import post_data as _post_data
from members.pages import show_error as _show_error
from members.roles import is_secretariat, secretariat_required
from minutes.access import meeting_or_404, refuse
from minutes.pdf import html_to_pdf as render_html_to_pdf

PAST_MEETINGS_PAGE_SIZE = 50
AGENDA_PAGE_SIZE = 100


def _long(day) -> str:
    return date_format(day, "l j F Y")


def _meeting_or_404(pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("committee", "venue", "minutes", "agenda_published_by"),
        pk=pk,
    )


def _form_page(request, form, operation: Callable, *, done: Callable, page: dict):
    committee = page.get("committee") or page["meeting"].committee
    return form_page(request, form, operation, done=done, page={**page, "committee": committee})


def _hub(meeting: Meeting) -> str:
    return reverse("meetings:meeting_workspace", args=[meeting.pk])


def _agenda(meeting: Meeting) -> str:
    return reverse("meetings:agenda_workspace", args=[meeting.pk])


# -- Hubs ---------------------------------------------------------------------------


@kept_per_reader
@secretariat_required
@require_safe
def workspace(request):
    """Start page: every committee with its next meeting and minutes awaiting work."""
    today = timezone.localdate()
    committees = Committee.objects.all()
    upcoming = Meeting.objects.upcoming(today).select_related("committee", "venue")[:10]
    recent = (
        Meeting.objects.filter(date__lt=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("committee", "minutes")
        .order_by("-date")[:10]
    )
    return render(
        request,
        "meetings/workspace/home.html",
        {"committees": committees, "upcoming": upcoming, "recent": recent},
    )


@kept_per_reader
@secretariat_required
@require_safe
def committee_workspace(request, slug):
    """A committee's meetings: upcoming first (soonest first), then past (latest first), a
    page at a time."""
    committee = get_object_or_404(Committee.objects.select_related("default_venue"), slug=slug)
    today = timezone.localdate()
    meetings = committee.meetings.select_related("venue", "minutes")
    return render(
        request,
        "meetings/workspace/committee.html",
        {
            "committee": committee,
            "member_count": committee.memberships.current().count(),
            "upcoming": meetings.filter(date__gte=today).order_by("date", "start_time"),
            "past": page_of(
                request,
                meetings.filter(date__lt=today).order_by("-date", "-start_time"),
                PAST_MEETINGS_PAGE_SIZE,
            ),
        },
    )


@kept_per_reader
@secretariat_required
@require_safe
def meeting_workspace(request, pk):
    """A meeting's hub: its details and status, and the way to its agenda and attendance."""
    meeting = _meeting_or_404(pk)
    status = Attendance.Status
    counts = meeting.attendances.aggregate(
        present=Count("pk", filter=Q(status=status.PRESENT)),
        apologies=Count("pk", filter=Q(status=status.APOLOGIES)),
        absent=Count("pk", filter=Q(status=status.ABSENT)),
    )
    return render(
        request,
        "meetings/workspace/meeting.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "attendance_counts": counts,
            "agenda_count": meeting.agenda_items.count(),
            "may_move": meeting.can_be_moved() is None,
            "may_cancel": meeting.can_be_cancelled() is None,
        },
    )


# -- Venues -------------------------------------------------------------------------


@kept_per_reader
@secretariat_required
@require_safe
def venues(request):
    """Every venue, with how many meetings were held there."""
    every = Venue.objects.annotate(meeting_count=Count("meetings"))
    return render(request, "meetings/workspace/venues.html", {"venues": every})


VENUES = ListPages(
    form=VenueForm,
    create=services.venue_save,
    update=lambda venue, **data: services.venue_save(venue=venue, **data),
    list_url="meetings:venues",
    trail="Venues",
    add="Add a venue",
    add_submit="Add the venue",
    added=lambda venue: f"Added the venue {venue}.",
    saved=lambda venue: f"Saved the venue {venue}.",
)


# A new venue opened from another form (``next``) goes back there with it chosen.
venue_new, venue_edit = VENUES.views(Venue.objects.all())


# -- Scheduling ---------------------------------------------------------------------


@secretariat_required
@require_form_methods
def meeting_schedule(request, slug):
    committee = get_object_or_404(Committee.objects.select_related("default_venue"), slug=slug)
    if detours.wants_detour(request) == "venue":
        return detours.detour(request, to=reverse("meetings:venue_new"), field="venue")
    form = MeetingScheduleForm(
        _post_data(request),
        instance=Meeting(committee=committee),
        initial=detours.resumed(request),
    )
    return _form_page(
        request,
        form,
        lambda data: services.meeting_schedule(committee=committee, **data),
        done=lambda meeting: (
            f"Scheduled the meeting on {_long(meeting.date)}. "
            "Its agenda starts from the standard items.",
            _hub(meeting),
        ),
        page={
            "committee": committee,
            "heading": f"Schedule a meeting of {committee}",
            "submit": "Schedule the meeting",
            "back": ("meetings:committee_workspace", committee.slug),
        },
    )


@secretariat_required
@require_form_methods
def meeting_schedule_series(request, slug):
    """A year's meetings in two steps: a rule gives the dates; the dates, edited, are saved."""
    committee = get_object_or_404(Committee.objects.select_related("default_venue"), slug=slug)
    action = request.POST.get("action") if request.method == "POST" else None
    if action not in ("preview", "check", "save"):
        rule = SeriesRuleForm(_post_data(request) if action else None, committee=committee)
        return render(
            request, "meetings/workspace/series_rule.html", {"committee": committee, "form": rule}
        )

    details = SeriesDetailsForm(request.POST, committee=committee)
    if action == "preview":
        rule = SeriesRuleForm(request.POST, committee=committee)
        if not rule.is_valid():
            return render(
                request,
                "meetings/workspace/series_rule.html",
                {"committee": committee, "form": rule},
            )
        dates = SeriesDateFormSet.for_dates(rule.cleaned_data["dates"], committee=committee)
    else:
        dates = SeriesDateFormSet(request.POST, committee=committee)

    if details.is_valid() and dates.is_valid() and action != "preview":
        if action == "check":
            dates = SeriesDateFormSet.for_dates(dates.dates, committee=committee)
        else:
            try:
                meetings = services.meeting_schedule_series(
                    committee=committee, dates=dates.dates, **details.cleaned_data
                )
            except ValidationError as error:
                _show_error(details, error)
            else:
                messages.success(
                    request,
                    f"Scheduled {len(meetings)} meetings, from {_long(meetings[0].date)} "
                    f"to {_long(meetings[-1].date)}.",
                )
                return redirect("meetings:committee_workspace", committee.slug)
    dates.is_valid()  # so a fresh list shows its clashes at once
    return render(
        request,
        "meetings/workspace/series_dates.html",
        {"committee": committee, "details": details, "dates": dates},
    )


@secretariat_required
@require_form_methods
def meeting_edit(request, pk):
    meeting = _meeting_or_404(pk)
    if detours.wants_detour(request) == "venue":
        return detours.detour(request, to=reverse("meetings:venue_new"), field="venue")
    form = MeetingEditForm(_post_data(request), instance=meeting, initial=detours.resumed(request))
    return _form_page(
        request,
        form,
        lambda data: services.meeting_update(meeting=meeting, **data),
        done=lambda meeting: ("Saved the meeting’s details.", _hub(meeting)),
        page={
            "meeting": meeting,
            "heading": f"Edit the meeting of {_long(meeting.date)}",
            "submit": "Save",
            "back": ("meetings:meeting_workspace", meeting.pk),
        },
    )


def _refuse(request, meeting: Meeting, why: str | None):
    """Back to the meeting, saying ``why`` not, when there is a reason; else None."""
    if why is None:
        return None
    messages.error(request, why)
    return redirect("meetings:meeting_workspace", meeting.pk)


@secretariat_required
@require_form_methods
def meeting_cancel(request, pk):
    meeting = _meeting_or_404(pk)
    if refused := _refuse(request, meeting, meeting.can_be_cancelled()):
        return refused
    form = MeetingCancelForm(_post_data(request))
    return _form_page(
        request,
        form,
        lambda data: services.meeting_cancel(meeting=meeting, **data),
        done=lambda meeting: (
            "Cancelled the meeting. The committee’s members are being emailed.",
            _hub(meeting),
        ),
        page={
            "meeting": meeting,
            "heading": f"Cancel the meeting of {_long(meeting.date)}",
            "intro": "Members see the reason beside the meeting, and each current member with "
            "an email address is told.",
            "submit": "Cancel the meeting",
            "submit_class": "btn-danger",
            "back": ("meetings:meeting_workspace", meeting.pk),
            "back_label": "Keep the meeting",
        },
    )


@secretariat_required
@require_form_methods
def meeting_move(request, pk):
    meeting = _meeting_or_404(pk)
    if refused := _refuse(request, meeting, meeting.can_be_moved()):
        return refused
    old_date = meeting.date
    form = MeetingMoveForm(_post_data(request), meeting=meeting)
    return _form_page(
        request,
        form,
        lambda data: services.meeting_move(meeting=meeting, **data),
        done=lambda meeting: (
            f"Moved the meeting of {_long(old_date)} to {_long(meeting.date)}. "
            "The committee’s members are being emailed.",
            _hub(meeting),
        ),
        page={
            "meeting": meeting,
            "heading": f"Move the meeting of {_long(meeting.date)}",
            "intro": "Members see where the meeting moved from, and why; each current member "
            "with an email address is told.",
            "submit": "Move the meeting",
            "back": ("meetings:meeting_workspace", meeting.pk),
        },
    )


# -- Preparing the agenda -------------------------------------------------------------


def _item_or_404(meeting_pk, item_pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting__committee"),
        pk=item_pk,
        meeting_id=meeting_pk,
    )


@kept_per_reader
@secretariat_required
@require_safe
def agenda_workspace(request, pk):
    """The agenda being prepared: its items, in order, with what can be done to each; a
    hundred items a page, so that an agenda of a thousand stays quick to open."""
    meeting = _meeting_or_404(pk)
    page = page_of(
        request,
        meeting.agenda_items.select_related("previous_meeting").order_by("position"),
        AGENDA_PAGE_SIZE,
    )
    items = list(page)
    minuted = set(
        meeting.agenda_items.filter(pk__in=[item.pk for item in items])
        .with_minutes_content()
        .values_list("pk", flat=True)
        .distinct()
    )
    # Up and down stop at the first and last of an item's siblings, wherever the page ends.
    first_sibling, last_sibling = {}, {}
    for item_pk, parent_pk in meeting.agenda_items.order_by("position").values_list(
        "pk", "parent_id"
    ):
        first_sibling.setdefault(parent_pk, item_pk)
        last_sibling[parent_pk] = item_pk
    rows = [
        {
            "item": item,
            "first": first_sibling[item.parent_id] == item.pk,
            "last": last_sibling[item.parent_id] == item.pk,
            "minuted": item.pk in minuted,
        }
        for item in items
    ]
    return render(
        request,
        "meetings/workspace/agenda.html",
        {"meeting": meeting, "committee": meeting.committee, "rows": rows, "page": page},
    )


def _agenda_url(item: AgendaItem) -> str:
    """The agenda page that shows ``item``, at the item."""
    before = item.meeting.agenda_items.filter(position__lt=item.position).count()
    page = before // AGENDA_PAGE_SIZE + 1
    query = f"?page={page}" if page > 1 else ""
    return reverse("meetings:agenda_workspace", args=[item.meeting_id]) + f"{query}#item-{item.pk}"


@secretariat_required
@require_POST
def agenda_start(request, pk):
    meeting = _meeting_or_404(pk)
    try:
        services.agenda_start_from_template(meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Started the agenda from the standard items.")
    return redirect("meetings:agenda_workspace", meeting.pk)


def _item_named(item: AgendaItem) -> str:
    """ "item 7: Planning", or "“Welcome”" for an item numbered as typed without a number."""
    return f"item {item.number}: {item.title}" if item.number else f"“{item.title}”"


@secretariat_required
@require_form_methods
def agenda_item_new(request, pk):
    meeting = _meeting_or_404(pk)
    parent = None
    if parent_pk := request.GET.get("parent", ""):
        if not parent_pk.isdigit():
            raise Http404("No such item.")
        parent = _item_or_404(meeting.pk, parent_pk)
    form = AgendaItemForm(
        _post_data(request), instance=AgendaItem(meeting=meeting), initial={"parent": parent}
    )
    return _form_page(
        request,
        form,
        lambda data: services.agenda_item_add(meeting=meeting, **data),
        done=lambda item: (f"Added {_item_named(item)}.", _agenda(meeting)),
        page={
            "meeting": meeting,
            "heading": f"Add {'a sub-item' if parent else 'an item'} to the agenda",
            "intro": "A new item goes before “Any other business”; a sub-item goes last under "
            "its main item. You can move it afterwards.",
            "submit": "Add the item",
            "back": ("meetings:agenda_workspace", meeting.pk),
        },
    )


@secretariat_required
@require_form_methods
def agenda_item_edit(request, pk, item_pk):
    item = _item_or_404(pk, item_pk)
    meeting = item.meeting
    form = AgendaItemForm(_post_data(request), instance=item)
    return _form_page(
        request,
        form,
        lambda data: services.agenda_item_update(item=item, **data),
        done=lambda item: (f"Saved {_item_named(item)}.", _agenda(meeting)),
        page={
            "meeting": meeting,
            "heading": f"Edit item {item.number}" if item.number else f"Edit “{item.title}”",
            "submit": "Save the item",
            "back": ("meetings:agenda_workspace", meeting.pk),
        },
    )


@secretariat_required
@require_POST
def agenda_item_move(request, pk, item_pk):
    item = _item_or_404(pk, item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Say whether to move the item up or down.")
        return redirect("meetings:agenda_workspace", item.meeting_id)
    try:
        moved = services.agenda_item_move(item=item, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if moved:
            item.refresh_from_db(fields=["number"])
            messages.success(
                request, f"Moved “{item.title}” {direction}: it is now item {item.number}."
            )
        else:
            messages.info(
                request, f"“{item.title}” is already {'first' if direction == 'up' else 'last'}."
            )
    item.refresh_from_db(fields=["position"])
    return redirect(_agenda_url(item))


@secretariat_required
@require_form_methods
def agenda_item_delete(request, pk, item_pk):
    item = _item_or_404(pk, item_pk)
    if request.method == "POST":
        try:
            services.agenda_item_delete(item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Deleted “{item.title}” and renumbered the agenda.")
        return redirect("meetings:agenda_workspace", item.meeting_id)
    return render(
        request,
        "meetings/workspace/agenda_item_delete.html",
        {
            "item": item,
            "meeting": item.meeting,
            "committee": item.meeting.committee,
            "sub_items": list(item.sub_items.order_by("position")),
            "has_minutes": item.has_minutes_content(),
        },
    )


@secretariat_required
@require_POST
def agenda_publish(request, pk):
    meeting = _meeting_or_404(pk)
    try:
        services.agenda_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Published the agenda: whoever can read the committee’s minutes can now read it.",
        )
    return redirect("meetings:agenda_workspace", meeting.pk)


@secretariat_required
@require_POST
def agenda_withdraw(request, pk):
    meeting = _meeting_or_404(pk)
    services.agenda_withdraw(meeting=meeting)
    messages.success(request, "Withdrew the agenda: only the secretariat can see it now.")
    return redirect("meetings:agenda_workspace", meeting.pk)


# -- The agenda, published ----------------------------------------------------------


def agenda_or_refuse(request, slug, date) -> Meeting:
    """The meeting whose agenda ``request.user`` may read.

    Before publication the agenda is the secretariat's (a 404 for everyone
    else); afterwards it follows the committee's rules for reading minutes.
    """
    meeting = meeting_or_404(request, slug, date)
    if meeting.agenda_readable or is_secretariat(request.user):
        return meeting
    if not meeting.agenda_is_published:
        raise Http404("No published agenda for this meeting.")
    refuse(request, "No published agenda for this meeting.")


def _agenda_context(meeting: Meeting, user) -> dict:
    # The secretariat sees its working copy; everyone else what was published.
    return agenda_context(meeting, working_copy=is_secretariat(user))


@require_safe
def agenda(request, slug, date):
    """The agenda of a meeting, as members read it (or, unpublished, as a preview)."""
    meeting = agenda_or_refuse(request, slug, date)
    return render(request, "meetings/agenda.html", _agenda_context(meeting, request.user))


@require_safe
def agenda_pdf(request, slug, date):
    """The agenda as an A4 PDF.

    Readers get the PDF of the agenda as it now stands from storage, rendered once per
    revision by a background task; until it is ready they are asked to try again in a
    moment. The secretariat's preview shows its working copy and is rendered each time.
    """
    meeting = agenda_or_refuse(request, slug, date)
    filename = f"{meeting.committee.slug}-agenda-{meeting.date.isoformat()}.pdf"
    if is_secretariat(request.user):
        html = agenda_pdf_html(meeting, working_copy=True)
        response = HttpResponse(render_html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        patch_cache_control(response, private=True, no_store=True)
        return response
    stored, revision = stored_agenda_pdf(meeting)
    if stored is None:
        response = render(
            request,
            "meetings/agenda_pdf_pending.html",
            {"meeting": meeting, "committee": meeting.committee},
            status=503,
        )
        response["Retry-After"] = "10"
        patch_cache_control(response, private=True, no_store=True)
        return response
    response = FileResponse(stored, content_type="application/pdf", filename=filename)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = f'"{revision}"'
    patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    return response


# -- Attendance ---------------------------------------------------------------------


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _attendance_page(request, meeting, *, form=None, guest_form=None, status=200):
    form = form or AttendanceForm(rows=meeting.attendance_sheet())
    guest_form = guest_form or GuestForm(meeting=meeting)
    partial = _is_htmx(request)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "form": form,
        "guest_form": guest_form,
        "partial": partial,
    }
    template = (
        "meetings/workspace/attendance_section.html"
        if partial
        else "meetings/workspace/attendance.html"
    )
    return render(request, template, context, status=status)


@secretariat_required
@require_form_methods
def attendance(request, pk):
    """Everyone to mark, one radio group each, saved together by one POST."""
    meeting = _meeting_or_404(pk)
    if request.method != "POST":
        return _attendance_page(request, meeting)
    form = AttendanceForm(request.POST, rows=meeting.attendance_sheet())
    changed = _perform(
        form,
        lambda data: services.attendance_record(meeting=meeting, statuses=form.statuses()),
    )
    if changed is None:
        return _attendance_page(request, meeting, form=form)
    if detours.wants_detour(request) == "member":
        members = reverse("members:committee_members", args=[meeting.committee.slug])
        back = reverse("meetings:attendance", args=[meeting.pk])
        return redirect(f"{members}?{urlencode({'next': back})}#add-member-heading")
    if changed:
        messages.success(
            request, f"Saved attendance ({changed} change{'' if changed == 1 else 's'})."
        )
    else:
        messages.success(request, "Attendance is up to date: every mark was already saved.")
    return redirect("meetings:attendance", meeting.pk)


@secretariat_required
@require_POST
def attendance_person(request, pk, person_pk):
    """One person's mark, sent by the page's script as soon as it is clicked."""
    meeting = _meeting_or_404(pk)
    person = get_object_or_404(Person, pk=person_pk)
    rows = meeting.attendance_sheet(person=person)
    if not rows:
        raise Http404("This person is neither a member nor recorded at this meeting.")
    form = AttendanceForm(request.POST, rows=rows)
    done = _perform(
        form, lambda data: services.attendance_record(meeting=meeting, statuses=form.statuses())
    )
    if not _is_htmx(request):
        if done is None:
            messages.error(request, f"Could not save {person.full_name}’s attendance.")
        return redirect("meetings:attendance", meeting.pk)
    if done is not None:
        form = AttendanceForm(rows=meeting.attendance_sheet(person=person))
    (row, field) = form.bound_rows()[0]
    return render(
        request,
        "meetings/workspace/attendance_row.html",
        {"meeting": meeting, "row": row, "field": field, "form": form, "saved": done is not None},
    )


@secretariat_required
@require_form_methods
def attendance_remove(request, pk, person_pk):
    """Take someone off the meeting's record: asks first (by script, or on a page of its own)."""
    meeting = _meeting_or_404(pk)
    attendance = get_object_or_404(
        meeting.attendances.select_related("person", "organisation"), person_id=person_pk
    )
    person = attendance.person
    try:
        if request.method == "POST":
            services.attendance_remove(meeting=meeting, person=person)
        else:
            services.check_record_open(meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if _is_htmx(request):
            return _attendance_page(request, meeting)
        return redirect("meetings:attendance", meeting.pk)
    if request.method != "POST":
        return render(
            request,
            "meetings/workspace/attendance_remove.html",
            {"meeting": meeting, "committee": meeting.committee, "attendance": attendance},
        )
    messages.success(request, f"Removed {person.full_name} from the record of this meeting.")
    if _is_htmx(request):
        return _attendance_page(request, meeting)
    return redirect("meetings:attendance", meeting.pk)


@secretariat_required
@require_POST
def guest_new(request, pk):
    """Add a guest, present, without leaving the attendance page."""
    meeting = _meeting_or_404(pk)
    guest_form = GuestForm(request.POST, meeting=meeting)
    attendance = _perform(
        guest_form, lambda data: services.guest_add(meeting=meeting, **guest_form.guest())
    )
    if attendance is None:
        return _attendance_page(request, meeting, guest_form=guest_form)
    messages.success(request, f"Added {attendance.person.full_name} as a guest, present.")
    if _is_htmx(request):
        return _attendance_page(request, meeting)
    return redirect("meetings:attendance", meeting.pk)
