"""One PDF render in a fresh process, for bench/run.py. Prints one line of JSON.

    render.py save-html OUT STATIC_ROOT   the demo minutes' print HTML, as the app renders it
    render.py app                         build_document + render_minutes_pdf, the app's way
    render.py floor HTML BASE_URL         WeasyPrint alone on the saved HTML: the floor

Each mode renders twice: the first render in a fresh process ("cold": templates, fonts and
WeasyPrint's caches are empty, as in a newly started worker) and the second ("warm"). Imports,
Django setup and the template engine's start (it imports the template tag libraries) happen
before the clock starts; loading and compiling the print template is on it. Memory is the
process's peak resident set (ru_maxrss), read after the imports and again after both renders.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

COMMITTEE = "socitm-futures"
MEETING_DATE = "2009-11-16"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def page_count(pdf: bytes) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    import io

    return len(PdfReader(io.BytesIO(pdf)).pages)


def timed(render) -> tuple[list[float], bytes]:
    times = []
    pdf = b""
    for _ in range(2):
        start = time.perf_counter()
        pdf = render()
        times.append((time.perf_counter() - start) * 1000)
    return times, pdf


def demo_minutes():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from minutes.models import Minutes

    return Minutes.objects.select_related("meeting__committee").get(
        meeting__committee__slug=COMMITTEE, meeting__date=MEETING_DATE
    )


def document_for(minutes):
    # As minutes_publish builds the first published version of approved minutes.
    from minutes.document import DocumentState, build_document

    return build_document(minutes, state=DocumentState.APPROVED, version=1)


def save_html(out: Path, static_root: Path) -> dict:
    minutes = demo_minutes()
    from django.template.loader import render_to_string

    from minutes.services import PDF_TEMPLATE

    html = render_to_string(PDF_TEMPLATE, {"document": document_for(minutes)})
    # The app resolves "/static/…" through its fetcher; plain WeasyPrint gets file URLs to the
    # same collected files instead.
    floor_html = html.replace('href="/static/', f'href="{static_root.as_uri()}/')
    if '"/static/' in floor_html:
        raise SystemExit("The print HTML names a static file the floor could not be given.")
    out.write_text(floor_html, encoding="utf-8")
    return {"html_bytes": len(html.encode())}


def render_app() -> dict:
    minutes = demo_minutes()
    from django.template import engines

    from minutes.services import render_minutes_pdf

    # Building the template engine imports every app's template tag libraries: an import cost,
    # paid once per process, so it is kept off the clock like WeasyPrint's own imports.
    engines.all()
    rss_imports = peak_rss_mib()
    times, pdf = timed(lambda: render_minutes_pdf(document_for(minutes)))
    return result(times, pdf, rss_imports)


def render_floor(html_path: Path, base_url: str) -> dict:
    import weasyprint

    html = html_path.read_text(encoding="utf-8")
    rss_imports = peak_rss_mib()
    times, pdf = timed(
        lambda: weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
    )
    return result(times, pdf, rss_imports)


def result(times: list[float], pdf: bytes, rss_imports: float) -> dict:
    if not pdf.startswith(b"%PDF"):
        raise SystemExit("The render did not produce a PDF.")
    return {
        "cold_ms": times[0],
        "warm_ms": times[1],
        "rss_after_imports_mib": rss_imports,
        "peak_rss_mib": peak_rss_mib(),
        "pdf_bytes": len(pdf),
        "pages": page_count(pdf),
    }


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "save-html":
        out = save_html(Path(argv[1]), Path(argv[2]))
    elif mode == "app":
        out = render_app()
    elif mode == "floor":
        out = render_floor(Path(argv[1]), argv[2])
    else:
        raise SystemExit(f"Unknown mode {mode!r}.")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
