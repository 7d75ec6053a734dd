"""Emails about minutes: one small function per email, each from a subject/text/html trio."""

from email.utils import formataddr

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from members.models import Person
from minutes.document import MinutesDocument


def _render_trio(name: str, context: dict) -> tuple[str, str, str]:
    """Subject (on one line), plain text and HTML from ``templates/minutes/email/<name>…``."""
    subject = render_to_string(f"minutes/email/{name}_subject.txt", context)
    return (
        " ".join(subject.split()),
        render_to_string(f"minutes/email/{name}.txt", context),
        render_to_string(f"minutes/email/{name}.html", context),
    )


def circulation_email(
    *,
    document: MinutesDocument,
    person: Person,
    address: str,
    pdf: bytes,
    filename: str,
    link: str = "",
) -> EmailMultiAlternatives:
    """The minutes sent to one member, PDF attached, with the actions that are theirs.

    ``link`` points at the published minutes online; drafts have none, as
    members cannot open them.
    """
    context = {
        "document": document,
        "person": person,
        "link": link,
        "your_actions": [a for a in document.actions if person.initials in a.owners],
    }
    subject, text, html = _render_trio("circulation", context)
    message = EmailMultiAlternatives(subject, text, to=[formataddr((person.full_name, address))])
    message.attach_alternative(html, "text/html")
    message.attach(filename, pdf, "application/pdf")
    return message
