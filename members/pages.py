"""The workspace's pages for one form: validate, let a service act, show its errors at the fields.

Every workspace view that saves a form goes through ``perform``; those that are just a heading,
a form and two buttons go through ``form_page``.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


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
