"""The open-data API: read-only, paginated, filtered, cacheable, and readable only as the
pages are (each list starts from the same ``readable_by`` querysets)."""

import datetime
import hashlib

from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Prefetch, Subquery
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from meetings.models import AgendaItem, Attendance, Meeting
from members.models import Committee, Organisation, Person
from minutes.api import serializers
from minutes.models import Minutes, MinutesVersion

FILTERS = [
    OpenApiParameter("committee", str, description="A committee's slug."),
    OpenApiParameter("date_from", datetime.date, description="Meetings on or after this date."),
    OpenApiParameter("date_to", datetime.date, description="Meetings on or before this date."),
]


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CountedWithLatest(Paginator):
    """Counts the list and finds when its latest version was published in one read of it:
    both cover every row of the list, where the page reads only its own."""

    @cached_property
    def count(self) -> int:
        figures = self.object_list.aggregate(count=Count("pk"), latest=Max("created_at"))
        self.latest = figures["latest"]
        return figures["count"]


class VersionPages(Pages):
    django_paginator_class = CountedWithLatest


class ReadOnlyAPI(viewsets.ReadOnlyModelViewSet):
    """ETag on every answer (and 304 when it has not changed); Last-Modified where known."""

    pagination_class = Pages

    def last_modified(self) -> datetime.datetime | None:
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        modified = self.last_modified()
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        response["Vary"] = "Accept, Authorization, Cookie"
        return get_conditional_response(
            request,
            etag=etag,
            last_modified=int(modified.timestamp()) if modified else None,
            response=response,
        )

    def meeting_filters(self, prefix: str = "") -> dict:
        """?committee=&date_from=&date_to=, as ORM lookups on the meeting."""
        params = self.request.query_params
        lookups = {}
        if params.get("committee"):
            lookups[f"{prefix}committee__slug"] = params["committee"]
        for name, lookup in (("date_from", "gte"), ("date_to", "lte")):
            if params.get(name):
                try:
                    value = datetime.date.fromisoformat(params[name])
                except ValueError:
                    raise ValidationError({name: "Give a date as YYYY-MM-DD."}) from None
                lookups[f"{prefix}date__{lookup}"] = value
        return lookups


@extend_schema_view(list=extend_schema(summary="Committees"))
class CommitteeViewSet(ReadOnlyAPI):
    serializer_class = serializers.CommitteeSerializer
    queryset = Committee.objects.order_by("name")
    lookup_field = "slug"


@extend_schema_view(list=extend_schema(summary="Meetings (events)", parameters=FILTERS))
class EventViewSet(ReadOnlyAPI):
    serializer_class = serializers.EventSerializer

    def get_queryset(self):
        return (
            Meeting.objects.filter(**self.meeting_filters())
            .select_related("committee", "venue")
            .prefetch_related(
                # The published agenda, to those who may read it.
                Prefetch(
                    "agenda_items",
                    queryset=AgendaItem.objects.filter(
                        meeting__in=Meeting.objects.agenda_readable_by(self.request.user)
                    ).order_by("position"),
                    to_attr="readable_agenda",
                )
            )
            .order_by("-date", "committee__name")
        )

    def get_serializer_context(self):
        user = self.request.user
        versions = (
            MinutesVersion.objects.readable_by(user)
            .listed()
            .order_by("number")
            .values_list("minutes__meeting_id", "pk")
        )
        # Only the versions of the meetings answered: the page's, or the one asked for.
        page = getattr(self.paginator, "page", None)
        if self.action == "retrieve":
            versions = versions.filter(minutes__meeting=self.kwargs["pk"])
        elif page is not None:
            versions = versions.filter(minutes__meeting__in=[meeting.pk for meeting in page])
        by_meeting = {}
        for meeting_id, pk in versions:
            by_meeting.setdefault(meeting_id, []).append(pk)
        return {
            **super().get_serializer_context(),
            "versions_by_meeting": by_meeting,
        }


@extend_schema_view(
    list=extend_schema(
        summary="Published minutes",
        parameters=[
            *FILTERS,
            OpenApiParameter("all_versions", bool, description="Earlier versions too."),
        ],
    )
)
class MinutesViewSet(ReadOnlyAPI):
    """Published minutes, each version as it was published: the current one of each
    meeting unless ``all_versions=true``."""

    pagination_class = VersionPages

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.MinutesVersionDetailSerializer
        return serializers.MinutesVersionSerializer

    def get_queryset(self):
        versions = MinutesVersion.objects.readable_by(self.request.user).filter(
            **self.meeting_filters("minutes__meeting__")
        )
        if self.action == "list":
            versions = versions.listed()
            if self.request.query_params.get("all_versions") != "true":
                versions = versions.current()
        return versions.select_related("minutes__meeting__committee").order_by(
            "-minutes__meeting__date", "minutes__meeting__committee__name", "-number"
        )

    def last_modified(self):
        if self.action == "retrieve":
            return self.get_object().created_at
        return self.paginator.page.paginator.latest  # found as the list was counted


def _named_in_readable_minutes(user, model, named: str):
    """``model``s (people, organisations) that an attendance's ``named`` field names in
    minutes ``user`` may read.

    Each is asked for its first such attendance, by a subquery that stops there and finds it
    in the index on (``named``, committee), a lookup for each committee ``user`` may read: a
    list reads the people (or organisations), not every attendance of the archive joined and
    made distinct. (Written as ``Exists``, PostgreSQL would turn it back into that join.)
    """
    readable = Minutes.objects.readable_condition(
        user, minutes="meeting__minutes__", meeting="", listed=True
    )
    first = Attendance.objects.filter(readable, **{named: OuterRef("pk")}).order_by()
    return model.objects.alias(named_at=Subquery(first.values("pk")[:1])).filter(
        named_at__isnull=False
    )


@extend_schema_view(list=extend_schema(summary="People named in readable minutes"))
class PersonViewSet(ReadOnlyAPI):
    serializer_class = serializers.PersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks for the model alone
            return Person.objects.none()
        people = _named_in_readable_minutes(self.request.user, Person, "person")
        return people.order_by("family_name", "given_name", "pk")


@extend_schema_view(list=extend_schema(summary="Organisations named in readable minutes"))
class OrganisationViewSet(ReadOnlyAPI):
    serializer_class = serializers.OrganisationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks for the model alone
            return Organisation.objects.none()
        organisations = _named_in_readable_minutes(self.request.user, Organisation, "organisation")
        return organisations.order_by("name", "pk")
