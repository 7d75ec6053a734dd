from django import template
from django.utils.safestring import mark_safe

from minutes.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render minute text (Markdown) as sanitised HTML."""
    return render_markdown(text or "")


@register.filter
def css_string(value) -> str:
    """Quote ``value`` as a CSS string, escaping everything that could end it early."""
    escaped = "".join(
        char if char.isalnum() or char in " .,·:;-–—()&'’" else f"\\{ord(char):06x}"
        for char in str(value)
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every unsafe character is escaped


@register.filter
def item_number(number: str) -> str:
    """An item's number as headings print it: "2" → "2."; "23/045", "4(a)" or "7." as typed."""
    if not number or number.endswith((".", ")", ":")) or "/" in number:
        return number
    return f"{number}."
