"""Serving stored files (PDFs, imported originals): from storage, with validators for caches.

Every caller has checked who is asking before it gets here. The file is then streamed
through the app, or, with ``STORAGE_DOWNLOADS=redirect`` and an S3-compatible store, the
reader is redirected to a URL signed for ``STORAGE_SIGNED_URL_SECONDS``: the app server
then never carries the bytes, and the bucket itself stays private.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date

from minutes.models import MinutesVersion
from minutes.services import open_stored_pdf, pdf_filename

logger = logging.getLogger(__name__)

# How long browsers and shared caches may reuse a public page or PDF.
PUBLIC_MAX_AGE = 60


def stored_pdf_details(version: MinutesVersion, *, latest: bool, public: bool) -> dict:
    """Everything needed to serve a version's PDF, as plain data that can be cached.

    The headers are worked out here, once, because a stored PDF never changes:
    serving it then costs little more than opening the file. ``public``: anyone may
    read it (the caller asked the visibility rule), so shared caches may keep it.
    """
    minutes = version.minutes
    etag = f'"{version.pdf_sha256}"'
    published = version.created_at.timestamp()
    return {
        "version": version.pk,
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
        """Nothing to work out: ``stored_file_response`` sets headers known in advance."""


def pdf_file_response(request, *, version, **details):
    """Serve a version's stored PDF (``stored_pdf_details``).

    A PDF missing from storage is rendered again from its frozen version
    (``open_stored_pdf``) and stored, never a server error.
    """

    def render_again():
        return open_stored_pdf(MinutesVersion.objects.select_related("minutes").get(pk=version))

    return stored_file_response(request, **details, recreate=render_again)


def stored_file_response(request, *, name, etag, published, headers, recreate=None):
    """Serve a stored file with validators, so browsers and proxies can revalidate cheaply.

    Streamed, or redirected to a signed URL (``STORAGE_DOWNLOADS``). A file missing from
    storage is made again by ``recreate`` (which stores it and returns it opened) where it
    can be; otherwise the reader gets a 404 and the loss is logged.
    """
    not_modified = get_conditional_response(request, etag=etag, last_modified=published)
    if not_modified is not None:
        return not_modified
    if settings.STORAGE_DOWNLOADS == "redirect":
        if not _is_stored(name):
            _recreate_or_404(name, recreate).close()
        return _redirect_to_signed_url(name, headers)
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError:
        stored = _recreate_or_404(name, recreate)
        headers = {**headers, "Content-Length": str(stored.size)}
    response = _StoredFileResponse(stored)
    for header, value in headers.items():
        response.headers[header] = value
    return response


def _recreate_or_404(name: str, recreate):
    if recreate is None:
        logger.error("The stored file %s is missing from storage.", name)
        raise Http404("This file is missing; the site's administrators have been told.")
    return recreate()


def _is_stored(name: str) -> bool:
    """Whether the store holds ``name``: asked once per process, as stored files stay."""
    key = f"stored-file:{name}"
    if cache.get(key):
        return True
    if default_storage.exists(name):
        cache.set(key, True, None)
        return True
    return False


def _redirect_to_signed_url(name: str, headers: dict) -> HttpResponseRedirect:
    """Send the reader to the store itself, with a URL that works for a few seconds only.

    The store answers with the same file name and type the app would have sent. The
    redirect is never kept by a cache: the next reader must pass the check again.
    """
    url = default_storage.url(
        name,
        parameters={
            "ResponseContentType": headers["Content-Type"],
            "ResponseContentDisposition": headers["Content-Disposition"],
        },
        expire=settings.STORAGE_SIGNED_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response
