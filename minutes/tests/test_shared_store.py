"""Published PDFs in a store every app server shares: an S3-compatible bucket.

The bucket is on a real local S3 server (moto's server mode, started by the suite; see
``config/s3_testing.py``). Downloads are streamed through the app's permission check, or
redirected to a short-lived signed URL; either way, only after the check.
"""

import datetime
import hashlib
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from meetings.tests.factories import MeetingFactory
from members.models import Committee
from members.tests.factories import CommitteeFactory
from minutes.tests.factories import ItemMinuteFactory, publish, published_version

pytestmark = pytest.mark.django_db


def published_minutes(committee, secretary, date=datetime.date(2009, 11, 16)):
    meeting = MeetingFactory(committee=committee, date=date)
    minutes = ItemMinuteFactory(minutes__meeting=meeting, text="Stored in the bucket.").minutes
    publish(minutes, by=secretary)
    return minutes


def pdf_url(minutes, name="minutes:pdf", **kwargs):
    return reverse(name, kwargs={**minutes.meeting.url_kwargs(), **kwargs})


def fetch(url: str):
    """GET a URL as a browser following the redirect would: no cookies, no app."""
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback S3 server)
        return answer.status, answer.headers, answer.read()


@pytest.fixture
def public_committee(db):
    return CommitteeFactory(
        name="Scrutiny Panel", slug="scrutiny", minutes_visibility=Committee.Visibility.PUBLIC
    )


@pytest.fixture
def redirect_downloads(s3_store, settings):
    settings.STORAGE_DOWNLOADS = "redirect"
    settings.STORAGE_SIGNED_URL_SECONDS = 30
    return s3_store


# -- Streamed through the app ------------------------------------------------------------


def test_publishing_writes_the_pdf_to_the_shared_bucket(s3_store, committee, secretary):
    minutes = published_minutes(committee, secretary)
    version = minutes.versions.get()
    key = f"minutebook/minutes/socitm-futures/2009/{version.pdf.name.rsplit('/', 1)[1]}"
    assert s3_store.keys() == [key]
    stored = s3_store.read(key)
    assert stored.startswith(b"%PDF-")
    assert hashlib.sha256(stored).hexdigest() == version.pdf_sha256


def test_a_member_downloads_the_stored_pdf_byte_for_byte_through_the_app(
    s3_store, client_for, committee, member, secretary
):
    minutes = published_minutes(committee, secretary)
    response = client_for(member).get(pdf_url(minutes))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data == s3_store.read(s3_store.keys()[0])
    assert response["Content-Disposition"] == (
        'attachment; filename="socitm-futures-minutes-2009-11-16.pdf"'
    )
    assert "private" in response["Cache-Control"]


def test_anonymous_readers_of_public_minutes_get_the_pdf_from_the_bucket_on_the_fast_path(
    s3_store, client, public_committee, secretary, settings, django_assert_num_queries
):
    settings.PUBLIC_RECHECK_SECONDS = 0
    minutes = published_minutes(public_committee, secretary)
    client.get(pdf_url(minutes))
    with django_assert_num_queries(1):  # is it still public, and which version?
        response = client.get(pdf_url(minutes))
    assert b"".join(response.streaming_content) == s3_store.read(s3_store.keys()[0])
    assert "Set-Cookie" not in response.headers


def test_a_second_publication_never_replaces_a_stored_pdf(
    s3_store, committee, secretary, client_for, member
):
    from minutes.services import minutes_publish_correction, minutes_start_correction

    minutes = published_minutes(committee, secretary)
    first = s3_store.read(s3_store.keys()[0])
    minutes_start_correction(minutes=minutes, by=secretary)
    item_minute = minutes.item_minutes.get()
    item_minute.text = "Corrected in the bucket."
    item_minute.save()
    minutes_publish_correction(minutes=minutes, by=secretary, reason="Wording.")
    published_version(minutes)
    assert len(s3_store.keys()) == 2
    old = client_for(member).get(pdf_url(minutes, "minutes:version_pdf", number=1))
    assert b"".join(old.streaming_content) == first


