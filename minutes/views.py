"""The members' site: committees, their meetings, and published minutes online and as PDF."""

import html
import itertools

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from config.page_cache import kept_per_reader
from config.pagination import page_of
from meetings.models import Meeting
from members.models import Committee
from members.roles import is_secretariat, person_for
from minutes import public_reads, statistics
from minutes import search as search_service
from minutes.access import (
    committee_or_404,
    meeting_or_404,
    published_minutes_or_refuse,
    refuse,
    refuse_unless_readable,
)
from minutes.charts import bar_chart
from minutes.document import build_document, published_html, render_html
from minutes.downloads import pdf_file_response, stored_pdf_details
from minutes.exports import csv_response
from minutes.forms import SearchForm, StatisticsForm
from minutes.models import Minutes, MinutesVersion, PublishedAction, SearchEntry
from minutes.services import pdf_filename, render_minutes_pdf

RECENT_MINUTES = 8
MY_ACTIONS_PAGE_SIZE = 50
COMMITTEE_YEARS_SHOWN = 2
SEARCH_PAGE_SIZE = 20
# A download of search results: all a search gives, which is more than anyone reads.
SEARCH_CSV_LIMIT = search_service.RESULTS_LIMIT


@kept_per_reader
@require_safe
def home(request):
    recent = (
        Minutes.objects.readable_by(request.user)
        .select_related("meeting__committee")
        .order_by("-meeting__date")[:RECENT_MINUTES]
    )
    upcoming = Meeting.objects.upcoming().select_related("committee", "venue")[:RECENT_MINUTES]
    return render(
        request,
        "minutes/home.html",
        {"recent_minutes": recent, "upcoming": upcoming, "committees": Committee.objects.all()},
    )


@kept_per_reader
@require_safe
def committee_list(request):
    committees = Committee.objects.with_access(request.user)
    return render(request, "minutes/committee_list.html", {"committees": committees})


@kept_per_reader
@require_safe
def committee_detail(request, slug):
    committee = committee_or_404(request, slug, "default_venue")
    future = list(
        committee.meetings.filter(date__gte=timezone.localdate())
        .select_related("venue", "committee")
        .order_by("date", "start_time")
    )
    upcoming = [meeting for meeting in future if not meeting.is_cancelled]
    cancelled = [meeting for meeting in future if meeting.is_cancelled]
    readable = Minutes.objects.readable_by(request.user).filter(meeting__committee=committee)
    # Every year with minutes, latest first, and how many; the page lists those of the
    # latest years (or the year asked for), so that it stays short however long the archive.
    years = list(
        readable.annotate(year=ExtractYear("meeting__date"))
        .values_list("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in dict(years) else None
    shown = [year] if year else [y for y, _ in years[:COMMITTEE_YEARS_SHOWN]]
    published = (
        readable.filter(meeting__date__year__in=shown)
        .select_related("meeting__committee")
        .order_by("-meeting__date")
        if shown
        else []
    )
    by_year = [
        (year, list(group))
        for year, group in itertools.groupby(published, key=lambda m: m.meeting.date.year)
    ]
    unpublished = []
    if is_secretariat(request.user):
        unpublished = list(
            Minutes.objects.filter(meeting__committee=committee)
            .exclude(status__in=Minutes.PUBLISHED_STATES)
            .select_related("meeting")
            .order_by("-meeting__date")
        )
    return render(
        request,
        "minutes/committee_detail.html",
        {
            "committee": committee,
            "can_read": committee.readable,
            "upcoming": upcoming,
            "cancelled": cancelled,
            "minutes_by_year": by_year,
            "other_years": [(y, n) for y, n in years if y not in shown],
            "year": year,
            "unpublished": unpublished,
        },
    )


@kept_per_reader
@require_safe
def meeting_detail(request, slug, date):
    """A meeting: its published minutes for those who may read them, else what is public of it."""
    public_version = public_reads.public_version(request, slug, date)
    if (response := public_reads.cached_page(request, public_version)) is not None:
        return response
    meeting = meeting_or_404(request, slug, date)
    minutes = getattr(meeting, "minutes", None)
    context = {"meeting": meeting, "committee": meeting.committee, "minutes": minutes}
    if meeting.minutes_readable:
        versions = list(minutes.versions.listed())
        context |= {
            "version": versions[0],
            "versions": versions,
            "minutes_html": published_html(versions[0]),
        }
    elif minutes is not None and minutes.is_published:
        context["minutes_need_login"] = not request.user.is_authenticated
    elif minutes is not None and is_secretariat(request.user):
        context |= {"minutes_html": render_html(build_document(minutes)), "is_working_copy": True}
    response = render(request, "minutes/meeting_detail.html", context)
    if meeting.public and "version" in context:
        public_reads.keep_page(request, response, context["version"])
    return response


def _version_or_404(versions: list[MinutesVersion], number: int) -> MinutesVersion:
    """The version numbered ``number`` among a minutes' published ``versions``."""
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404("No such version.")
    return version


@kept_per_reader
@require_safe
def version_detail(request, slug, date, number):
    """An earlier (or the current) published version, exactly as it was published."""
    meeting = meeting_or_404(request, slug, date)
    minutes = published_minutes_or_refuse(request, meeting)
    versions = list(minutes.versions.listed())
    version = _version_or_404(versions, number)
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "minutes": minutes,
            "version": version,
            "versions": versions,
            "minutes_html": published_html(version),
            "is_old_version": version is not versions[0],
        },
    )


