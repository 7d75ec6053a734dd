"""PDF rendering with WeasyPrint.

WeasyPrint will fetch any URL a document names, including ``file://`` and
``http://`` ones. Minutebook's PDFs may only use the app's own static files,
so every render goes through :class:`StaticFilesOnlyFetcher`.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Documents are rendered against this made-up origin, so that "/static/…" in a
# template resolves to a URL the fetcher recognises. Nothing is ever requested
# from it: ".invalid" cannot resolve (RFC 2606).
INTERNAL_ORIGIN = "https://minutebook.invalid"


class FetchRefused(ValueError):
    """WeasyPrint logs this and renders without the resource."""


class StaticFilesOnlyFetcher(URLFetcher):
    """Serve the app's static files to WeasyPrint; refuse everything else."""

    def fetch(self, url, headers=None):
        path = static_file_for(url)
        if path is None:
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise FetchRefused(f"Only the app's own static files may be used in a PDF: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def static_file_for(url: str) -> Path | None:
    """The file behind a static URL of this app, or None for any other URL."""
    prefix = INTERNAL_ORIGIN + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    parts = urlsplit(url)
    relative = unquote(parts.path[len(settings.STATIC_URL) :])
    if not relative or "\x00" in relative:
        return None
    candidates = []
    try:
        candidates.append(Path(safe_join(str(settings.STATIC_ROOT), relative)))
    except SuspiciousFileOperation:  # the path climbs out of the static root
        return None
    found = finders.find(relative)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def html_to_pdf(html: str) -> bytes:
    """A tagged, accessible PDF (PDF/UA-1) from HTML, with fonts embedded."""
    document = HTML(
        string=html, base_url=INTERNAL_ORIGIN + "/", url_fetcher=StaticFilesOnlyFetcher()
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a print template (under ``templates/…/pdf/``) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
