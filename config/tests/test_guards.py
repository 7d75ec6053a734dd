"""Guards for the whole project: migrations match the models; every page has one <h1>."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from members.tests.factories import UserFactory


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.h1 += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)


# Not the site's own pages: the admin, files, feeds, and the API (JSON, and its Swagger UI
# documentation page, which draws its headings with JavaScript).
SKIP = re.compile(r"^/(admin/|accounts/logout|static/|api/)|\.(pdf|xml|ics)$|/feed/$")
MAX_PAGES = 120


def crawl(client, start="/"):
    """Follow every internal link from ``start``; return {path: (status, number of h1)}."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            pages[path] = (response.status_code, None)
            continue
        parser = PageParser()
        parser.feed(response.content.decode())
        pages[path] = (200, parser.h1)
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIP.search(parts.path) and target not in seen:
                queue.append(target)
    return pages


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("username", [None, "member", "secretary"])
def test_every_page_reachable_by_links_answers_and_has_exactly_one_h1(client, demo, username):
    if username:
        client.force_login(UserFactory(username=username))
    pages = crawl(client)
    assert len(pages) > 5
    broken = {path: status for path, (status, _) in pages.items() if status >= 400}
    assert broken == {}
    wrong = {path: h1 for path, (status, h1) in pages.items() if status == 200 and h1 != 1}
    assert wrong == {}
