"""What the secretariat does to set up committees: organisations, people, memberships,
and members' logins by invitation.

Keyword-only and typed, like every service. Rules that input can break raise
``ValidationError`` keyed by field, so a form shows them where they were typed.
Emails go out only after the transaction commits.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from members.models import Committee, Invitation, Membership, Organisation, Person

User = get_user_model()

# Workspace addresses that sit where a committee's slug would.
RESERVED_SLUGS = {"new"}


def _save(instance, **fields):
    """Set ``fields`` on ``instance``, check every rule the model knows, and save it."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


# -- Committees ---------------------------------------------------------------------


def _free_slug(name: str, *, exclude: Committee | None = None) -> str:
    base = slugify(name)[:70] or "committee"
    taken = (
        set(
            Committee.objects.filter(slug__startswith=base)
            .exclude(pk=exclude.pk if exclude else None)
            .values_list("slug", flat=True)
        )
        | RESERVED_SLUGS
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def committee_create(*, name: str, **details) -> Committee:
    """A new committee; its address (slug) is made from its name and never changes after."""
    with transaction.atomic():
        return _save(Committee(slug=_free_slug(name)), name=name, **details)


def committee_update(*, committee: Committee, **details) -> Committee:
    """Change a committee's details. Its address stays, so links and PDFs keep working."""
    with transaction.atomic():
        return _save(committee, **details)


# -- Organisations and people -------------------------------------------------------


def organisation_create(*, name: str, short_name: str = "") -> Organisation:
    with transaction.atomic():
        return _save(Organisation(), name=name, short_name=short_name)


def organisation_update(*, organisation: Organisation, **details) -> Organisation:
    with transaction.atomic():
        return _save(organisation, **details)


def organisation_named(name: str) -> Organisation | None:
    """The organisation called ``name`` (ignoring case), created if new; None for no name."""
    name = " ".join(name.split())
    if not name:
        return None
    return Organisation.objects.filter(name__iexact=name).first() or organisation_create(name=name)


def person_create(
    *,
    given_name: str,
    family_name: str,
    initials: str,
    known_as: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    organisation_name: str = "",
) -> Person:
    """A new person; a new organisation name matching an existing one uses that one."""
    with transaction.atomic():
        if organisation is None:
            organisation = organisation_named(organisation_name)
        return _save(
            Person(),
            given_name=given_name,
            family_name=family_name,
            initials=initials.strip().upper(),
            known_as=known_as,
            email=email,
            organisation=organisation,
        )


def person_update(*, person: Person, organisation_name: str = "", **details) -> Person:
    with transaction.atomic():
        if details.get("organisation") is None and organisation_name:
            details["organisation"] = organisation_named(organisation_name)
        return _save(person, **details)


# -- Memberships --------------------------------------------------------------------


def membership_add(
    *,
    committee: Committee,
    person: Person | None = None,
    role: str = Membership.Role.MEMBER,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    **new_person,
) -> Membership:
    """Give someone a seat on the committee: someone known, or a new person (``new_person``)."""
    with transaction.atomic():
        if person is None:
            person = person_create(**new_person)
        membership = Membership(
            committee=committee, person=person, role=role, start_date=start_date, end_date=end_date
        )
        return _save(membership)


def membership_update(*, membership: Membership, **details) -> Membership:
    """Change a seat's role or term; ending it (an end date) keeps it in the record."""
    with transaction.atomic():
        return _save(membership, **details)


# -- Invitations --------------------------------------------------------------------


def _login_for(person: Person, address: str) -> tuple["User", bool]:
    """The person's login: theirs already, one with their address, or a new one (True)."""
    if person.user_id:
        return person.user, False
    existing = User.objects.filter(email__iexact=address).order_by("pk")
    for user in existing:
        if not hasattr(user, "person") or user.person is None:
            return user, False
    username = address.lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            f"The login {username} belongs to someone else: link it in the admin, "
            "or give this person another address."
        )
    user = User(
        username=username,
        email=address,
        first_name=person.given_name,
        last_name=person.family_name,
    )
    user.set_unusable_password()
    user.save()
    return user, True


def invitation_send(*, person: Person, by) -> Invitation:
    """Give ``person`` a login (or link theirs) and queue an email with a link to set its
    password.

    Sending again replaces the link: only the newest works, for
    ``INVITATION_DAYS`` days. Refused for someone with no email address.
    """
    from members import invitations

    address = person.email or (person.user.email if person.user_id else "")
    if not address:
        raise ValidationError(
            f"{person.full_name} has no email address: add one to their details first."
        )
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(person=person).first()
        if invitation is not None and invitation.state == Invitation.State.ACCEPTED:
            raise ValidationError(f"{person.full_name} has already accepted and can log in.")
        user, created = _login_for(person, address)
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        invitation = invitation or Invitation(person=person, created_login=created)
        _save(
            invitation,
            user=user,
            invited_by=by,
            sent_to=address,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
            accepted_at=None,
            revoked_at=None,
        )
        # The email goes through the outbox, queued with the invitation (or not at all): a
        # worker sends it, retries it, and records what happened.
        invitation.email = invitations.queue_email(invitation)
        invitation.save(update_fields=["email"])
    return invitation


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Stop the link working. A login made for the invitation is switched off as well;
    an existing login that was linked is unlinked and otherwise left alone."""
    with transaction.atomic():
        user = invitation.user
        if invitation.created_login:
            user.is_active = False
            user.save(update_fields=["is_active"])
        else:
            Person.objects.filter(pk=invitation.person_id, user=user).update(user=None)
        return _save(invitation, revoked_at=timezone.now())


def invitation_accept(*, invitation: Invitation, password: str) -> Invitation:
    """The person chose a password from their link: the login is theirs from now on."""
    with transaction.atomic():
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        return _save(invitation, accepted_at=timezone.now())
