"""Emails to people: every email Minutebook sends is built here from three templates."""

from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from members.models import Person
from members.validators import one_line


def email_to(
    person: Person, address: str, *, templates: str, context: dict
) -> EmailMultiAlternatives:
    """An email to ``person`` at ``address``, plain text with an HTML alternative.

    ``templates`` names a trio: ``<templates>_subject.txt`` (folded onto one
    line), ``<templates>.txt`` and ``<templates>.html``.
    """
    # Headers are made one line here, whatever the stored names hold.
    subject = render_to_string(f"{templates}_subject.txt", context)
    message = EmailMultiAlternatives(
        one_line(subject),
        render_to_string(f"{templates}.txt", context),
        to=[formataddr((one_line(person.full_name), one_line(address)))],
    )
    message.attach_alternative(render_to_string(f"{templates}.html", context), "text/html")
    return message
