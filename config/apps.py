from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's own plumbing: settings, middleware, and what every app shares."""

    name = "config"
    verbose_name = "Site"

    def ready(self):
        from django.db.backends.signals import connection_created

        from config import page_cache

        # Every connection notes its writes, so that kept pages never outlive the record.
        connection_created.connect(page_cache.note_writes_on, dispatch_uid="page_cache")
