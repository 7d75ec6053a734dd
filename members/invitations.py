"""Invitation links: signed with Django's password-reset token machinery, and the email that
carries them (sent through the outbox, like every email to a person).

A link is signed over the login's state (as a password-reset link is) and over the
invitation's ``sent_at``, so it stops working once it is used, once the invitation is
sent again or revoked, and after ``INVITATION_DAYS`` days.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from members.emails import email_to
from members.models import Invitation


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "members.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        invitation = Invitation.objects.filter(user=user).order_by("-sent_at").first()
        state = ""
        if invitation is not None:
            state = f"{invitation.pk}:{invitation.sent_at.isoformat()}:{invitation.revoked_at}"
        return super()._make_hash_value(user, timestamp) + state

    def check_token(self, user, token):
        """As Django's, but a link lives ``INVITATION_DAYS`` days, not a reset link's three."""
        if not (user and token) or token.count("-") != 1:
            return False
        ts_b36, _ = token.split("-")
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= settings.INVITATION_DAYS * 86400


tokens = InvitationTokenGenerator()


def link(invitation: Invitation) -> str:
    """The address the person opens to choose their password."""
    uid = urlsafe_base64_encode(force_bytes(invitation.user.pk))
    path = reverse("members:invitation_accept", args=[uid, tokens.make_token(invitation.user)])
    return settings.SITE_URL + path


def message(invitation: Invitation):
    person = invitation.person
    committees = sorted(
        {m.committee.name for m in person.memberships.current().select_related("committee")}
    )
    return email_to(
        person,
        invitation.sent_to,
        templates="members/email/invitation",
        context={
            "person": person,
            "username": invitation.user.get_username(),
            "link": link(invitation),
            "expires_at": invitation.expires_at,
            "committees": committees,
            "site_url": settings.SITE_URL,
        },
    )


def queue_email(invitation: Invitation):
    """Queue the email with the link, in the invitation's transaction; returns its record."""
    from outbox.models import OutgoingEmail
    from outbox.services import queue_emails

    [email] = queue_emails(
        [(invitation.person, message(invitation))], kind=OutgoingEmail.Kind.INVITATION
    )
    return email
