from django import template

register = template.Library()


@register.inclusion_tag("outbox/summary.html")
def email_summary(emails, meeting):
    """How a set of emails stands ("2 sent, 1 failed (will retry)"), linking to each recipient."""
    return {"summary": emails.summary(), "meeting": meeting}