# -- Redirected to a signed URL -----------------------------------------------------------


def test_a_member_is_redirected_to_a_signed_url_that_serves_the_stored_pdf(
    redirect_downloads, client_for, committee, member, secretary
):
    minutes = published_minutes(committee, secretary)
    response = client_for(member).get(pdf_url(minutes))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(redirect_downloads.server.endpoint)
    status, headers, data = fetch(location)
    assert status == 200
    assert hashlib.sha256(data).hexdigest() == minutes.versions.get().pdf_sha256
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        'attachment; filename="socitm-futures-minutes-2009-11-16.pdf"'
    )


def test_the_signed_url_is_valid_for_the_configured_seconds_only(
    redirect_downloads, client_for, committee, member, secretary
):
    minutes = published_minutes(committee, secretary)
    location = client_for(member).get(pdf_url(minutes))["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["30"]
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert abs((now - signed_at).total_seconds()) < 60


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", "login"), ("outsider", 404), ("member", "store")]
)
def test_members_only_pdfs_are_handed_to_the_store_only_after_the_check(
    redirect_downloads, client_for, committee, member, outsider, secretary, who, expected
):
    user = {"anonymous": None, "outsider": outsider, "member": member}[who]
    minutes = published_minutes(committee, secretary)
    for url in (pdf_url(minutes), pdf_url(minutes, "minutes:version_pdf", number=1)):
        response = client_for(user).get(url)
        location = response.get("Location", "")
        if expected == 404:
            assert response.status_code == 404
        elif expected == "login":
            assert response.status_code == 302
            assert location.startswith(reverse("login"))
        else:
            assert location.startswith(redirect_downloads.server.endpoint)
        assert (redirect_downloads.bucket in location) == (expected == "store")


def test_a_draft_never_gets_a_signed_url(
    redirect_downloads, client_for, committee, secretary, superuser
):
    meeting = MeetingFactory(committee=committee, date=datetime.date(2010, 1, 18))
    draft = ItemMinuteFactory(minutes__meeting=meeting).minutes
    for user in (None, secretary, superuser):
        response = client_for(user).get(pdf_url(draft))
        assert redirect_downloads.bucket not in response.get("Location", "")
        assert response.status_code in (302, 404)
    assert redirect_downloads.keys() == []


def test_anonymous_readers_of_public_minutes_are_redirected_on_the_fast_path(
    redirect_downloads, client, public_committee, secretary, settings, django_assert_num_queries
):
    settings.PUBLIC_RECHECK_SECONDS = 0
    minutes = published_minutes(public_committee, secretary)
    client.get(pdf_url(minutes))
    with django_assert_num_queries(1):
        response = client.get(pdf_url(minutes))
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers
    _, _, data = fetch(response["Location"])
    assert hashlib.sha256(data).hexdigest() == minutes.versions.get().pdf_sha256


def test_public_minutes_made_members_only_stop_redirecting_anonymous_readers(
    redirect_downloads, client, public_committee, secretary, settings
):
    settings.PUBLIC_RECHECK_SECONDS = 0
    minutes = published_minutes(public_committee, secretary)
    assert redirect_downloads.bucket in client.get(pdf_url(minutes))["Location"]
    public_committee.minutes_visibility = Committee.Visibility.MEMBERS
    public_committee.save()
    response = client.get(pdf_url(minutes))
    assert response["Location"].startswith(reverse("login"))


def test_a_pdf_missing_from_the_bucket_is_rendered_again_before_the_redirect(
    redirect_downloads, client_for, committee, member, secretary
):
    minutes = published_minutes(committee, secretary)
    [key] = redirect_downloads.keys()
    redirect_downloads.server.client().delete_object(Bucket=redirect_downloads.bucket, Key=key)

    response = client_for(member).get(pdf_url(minutes))

    assert response.status_code == 302
    assert redirect_downloads.keys() == [key]
    status, _, data = fetch(response["Location"])
    assert status == 200
    assert data.startswith(b"%PDF-")
