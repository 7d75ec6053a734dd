"""The admin's answers when the record refuses a change: a save a service refuses after the form
passed, and a deletion the object itself forbids."""

from django.core.exceptions import ValidationError


class ServiceRefusalsAsFormErrors:
    """For a ModelAdmin that saves through services: a refusal is a form error, not a 500.

    The form's checks run before the services lock anything, so a change that lands
    in between (another request, the worker) can still make a service refuse. The
    admin's transaction is then rolled back whole, and the page is shown again with
    what was typed and the service's reason: by its field where the form has that
    field, else above the form.
    """

    refusals: tuple[type[Exception], ...] = (ValidationError,)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refusals as refused:
            if request.method != "POST":
                raise
            request.refused_by_service = refused
        # Again, from the rolled-back state: the form, bound to what was posted, carries
        # the refusal, so it is shown and nothing is saved.
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "refused_by_service", None)
        if refused is None:
            return form

        class Refused(form):
            def clean(self):
                cleaned = super().clean()
                add_refusal(self, refused)
                return cleaned

        Refused.__name__ = form.__name__
        return Refused


def add_refusal(form, refused: Exception) -> None:
    """Put a service's refusal on ``form``: by the fields it names, else above the form."""
    if not isinstance(refused, ValidationError):
        form.add_error(None, str(refused))
        return
    by_field = getattr(refused, "error_dict", {None: refused.error_list})
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)


class DeletionAskedOfEachObject:
    """For a ModelAdmin whose objects say whether they may go: ``deletion_refused(obj)`` is
    None, or why not (by default the object's own ``can_be_deleted()``).

    Deleting in bulk is withdrawn: it would not ask each object.
    """

    def deletion_refused(self, obj):
        return obj.can_be_deleted()

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not self.deletion_refused(obj)) and super().has_delete_permission(
            request, obj
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
