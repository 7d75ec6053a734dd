"""CSV downloads of what a page's table shows: the same rows, filters and visibility.

Opened in a spreadsheet, a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return) would be taken for a formula, and minute text is typed by people
(OWASP "CSV injection"): such text cells get a leading apostrophe. Numbers are written
as numbers. The file starts with a UTF-8 byte order mark, without which Excel reads
"Sué" as "SuÃ©".
"""

import csv
import datetime
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value) -> str | int | float:
    """``value`` as a CSV cell that no spreadsheet runs: dates as YYYY-MM-DD, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A download named ``filename``: ``header``, then each row, every cell made safe."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # What a reader may read is theirs alone; nothing in between keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response
