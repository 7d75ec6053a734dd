"""Helpers for tests that drive the Django admin through the test client."""

from django.urls import reverse

from members.tests.factories import UserFactory


def admin_url(obj_or_model, view: str) -> str:
    """``admin_url(meeting, "change")``, ``admin_url(Meeting, "changelist")``."""
    opts = obj_or_model._meta
    args = [obj_or_model.pk] if view in ("change", "delete", "history") else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def admin_pages(obj) -> list[str]:
    """The list, add and change pages of ``obj``'s model admin."""
    return [admin_url(obj, "changelist"), admin_url(obj, "add"), admin_url(obj, "change")]


def staff_outside_the_secretariat():
    """A user allowed into the admin who holds none of the secretariat's permissions."""
    return UserFactory(username="staff", is_staff=True)


def access_seen_by(client, urls) -> list[int | str]:
    """Each page's status code, or "login" where the admin sent the user to log in."""
    seen = []
    for url in urls:
        response = client.get(url)
        is_login = response.status_code == 302 and response["Location"].startswith(
            reverse("admin:login")
        )
        seen.append("login" if is_login else response.status_code)
    return seen


def assert_only_the_secretariat_gets_in(
    obj, *, client_for, secretary, member, secretary_sees=(200, 200, 200)
):
    """Check the list, add and change pages of ``obj``'s admin, as each of the cast sees them.

    Takes the fixtures of the same names. Users who are not staff are sent to
    the admin's login; staff outside the secretariat are refused.
    """
    pages = admin_pages(obj)
    assert access_seen_by(client_for(secretary), pages) == list(secretary_sees)
    assert access_seen_by(client_for(member), pages) == ["login"] * 3
    assert access_seen_by(client_for(staff_outside_the_secretariat()), pages) == [403] * 3


def save_admin_form(client, url, **changes):
    """Open the admin form at ``url`` and save it with ``changes``, as a user would."""
    return client.post(url, changeform_data(client.get(url), **changes))


def changeform_data(response, **changes) -> dict:
    """What the admin form on the page ``response`` posts when saved, with ``changes`` applied.

    Walks the form and every inline formset (management forms included) as the
    page rendered them, so a test changes only what a user would touch.
    """
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def inline_rows(prefix: str, rows: list[dict], start: int = 0) -> dict:
    """POST data for ``rows`` of an inline formset, numbered from ``start``, and its new total."""
    data = {f"{prefix}-TOTAL_FORMS": str(start + len(rows))}
    for index, row in enumerate(rows, start):
        data |= {f"{prefix}-{index}-{field}": value for field, value in row.items()}
    return data
