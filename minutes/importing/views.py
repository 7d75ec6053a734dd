"""Importing minutes in the workspace, and the original file an imported meeting came from."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from members.models import Committee
from members.roles import is_secretariat, secretariat_required
from minutes.access import meeting_or_404, published_minutes_or_refuse
from minutes.downloads import stored_file_response
from minutes.importing.forms import (
    ImportReviewForm,
    ImportUploadForm,
    ItemFormSet,
    ItemReviewForm,
    PeopleMatchForm,
    draft_from_review,
    items_as_typed,
    merge_items,
    people_as_typed,
    split_item,
)  # fmt: skip
from minutes.importing.models import ImportedDocument, ImportUpload
from minutes.importing.services import (
    ImportRefused,
    content_hash,
    minutes_import,
    people_not_found,
)
from minutes.importing.tasks import read_upload
from minutes.services import WorkflowError, minutes_publish_historic


@require_safe
def original_document(request, slug, date):
    """The secretariat may always download it; readers once the minutes are published."""
    meeting = meeting_or_404(request, slug, date)
    if not is_secretariat(request.user):
        published_minutes_or_refuse(request, meeting)
    document = ImportedDocument.objects.filter(meeting=meeting).first()
    if document is None:
        raise Http404("These minutes were not imported from a file.")
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    imported = document.imported_at.timestamp()
    etag = f'"{document.sha256}"'
    return stored_file_response(
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


# -- The workspace's import screens ---------------------------------------------------------


@secretariat_required
def import_start(request, slug):
    """Upload files of minutes (or paste one); each is read by a background task."""
    committee = get_object_or_404(Committee, slug=slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        received = form.cleaned_data["files"]
        if form.cleaned_data["pasted"].strip():
            received.append(("pasted-minutes.txt", form.cleaned_data["pasted"].encode()))
        with transaction.atomic():
            for name, data in received:
                upload = ImportUpload(
                    committee=committee, filename=name[-200:], sha256=content_hash(data),
                    created_by=request.user,
                )  # fmt: skip
                upload.file.save(name[-120:], ContentFile(data), save=False)
                upload.save()
                # The database queue is transactional: the task exists only if this commits.
                read_upload.enqueue(upload.pk)
        messages.success(request, f"{len(received)} file{pluralize(len(received))} received.")
        return redirect("minutes:import_list", committee.slug)
    return render(
        request,
        "minutes/workspace/import_start.html",
        # More files than this in one post are refused before the view runs (a bare 400).
        {"committee": committee, "form": form, "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES},
    )


@secretariat_required
@require_safe
def import_list(request, slug):
    """The uploads: waiting or being read (the page checks again until they are done), to
    review, failed, saved."""
    committee = get_object_or_404(Committee, slug=slug)
    uploads = list(ImportUpload.objects.filter(committee=committee).select_related("meeting"))
    pending = sum(1 for u in uploads if u.being_read)
    return render(
        request,
        "minutes/workspace/import_list.html",
        {"committee": committee, "uploads": uploads, "pending": pending},
    )


@secretariat_required
def import_review(request, pk):
    """The source on one side, what was recognised on the other; nothing is saved before
    the secretary saves the corrected draft."""
    upload = get_object_or_404(
        ImportUpload.objects.select_related("committee"), pk=pk, status=ImportUpload.Status.READY
    )
    parsed = upload.draft
    problems = []
    if request.method == "POST":
        form = ImportReviewForm(request.POST)
        names = people_not_found(people_as_typed(request.POST))
        people = PeopleMatchForm(request.POST, names=names)
        if "merge" in request.POST or "split" in request.POST:
            # Reshape the items and show the page again; nothing is saved.
            rows, problem = _reshaped(request.POST)
            problems += [problem] if problem else []
            items = ItemFormSet(prefix="items", initial=rows)
        else:
            items = ItemFormSet(request.POST, prefix="items")
            if form.is_valid() and items.is_valid() and people.is_valid():
                draft = draft_from_review(form, items, parsed)
                saved = _save_review(request, upload, draft, form, people.chosen())
                if saved is not None:
                    return redirect("minutes:take", saved.pk)
    else:
        form = ImportReviewForm(initial=ImportReviewForm.initial_from(parsed))
        names = people_not_found(people_as_typed(form.initial))
        people = PeopleMatchForm(names=names)
        items = ItemFormSet(
            prefix="items", initial=[ItemReviewForm.initial_from(i) for i in parsed["items"]]
        )
    kinds = parsed.get("line_kinds", {})
    lines = [
        (number, text, kinds.get(str(number), "unrecognised" if text.strip() else "blank"))
        for number, text in enumerate(upload.source_text.splitlines(), 1)
    ]
    return render(
        request,
        "minutes/workspace/import_review.html",
        {"committee": upload.committee, "upload": upload, "form": form, "items": items,
         "lines": lines, "warnings": parsed.get("warnings", []), "people": people,
         "problems": problems},
    )  # fmt: skip


def _reshaped(data) -> tuple[list[dict], str]:
    """The items after the merge or split the secretary asked for; what is wrong, if anything."""
    rows = items_as_typed(data)
    asked = data.get("merge") or data.get("split")
    index = next((i for i, row in enumerate(rows) if str(row["form"]) == asked), -1)
    try:
        if "merge" in data:
            return merge_items(rows, index), ""
        return split_item(rows, index, rows[index]["split_at"] if index >= 0 else ""), ""
    except ValueError as error:
        return rows, str(error)


def _save_review(request, upload, draft, form, chosen):
    with upload.file.open("rb") as stored:
        data = stored.read()
    try:
        result = minutes_import(
            committee=upload.committee, draft=draft, filename=upload.filename, data=data,
            by=request.user, people_chosen=chosen,
        )  # fmt: skip
    except ImportRefused as error:
        form.add_error(None, str(error))
        return None
    upload.status = ImportUpload.Status.SAVED
    upload.meeting = result.meeting
    upload.save(update_fields=["status", "meeting"])
    for warning in result.warnings:
        messages.warning(request, warning)
    if form.cleaned_data["publish"]:
        try:
            minutes_publish_historic(
                minutes=result.meeting.minutes, by=request.user,
                approval_wording=form.cleaned_data["approval_wording"].strip(),
            )  # fmt: skip
        except (WorkflowError, ValidationError, OSError) as error:
            messages.error(request, f"Saved as draft minutes, but not published: {error}")
        else:
            messages.success(
                request, "Saved; they are being published as the record (the PDF is being made)."
            )
            return result.meeting
    messages.success(request, "Saved as draft minutes. Check them before approving.")
    return result.meeting