def _stored_pdf_response(request, meeting: Meeting, version: MinutesVersion, *, latest: bool):
    details = stored_pdf_details(version, latest=latest, public=meeting.public)
    if latest and meeting.public:
        public_reads.keep_file(request, version, details)
    return pdf_file_response(request, **details)


@require_safe
def minutes_pdf(request, slug, date):
    """The current published version's PDF, from storage: never re-rendered."""
    meeting = meeting_or_404(request, slug, date)
    minutes = published_minutes_or_refuse(request, meeting)
    version = minutes.versions.listed().order_by("-number").first()
    return _stored_pdf_response(request, meeting, version, latest=True)


@require_safe
def version_pdf(request, slug, date, number):
    meeting = meeting_or_404(request, slug, date)
    minutes = published_minutes_or_refuse(request, meeting)
    versions = list(minutes.versions.listed())
    version = _version_or_404(versions, number)
    return _stored_pdf_response(request, meeting, version, latest=version is versions[0])


def _working_copy_or_404(request, slug, date) -> Minutes:
    if not is_secretariat(request.user):
        refuse(request, "No such minutes.")
    meeting = meeting_or_404(request, slug, date)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None:
        raise Http404("No minutes have been started for this meeting.")
    return minutes


@require_safe
def draft_detail(request, slug, date):
    """The secretariat's view of the working copy, as it would publish now."""
    minutes = _working_copy_or_404(request, slug, date)
    meeting = minutes.meeting
    return render(
        request,
        "minutes/meeting_detail.html",
        {
            "meeting": meeting,
            "committee": meeting.committee,
            "minutes": minutes,
            "minutes_html": render_html(build_document(minutes)),
            "is_working_copy": True,
        },
    )


@require_safe
def draft_pdf(request, slug, date):
    """A preview PDF of the working copy, watermarked unless approved. Never stored."""
    minutes = _working_copy_or_404(request, slug, date)
    pdf = render_minutes_pdf(build_document(minutes))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(minutes)}"'
    patch_cache_control(response, no_store=True, private=True)
    return response


