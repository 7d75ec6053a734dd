"""Who may do what. One place, so every view, feed and file asks the same question."""

import functools

from django.core.exceptions import PermissionDenied

SECRETARIAT_GROUP = "Secretariat"
SECRETARIAT_PERMISSION = "minutes.manage_minutes"


def is_secretariat(user) -> bool:
    """True for users who edit, approve and publish minutes (and see drafts).

    The secretariat are staff (they use the admin too). Checking that first
    spares every member's request the two queries that load permissions.
    """
    return bool(user and user.is_active and user.is_staff and user.has_perm(SECRETARIAT_PERMISSION))


def person_for(user):
    """The Person linked to a login, or None."""
    if not user or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


class LoginRequired(Exception):
    """Raised where an anonymous visitor may see more after logging in.

    ``members.middleware.LoginRedirectMiddleware`` turns it into a redirect to the login page.
    """


def secretariat_required(view):
    """For the secretariat's workspace: log in first, then 403 for anyone else."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise LoginRequired
        if not is_secretariat(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
