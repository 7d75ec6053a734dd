"""The reference minutes, read from the project's copy of the text, for tests to compare against.

Tests compare what the app holds with the reference text itself, not with a
copy of the demo data, so a mistake in the demo cannot hide in both.
"""

import datetime
import re
from functools import cache
from pathlib import Path

from django.conf import settings

SEED = Path(settings.BASE_DIR) / "minutes" / "reference" / "socitm-futures-2009-11-16.txt"


def normalise(text: str) -> str:
    """Words separated by single spaces; pasted bullets dropped."""
    return " ".join(text.replace("·", " ").split())


@cache
def reference_text() -> str:
    return normalise(SEED.read_text(encoding="utf-8"))


def section(start: str, end: str) -> str:
    text = reference_text()
    begin = text.index(start) + len(start)
    return text[begin : text.index(end, begin)]


def attendance_section() -> str:
    return section("In Attendance:", "Apologies")


def apologies_section() -> str:
    return section("Apologies", "1. Update")


def suggested_meeting_dates() -> list[datetime.date]:
    """The dates printed under "Suggested Meeting dates for 2010": "Monday 18th January", …"""
    listed = section("Suggested Meeting dates for", "Proposed")
    year = int(listed.split()[0].rstrip(":"))
    return [
        datetime.datetime.strptime(f"{weekday} {day} {month} {year}", "%A %d %B %Y").date()
        for weekday, day, month in re.findall(r"(\w+day) (\d+)(?:st|nd|rd|th) (\w+)", listed)
    ]


def in_order(haystack: str, needles: list[str]) -> bool:
    """True if every needle occurs in haystack, each after the one before."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True