@kept_per_reader
@require_safe
def search(request, as_csv=False):
    """Search the published record the reader may read: minutes, items, decisions,
    actions and people, best match first, a page at a time (or, as CSV, the first
    ``SEARCH_CSV_LIMIT`` results)."""
    form = SearchForm(request.GET or None, user=request.user)
    results, query, page = None, "", 1
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        query, page = data["q"], data["page"] or 1
        results = search_service.search(
            user=request.user,
            query=query,
            kind=data["kind"],
            committee=data["committee"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            offset=0 if as_csv else (page - 1) * SEARCH_PAGE_SIZE,
            limit=SEARCH_CSV_LIMIT if as_csv else SEARCH_PAGE_SIZE,
        )
        if as_csv:
            return csv_response(
                f"search-{slugify(query)[:40] or 'results'}.csv",
                ["Kind", "Committee", "Meeting", "Title", "Snippet", "Link"],
                (
                    [
                        hit.kind_label,
                        hit.committee,
                        hit.meeting_date,
                        hit.title,
                        html.unescape(strip_tags(hit.snippet)),
                        request.build_absolute_uri(hit.url),
                    ]
                    for hit in results.hits
                ),
            )
    elif form.is_bound and form.data.get("q"):
        query = " ".join(form.data["q"].split())
    context = {"form": form, "query": query, "results": results}
    if results is not None:
        params = request.GET.copy()
        params.pop("page", None)
        context |= {
            "groups": [
                (label, [hit for hit in results.hits if hit.kind == value])
                for value, label in SearchEntry.Kind.choices
                if any(hit.kind == value for hit in results.hits)
            ]
            if not form.cleaned_data["kind"]
            else [("", results.hits)],
            "kinds": [
                (value, label, count, search_service.count_label(count))
                for value, label in SearchEntry.Kind.choices
                for count in [results.counts.get(value, 0)]
            ],
            "page": page,
            "has_next": page * SEARCH_PAGE_SIZE < results.total,
            "first_shown": (page - 1) * SEARCH_PAGE_SIZE + 1,
            "query_string": params.urlencode(),
            "search_csv_limit": SEARCH_CSV_LIMIT,
            "looser": search_service.parse_query(query).looser() if not results.total else "",
        }
    return render(request, "minutes/search.html", context)


@kept_per_reader
@login_required
@require_safe
def my_actions(request):
    """Actions owned by the signed-in member: the open ones, soonest due first; or, asked
    for, those done or withdrawn, latest meeting first. A page at a time."""
    person = person_for(request.user)
    closed = request.GET.get("show") == "closed"
    page = None
    if person is not None:
        actions = PublishedAction.objects.readable_by(request.user).owned_by(person).with_context()
        if closed:
            actions = actions.exclude(status=PublishedAction.Status.OPEN).order_by(
                "-minutes__meeting__date", "agenda_item__position", "position", "pk"
            )
        else:
            actions = actions.open().order_by(
                F("due_date").asc(nulls_last=True), "-minutes__meeting__date", "pk"
            )
        page = page_of(request, actions, MY_ACTIONS_PAGE_SIZE)
    return render(
        request,
        "minutes/my_actions.html",
        {"person": person, "page": page, "closed": closed},
    )


def _statistics_page(
    request, template, context, figures_for, *, rows_chart, actions_chart, csv_as=None
):
    """A statistics page: the period form, and for a valid period the figures
    (``figures_for(period)``), each table with a chart of it beside.

    ``csv_as``: (file name start, first column) to download the table as CSV instead; a
    period with a mistake in it shows the page, the mistake beside its field.
    """
    form = StatisticsForm(request.GET or None)
    context["form"] = form
    valid = not form.is_bound or form.is_valid()
    if valid and csv_as is not None:
        period = form.period()
        name, first_column = csv_as
        return csv_response(
            f"{name}-attendance-{period.start}-to-{period.end}.csv",
            [first_column, *statistics.CSV_COLUMNS],
            map(statistics.csv_row, figures_for(period).rows),
        )
    if valid:
        figures = figures_for(form.period())
        context |= {
            "figures": figures,
            "attendance_chart": bar_chart(
                slug="attendance-chart",
                title=rows_chart,
                description="Present at what share of the meetings recorded, in per cent, "
                "as the table beside it gives in full.",
                values=[
                    (r.label, r.attendance.rate) for r in figures.rows if r.attendance.recorded
                ],
                maximum=100,
                unit="%",
            ),
            "actions_chart": bar_chart(
                slug="actions-chart",
                title=actions_chart,
                description="Actions set in the period, done on time, done late, still open "
                "and overdue, as the table beside it gives.",
                values=figures.actions.as_list(),
            ),
        }
    return render(request, template, context)


@kept_per_reader
@require_safe
def committee_statistics(request, slug, as_csv=False):
    """Meetings held, attendance and actions of a committee over a period, member by member."""
    committee = committee_or_404(request, slug)
    refuse_unless_readable(request, committee, "statistics")
    return _statistics_page(
        request,
        "minutes/committee_statistics.html",
        {"committee": committee},
        lambda period: statistics.committee_statistics(
            user=request.user, committee=committee, period=period
        ),
        rows_chart=f"Attendance rate by member, {committee}",
        actions_chart=f"Actions set at meetings of {committee}",
        csv_as=(committee.slug, "Member") if as_csv else None,
    )


@kept_per_reader
@require_safe
def person_detail(request, pk, as_csv=False):
    """A person as the readable record shows them: attendance and actions, committee by
    committee, over a period."""
    person = statistics.person_in_readable_record(request.user, pk)
    if person is None:
        refuse(request, "No such person in minutes you may read.")
    return _statistics_page(
        request,
        "minutes/person_detail.html",
        {"person": person},
        lambda period: statistics.person_statistics(
            user=request.user, person=person, period=period
        ),
        rows_chart=f"Attendance rate of {person} by committee",
        actions_chart=f"Actions owned by {person}",
        csv_as=(slugify(person.full_name) or "person", "Committee") if as_csv else None,
    )
