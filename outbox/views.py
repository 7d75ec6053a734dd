"""The secretariat sees every email about a meeting, recipient by recipient, and retries."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from meetings.models import Meeting
from members.roles import secretariat_required
from outbox import services
from outbox.models import OutgoingEmail


@secretariat_required
@require_safe
def meeting_emails(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    emails = meeting.emails.select_related("minutes_event").order_by("-queued_at", "pk")
    return render(
        request,
        "outbox/meeting_emails.html",
        {"meeting": meeting, "committee": meeting.committee, "emails": emails},
    )


@secretariat_required
@require_POST
def email_retry(request, pk):
    email = get_object_or_404(OutgoingEmail, pk=pk)
    if services.retry(email):
        messages.success(request, f"The email to {email.to} is queued to be sent again.")
    else:
        messages.info(request, f"The email to {email.to} was not given up: nothing to retry.")
    if email.meeting_id is None:  # an invitation: "Send again" is on the members page
        return redirect("meetings:workspace")
    return redirect("outbox:meeting_emails", email.meeting_id)
