"""Emails to people: every email Minutebook sends is built here from three templates."""

from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from members.models import Person


def email_to(
    person: Person, address: str, *, templates: str, context: dict
) -> EmailMultiAlternatives:
    """An email to ``person`` at ``address``, plain text with an HTML alternative.

    ``templates`` names a trio: ``<templates>_subject.txt`` (folded onto one
    line), ``<templates>.txt`` and ``<templates>.html``.
    """
    subject = render_to_string(f"{templates}_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        render_to_string(f"{templates}.txt", context),
        to=[formataddr((person.full_name, address))],
    )
    message.attach_alternative(render_to_string(f"{templates}.html", context), "text/html")
    return message
