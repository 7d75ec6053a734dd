"""System checks of the project's own settings, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Emails and PDFs link to SITE_URL, so in production it must be the site's https address."""
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        CheckWarning(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails and PDFs would point there.",
            hint="Set SITE_URL to the site's public https:// address.",
            id="minutebook.W001",
        )
    ]
