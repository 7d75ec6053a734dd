"""Dates as minutes write them: "Monday 16th November 2009", "2015-12-09", "Dec 9, 2015".

Pure functions. Dates without a year ("Monday 18th January", "June 26") are resolved against a
reference date, normally the meeting's: the first such date on or after it, and where a weekday
is printed, the first year in which the weekday agrees.
"""

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?P<weekday>mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# "Monday 16th November 2009", "16 Nov 2009", "Monday 18th January" (year optional)
DAY_MONTH = re.compile(
    rf"\b{_WEEKDAY}(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.IGNORECASE
)
# "Dec 9, 2015", "April 7th, 2016", "Monday, June 26"
MONTH_DAY = re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.IGNORECASE)
ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b")
# "12/7/2009", "16.11.09", "22/4/24", and "10/4" without a year
NUMERIC = re.compile(
    rf"(?<![\d/.]){_WEEKDAY}(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)(?:[/.](?P<year>(?:19|20)?\d\d))?(?![\d/])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    date: datetime.date | None  # None when the year could not be resolved
    start: int
    end: int
    has_year: bool
    text: str


def numeric_order(text: str) -> str:
    """ "dmy" or "mdy" for the document: a part above 12 shows which way it is written."""
    for match in NUMERIC.finditer(text):
        if not match.group("year"):
            continue
        a, b = int(match.group("a")), int(match.group("b"))
        if b > 12 >= a:
            return "mdy"
        if a > 12 >= b:
            return "dmy"
    return "dmy"  # UK convention where nothing says otherwise


def _year(value: str) -> int:
    year = int(value)
    return year + 2000 if year < 100 else year


def _make(year, month, day) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _resolve(month, day, weekday, reference: datetime.date | None) -> datetime.date | None:
    if reference is None:
        return None
    for year in range(reference.year, reference.year + 8):
        candidate = _make(year, month, day)
        if candidate is None or candidate < reference:
            continue
        if weekday is None or candidate.weekday() == weekday:
            return candidate
    return None


def _weekday(match) -> int | None:
    value = match.groupdict().get("weekday")
    return WEEKDAYS[value[:3].lower()] if value else None


def find_dates(
    text: str, *, reference: datetime.date | None = None, order: str = "dmy", numeric=True
) -> list[FoundDate]:
    """Every date written in text, in order. Year-less dates resolve against reference."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(match, year, month, day):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            return
        weekday = _weekday(match)
        if year is None:
            date = _resolve(month, day, weekday, reference)
        else:
            date = _make(year, month, day)
            if date is None:
                return
        taken.append((start, end))
        found.append(FoundDate(date, start, end, year is not None, match.group(0)))

    for match in ISO.finditer(text):
        add(match, int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in (DAY_MONTH, MONTH_DAY):
        for match in pattern.finditer(text):
            day = int(match["day"])
            if not 1 <= day <= 31:
                continue
            year = int(match["year"]) if match["year"] else None
            add(match, year, MONTHS[match["month"][:3].lower()], day)
    if numeric:
        for match in NUMERIC.finditer(text):
            a, b = int(match["a"]), int(match["b"])
            day, month = (a, b) if order == "dmy" else (b, a)
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            year = _year(match["year"]) if match["year"] else None
            if year is None and reference is None:
                continue
            add(match, year, month, day)
    found.sort(key=lambda f: f.start)
    return found


_RELATIVE = [
    (re.compile(r"\b(?:today|same day|by close of play)\b", re.I), 0),
    (re.compile(r"\btomorrow\b", re.I), 1),
    (re.compile(r"\bnext week\b|\bin (?:a|one) week(?:'s time)?\b|\bwithin a week\b", re.I), 7),
    (re.compile(r"\bin (?:two|2) weeks(?:'s? time)?\b|\bfortnight\b", re.I), 14),
    (re.compile(r"\bin (?:three|3) weeks\b", re.I), 21),
    (re.compile(r"\bnext month\b|\bin (?:a|one) month\b", re.I), 30),
]
_BY_WEEKDAY = re.compile(
    r"\b(?:by|on|before|next)\s+(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b",
    re.I,
)


def relative_date(text: str, reference: datetime.date) -> datetime.date | None:
    """ "next week", "in two weeks", "by Friday" resolved from the meeting date."""
    for pattern, days in _RELATIVE:
        if pattern.search(text):
            return reference + datetime.timedelta(days=days)
    match = _BY_WEEKDAY.search(text)
    if match:
        weekday = WEEKDAYS[match.group(1)[:3].lower()]
        ahead = (weekday - reference.weekday()) % 7 or 7
        return reference + datetime.timedelta(days=ahead)
    return None


_TIME = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])(?:[.:](?P<m>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\.?)(?![a-z])"
    r"|\b(?P<h24>[01]\d|2[0-3])[:.](?P<m24>[0-5]\d)\b",
    re.I,
)


def find_time(text: str) -> datetime.time | None:
    match = _TIME.search(text)
    if not match:
        return None
    if match["h24"]:
        return datetime.time(int(match["h24"]), int(match["m24"]))
    hour = int(match["h"]) % 12
    if match["ampm"].lower().startswith("p"):
        hour += 12
    return datetime.time(hour, int(match["m"] or 0))
