"""Members' logins by invitation: "Invite" makes the login (or links one), emails a link to choose
a password that expires; sending again and revoking stop the old link; the secretariat sees who
has accepted. Through a real email backend; SMTP down is a real closed port."""

import re
import socket

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation
from members.tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and memorable passphrase"


@pytest.fixture
def glyn(committee):
    person = PersonFactory(given_name="Glyn", family_name="Evans", email="Glyn@Example.org")
    MembershipFactory(committee=committee, person=person)
    return person


@pytest.fixture
def invite(run_tasks):
    """``invite(client, committee, person)`` presses "Invite", and the worker sends the email."""

    def press(client, committee, person):
        response = client.post(reverse("members:invitation_send", args=[committee.slug, person.pk]))
        run_tasks()
        return response

    return press


def link_in(email) -> str:
    return (
        re.search(r"^(http\S+)$", email.body, re.MULTILINE).group(1).removeprefix(settings.SITE_URL)
    )


def choose_password(client, link):
    form = client.get(link, follow=True)
    if "Choose your password" not in form.content.decode():
        return form
    return client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )


def test_inviting_a_member_makes_a_login_and_emails_a_link_that_lets_them_in(
    invite, client, client_for, secretary, committee, glyn, mailoutbox
):
    response = invite(client_for(secretary), committee, glyn)
    assert response.status_code == 302
    assert Invitation.objects.get().email.status == "sent"
    glyn.refresh_from_db()
    user = glyn.user
    assert (user.username, user.email, user.has_usable_password()) == (
        "glyn@example.org",
        "Glyn@Example.org",
        False,
    )
    (email,) = mailoutbox
    assert email.to == ["Glyn Evans <Glyn@Example.org>"]
    assert email.subject == "Your Minutebook login for Socitm Futures"
    assert "Your login name is glyn@example.org." in email.body
    expires = timezone.localdate() + timezone.timedelta(days=settings.INVITATION_DAYS)
    assert f"until {expires:%A} {expires.day} {expires:%B %Y}" in email.body

    client.logout()
    done = choose_password(client, link_in(email))
    assert "Welcome, Glyn. You are logged in as glyn@example.org" in done.content.decode()
    assert done.context["user"] == user
    client.logout()
    logged_in = client.post(
        reverse("login"), {"username": "glyn@example.org", "password": PASSWORD}
    )
    assert logged_in.status_code == 302

    client.force_login(secretary)
    page = client.get(reverse("members:committee_members", args=[committee.slug]))
    assert "Accepted" in page.content.decode()
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED


def test_the_link_works_once(invite, client, client_for, secretary, committee, glyn, mailoutbox):
    invite(client_for(secretary), committee, glyn)
    client.logout()
    link = link_in(mailoutbox[0])
    choose_password(client, link)
    client.logout()
    again = client.get(link, follow=True)
    assert "This invitation link no longer works" in again.content.decode()


def test_sending_again_replaces_the_link(
    invite, client, client_for, secretary, committee, glyn, mailoutbox
):
    secretary_client = client_for(secretary)
    invite(secretary_client, committee, glyn)
    Invitation.objects.update(sent_at=timezone.now() - timezone.timedelta(minutes=5))
    invite(secretary_client, committee, glyn)
    first, second = (link_in(email) for email in mailoutbox)
    assert get_user_model().objects.filter(username="glyn@example.org").count() == 1
    client.logout()
    assert "no longer works" in client.get(first, follow=True).content.decode()
    assert "Welcome, Glyn" in choose_password(client, second).content.decode()


def test_a_revoked_invitation_link_stops_working_and_its_login_is_switched_off(
    invite, client, client_for, secretary, committee, glyn, mailoutbox
):
    secretary_client = client_for(secretary)
    invite(secretary_client, committee, glyn)
    secretary_client.post(reverse("members:invitation_revoke", args=[committee.slug, glyn.pk]))
    glyn.refresh_from_db()
    assert not glyn.user.is_active
    page = secretary_client.get(reverse("members:committee_members", args=[committee.slug]))
    assert "Revoked" in page.content.decode()
    client.logout()
    assert "no longer works" in client.get(link_in(mailoutbox[0]), follow=True).content.decode()


def test_an_expired_link_stops_working(
    invite, client, client_for, secretary, committee, glyn, mailoutbox
):
    invite(client_for(secretary), committee, glyn)
    Invitation.objects.update(expires_at=timezone.now())
    client.logout()
    assert "no longer works" in client.get(link_in(mailoutbox[0]), follow=True).content.decode()


def test_an_existing_login_with_the_same_address_is_linked_not_duplicated(
    invite, client_for, secretary, committee, glyn, mailoutbox
):
    existing = UserFactory(username="gevans", email="glyn@example.org")
    invite(client_for(secretary), committee, glyn)
    glyn.refresh_from_db()
    assert glyn.user == existing
    assert "Your login name is gevans." in mailoutbox[0].body


def test_a_member_without_an_address_cannot_be_invited(invite, client_for, secretary, committee):
    person = MembershipFactory(committee=committee).person
    response = invite(client_for(secretary), committee, person)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"{person.full_name} has no email address: add one to their details first."]
    assert not Invitation.objects.exists()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_with_the_mail_server_down_the_invitation_is_kept_and_its_email_retried(
    client_for, secretary, committee, glyn, settings, run_tasks, mailoutbox
):
    """A real SMTP backend and a closed port: the request answers at once; the worker tries,
    records why it failed and tries again later; then the email goes."""
    client = client_for(secretary)
    response = client.post(reverse("members:invitation_send", args=[committee.slug, glyn.pk]))
    assert response.status_code == 302
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    run_tasks()
    page = client.get(response.url).content.decode()
    assert "Invited, not yet accepted" in page
    assert (
        "Email: failed, will retry (Could not reach the mail server: connection refused.)" in page
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_tasks(after=timezone.timedelta(hours=1))
    assert [email.to for email in mailoutbox] == [["Glyn Evans <Glyn@Example.org>"]]
    assert "Email: sent" in client.get(response.url).content.decode()
