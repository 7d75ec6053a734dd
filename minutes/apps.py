from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = "Minutes and actions"

    def ready(self):
        from config import checks  # noqa: F401  (registers the project's deploy checks)
