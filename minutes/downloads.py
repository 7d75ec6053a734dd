"""Serving stored PDFs: from storage, never re-rendered, with validators for caches."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from minutes.models import MinutesVersion
from minutes.services import pdf_filename

# How long browsers and shared caches may reuse a public page or PDF.
PUBLIC_MAX_AGE = 60


def stored_pdf_details(version: MinutesVersion, *, latest: bool) -> dict:
    """Everything needed to serve a version's PDF, as plain data that can be cached."""
    minutes = version.minutes
    return {
        "name": version.pdf.name,
        "sha256": version.pdf_sha256,
        "published": version.created_at.timestamp(),
        "filename": pdf_filename(minutes, version, latest=latest),
        "public": minutes.meeting.committee.is_public,
    }


def pdf_file_response(request, *, name, sha256, published, filename, public):
    """Serve a stored PDF with validators, so browsers and proxies can revalidate cheaply."""
    etag = f'"{sha256}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=published)
    if not_modified is not None:
        return not_modified
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(published)
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    return response
