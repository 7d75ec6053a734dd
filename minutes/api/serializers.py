"""What the open-data API says of committees, meetings and published minutes.

Field names follow the Open Civic Data event model where it has one: an event
(meeting) has a ``name``, ``start_date``, ``status``, ``location``,
``participants``, ``agenda`` and ``media``. Minutes come from the published
version's frozen document, never from the working copy.
"""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.models import Meeting
from members.models import Committee, Organisation, Person
from minutes.document import MinutesDocument
from minutes.models import MinutesVersion


class CommitteeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The committee's page on the site.")

    class Meta:
        model = Committee
        fields = ["slug", "name", "parent_body", "minutes_visibility", "url"]

    def get_url(self, committee) -> str:
        return self.context["request"].build_absolute_uri(committee.get_absolute_url())


class LocationSerializer(serializers.Serializer):
    name = serializers.CharField()


class AgendaEntrySerializer(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField()
    description = serializers.CharField(help_text="The item's title.")


class EventSerializer(serializers.ModelSerializer):
    """A meeting, as an Open Civic Data event."""

    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.SerializerMethodField()
    classification = serializers.SerializerMethodField()
    start_date = serializers.SerializerMethodField()
    end_date = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField(help_text="The minutes' published versions.")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "name",
            "classification",
            "reference",
            "start_date",
            "end_date",
            "status",
            "location",
            "agenda",
            "minutes",
        ]

    def get_name(self, meeting) -> str:
        return f"{meeting.committee.name} meeting"

    def get_classification(self, meeting) -> str:
        return "committee-meeting"

    def _when(self, meeting, time) -> str:
        if time is None:
            return meeting.date.isoformat()
        moment = timezone.make_aware(timezone.datetime.combine(meeting.date, time))
        return moment.isoformat()

    def get_start_date(self, meeting) -> str:
        return self._when(meeting, meeting.start_time)

    def get_end_date(self, meeting) -> str | None:
        return self._when(meeting, meeting.end_time) if meeting.end_time else None

    def get_status(self, meeting) -> str:
        """OCD's words: confirmed, cancelled or passed."""
        if meeting.status == Meeting.Status.CANCELLED:
            return "cancelled"
        return "passed" if meeting.date < timezone.localdate() else "confirmed"

    @extend_schema_field(LocationSerializer(allow_null=True))
    def get_location(self, meeting):
        return {"name": str(meeting.venue)} if meeting.venue_id else None

    @extend_schema_field(AgendaEntrySerializer(many=True))
    def get_agenda(self, meeting):
        """The published agenda, to those who may read it (prefetched by the view)."""
        return [
            {"order": item.position, "number": item.number, "description": item.title}
            for item in meeting.readable_agenda
        ]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_minutes(self, meeting):
        versions = self.context["versions_by_meeting"].get(meeting.pk, [])
        request = self.context["request"]
        return [
            request.build_absolute_uri(reverse("api:minutes-detail", args=[pk])) for pk in versions
        ]


class ParticipantSerializer(serializers.Serializer):
    name = serializers.CharField()
    entity_type = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    note = serializers.ChoiceField(choices=["present", "in attendance", "apologies", "absent"])


class ActionSerializer(serializers.Serializer):
    reference = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    owners = serializers.ListField(child=serializers.CharField(), help_text="Initials.")
    owner_names = serializers.ListField(child=serializers.CharField())
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()


class MinutesAgendaItemSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    description = serializers.CharField(help_text="The item's title.")
    notes = serializers.CharField(allow_blank=True, help_text="The minute text, as Markdown.")
    decisions = serializers.ListField(child=serializers.CharField())
    actions = ActionSerializer(many=True)


class MediaLinkSerializer(serializers.Serializer):
    media_type = serializers.CharField()
    url = serializers.URLField()


class MediaSerializer(serializers.Serializer):
    note = serializers.CharField()
    links = MediaLinkSerializer(many=True)


class MinutesVersionSerializer(serializers.ModelSerializer):
    """One published version of a meeting's minutes: the record as it was published."""

    event = serializers.PrimaryKeyRelatedField(source="minutes.meeting_id", read_only=True)
    committee = serializers.CharField(source="minutes.meeting.committee.slug")
    date = serializers.DateField(source="minutes.meeting.date")
    version = serializers.IntegerField(source="number")
    published_at = serializers.DateTimeField(source="created_at")
    url = serializers.SerializerMethodField(help_text="The minutes' page on the site.")
    media = serializers.SerializerMethodField()

    class Meta:
        model = MinutesVersion
        fields = [
            "id",
            "event",
            "committee",
            "date",
            "version",
            "kind",
            "confirmed",
            "published_at",
            "reason",
            "url",
            "media",
        ]

    def get_url(self, version) -> str:
        return self.context["request"].build_absolute_uri(
            version.minutes.meeting.get_absolute_url()
        )

    @extend_schema_field(MediaSerializer(many=True))
    def get_media(self, version):
        kwargs = {**version.minutes.meeting.url_kwargs(), "number": version.number}
        url = self.context["request"].build_absolute_uri(
            reverse("minutes:version_pdf", kwargs=kwargs)
        )
        return [{"note": "Minutes (PDF)", "links": [{"media_type": "application/pdf", "url": url}]}]


class MinutesVersionDetailSerializer(MinutesVersionSerializer):
    status_line = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()

    class Meta(MinutesVersionSerializer.Meta):
        fields = [*MinutesVersionSerializer.Meta.fields, "status_line", "participants", "agenda"]

    def _document(self, version) -> MinutesDocument:
        cache = self.context.setdefault("documents", {})
        if version.pk not in cache:
            cache[version.pk] = MinutesDocument.from_json(version.document)
        return cache[version.pk]

    def get_status_line(self, version) -> str:
        return self._document(version).status_line

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, version):
        document = self._document(version)
        groups = [
            ("present", document.present),
            ("in attendance", document.in_attendance),
            ("apologies", document.apologies),
            ("absent", document.absent),
        ]
        return [
            {
                "name": person.name,
                "entity_type": "person",
                "organisation": person.organisation,
                "role": person.role,
                "note": note,
            }
            for note, people in groups
            for person in people
        ]

    @extend_schema_field(MinutesAgendaItemSerializer(many=True))
    def get_agenda(self, version):
        return [
            {
                "order": order,
                "number": item.number,
                "description": item.title,
                "notes": item.text,
                "decisions": list(item.decisions),
                "actions": [
                    {
                        "reference": action.reference,
                        "text": action.text,
                        "owners": list(action.owners),
                        "owner_names": list(action.owner_names),
                        "due_date": action.due_date,
                        "status": action.status,
                    }
                    for action in item.actions
                ],
            }
            for order, item in enumerate(self._document(version).items, start=1)
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name"]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name")

    class Meta:
        model = Person
        fields = ["id", "name", "initials"]
