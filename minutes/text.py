"""Minute text: Markdown in, sanitised HTML out.

Everything a user types passes through here before it reaches a page or a
PDF. Markdown gives paragraphs, bullet lists, tables and sub-headings, and
keeps a single line break as a line break (minutes often give one line per
speaker); nh3 then keeps only a small set of harmless tags, so raw HTML in the
text (scripts, images, stylesheets, event handlers) never renders and never
makes the PDF renderer fetch anything.
"""

import html
import re
import threading

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote", "a",
    "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# "·" and "•" are how bullets arrive when minutes are pasted from a word processor.
_PASTED_BULLET = re.compile(r"^[ \t]*[·•][ \t]*", flags=re.MULTILINE)


# A sub-heading inside an item sits below the item's own heading, whatever level was typed.
_TOP_HEADING = re.compile(r"<(/?)h[12]>")
# Tables typed in Markdown print ruled and padded, like the minutes' own tables.
_TABLE = re.compile(r"<table>")

_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One Markdown converter per thread: building one loads its extensions, which is slow."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=["sane_lists", "tables", "nl2br"], output_format="html"
        )
    return converter


def normalise_pasted_bullets(text: str) -> str:
    return _PASTED_BULLET.sub("- ", text)


def render_markdown(text: str) -> SafeString:
    """Render minute text to HTML that is safe to put on a page or into a PDF."""
    if not text:
        return mark_safe("")
    html = _markdown().reset().convert(normalise_pasted_bullets(text))
    html = _TOP_HEADING.sub(r"<\1h3>", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    cleaned = _TABLE.sub('<table class="minutes-table">', cleaned)
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above


def plain_text(text: str) -> str:
    """Minute text with the markup removed, for search and email bodies: "R&D", not
    "R&amp;D"."""
    return " ".join(html.unescape(strip_tags(render_markdown(text))).split())
