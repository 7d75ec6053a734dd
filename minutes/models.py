"""Minutes: what each agenda item recorded, what was decided, who must act, and the
published versions that form the record.

The live rows (item text, decisions, actions) are the secretariat's working
copy. Publishing freezes them into an immutable :class:`MinutesVersion`, which
is what members read and download; a correction makes a new version.
"""

import datetime
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from meetings.models import AgendaItem, Meeting
from members.models import Committee, Person

MINUTE_TEXT_MAX_LENGTH = 20_000


def _check_item_belongs_to_minutes(row):
    """Item text, decisions and actions must hang off an item of their own meeting."""
    if (
        row.minutes_id
        and row.agenda_item_id
        and row.agenda_item.meeting_id != row.minutes.meeting_id
    ):
        raise ValidationError({"agenda_item": "Choose an item from this meeting’s agenda."})


class MinutesQuerySet(models.QuerySet):
    def published(self):
        """Minutes with a published version (including those being corrected)."""
        return self.filter(status__in=Minutes.PUBLISHED_STATES)

    def readable_by(self, user):
        """Published minutes of the committees whose minutes ``user`` may read.

        Never drafts, not even for the secretariat: they reach theirs through the workspace.
        """
        return self.filter(self.readable_condition(user))

    def readable_condition(
        self, user, minutes: str = "", meeting: str | None = None, *, listed: bool = False
    ) -> Q:
        """``readable_by`` as a condition on minutes reached through the lookup path
        ``minutes`` (``"minutes__"`` from a version or a meeting) and on their committee,
        through ``meeting`` (``minutes + "meeting__"`` unless given: ``""`` from a meeting,
        or from an attendance, which keeps a copy of its meeting's committee).

        Asked of each row a query reads, where ``minutes__in=readable_by(user)`` would first
        list every readable minutes of the archive: a list that stops at a page, or a period's
        figures, then read only that page's or that period's rows. ``listed``: the committees
        ``user`` may read are read first (a handful, one query) and given as values, so that
        the database can look each one up in an index that starts with another column.
        """
        meeting = f"{minutes}meeting__" if meeting is None else meeting
        committees = Committee.objects.readable_by(user)
        if listed:
            committees = list(committees.values_list("pk", flat=True))
        return Q(
            **{
                f"{minutes}status__in": Minutes.PUBLISHED_STATES,
                f"{meeting}committee__in": committees,
            }
        )


class Approval(models.TextChoices):
    """How minutes were agreed as a correct record."""

    AT_MEETING = "meeting", "At a later meeting recorded here"
    ON_DATE = "date", "On a date"
    AT_UNRECORDED_MEETING = "unrecorded-meeting", "At a meeting not recorded here"
    BY_CORRESPONDENCE = "correspondence", "By correspondence"
    AS_WRITTEN = "as-written", "In the original minutes’ own words"


def approval_sentence(
    approval: str,
    *,
    at_meeting_date: datetime.date | None = None,
    on: datetime.date | None = None,
    wording: str = "",
) -> str:
    """How the record says minutes were approved: "Approved as a correct record at the meeting
    on Monday 18 January 2010". The one place this sentence is written."""
    if approval == Approval.AS_WRITTEN:
        return wording
    if approval == Approval.AT_MEETING:
        meeting_date = date_format(at_meeting_date, "l j F Y")
        return f"Approved as a correct record at the meeting on {meeting_date}"
    where = {
        Approval.AT_UNRECORDED_MEETING: " at a meeting not recorded here",
        Approval.BY_CORRESPONDENCE: " by correspondence",
    }.get(approval, "")
    if on:
        where += f" on {date_format(on, 'l j F Y')}"
    return f"Approved as a correct record{where}"


