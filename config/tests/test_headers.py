"""Security headers on every response: a strict Content-Security-Policy, a Permissions-Policy and
X-Frame-Options — pages, the admin, files and the PDFs served before the views run."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.tests.factories import MeetingFactory
from members.models import Committee
from members.tests.factories import CommitteeFactory
from minutes.tests.factories import ItemMinuteFactory, publish

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def assert_secure_headers(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


@pytest.fixture
def published_public_minutes(secretary):
    committee = CommitteeFactory(slug="scrutiny", minutes_visibility=Committee.Visibility.PUBLIC)
    meeting = MeetingFactory(committee=committee, date=datetime.date(2010, 3, 15))
    minutes = ItemMinuteFactory(minutes__meeting=meeting).minutes
    publish(minutes, by=secretary)
    return minutes


def test_pages_carry_the_security_headers(client, client_for, secretary):
    assert_secure_headers(client.get(reverse("home")))
    assert_secure_headers(client.get("/no-such-page/"))
    admin = client_for(secretary).get(reverse("admin:index"))
    assert admin.status_code == 200
    assert_secure_headers(admin)


def test_a_public_pdf_served_before_the_views_carries_them_too(client, published_public_minutes):
    meeting = published_public_minutes.meeting
    response = client.get(reverse("minutes:pdf", kwargs=meeting.url_kwargs()))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Set-Cookie" not in response.headers  # answered by the middleware, not the view
    assert_secure_headers(response)


def test_a_members_pdf_carries_them(client_for, member, committee, secretary):
    meeting = MeetingFactory(committee=committee, date=datetime.date(2010, 3, 15))
    publish(ItemMinuteFactory(minutes__meeting=meeting).minutes, by=secretary)
    response = client_for(member).get(reverse("minutes:pdf", kwargs=meeting.url_kwargs()))
    assert response.status_code == 200
    assert_secure_headers(response)


# Templates served as pages (not emails, which mail clients read, nor PDF sources, which
# WeasyPrint reads): no inline script, no inline style, no event-handler attribute.
SERVED = [
    path
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
    if not {"email", "pdf"} & set(path.parts)
]
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("path", SERVED, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_served_template_needs_unsafe_inline(path):
    assert INLINE.findall(path.read_text()) == []
