"""What a member sees of the published record, as hashes: run in a site's own process.

``python -c "from minutes.tests.site_snapshot import main; main()"`` (with the site's
environment) prints, as JSON, the status and SHA-256 of every published minutes page, every
version's page and PDF, each published agenda and the committee pages, fetched through the
app as the demo member. Two sites that print the same snapshot show the same record.
"""

import hashlib
import json
import re

# Per-request values that differ between any two fetches of the same page.
VOLATILE = [
    re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(rb'nonce="[^"]*"'),
]


def _digest(response) -> dict:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for pattern in VOLATILE:
        body = pattern.sub(b"", body)
    return {"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest()}


def snapshot() -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from meetings.models import Meeting
    from members.models import Committee
    from minutes.models import MinutesVersion

    client = Client()
    client.force_login(get_user_model().objects.get(username="member"))
    urls = {}
    for committee in Committee.objects.order_by("slug"):
        urls[committee.get_absolute_url()] = "page"
    for version in MinutesVersion.objects.select_related("minutes__meeting__committee"):
        kwargs = version.minutes.meeting.url_kwargs()
        urls[reverse("minutes:meeting", kwargs=kwargs)] = "page"
        urls[reverse("minutes:pdf", kwargs=kwargs)] = "pdf"
        numbered = {**kwargs, "number": version.number}
        urls[reverse("minutes:version", kwargs=numbered)] = "page"
        urls[reverse("minutes:version_pdf", kwargs=numbered)] = "pdf"
    for meeting in Meeting.objects.exclude(agenda_published_at=None):
        urls[reverse("meetings:agenda", kwargs=meeting.url_kwargs())] = "page"
    return {
        "recorded_pdf_sha256": sorted(MinutesVersion.objects.values_list("pdf_sha256", flat=True)),
        "urls": {url: {"kind": kind, **_digest(client.get(url))} for url, kind in urls.items()},
    }


def main():
    import django

    django.setup()
    print(json.dumps(snapshot()))