class Minutes(models.Model):
    """The minutes of one meeting, and where they are on the way to the record."""

    Approval = Approval

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        CORRECTING = "correcting", "Published, correction in progress"

    EDITABLE_STATES = (Status.DRAFT, Status.CORRECTING)
    PUBLISHED_STATES = (Status.PUBLISHED, Status.CORRECTING)

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    approval = models.CharField(
        "approved",
        max_length=20,
        choices=Approval,
        blank=True,
        help_text="How the minutes were agreed as a correct record; empty until they are.",
    )
    approved_on = models.DateField(
        null=True,
        blank=True,
        help_text="When they were approved. Optional at a meeting not recorded here, by "
        "correspondence, or in the original minutes’ own words.",
    )
    approval_wording = models.CharField(
        max_length=300,
        blank=True,
        help_text="For minutes kept before Minutebook, the approval as they record it, e.g. "
        "“Signed by the Chair as a correct record, 3 March 2015”.",
    )
    approved_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        help_text="The later meeting that agreed these minutes as a correct record.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who recorded the approval.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Stored rather than asked of every version, so that lists of current versions read only
    # the rows they show. Set in the one place versions are published (minutes.services).
    current_version = models.OneToOneField(
        "MinutesVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="current_of",
        help_text="The latest published version: what readers get. None until published.",
    )

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "minutes"
        ordering = ["-meeting__date"]
        permissions = [("manage_minutes", "Can edit, approve, publish and circulate minutes")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(approval=""),
                name="minutes_approved_says_how",
                violation_error_message="Approved minutes need to say how they were approved.",
            ),
            models.CheckConstraint(
                condition=(Q(approval="meeting") & Q(approved_at_meeting__isnull=False))
                | (~Q(approval="meeting") & Q(approved_at_meeting__isnull=True)),
                name="minutes_approved_at_meeting_names_it",
                violation_error_message="Approval at a meeting recorded here names that meeting.",
            ),
            models.CheckConstraint(
                condition=~Q(approval="date") | Q(approved_on__isnull=False),
                name="minutes_approved_on_date_has_date",
                violation_error_message="Give the date on which the minutes were approved.",
            ),
            models.CheckConstraint(
                condition=~Q(approval="as-written") | ~Q(approval_wording=""),
                name="minutes_approved_as_written_has_wording",
                violation_error_message="Give the original minutes’ words of approval.",
            ),
        ]

    def __str__(self):
        return f"Minutes: {self.meeting}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED_STATES

    @property
    def is_confirmed(self) -> bool:
        """Agreed as a correct record (approved), as opposed to draft or unconfirmed."""
        return bool(self.approval)

    @property
    def approval_sentence(self) -> str:
        """ "Approved as a correct record at the meeting on Monday 18 January 2010"; "" if not."""
        if not self.approval:
            return ""
        at = self.approved_at_meeting
        return approval_sentence(
            self.approval,
            at_meeting_date=at.date if at else None,
            on=self.approved_on,
            wording=self.approval_wording,
        )

    @property
    def is_publishing(self) -> bool:
        """A version has been asked for and is being rendered and committed."""
        return self.pk is not None and Publication.objects.filter(minutes=self, problem="").exists()

    # -- The workflow's preconditions ---------------------------------------------
    # Each answers None when the step may be taken, or why it may not. Services
    # refuse with that reason; the workspace and the admin offer only steps that
    # answer None.

    def _while_publishing(self) -> str | None:
        if self.is_publishing:
            return "These minutes are being published: wait a moment for the new version."
        return None

    def can_change(self) -> str | None:
        """May the working copy (text, decisions, actions) be changed?"""
        if self.is_editable:
            return None
        return (
            f"These minutes are {self.get_status_display().lower()}, so they cannot be "
            "changed. Return them to draft, or start a correction, first."
        )

    def can_approve(self) -> str | None:
        if reason := self._while_publishing():
            return reason
        if self.is_confirmed:
            return "These minutes are already approved."
        if self.status == self.Status.CORRECTING:
            return "Finish the correction in progress before recording approval."
        if self.status not in (self.Status.DRAFT, self.Status.PUBLISHED):
            return "Only draft or unconfirmed minutes can be approved."
        return None

    def can_return_to_draft(self) -> str | None:
        if reason := self._while_publishing():
            return reason
        if self.status != self.Status.APPROVED:
            return "Only approved minutes that are not yet published can return to draft."
        return None

    def can_publish(self) -> str | None:
        if reason := self._while_publishing():
            return reason
        if self.is_published:
            return "These minutes are already published."
        if (
            self.status == self.Status.DRAFT
            and not self.meeting.committee.publishes_unconfirmed_minutes
        ):
            return "Minutes must be approved before they are published."
        return None

    def can_start_correction(self) -> str | None:
        if reason := self._while_publishing():
            return reason
        if self.status != self.Status.PUBLISHED:
            return "Only published minutes can be corrected."
        return None

    def can_publish_correction(self) -> str | None:
        if reason := self._while_publishing():
            return reason
        if self.status != self.Status.CORRECTING:
            return "Start a correction before publishing one."
        return None

    def can_be_deleted(self) -> str | None:
        """Only minutes that never left draft: anything published or agreed is the record."""
        if reason := self._while_publishing():
            return reason
        if self.status != self.Status.DRAFT or self.versions.exists():
            return (
                f"These minutes are {self.get_status_display().lower()}, so they cannot be "
                "deleted: only draft minutes that were never published can be."
            )
        return None

    def clean(self):
        super().clean()
        at = self.approved_at_meeting
        if (
            at is not None
            and self.meeting_id
            and (at.committee_id != self.meeting.committee_id or at.date <= self.meeting.date)
        ):
            raise ValidationError(
                {"approved_at_meeting": "Choose a later meeting of the same committee."}
            )
        if self.approved_on and self.meeting_id and self.approved_on < self.meeting.date:
            raise ValidationError(
                {"approved_on": "Minutes cannot be approved before the meeting took place."}
            )


