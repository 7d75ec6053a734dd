"""Fixtures for the whole suite: the cast (secretary, member, outsider, anonymous) and storage."""

import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from config.tests import tasks
from members.roles import SECRETARIAT_GROUP
from members.tests.factories import CommitteeFactory, MembershipFactory, PersonFactory, UserFactory

pytest_plugins = ["config.browser_testing", "config.s3_testing"]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: something the suite should check went unchecked."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") == "true" and skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; failing the run.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing; stored PDFs in a fresh folder and an empty cache for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def run_tasks(db):
    """``run_tasks()`` runs the queued background tasks as ``manage.py db_worker`` does."""
    return tasks.run_tasks


@pytest.fixture
def committee(db):
    return CommitteeFactory(name="Socitm Futures", slug="socitm-futures")


@pytest.fixture
def secretary(db):
    user = UserFactory(username="secretary", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def member(committee):
    """A user who sits on ``committee``."""
    user = UserFactory(username="member")
    MembershipFactory(committee=committee, person=PersonFactory(user=user))
    return user


@pytest.fixture
def outsider(db):
    """A signed-in member of another committee."""
    user = UserFactory(username="outsider")
    MembershipFactory(person=PersonFactory(user=user))
    return user


@pytest.fixture
def cast(member, outsider, secretary, superuser):
    """Everyone, by role name, for tests that try a URL as each (None: anonymous)."""
    return {
        "anonymous": None,
        "member": member,
        "outsider": outsider,
        "secretary": secretary,
        "superuser": superuser,
    }


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs the test client in as ``user`` (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
