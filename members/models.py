"""People, the organisations they belong to, and the committees they sit on."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils import timezone

from members.validators import single_line


class Organisation(models.Model):
    """A body a person represents at a meeting: "Hampshire CC", "DFPNI"."""

    name = models.CharField(
        max_length=200,
        validators=[single_line],
        help_text="Full name, e.g. “Hampshire County Council”.",
    )
    short_name = models.CharField(
        max_length=60,
        blank=True,
        validators=[single_line],
        help_text="How minutes print it, when shorter than the full name, e.g. “Hampshire CC”.",
    )

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique",
                violation_error_message="An organisation with this name already exists.",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class PersonQuerySet(models.QuerySet):
    def by_initials(self, initials: str):
        return self.filter(initials__iexact=initials.strip())


class Person(models.Model):
    """Someone who attends, sends apologies, or owns actions.

    ``initials`` are what minutes print against actions ("Action: SH"), so they
    are unique; ``known_as`` is the short form used in running text ("Martin F").
    """

    given_name = models.CharField(max_length=100, validators=[single_line])
    family_name = models.CharField(max_length=100, validators=[single_line])
    initials = models.CharField(
        max_length=6,
        validators=[single_line],
        help_text="Printed against actions, e.g. “SH”. Unique, so owners can be picked by them.",
    )
    known_as = models.CharField(
        max_length=60,
        blank=True,
        validators=[single_line],
        help_text="Short form used in minute text, e.g. “Martin F”.",
    )
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="Current organisation. Past minutes keep the one recorded at each meeting.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The login this person reads minutes with, if any.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                Upper("initials"),
                name="person_initials_unique",
                violation_error_message="Someone else already uses these initials.",
            ),
            models.CheckConstraint(condition=~Q(initials=""), name="person_initials_not_blank"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # Normalised, not derived: "sh" and "SH" are the same initials.
        self.initials = self.initials.strip().upper()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class CommitteeQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Committees whose published minutes ``user`` may read."""
        from members.roles import is_secretariat

        if is_secretariat(user):
            return self.all()
        condition = Q(minutes_visibility=Committee.Visibility.PUBLIC)
        if user.is_authenticated:
            condition |= Q(pk__in=Membership.objects.current().for_user(user).values("committee"))
        return self.filter(condition)

    def access_of(self, user, committee: str = "pk") -> dict:
        """``readable_by``, asked inside the query that loads a committee: annotations
        ``readable`` (``user`` may read its published minutes) and ``public`` (anyone
        may). ``committee`` names the committee's id in that query."""
        from django.contrib.auth.models import AnonymousUser

        def may_read(reader):
            return Exists(self.readable_by(reader).filter(pk=OuterRef(committee)))

        return {"readable": may_read(user), "public": may_read(AnonymousUser())}

    def with_access(self, user):
        """Committees, each knowing whether ``user`` (and anyone) may read its minutes."""
        return self.annotate(**Committee.objects.access_of(user))


class Committee(models.Model):
    """A body that meets and keeps minutes, e.g. "Socitm Futures"."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can read published minutes"
        MEMBERS = "members", "Members only: published minutes need a login"

    name = models.CharField(max_length=200, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=80, unique=True)
    parent_body = models.CharField(
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text="The organisation the committee belongs to, e.g. “Socitm”.",
    )
    description = models.TextField(blank=True)
    default_venue = models.ForeignKey(
        "meetings.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where meetings are held unless said otherwise.",
    )
    minutes_visibility = models.CharField(
        max_length=10, choices=Visibility, default=Visibility.MEMBERS
    )
    usual_start_time = models.TimeField(
        null=True, blank=True, help_text="When meetings usually start; new meetings start from it."
    )
    usual_end_time = models.TimeField(null=True, blank=True)
    publishes_unconfirmed_minutes = models.BooleanField(
        default=False,
        help_text="Publish draft minutes marked “unconfirmed” before they are approved.",
    )

    class AttendeeOrder(models.TextChoices):
        RECORDED = "recorded", "In the order the secretary recorded them"
        NAME = "name", "By family name"

    attendee_order = models.CharField(
        "order of attendees in the minutes",
        max_length=10,
        choices=AttendeeOrder,
        default=AttendeeOrder.RECORDED,
        help_text="How the minutes list who was present, in attendance, sent apologies or was "
        "absent. The Chair always comes first.",
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(usual_end_time__isnull=True)
                | Q(usual_start_time__isnull=True)
                | Q(usual_end_time__gt=models.F("usual_start_time")),
                name="committee_usual_end_after_start",
                violation_error_message="Meetings must end after they start.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("minutes:committee", kwargs={"slug": self.slug})

    def current_members_with_addresses(self) -> list[tuple["Person", str]]:
        """Each current member once, by name, with the address to email them at ("" if none).

        A person's own address wins; otherwise their login's.
        """
        members = {}
        for membership in (
            Membership.objects.current()
            .filter(committee=self)
            .select_related("person__user")
            .order_by("person__family_name", "person__given_name", "person_id")
        ):
            person = membership.person
            if person.pk not in members:
                login_email = person.user.email if person.user else ""
                members[person.pk] = (person, person.email or login_email)
        return list(members.values())


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )

    def for_user(self, user):
        return self.filter(person__user=user)


class Membership(models.Model):
    """A person's seat on a committee, in a role, for a period."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice-chair", "Vice-chair"
        MEMBER = "member", "Member"
        # Officers and clerks serve the committee; minutes list them "in attendance".
        OFFICER = "officer", "Officer or clerk"
        OBSERVER = "observer", "Observer"

    # Roles that sit on the committee: the minutes list them under "Present". Any
    # other role (officer or clerk, observer) attends without being a member,
    # so the minutes list them under "In attendance".
    MEMBER_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role, default=Role.MEMBER)
    start_date = models.DateField(null=True, blank=True, help_text="Leave blank if not known.")
    end_date = models.DateField(null=True, blank=True, help_text="Leave blank while current.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
                violation_error_message="A membership cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["person", "committee", "role"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_role",
                violation_error_message="This person already holds this role on the committee.",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}, {self.committee}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations whose link may still be used (not accepted, revoked or expired)."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A person's invitation to read minutes with a login of their own.

    One a person: sending it again moves ``sent_at`` on, and the link carries
    ``sent_at`` in its signature, so only the latest link works.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Invited, not yet accepted"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Link expired"
        REVOKED = "revoked", "Revoked"
        UNSENT = "unsent", "Email not sent: send again"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="invitation")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    created_login = models.BooleanField(
        default=True, help_text="The login was made for this invitation (not an existing one)."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_to = models.EmailField()
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    email = models.ForeignKey(
        "outbox.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The latest email with the link, and what became of it.",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"Invitation for {self.person} ({self.get_state_display()})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return self.State.REVOKED
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        if self.email is not None and self.email.status == self.email.Status.FAILED:
            return self.State.UNSENT
        return self.State.PENDING

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def can_be_used(self) -> bool:
        return self.state in (self.State.PENDING, self.State.UNSENT)