def previous_minutes_published(meeting: Meeting, *, published_only: bool = True) -> bool:
    """Whether the committee's last meeting before ``meeting`` has (published) minutes here.

    Only then are the actions carried forward to its "matters arising" known: with
    no earlier minutes, "there were no outstanding actions" would not be true.
    """
    previous = Meeting.objects.before(meeting).values("pk")[:1]
    minutes = Minutes.objects.filter(meeting__in=previous)
    return (minutes.published() if published_only else minutes).exists()


class ItemMinute(models.Model):
    """The minute text of one agenda item (Markdown: paragraphs and bullet lists).

    ``revision`` goes up on every save, so two people editing the same item
    cannot overwrite each other unawares.
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="item_minutes")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    text = models.TextField(blank=True, max_length=MINUTE_TEXT_MAX_LENGTH)
    shows_generated = models.BooleanField(
        "print the generated line",
        default=True,
        help_text="For a standard item, print what Minutebook writes from the record (apologies "
        "received, actions carried forward, dates of future meetings) above the text. Turn "
        "it off when the text says it already.",
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agenda_item__position"]

    def __str__(self):
        return f"Minute of {self.agenda_item}"

    def clean(self):
        super().clean()
        _check_item_belongs_to_minutes(self)


class Decision(models.Model):
    """What was agreed under an item: "Proposed meeting dates were agreed."."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=1000)

    class Meta:
        ordering = ["agenda_item", "position", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        _check_item_belongs_to_minutes(self)


class ActionQuerySet(models.QuerySet):
    """Lookups shared by the working copy's actions and the published ones."""

    def for_committee(self, committee):
        return self.filter(minutes__meeting__committee=committee)

    def open(self):
        return self.filter(status=ActionRecord.Status.OPEN)

    def overdue(self, today: datetime.date | None = None):
        return self.filter(ActionRecord.overdue_condition(today))

    def owned_by(self, person):
        return self.filter(owners=person)

    def outstanding_at(self, meeting: Meeting):
        """Actions from the committee's earlier meetings still open when ``meeting`` began.

        These are carried forward to its "matters arising".
        """
        return self.filter(
            minutes__meeting__committee_id=meeting.committee_id,
            minutes__meeting__date__lt=meeting.date,
        ).filter(Q(status=ActionRecord.Status.OPEN) | Q(closed_on__gte=meeting.date))

    def with_context(self):
        return self.select_related("agenda_item", "minutes__meeting__committee").prefetch_related(
            "owners"
        )


class PublishedActionQuerySet(ActionQuerySet):
    def readable_by(self, user):
        """The published actions ``user`` may read: those of the minutes they may read."""
        return self.filter(Minutes.objects.readable_condition(user, minutes="minutes__"))


class ActionRecord(models.Model):
    """What an action says and where its follow-up stands; see :class:`Action`."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        WITHDRAWN = "withdrawn", "Withdrawn"

    position = models.PositiveIntegerField(default=0)
    reference = models.CharField(
        max_length=20,
        blank=True,
        help_text="The action’s number as the minutes print it, e.g. “2.10”. Optional.",
    )
    text = models.CharField(max_length=1000)
    owners_as_written = models.CharField(
        max_length=200,
        blank=True,
        help_text="The owners’ initials as the minutes print them, in the order and with the "
        "joining words typed, e.g. “TG & BM”.",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.CharField(max_length=1000, blank=True)

    class Meta:
        abstract = True
        ordering = ["agenda_item", "position", "pk"]
        # What the action log, My actions and matters arising filter on.
        indexes = [models.Index(fields=["status", "due_date"], name="%(class)s_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True))
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="%(class)s_closed_on_matches_status",
                violation_error_message=(
                    "A closed action needs the date it was closed; an open one has none."
                ),
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def meeting(self) -> Meeting:
        return self.minutes.meeting

    @property
    def owner_initials(self) -> str:
        """ "TG & BM" as typed; the owners' initials joined by commas if that is out of date."""
        return owners_label(self.owners_as_written, [p.initials for p in self.owners.all()])

    @classmethod
    def overdue_condition(cls, today: datetime.date | None = None) -> Q:
        """Overdue: still open after its due date. For querysets and counts."""
        return Q(status=cls.Status.OPEN, due_date__lt=today or timezone.localdate())

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """``overdue_condition``, asked of a loaded action (no query)."""
        return (
            self.status == self.Status.OPEN
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )


class Action(ActionRecord):
    """Something a person must do, arising under an agenda item: "Action: SH".

    This is the secretariat's working copy. Readers see the action as its
    minutes' current version published it (:class:`PublishedAction`), so a
    correction in progress reaches no one else. Open actions carry forward from
    meeting to meeting until done or withdrawn.
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="actions",
        help_text="The item under which the action arose.",
    )
    owners = models.ManyToManyField(Person, related_name="actions")

    objects = ActionQuerySet.as_manager()

    @staticmethod
    def due_date_problem(due_date: datetime.date | None, meeting: Meeting) -> str | None:
        """Why ``due_date`` cannot be an action's of ``meeting``, or None: an action falls due
        on or after the meeting that set it."""
        if due_date is not None and due_date < meeting.date:
            day = date_format(meeting.date, "l j F Y")
            return f"The due date cannot be before the meeting ({day})."
        return None

    def clean(self):
        super().clean()
        _check_item_belongs_to_minutes(self)
        if self.agenda_item_id and (
            why := self.due_date_problem(self.due_date, self.agenda_item.meeting)
        ):
            raise ValidationError({"due_date": why})


class PublishedAction(ActionRecord):
    """An action as the current published version of its minutes records it: what readers see.

    Replaced, all together, whenever a version is published. Following an
    action up (done, withdrawn, reopened) changes this and the working copy at
    once: the follow-up is not part of the record being corrected.
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="published_actions")
    # The working-copy row it was published from; gone if a correction deleted it.
    action = models.OneToOneField(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="published"
    )
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    owners = models.ManyToManyField(Person, related_name="published_actions")

    objects = PublishedActionQuerySet.as_manager()


