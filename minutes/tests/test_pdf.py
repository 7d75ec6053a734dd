"""The PDF: formal minutes in print, tagged and titled, and fetching nothing it should not."""

import datetime
import http.server
import io
import re
import threading

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from meetings.models import Meeting
from minutes.document import build_document
from minutes.pdf import INTERNAL_ORIGIN, FetchRefused, StaticFilesOnlyFetcher, html_to_pdf
from minutes.services import render_minutes_pdf
from minutes.tests import reference
from minutes.tests.factories import ItemMinuteFactory, publish, published_version

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return reference.normalise(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def demo_minutes():
    call_command("load_demo", stdout=io.StringIO())
    return Meeting.objects.get(date=datetime.date(2009, 11, 16)).minutes


@pytest.fixture
def demo_pdf(demo_minutes):
    return demo_minutes.versions.get().pdf.open("rb").read()


def test_the_published_pdf_holds_the_reference_in_the_reference_order(demo_minutes, demo_pdf):
    meeting = demo_minutes.meeting
    names = [a.person.full_name for a in meeting.attendances.select_related("person")]
    titles = [item.title for item in meeting.agenda_items.all()]
    decisions = [d.text for d in demo_minutes.decisions.all()]
    actions = [a.text for a in demo_minutes.actions.all()]
    expected = names + titles + decisions + actions
    source = reference.reference_text()
    in_reference_order = sorted(expected, key=source.index)

    text = pdf_text(demo_pdf)
    assert len(in_reference_order) == 15 + 8 + 6 + 2 + 1
    assert reference.in_order(text, in_reference_order)
    assert "Action: SH" in text
    assert re.search(r"Page 1 of \d+", text)


def test_the_pdf_footer_names_the_committee_the_date_and_the_page_count(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    pages = len(reader.pages)
    last = " ".join(reader.pages[-1].extract_text().split())
    assert f"Socitm Futures · Minutes of 16 November 2009 · Page {pages} of {pages}" in last


def test_the_pdf_is_tagged_titled_authored_and_in_british_english(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == (
        "Socitm Futures — Minutes of the meeting held on Monday 16 November 2009"
    )
    assert reader.metadata.author == "Socitm Futures"


def test_the_pdf_embeds_its_fonts(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            )
            fonts[font["/BaseFont"]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts
    assert all(fonts.values()), fonts


def test_published_minutes_carry_no_watermark(demo_pdf):
    assert "DRAFT" not in pdf_text(demo_pdf)
    assert "Approved as a correct record at the meeting on Monday 18 January 2010" in pdf_text(
        demo_pdf
    )


def test_a_draft_is_watermarked_and_says_it_is_subject_to_approval():
    draft = ItemMinuteFactory().minutes
    text = pdf_text(render_minutes_pdf(build_document(draft)))
    assert "DRAFT" in text
    assert "Draft — subject to approval" in text


def test_published_unconfirmed_minutes_are_watermarked_unconfirmed(secretary):
    minutes = ItemMinuteFactory().minutes
    committee = minutes.meeting.committee
    committee.publishes_unconfirmed_minutes = True
    committee.save()
    from minutes.services import minutes_publish

    minutes_publish(minutes=minutes, by=secretary)
    version = published_version(minutes)
    text = pdf_text(version.pdf.open("rb").read())
    assert "UNCONFIRMED" in text
    assert "Unconfirmed — subject to approval" in text


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        RecordingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    RecordingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", RecordingHandler.requests
    server.shutdown()
    server.server_close()


HOSTILE = (
    '<img src="file:///etc/passwd">\n\n'
    '<img src="{base}/tracker.png">\n\n'
    '<link rel="stylesheet" href="{base}/remote.css">\n\n'
    '<p style="background: url({base}/bg.png)">Styled</p>\n\n'
    "Plain words stay."
)


def test_minute_text_cannot_make_the_pdf_fetch_anything(local_server, secretary):
    base, requests = local_server
    item_minute = ItemMinuteFactory(text=HOSTILE.format(base=base))
    version = publish(item_minute.minutes, by=secretary)
    data = version.pdf.open("rb").read()
    assert requests == []
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Plain words stay." in text
    assert "root:" not in text


def test_the_renderer_refuses_remote_and_local_files_even_in_unsanitised_html(local_server):
    base, requests = local_server
    html = (
        "<html><head>"
        f'<link rel="stylesheet" href="{base}/remote.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{INTERNAL_ORIGIN}/static/../../../../etc/passwd">'
        "</head><body>"
        f'<img src="{base}/tracker.png"><img src="file:///etc/passwd">'
        f'<p style="background: url({base}/bg.png)">Still renders</p>'
        "</body></html>"
    )
    data = html_to_pdf(html)
    assert requests == []
    assert "Still renders" in pdf_text(data)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/remote.css",
        "https://example.org/style.css",
        "data:text/css,body{}",
        f"{INTERNAL_ORIGIN}/static/../../../../etc/passwd",
        f"{INTERNAL_ORIGIN}/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{INTERNAL_ORIGIN}/media/minutes/secret.pdf",
        f"{INTERNAL_ORIGIN}/static/minutes/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_the_apps_own_static_files(url):
    with pytest.raises(FetchRefused):
        StaticFilesOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_print_stylesheet():
    response = StaticFilesOnlyFetcher().fetch(f"{INTERNAL_ORIGIN}/static/minutes/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_the_print_stylesheet_is_applied_so_the_page_is_a4(demo_pdf):
    box = PdfReader(io.BytesIO(demo_pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
