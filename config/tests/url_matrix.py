"""Permission-matrix tests of the workspace's URLs: every page, as each of the cast sees it.

A test module lists its pages as ``{name: (arguments, the method that does something)}``;
these helpers walk that table, so each module states only its pages and what is special.
"""

from django.contrib.auth.views import redirect_to_login
from django.urls import get_resolver, reverse

ROLES = ["anonymous", "member", "outsider", "secretary", "superuser"]


def matrix_urls(namespace: str, pages: dict, values: dict) -> dict[str, str]:
    """Each page's URL, its arguments taken by name from ``values``."""
    return {
        name: reverse(f"{namespace}:{name}", args=[values[arg] for arg in args])
        for name, (args, _) in pages.items()
    }


def workspace_url_names(namespace: str) -> set[str]:
    """The names of the namespace's URLs under workspace/: each must be in the matrix."""
    included = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == namespace
    )
    return {p.name for p in included.url_patterns if str(p.pattern).startswith("workspace/")}


def ask_as(client, role: str, url: str, method: str, *, post_answers: int = 302):
    """Ask ``url`` as ``role`` and check that only the secretariat gets through: anonymous
    visitors are sent to log in, anyone else refused (403); the secretariat's page has one
    heading, and its post is answered with ``post_answers`` (a redirect once done). The
    response, for what a page does beyond that."""
    response = getattr(client, method)(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == redirect_to_login(url).url
    elif role in ("member", "outsider"):
        assert response.status_code == 403
    elif method == "get":
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1
    else:
        assert response.status_code == post_answers
    return response


def assert_refuses_the_wrong_method(client, url: str, method: str) -> None:
    wrong = "delete" if method == "get" else "get"
    assert getattr(client, wrong)(url).status_code == 405
