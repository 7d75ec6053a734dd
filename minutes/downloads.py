"""Serving stored PDFs: from storage, never re-rendered, with validators for caches."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date

from minutes.models import MinutesVersion
from minutes.services import pdf_filename

# How long browsers and shared caches may reuse a public page or PDF.
PUBLIC_MAX_AGE = 60


def stored_pdf_details(version: MinutesVersion, *, latest: bool) -> dict:
    """Everything needed to serve a version's PDF, as plain data that can be cached.

    The headers are worked out here, once, because a stored PDF never changes:
    serving it then costs little more than opening the file.
    """
    minutes = version.minutes
    public = minutes.meeting.committee.is_public
    etag = f'"{version.pdf_sha256}"'
    published = version.created_at.timestamp()
    return {
        "name": version.pdf.name,
        "etag": etag,
        "published": published,
        "headers": {
            "Content-Type": "application/pdf",
            "Content-Length": str(version.pdf_size),
            "Content-Disposition": content_disposition_header(
                True, pdf_filename(minutes, version, latest=latest)
            ),
            "ETag": etag,
            "Last-Modified": http_date(published),
            "Cache-Control": (
                f"public, max-age={PUBLIC_MAX_AGE}"
                if public
                else "private, max-age=0, must-revalidate"
            ),
        },
    }


class _StoredFileResponse(FileResponse):
    def set_headers(self, filelike):
        """Nothing to work out: ``pdf_file_response`` sets headers known in advance."""


def pdf_file_response(request, *, name, etag, published, headers):
    """Serve a stored PDF with validators, so browsers and proxies can revalidate cheaply."""
    not_modified = get_conditional_response(request, etag=etag, last_modified=published)
    if not_modified is not None:
        return not_modified
    response = _StoredFileResponse(default_storage.open(name, "rb"))
    for header, value in headers.items():
        response.headers[header] = value
    return response
