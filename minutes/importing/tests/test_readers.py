"""Reading the files secretaries hold: text, Markdown, Word, PDF, web pages, and bad files."""

import pytest

from minutes.importing.parse import parse_minutes
from minutes.importing.readers import MAX_BYTES, UnreadableFile, html_to_text, read_text
from minutes.importing.tests.files import (
    blank_pdf_bytes,
    docx_bytes,
    locked_pdf_bytes,
    pdf_bytes,
)


def check_parks_minutes(text):
    data = parse_minutes(text).as_json()
    assert data["date"] == "2023-03-06"
    assert [(p["name"], p["role"]) for p in data["present"]] == [
        ("Ann Lee", "Chair"), ("Bob Roe", ""), ("Cy Day", "")
    ]  # fmt: skip
    assert [p["name"] for p in data["apologies"]] == ["Di Fox"]
    assert [(i["number"], i["title"]) for i in data["items"]] == [
        ("1", "Play area"), ("2", "Any other business")
    ]  # fmt: skip
    play_area = data["items"][0]
    assert play_area["decisions"] == ["RESOLVED that the repairs be ordered."]
    assert play_area["actions"][0]["owners"] == ["BR"]
    assert play_area["actions"][0]["due"] == "2023-03-31"
    return data


def test_a_word_document_keeps_headings_bullets_and_its_action_table():
    text = read_text("minutes.docx", docx_bytes())
    data = check_parks_minutes(text)
    aob = data["items"][1]
    assert "- The bench on Mill Lane needs paint." in aob["text"]
    assert aob["actions"] == [
        {"owners": ["CD"], "text": "Paint the bench", "due": "2023-05-01", "reference": ""}
    ]


def test_a_text_based_pdf_is_read_line_by_line():
    check_parks_minutes(read_text("minutes.pdf", pdf_bytes()))


def test_a_scanned_pdf_without_text_says_it_has_no_text_layer():
    with pytest.raises(UnreadableFile, match="this PDF has no text layer"):
        read_text("scan.pdf", blank_pdf_bytes())


def test_a_password_protected_pdf_says_so():
    with pytest.raises(UnreadableFile, match="protected by a password"):
        read_text("locked.pdf", locked_pdf_bytes())


def test_a_pdf_whose_password_only_restricts_printing_is_read():
    check_parks_minutes(read_text("restricted.pdf", locked_pdf_bytes(user_password="")))


def test_html_pasted_from_a_web_page_keeps_its_structure():
    html = (
        "<html><head><style>p{}</style><script>alert(1)</script></head><body>"
        "<h1>Minutes of the Parks Committee held on Monday 6 March 2023</h1>"
        "<p><strong>Present:</strong> Cllr Ann Lee (Chair), Cllr Bob Roe, Cllr Cy Day</p>"
        "<p>Apologies: Cllr Di Fox</p><h2>1. Play area</h2>"
        "<p>The committee reviewed the inspection report.</p>"
        "<p>RESOLVED that the repairs be ordered.</p>"
        "<p>Action: BR to order the repairs by 31 March 2023.</p>"
        "<h2>2. Any other business</h2><ul><li>The bench on Mill Lane needs paint.</li></ul>"
        "<table><tr><th>Action</th><th>Owner</th></tr><tr><td>Paint it</td><td>CD</td></tr></table>"
        "</body></html>"
    )
    text = read_text("page.html", html.encode())
    assert "alert" not in text
    assert "| Action | Owner |" in text
    check_parks_minutes(text)


def test_plain_text_in_windows_encoding_is_read():
    text = read_text("old.txt", "Minutes – 6 March 2023\nPresent: Ann Lee\n".encode("cp1252"))
    assert "Minutes – 6 March 2023" in text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("minutes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word"),
        ("minutes.docx", b"not a zip at all", "not a Word document"),
        ("minutes.exe", b"MZ\x90\x00", "cannot be imported"),
        ("minutes.txt", bytes(range(256)) * 10, "not a text file"),
        ("minutes.pdf", b"%PDF-1.4 garbage", "could not be read as a PDF"),
        ("huge.txt", b"a" * (MAX_BYTES + 1), "MB"),
    ],
)
def test_a_bad_file_gets_a_clear_message(name, data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_text(name, data)


def test_html_lists_become_markdown_lists():
    assert "1. First\n2. Second" in html_to_text("<ol><li>First</li><li>Second</li></ol>")
