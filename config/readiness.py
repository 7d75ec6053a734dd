"""Is this process able to serve? The database, the file storage and the static files, checked.

One home for the rule: ``/readyz`` reports it, and the web server refuses to start on it
(``config/wsgi.py``) rather than come up and answer every page with an error.
"""

import sys
import uuid

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def database_problem() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"cannot be reached: {_first_line(error)}"
    return None


def storage_problem() -> str | None:
    """Write, read back and delete a small file, as publishing a PDF would."""
    name = f"readiness/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ready"))
        try:
            with default_storage.open(saved, "rb") as stored:
                if stored.read() != b"ready":
                    return "a file written could not be read back"
        finally:
            default_storage.delete(saved)
    except Exception as error:  # any storage backend's failure: not usable
        return f"cannot store files: {_first_line(error)}"
    return None


def static_problem() -> str | None:
    """With hashed static files, their manifest must be loaded, or every page fails with a 500.

    The manifest is read when the process starts: running collectstatic later needs a restart.
    """
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None
    if not staticfiles_storage.hashed_files:
        return (
            f"manifest {staticfiles_storage.path(staticfiles_storage.manifest_name)} was not "
            "loaded: run `manage.py collectstatic`, then start the app again"
        )
    return None


CHECKS = {"database": database_problem, "storage": storage_problem, "static": static_problem}


def problems(names=tuple(CHECKS)) -> dict[str, str | None]:
    """Each check's problem, or None where all is well."""
    return {name: CHECKS[name]() for name in names}


def refuse_to_start_unless_ready(names=("static", "database")):
    """Stop the process with one line per problem, not a traceback, unless it can serve.

    The storage is checked by /readyz only: a store that is down for a moment should not stop
    the site from serving pages.
    """
    found = {name: problem for name, problem in problems(names).items() if problem}
    connections.close_all()  # gunicorn forks its workers next: they must not share a connection
    if found:
        for name, problem in found.items():
            print(f"Minutebook cannot start: {name}: {problem}", file=sys.stderr)
        sys.exit(1)
