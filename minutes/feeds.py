"""An RSS feed of newly published minutes, for committees whose minutes are public.

Feed readers do not log in, so members-only committees have no feed.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from members.models import Committee
from minutes.models import MinutesVersion

FEED_ITEMS = 20


class PublishedMinutesFeed(Feed):
    def get_object(self, request, slug):
        # Feed readers do not log in: a feed only of what anyone may read.
        return get_object_or_404(Committee.objects.readable_by(AnonymousUser()), slug=slug)

    def title(self, committee):
        return f"{committee.name}: published minutes"

    def link(self, committee):
        return committee.get_absolute_url()

    def description(self, committee):
        return f"Minutes of {committee.name} meetings, as they are published or corrected."

    def items(self, committee):
        return (
            # Feed readers do not log in: what anyone may read, of this committee.
            MinutesVersion.objects.readable_by(AnonymousUser())
            .filter(minutes__meeting__committee=committee)
            .select_related("minutes__meeting__committee")
            .defer("document", "plain_text")
            .order_by("-created_at")[:FEED_ITEMS]
        )

    def item_title(self, version):
        title = f"Minutes of {version.minutes.meeting.date:%d/%m/%Y}"
        return f"{title} (corrected)" if version.is_correction else title

    def item_description(self, version):
        return version.reason or "Published."

    def item_link(self, version):
        meeting = version.minutes.meeting
        return reverse("minutes:version", kwargs={**meeting.url_kwargs(), "number": version.number})

    def item_pubdate(self, version):
        return version.created_at