_OWNER_JOINS = re.compile(r"\s*(?:,|;|&|\band\b)\s*", flags=re.IGNORECASE)


def owners_label(as_written: str, initials: list[str]) -> str:
    """The owners as the minutes print them: as written ("TG & BM") while it names exactly
    these initials, else the initials joined by commas."""
    written = [part for part in _OWNER_JOINS.split(as_written) if part]
    if as_written and sorted(w.upper() for w in written) == sorted(i.upper() for i in initials):
        return as_written
    return ", ".join(initials)


def minutes_pdf_path(version: "MinutesVersion", filename: str) -> str:
    meeting = version.minutes.meeting
    return f"minutes/{meeting.committee.slug}/{meeting.date:%Y}/{filename}"


class MinutesVersionQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Versions of the minutes ``user`` may read."""
        return self.filter(Minutes.objects.readable_condition(user, minutes="minutes__"))

    def current(self):
        """Each minutes' latest version: what readers get unless they ask for an earlier one."""
        return self.filter(current_of__isnull=False)

    def listed(self):
        """Versions for lists and downloads: without the frozen content, which can be large.

        A version's page is rendered from ``document`` once and cached, so the
        content is fetched (by a query of its own) only when that cache is cold.
        """
        return self.defer("document", "plain_text")


class MinutesVersion(models.Model):
    """A published version of minutes: frozen content and its PDF. Never changes.

    ``document`` holds everything the page and the PDF show, so later edits to
    people, organisations or venues cannot alter what was published.
    """

    class Kind(models.TextChoices):
        ORIGINAL = "original", "First published"
        CORRECTED = "corrected", "Corrected"
        CONFIRMED = "confirmed", "Republished as approved"

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.ORIGINAL)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(
        max_length=500, blank=True, help_text="Why this version replaced the previous one."
    )
    confirmed = models.BooleanField(help_text="Approved as a correct record when published.")
    document = models.JSONField()
    plain_text = models.TextField(help_text="The text of the minutes, for search.")
    pdf = models.FileField(upload_to=minutes_pdf_path, max_length=300)
    pdf_sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveIntegerField()

    objects = MinutesVersionQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"], name="minutes_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="minutes_version_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind="original", number=1) | (~Q(kind="original") & ~Q(reason="")),
                name="minutes_version_later_versions_have_reason",
                violation_error_message="Only the first version is published without a reason.",
            ),
        ]

    def __str__(self):
        return f"{self.minutes.meeting}, version {self.number}"

    def save(self, *args, **kwargs):
        # The record never changes silently: a published version is written once.
        if not self._state.adding:
            raise ValidationError("A published version of minutes cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A published version of minutes cannot be deleted.")

    @property
    def is_correction(self) -> bool:
        return self.kind == self.Kind.CORRECTED


