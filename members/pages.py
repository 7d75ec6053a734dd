"""The workspace's pages for one form: validate, let a service act, show its errors at the fields.

Every workspace view that saves a form goes through ``perform``; those that are just a heading,
a form and two buttons go through ``form_page``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from members import detours
from members.roles import secretariat_required

require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


def post_data(request):
    return request.POST if request.method == "POST" else None


def perform(form, operation: Callable):
    """Run ``operation(cleaned_data)`` for a valid form; a rule it breaks shows on the form.

    Returns the operation's result, or None when the form must be shown again.
    """
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return operation(form.cleaned_data)
    except ValidationError as error:
        show_error(form, error)
        return None


def show_error(form, error: ValidationError) -> None:
    """Put a service's error next to its field, or above the form if it has none there."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_page(request, form, operation: Callable, *, done: Callable, page: dict):
    """The workspace's one page for a single form (heading, form, submit, back).

    When the form is valid and ``operation`` succeeds, ``done(result)`` gives
    the success message and where to go next. ``page`` holds the heading, the
    buttons' words and the breadcrumb trail: a ``meeting``, a ``committee``, or
    ``trail``, a list of (label, url) above this page.
    """
    result = perform(form, operation)
    if result is not None:
        message, url = done(result)
        messages.success(request, message)
        return redirect(url)
    return render(
        request,
        "meetings/workspace/form_page.html",
        {"form": form, "meeting": None, "committee": None, **page},
    )


@dataclass(frozen=True)
class ListPages:
    """The add and edit pages of one of the workspace's lists (venues, people, organisations).

    Each is ``form_page``: the list's form, saved by its services, then back to the
    list, or, when the page was opened as a detour from another form (``next``),
    back to that form with the new entry chosen.
    """

    form: type
    create: Callable  # create(**data) -> the new entry
    update: Callable  # update(entry, **data) -> the entry
    list_url: str  # the list's URL name
    trail: str  # the list's name in the breadcrumbs
    add: str  # "Add a venue": the add page's heading
    add_submit: str  # "Add the venue"
    added: Callable[[object], str]  # the message once added
    saved: Callable[[object], str]  # the message once edited
    heading: Callable[[object], str] = lambda entry: f"Edit {entry}"

    def _page(self, request, form, operation, *, done, back="", **page):
        url = reverse(self.list_url)
        return form_page(
            request,
            form,
            operation,
            done=lambda entry: (done(entry), detours.back_with(back, entry) if back else url),
            page={"trail": [(self.trail, url)], "back_url": back or url, **page},
        )

    def new(self, request):
        back = detours.next_url(request)
        return self._page(
            request,
            self.form(post_data(request)),
            lambda data: self.create(**data),
            done=self.added,
            back=back,
            heading=self.add,
            submit=self.add_submit,
            back_label="Back without adding" if back else None,
            next=back,
        )

    def views(self, entries):
        """The add and edit views, for the secretariat alone; an edit loads from ``entries``."""

        @secretariat_required
        @require_form_methods
        def new(request):
            return self.new(request)

        @secretariat_required
        @require_form_methods
        def edit(request, pk):
            return self.edit(request, get_object_or_404(entries, pk=pk))

        return new, edit

    def edit(self, request, entry):
        return self._page(
            request,
            self.form(post_data(request), instance=entry),
            lambda data: self.update(entry, **data),
            done=self.saved,
            heading=self.heading(entry),
            submit="Save",
        )
