"""Reading the files secretaries hold — .txt, .md, .docx, .pdf, .html — into plain text.

Each reader keeps what the parser needs: headings become Markdown headings, list paragraphs
become bullets or numbered lines, tables become Markdown tables, and a PDF's lines keep their
layout. A file that cannot be read raises ``UnreadableFile`` with a message for a person.
"""

import html
import io
import re
import zipfile
from html.parser import HTMLParser

MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}


class UnreadableFile(Exception):
    """A file that cannot be imported; the message says why, for the person importing it."""


def suffix_of(name: str) -> str:
    match = re.search(r"\.[A-Za-z0-9]+$", name)
    return match.group(0).lower() if match else ""


def refuse_by_name_or_size(name: str, size: int) -> None:
    """Refuse a file by its name and size alone, before its bytes are read."""
    if size > MAX_BYTES:
        raise UnreadableFile(
            f"{name} is {size // (1024 * 1024)} MB; files of minutes up to "
            f"{MAX_BYTES // (1024 * 1024)} MB can be imported."
        )
    suffix = suffix_of(name)
    if suffix == ".doc":
        raise UnreadableFile(
            f"{name} is an old Word (.doc) file; save it as .docx or PDF and import that."
        )
    if suffix not in SUFFIXES:
        raise UnreadableFile(
            f"{name}: files of this type cannot be imported; use .docx, .pdf, .txt, .md or .html."
        )


def kind_of(name: str, data: bytes) -> str:
    """Which reader a file needs: "pdf", "docx" or "text" (plain, Markdown or HTML)."""
    suffix = suffix_of(name)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        return "pdf"
    return "docx" if suffix == ".docx" else "text"


def check_file(name: str, data: bytes) -> None:
    """Refuse a file that cannot be read, by what it is rather than by reading its text: cheap
    enough for the upload request, so a bad file is refused there and never stored."""
    refuse_by_name_or_size(name, len(data))
    {"pdf": check_pdf, "docx": check_docx, "text": decode}[kind_of(name, data)](name, data)


def read_text(name: str, data: bytes) -> str:
    """The text of one file, chosen by its name's suffix and checked against its content."""
    check_file(name, data)
    kind = kind_of(name, data)
    if kind == "pdf":
        return read_pdf(name, data)
    if kind == "docx":
        return read_docx(name, data)
    text = decode(name, data)
    if suffix_of(name) in HTML_SUFFIXES or re.match(
        r"\s*<(?:!doctype|html|body|div|p|h\d|table)\b", text, re.I
    ):
        return html_to_text(text)
    return text


def decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(f"{name} is not a text file.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
        if controls > 8:
            raise UnreadableFile(f"{name} is not a text file.")
        return text
    raise UnreadableFile(f"{name} is not a text file.")


# --- HTML -----------------------------------------------------------------------------------


class _HtmlText(HTMLParser):
    BLOCKS = {
        "p", "div", "section", "article", "header", "footer", "br", "tr", "table",
        "ul", "ol", "blockquote", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    }  # fmt: skip
    SKIP = {"script", "style", "head", "nav", "noscript", "template", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.table_rows = 0
        self.lists: list[list] = []  # [kind, counter]

    def newline(self):
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in {"td", "th"}:
            self.cell = []
            return
        if tag == "tr":
            self.row = []
            return
        if tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        if tag in self.BLOCKS:
            self.newline()
        if re.fullmatch(r"h[1-6]", tag):
            self.out.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.out.append(f"{self.lists[-1][1]}. ")
            else:
                self.out.append("- ")
        elif tag in {"strong", "b"}:
            self.out.append("**")
        if tag in {"p", "div"} and self.out and self.out[-1] != "\n\n":
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in {"td", "th"} and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()).replace("|", "/"))
            self.cell = None
            return
        if tag == "tr" and self.row is not None:
            self.newline()
            self.out.append("| " + " | ".join(self.row) + " |\n")
            if self.table_rows == 0:
                self.out.append("|" + "---|" * len(self.row) + "\n")
            self.table_rows += 1
            self.row = None
            return
        if tag == "table":
            self.table_rows = 0
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        if tag in {"strong", "b"}:
            self.out.append("**")
        if tag in self.BLOCKS:
            self.newline()
            if tag in {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table"}:
                self.out.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
            return
        self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Pasted or saved web pages: the text with headings, lists and tables kept."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.out).replace("****", "")
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return html.unescape(re.sub(r"\n{3,}", "\n\n", text)).strip() + "\n"


# --- Word -----------------------------------------------------------------------------------


def check_docx(name: str, data: bytes) -> None:
    """A .docx is a zip; a password-protected one is an OLE compound file instead."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise UnreadableFile(
                f"{name} is encrypted or an old Word file; save it as .docx without a password."
            )
        raise UnreadableFile(f"{name} is not a Word document.")


def read_docx(name: str, data: bytes) -> str:
    """Word: headings as Markdown headings, list paragraphs as bullets, tables as tables."""
    import docx  # python-docx; imported here so the rest of the app does not pay for it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for a damaged file
        raise UnreadableFile(f"{name} could not be read as a Word document ({error}).") from None
    from docx.oxml.ns import qn

    out: list[str] = []
    counters: dict[tuple, int] = {}
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(child, document)
            text = _runs_text(paragraph)
            style = (paragraph.style.name or "") if paragraph.style is not None else ""
            if not text.strip():
                out.append("")
                continue
            level = re.match(r"Heading (\d)", style)
            numbered = child.find(qn("w:pPr"))
            num_pr = numbered.find(qn("w:numPr")) if numbered is not None else None
            if level:
                out.append("#" * min(int(level.group(1)) + 1, 6) + " " + text.strip())
            elif style == "Title":
                out.append("# " + text.strip())
            elif num_pr is not None or style.startswith("List"):
                if "Number" in style:
                    key = (style,)
                    counters[key] = counters.get(key, 0) + 1
                    out.append(f"{counters[key]}. {text.strip()}")
                else:
                    out.append(f"- {text.strip()}")
            else:
                out.extend(text.split("\n"))
            out.append("")
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            rows = []
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    cells.append(" ".join(cell.text.split()).replace("|", "/"))
                rows.append(cells)
            if not rows:
                continue
            if _is_layout_table(rows):
                for row in rows:
                    out.append("   ".join(c for c in row if c))
                out.append("")
                continue
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out.extend("| " + " | ".join(row) + " |" for row in rows[1:])
            out.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _runs_text(paragraph) -> str:
    parts = []
    for run in paragraph.runs:
        text = run.text
        if (
            run.bold
            and text.strip()
            and re.match(r"^\s*(?:action|resolved|decision)\b", text, re.I)
        ):
            text = text.strip()  # "Action:" in bold is still "Action:"
        parts.append(text)
    return "".join(parts).replace("\t", "   ")


def _is_layout_table(rows: list[list[str]]) -> bool:
    """A table used to lay out an attendance list (name | organisation) rather than data."""
    header = " ".join(rows[0]).lower()
    return len(rows[0]) <= 3 and not re.search(r"action|owner|due|who|ref|item|status|date", header)


# --- PDF ------------------------------------------------------------------------------------


NO_TEXT_LAYER = (
    "{name}: this PDF has no text layer (it is a scan or a picture of the page). "
    "Run it through OCR, or import the original Word or text file."
)


def check_pdf(name: str, data: bytes) -> None:
    """Open the PDF's cross-reference table and trailer only (not its pages): a damaged file
    or one that needs a password to open is refused. A password that only restricts printing
    or copying is no bar to reading it."""
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        raise UnreadableFile(
            f"{name} is protected by a password; save an unprotected copy."
        ) from None
    except Exception:  # pdfminer raises many kinds for a damaged file
        raise UnreadableFile(f"{name} could not be read as a PDF.") from None


def read_pdf(name: str, data: bytes) -> str:
    """A text-based PDF, line by line as laid out on the page (check_pdf has opened it)."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [
                page.extract_text(layout=False, x_tolerance=1.5, y_tolerance=3) or ""
                for page in pdf.pages
            ]
    except Exception:  # pdfplumber wraps pdfminer's many errors in its own
        raise UnreadableFile(f"{name} could not be read as a PDF.") from None
    text = "\n".join(pages)
    if len(re.sub(r"\s+", "", text)) < 20:
        raise UnreadableFile(NO_TEXT_LAYER.format(name=name))
    # Page headers and footers ("Page 2 of 5") are not part of the minutes.
    text = re.sub(r"(?im)^\s*page \d+(?: of \d+)?\s*$", "", text)
    return text
