"""Real files of minutes, made the way people make them: Word, PDF, a web page."""

import io

import docx
import pypdf
import weasyprint

MINUTES_LINES = [
    ("title", "Minutes of the Parks Committee held on Monday 6 March 2023"),
    ("para", "Present: Cllr Ann Lee (Chair), Cllr Bob Roe, Cllr Cy Day"),
    ("para", "Apologies: Cllr Di Fox"),
    ("heading", "1. Play area"),
    ("para", "The committee reviewed the inspection report."),
    ("para", "RESOLVED that the repairs be ordered."),
    ("para", "Action: BR to order the repairs by 31 March 2023."),
    ("heading", "2. Any other business"),
    ("bullet", "The bench on Mill Lane needs paint."),
]


def docx_bytes(lines=MINUTES_LINES) -> bytes:
    document = docx.Document()
    for kind, text in lines:
        if kind == "title":
            document.add_paragraph(text)
        elif kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Action", "Owner", "Due"], strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["Paint the bench", "CD", "1 May 2023"], strict=True
    ):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines=MINUTES_LINES) -> bytes:
    body = "".join(
        f"<h2>{text}</h2>" if kind == "heading" else
        f"<ul><li>{text}</li></ul>" if kind == "bullet" else f"<p>{text}</p>"
        for kind, text in lines
    )  # fmt: skip
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def blank_pdf_bytes() -> bytes:
    """A PDF with pages but no text, as a scanner makes (a grey box stands for the scan)."""
    html = '<div style="width:10cm;height:10cm;background:#999"></div>'
    return weasyprint.HTML(string=html).write_pdf()


def locked_pdf_bytes(user_password="secret") -> bytes:  # noqa: S107
    """The minutes as a PDF with a password: to open it (user_password), or, with an empty
    user_password, only to restrict printing and copying."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