class Publication(models.Model):
    """A version asked for and not yet committed: the PDF renders in a background task.

    The workspace says "publishing…" while this exists. The task commits the
    version and deletes this in one transaction, so a task killed halfway
    leaves it here to be run again.
    """

    minutes = models.OneToOneField(Minutes, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=MinutesVersion.Kind)
    reason = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    problem = models.CharField(
        max_length=500, blank=True, help_text="Why the last attempt did not publish, if it failed."
    )

    def __str__(self):
        return f"{self.minutes.meeting}: {self.get_kind_display().lower()} being published"


class MinutesEvent(models.Model):
    """One step in the history of minutes: who did what, and when."""

    class Kind(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED_TO_DRAFT = "returned-to-draft", "Returned to draft"
        PUBLISHED = "published", "Published"
        CORRECTION_STARTED = "correction-started", "Correction started"
        CORRECTED = "corrected", "Correction published"
        CIRCULATED = "circulated", "Circulated"

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    version = models.ForeignKey(
        MinutesVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["minutes", "at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class PendingCirculation(models.Model):
    """A circulation recorded and not yet emailed: its PDF renders in a background task.

    It holds what was circulated as it stood when the secretariat asked — the working copy's
    document (none for a published version: its stored PDF goes) and who was to be sent it —
    so the emails say what they saw. The task queues the emails and deletes this in one
    transaction, so a task killed halfway leaves it here to be run again.
    """

    event = models.OneToOneField(MinutesEvent, on_delete=models.CASCADE, related_name="pending")
    document = models.JSONField(null=True, blank=True)
    recipients = models.JSONField(help_text="[[person id, address], …] as they were asked for.")
    problem = models.CharField(
        max_length=500, blank=True, help_text="Why the emails could not be prepared, if so."
    )

    def __str__(self):
        return f"{self.event}: emails being prepared"


class SearchEntryQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Entries of the published minutes ``user`` may read (the minutes' own rule).

        Entries are made only from published versions (see :class:`SearchEntry`), so of
        that rule only the committee's part is left to ask: one small list of committees,
        not a look at the minutes of every entry a common word finds."""
        return self.filter(committee__in=Committee.objects.readable_by(user))


class SearchEntry(models.Model):
    """One searchable piece of the published record: minutes as a whole, an item, a
    decision, an action, or a person named in them.

    Built from a version's frozen document when it is published, replacing the
    entries of the version before, so only what readers can read is ever indexed and
    a correction's working copy never is. The full-text index itself depends on the
    database (see minutes/search.py): a ``tsvector`` column with a GIN index on
    PostgreSQL, where the entries of each kind are a partition of the table (migration
    0017; its primary key is ``(id, kind)``, ids coming from the one sequence), and an
    FTS5 table kept in step by triggers on SQLite.
    """

    class Kind(models.TextChoices):
        MINUTES = "minutes", "Minutes"
        ITEM = "item", "Agenda items"
        DECISION = "decision", "Decisions"
        ACTION = "action", "Actions"
        PERSON = "person", "People"

    version = models.ForeignKey(
        MinutesVersion, on_delete=models.CASCADE, related_name="search_entries"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    # Copied from the meeting, so that filters and ordering need no join.
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    meeting_date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind)
    anchor = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=1000)
    body = models.TextField(blank=True)
    # PostgreSQL only: title (weight A) and body (weight B), set by minutes.search.
    vector = SearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"
        indexes = [
            models.Index(fields=["committee", "meeting_date"], name="search_committee_date"),
            models.Index(fields=["meeting_date"], name="search_date"),
        ]

    def __str__(self):
        return self.title


# The archive importer's model lives with the importer; importing it here registers it.
from minutes.importing.models import ImportedDocument  # noqa: E402, F401
