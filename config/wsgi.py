"""The WSGI application, for gunicorn (``gunicorn -c config/gunicorn.py``) and runserver.

It refuses to start, with one line saying why, when it could only answer with errors: no
database, or (in production) no static files manifest.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from config.readiness import refuse_to_start_unless_ready  # noqa: E402 - needs Django set up

refuse_to_start_unless_ready()
