"""The original file an imported meeting's minutes were made from, kept byte for byte."""

import mimetypes

from django.http import Http404
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from members.roles import is_secretariat
from minutes.access import meeting_or_404, published_minutes_or_refuse
from minutes.downloads import pdf_file_response
from minutes.importing.models import ImportedDocument


@require_safe
def original_document(request, slug, date):
    """The secretariat may always download it; readers once the minutes are published."""
    meeting = meeting_or_404(slug, date)
    if not is_secretariat(request.user):
        published_minutes_or_refuse(request, meeting)
    document = ImportedDocument.objects.filter(meeting=meeting).first()
    if document is None:
        raise Http404("These minutes were not imported from a file.")
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    imported = document.imported_at.timestamp()
    etag = f'"{document.sha256}"'
    return pdf_file_response(
        request,
        name=document.file.name,
        etag=etag,
        published=imported,
        headers={
            "Content-Type": content_type,
            "Content-Length": str(document.file.size),
            "Content-Disposition": content_disposition_header(True, document.filename),
            "ETag": etag,
            "Last-Modified": http_date(imported),
            "Cache-Control": "private, max-age=0, must-revalidate",
        },
    )
