"""The secretariat's workspace: committees, their meetings, agendas and attendance."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings.models import Meeting
from members.models import Committee
from members.roles import secretariat_required


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


@secretariat_required
@require_safe
def committee_workspace(request, slug):
    committee = get_object_or_404(Committee, slug=slug)
    meetings = committee.meetings.select_related("venue", "minutes").order_by("-date")
    return render(
        request,
        "meetings/workspace/committee.html",
        {"committee": committee, "meetings": meetings},
    )


@secretariat_required
@require_safe
def meeting_workspace(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("committee", "venue", "minutes"), pk=pk
    )
    return render(request, "meetings/workspace/meeting.html", {"meeting": meeting})
