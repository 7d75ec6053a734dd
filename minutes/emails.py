"""Emails about minutes."""

from django.core.mail import EmailMultiAlternatives

from members.emails import email_to
from members.models import Person
from minutes.document import MinutesDocument


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
    message = email_to(person, address, templates="minutes/email/circulation", context=context)
    message.attach(filename, pdf, "application/pdf")
    return message
