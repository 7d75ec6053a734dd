"""Members forget passwords: asking for a reset link by email, choosing a new password from it,
and changing a password when logged in — on the site's own pages, through a real email backend.
And nobody guesses one: too many wrong passwords pause logging in."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "a new and memorable passphrase"


@pytest.fixture
def ian(db):
    return UserFactory(username="ian", email="Ian.Cooper@example.org", first_name="Ian")


def _logs_in(client, username, password) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def test_a_member_resets_a_forgotten_password_from_the_emailed_link(client, ian, mailoutbox):
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    assert "<h1>Forgotten your password?</h1>" in page.content.decode()

    done = client.post(reverse("password_reset"), {"email": "ian.cooper@example.org"}, follow=True)
    assert "Check your email" in done.content.decode()
    assert "for 3 days" in done.content.decode()
    (email,) = mailoutbox
    assert email.to == ["Ian.Cooper@example.org"]
    assert email.subject == "Choose a new Minutebook password"
    assert email.body.startswith("Hello Ian,")
    link = re.search(r"^(http\S+)$", email.body, re.MULTILINE).group(1)
    assert link.startswith(settings.SITE_URL + "/accounts/reset/")

    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "Choose a new password" in form.content.decode()
    complete = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Your password is changed" in complete.content.decode()
    assert _logs_in(client, "ian", NEW)
    assert not _logs_in(client, "ian", OLD)

    # The link works once.
    again = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, ian, mailoutbox):
    done = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in done.content.decode()
    assert mailoutbox == []


def test_a_new_password_that_does_not_match_is_refused_at_the_field(client, ian, mailoutbox):
    client.post(reverse("password_reset"), {"email": ian.email})
    link = re.search(r"^(http\S+)$", mailoutbox[0].body, re.MULTILINE).group(1)
    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    refused = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": "something else"}
    )
    assert "The two password fields didn’t match." in refused.content.decode()
    assert _logs_in(client, "ian", OLD)


def test_a_logged_in_member_changes_their_password(client, ian):
    client.force_login(ian)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home

    refused = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert "Your old password was entered incorrectly." in refused.content.decode()

    done = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()
    client.logout()
    assert _logs_in(client, "ian", NEW)


def test_changing_a_password_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# -- Password guessing ----------------------------------------------------------------


def _try(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_too_many_wrong_passwords_pause_logging_in_as_that_user_from_that_address(
    client, ian, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "Please enter a correct username and password" in _try(client, "ian", "x").text
    locked = _try(client, "ian", "x")
    assert locked.status_code == 429
    assert "<h1>Too many attempts to log in</h1>" in locked.text
    assert "paused for 15 minutes" in locked.text
    # Even the right password waits, from here; another login is not affected.
    assert _try(client, "ian", OLD).status_code == 429
    UserFactory(username="glyn")
    assert _logs_in(client, "glyn", OLD)


def test_after_the_pause_the_right_password_works_again(client, ian, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "ian", "x")
    assert _try(client, "ian", OLD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert _logs_in(client, "ian", OLD)


def test_a_successful_login_forgets_earlier_wrong_passwords(client, ian, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "ian", "x")
    assert _logs_in(client, "ian", OLD)
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "ian", "x").status_code == 200


def test_a_reset_with_the_mail_server_down_is_logged_not_a_500(client, ian, settings, caplog):
    # Django answers as for any address, so the page never tells who has a login.
    from outbox.tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()

    response = client.post(reverse("password_reset"), {"email": "ian.cooper@example.org"})

    assert response.status_code == 302
    assert "Failed to send password reset email" in caplog.text
