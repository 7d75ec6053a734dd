"""Minutes as text, into a structured draft: the meeting, who came, the items, decisions, actions.

Pure functions from text to a ``Draft``; nothing here touches the database. The parser knows
the common ways minutes are written rather than one house style:

- the reference minutes: "In Attendance:" and "Apologies" with a name and its organisation
  on separate lines, numbered items, "Action: SH" under the action's sentence;
- UK parish councils: "Present: Cllr …", "In attendance: Clerk", minute references
  ("2307.01", "Cou/285/07-08", "21.44"), "It was RESOLVED that …";
- boards and steering groups: "Directors Present:", "Also present:", motions and votes,
  "ACTION: Simon to …", action identifiers ("ACT-2016-58", "Action Point #20050110.01");
- working-group notes: Markdown headings, bullets, "Regrets:", "[ ] For Silona: …",
  "Name: task, by June 26", relative dates ("next week, same time").

Every element keeps the span of lines it came from (1-based, inclusive) and a confidence
below 1 where the parser guessed.
"""

import datetime
import html
import re
from dataclasses import dataclass, field

from .dates import find_dates, find_time, numeric_order, relative_date
from .people import (
    HONORIFIC,
    OFFICER_ROLES,
    ParsedPerson,
    looks_like_name,
    looks_like_org,
    parse_bullet,
    parse_inline_list,
    parse_person,
    titled_list,
)

PRESENT, IN_ATTENDANCE, APOLOGIES, ABSENT = "present", "in_attendance", "apologies", "absent"
PEOPLE_KINDS = (PRESENT, IN_ATTENDANCE, APOLOGIES, ABSENT)


@dataclass
class Span:
    start: int
    end: int


@dataclass
class ParsedDecision:
    text: str
    span: Span
    confidence: float = 1.0


@dataclass
class ParsedAction:
    text: str
    owners: list[str]
    span: Span
    due: datetime.date | None = None
    due_text: str = ""
    reference: str = ""
    confidence: float = 1.0
    owners_text: str = ""  # the owners as printed: "TG & BM", "RG/GP"


@dataclass
class ParsedItem:
    number: str
    title: str
    span: Span
    text: str = ""
    decisions: list[ParsedDecision] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    confidence: float = 1.0


@dataclass
class Draft:
    """What was recognised in one document."""

    date: datetime.date | None = None
    date_span: Span | None = None
    date_confidence: float = 1.0
    start_time: datetime.time | None = None
    venue: str = ""
    title: str = ""
    people: dict[str, list[ParsedPerson]] = field(
        default_factory=lambda: {kind: [] for kind in PEOPLE_KINDS}
    )
    items: list[ParsedItem] = field(default_factory=list)
    next_meeting: datetime.date | None = None
    next_meeting_text: str = ""
    future_meetings: list[datetime.date] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    line_kinds: dict[int, str] = field(default_factory=dict)
    line_count: int = 0

    def as_json(self) -> dict:
        """The dry-run JSON: exactly the keys the import command documents."""

        def people(kind):
            return [
                {"name": p.name, "organisation": p.organisation, "role": p.role}
                for p in self.people[kind]
            ]

        if self.next_meeting:
            next_meeting = self.next_meeting.isoformat()
        else:
            next_meeting = self.next_meeting_text or None
        return {
            "date": self.date.isoformat() if self.date else None,
            "present": people(PRESENT),
            "in_attendance": people(IN_ATTENDANCE),
            "apologies": people(APOLOGIES),
            "absent": people(ABSENT),
            "items": [
                {
                    "number": item.number,
                    "title": item.title,
                    "text": item.text,
                    "decisions": [d.text for d in item.decisions],
                    "actions": [
                        {
                            "owners": a.owners,
                            "text": a.text,
                            "due": a.due.isoformat() if a.due else None,
                            "reference": a.reference,
                        }
                        for a in item.actions
                    ],
                }
                for item in self.items
            ],
            "next_meeting": next_meeting,
            "warnings": list(self.warnings),
        }


# --- Lines ----------------------------------------------------------------------------------


@dataclass
class Line:
    number: int
    raw: str  # as read, tabs expanded, trailing space removed
    text: str  # stripped, inner runs of spaces collapsed

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    lines = []
    for number, raw in enumerate(text.split("\n"), 1):
        raw = raw.expandtabs(8).rstrip()
        lines.append(Line(number, raw, re.sub(r"\s+", " ", raw.strip())))
    return lines


# --- Headings -------------------------------------------------------------------------------

_LEAD = re.compile(r"^(?:#{1,6}\s+|[-*•·]\s+|\*\*|__)+")
_ATTENDANCE = [
    (IN_ATTENDANCE, r"in attendance|also (?:present|in attendance|attending)(?: were)?|"
     r"(?:officers?|staff|consultants?|guests?|observers?|advisers?|others?)"
     r"(?: (?:present|in attendance|attending))?(?: were)?|"
     r"attending officers?"),
    (PRESENT, r"(?:(?:members|councill?ors|directors|trustees|governors|board members|"
     r"voting members|committee members|participants)\s+)?(?:present|in attendance(?: were)?)|"
     r"present(?: members| councill?ors)?|attendees|attendance|participants|those present|"
     r"were (?:physically |also )?present|present (?:in person|remotely)|"
     r"(?:were able to |also )?(?:participat\w*|attend\w*|joined) "
     r"(?:remotely|online|by (?:phone|video))"
     r"(?: (?:via|by|on) [\w. -]{1,30})?|remote (?:participants|attendees)|"
     r"members|councill?ors|directors|roll call|voting members|"
     r"board members(?: in attendance)?(?: were)?"),
    (APOLOGIES, r"apologies(?: for absence)?(?: (?:were )?received(?: from)?)?|apologies|regrets|"
     r"excused|sent apologies|members? (?:sending|giving) apologies"),
    (ABSENT, r"absent(?: without apologies)?|absentees|non[- ]attendance|not present|"
     r"(?:members|councill?ors|directors|trustees|governors) absent|did not attend"),
]  # fmt: skip
_ATTENDANCE_RE = [
    (kind, re.compile(rf"^(?:{pattern})\b\s*(?P<sep>[:;.\-–]\s*|\s+(?=[A-Z]))?(?P<rest>.*)$", re.I))
    for kind, pattern in _ATTENDANCE
]
_FIELD = re.compile(r"^(?P<field>chair(?:man|person)?|scribe|minutes|minute[- ]?taker|"
                    r"note[- ]?taker|"
                    r"facilitator|secretary|meeting|opened|closed|date|time|location|venue|place)"
                    r"\s*(?:[:\-–]\s*(?P<rest>.*))?$", re.I)  # fmt: skip
_INITIALS_KEY = re.compile(r"^(?P<initials>[A-Z]{2,5})\s*(?:-|–|—|=|:)\s*(?P<name>[A-Z].{2,60})$")
_PROSE_VERB = re.compile(
    r"\b(?:has|have|had|was|were|is|are|will|would|expressed|said|noted|reported|asked|"
    r"explained|suggested|agreed|thanked|welcomed)\b"
)
_STOP_WORDS = re.compile(
    r"^(?:contents|table of contents|agenda|topics|summary|notes|discussion|welcome|"
    r"introductions?|actions?|action items|decisions|minutes|item no\b.*|see also\b.*)\s*:?$",
    re.I,
)

_NUMBER = (
    r"(?:[A-Za-z]{1,4}/\d{1,4}/\d{2}(?:-\d{2})?"  # Cou/285/07-08
    r"|[A-Z]?\d{1,4}/\d{2,4}(?:\s+\d{1,2}\.)?"  # 09/20, A001/23 1.
    r"|\d{1,4}(?:\.\d{1,3}){0,3}[a-z]?"  # 1, 2307.01, 5.1
    r"|(?-i:[IVX]{1,5}|[A-Z])(?=[.)]))"  # II. A. (a) and b) are points inside an item)
)
_NUMBERED = re.compile(
    rf"^(?:#{{1,6}}\s*)?(?:\*\*)?(?:(?:item|minute|agenda item)\s+)?(?P<number>{_NUMBER})"
    r"(?P<punct>[.):]?)(?:\*\*)?(?:\s+(?P<title>.*))?$",
    re.I,
)
_MARKDOWN_HEADING = re.compile(
    r"^(?P<hashes>#{1,6}(?=\s)|#{2,6}(?=[A-Za-z(\[]))\s*(?P<title>.+?)\s*#*$"
)
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(?P<title>[^*_]{2,100})(?:\*\*|__):?$")
_SENTENCE_START = re.compile(
    r"\s(?=(?:The|These|This|There|It|Members|Councillors|Cllrs?|We|He|She|They|A|An|In|"
    r"Following|After|Mr|Mrs|Ms|Dr)\s)"
)
_CONNECTORS = {
    "of",
    "the",
    "and",
    "for",
    "to",
    "in",
    "on",
    "a",
    "an",
    "&",
    "at",
    "with",
    "by",
    "from",
    "–",
    "-",
}


def attendance_heading(text: str) -> tuple[str, str] | None:
    """("present", inline list) when the line opens an attendance section."""
    bare = _LEAD.sub("", text).strip().strip("*_").strip()
    bare = re.sub(r"\*\*|__", "", bare)
    if len(bare) > 60 and not re.match(r"^[^:;]{1,40}[:;]", bare):
        return None
    for kind, pattern in _ATTENDANCE_RE:
        match = pattern.match(bare)
        if not match:
            continue
        rest = match["rest"].strip()
        said = bare[: match.start("rest")].strip(" :;.-–")
        if re.fullmatch(r"(?:members|councill?ors?|directors)", said, re.I) and not (
            match["sep"] and match["sep"].strip() in {":", ";"}
        ):
            continue  # "Councillor T. Cramond" is a person, "Councillors:" a heading
        # "Present Members: …" is fine; "Apologies for the late papers…" is prose.
        if rest and not match["sep"] and (not re.match(r"^[A-Z]", rest) or len(rest.split()) > 40):
            continue
        prose = rest.endswith(".") and len(rest.split()) > 12 and "," not in rest
        if prose and not re.search(r"received from|apologies from|from\s+[A-Z]", rest, re.I):
            continue
        return kind, rest
    return None


def _sentence_split(text: str) -> list[str]:
    """Sentences, not split after initials ("E. Simpson") or common abbreviations."""
    pieces, start = [], 0
    for match in re.finditer(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“‘(\[])", text):
        before = text[start : match.start()]
        last = before.rsplit(None, 1)[-1] if before.split() else ""
        if re.fullmatch(r"(?:[A-Z]\.|[A-Z]\.[A-Z]\.|Mr\.|Mrs\.|Ms\.|Dr\.|Cllr\.|No\.|St\.|"
                        r"e\.g\.|i\.e\.|etc\.|approx\.|Prof\.|vs\.|cf\.)", last):  # fmt: skip
            continue
        pieces.append(text[start : match.start()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _split_title(title: str) -> tuple[str, str] | None:
    """A heading's title and any text run on after it on the same line; None if not a title."""
    title = title.strip().strip("*_").strip()
    if not title or not re.match(r"^[\"“‘'(A-Z0-9£$]", title):
        return None
    sentences = _sentence_split(title)
    if len(sentences) > 1 and len(sentences[0].split()) <= 14:
        return sentences[0].rstrip(".:").strip(), " ".join(sentences[1:])
    colon = re.match(r"^([^:]{3,80}):\s+(\S.*)$", title)
    if colon and len(colon.group(1).split()) <= 8 and len(title.split()) > 14:
        return colon.group(1).strip(), colon.group(2).strip()
    if len(title.split()) <= 16:
        return title.rstrip(":").rstrip(".").strip(), ""
    starter = _SENTENCE_START.search(title)
    if starter and 2 <= len(title[: starter.start()].split()) <= 12:
        return title[: starter.start()].strip(), title[starter.end() :].strip()
    words = title.split()
    for index, word in enumerate(words[1:], 1):
        if word[:1].islower() and word.lower() not in _CONNECTORS:
            head = words[:index]
            while head and head[-1].lower() in _CONNECTORS:
                head.pop()
            if len(head) >= 2:
                return " ".join(head), " ".join(words[index:])
            break
    return None


@dataclass
class Heading:
    number: str
    title: str
    rest: str  # text run on after the title on the same line
    start: int  # index into lines
    end: int  # index of the last line the heading uses
    attendance: tuple[str, str] | None = None


def _numbered_heading(lines: list[Line], index: int) -> Heading | None:
    text = lines[index].text
    match = _NUMBERED.match(text)
    if not match:
        return None
    number, title = match["number"], (match["title"] or "").strip()
    dates = find_dates(text, numeric=False)
    if dates and dates[0].start <= len(text) - len(text.lstrip()) + 1:
        return None  # "02 Oct 2013" is a date, not item 2
    if re.fullmatch(r"[A-Z]|[IVX]+", number) and not match["punct"]:
        return None
    if re.fullmatch(r"(?:19|20)\d\d", number) and not match["punct"]:
        return None  # a year starting a sentence
    end = index
    if not title:
        # The number alone on its line, the title on the next.
        following = index + 1
        while following < len(lines) and lines[following].blank and following - index < 3:
            following += 1
        if following >= len(lines) or lines[following].blank:
            return None
        title = lines[following].text
        if _NUMBERED.match(title) and not re.match(r"^\d+[.)]?$", lines[index].text):
            return None
        end = following
    split = _split_title(title)
    if split is None:
        return None
    title, rest = split
    if not re.search(r"[A-Za-z]{2}", title):
        return None
    number = number.rstrip(".")
    return Heading(number, title, rest, index, end, attendance_heading(title))


def _is_list_run(lines: list[Line], index: int) -> bool:
    """A numbered line next to another numbered line is a list inside an item, not an item."""
    for neighbour in (index - 1, index + 1):
        inside = 0 <= neighbour < len(lines) and not lines[neighbour].blank
        if inside and re.match(r"^\d{1,2}[.)]\s+\S", lines[neighbour].text):
            return True
    return False


def _plain_heading(lines: list[Line], index: int) -> Heading | None:
    """An unnumbered heading: a short line that ends without punctuation."""
    text = lines[index].text
    if re.match(r"^(?:[-*•·]\s|\d|<|\.\.\.|\||\[)", text) and not re.match(
        r"^-\s+[A-Z][A-Z ’'&,()/-]{3,}$", text
    ):
        return None
    text = re.sub(r"^-\s+", "", text)
    outcome = OUTCOME_LINE.match(text)
    if outcome and not attendance_heading(text):
        # The matter is the item; the whole line, outcome and all, is its decision.
        return Heading("", outcome["matter"].strip(), text, index, index, None)
    if len(text) > 90 or len(text.split()) > 12 or re.search(r"[.;,!?]$", text):
        return None
    if text.endswith(":") and len(text.split()) > 6:
        return None
    if re.search(r"[$£€]|\b\d{1,2}:\d\d\b", text) or not re.match(r"^[\"“(A-Z]", text):
        return None
    if not re.search(r"[A-Za-z]{3}", text) or _STOP_WORDS.match(text):
        return None
    if find_dates(text, numeric=False) and len(text.split()) <= 4:
        return None
    if len(text.split()) > 4 and _PROSE_VERB.search(text):
        return None  # "KG expressed a preference towards functions" is a sentence
    if ACTION_LINE.match(text) or re.match(r"^[A-Z][\w .'-]{0,30}:\s", text):
        return None
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    org_line = len(following.split()) <= 8 and not following.endswith(".")
    if looks_like_name(text) and org_line and looks_like_org(following):
        return None  # a name with its organisation on the next line
    return Heading("", text.rstrip(":").strip(), "", index, index, attendance_heading(text))


def _dash_heading(lines: list[Line], index: int) -> Heading | None:
    """ "- Risk Assessment" alone between paragraphs: a heading whose number a web copy lost."""
    text = lines[index].text
    if not re.match(r"^-\s+[A-Z]", text):
        return None
    for step in (-1, 1):
        neighbour = index + step
        while 0 <= neighbour < len(lines) and lines[neighbour].blank:
            neighbour += step
        if 0 <= neighbour < len(lines) and _BULLET.match(lines[neighbour].text):
            return None
    bare = text[1:].strip()
    heading = _plain_heading([Line(lines[index].number, bare, bare)], 0)
    if heading:
        heading.start = heading.end = index
    return heading


def _run_in_heading(lines: list[Line], index: int) -> Heading | None:
    """ "Consent Agenda: October 2014 Minutes…", "Discussion of Board Process. AL will…" """
    text = lines[index].text
    match = re.match(r"^([A-Z](?:[^.:]|\.(?=\w)){2,60}?)(?::|\.)\s+(\S.*)$", text)
    if not match or len(match.group(1).split()) > 6:
        return None
    if re.search(r"\b(?:moves|seconds|will|to|was|were|is|are|has|had)\b", match.group(1)):
        return None
    return Heading("", match.group(1).strip(), match.group(2).strip(), index, index, None)


# --- Actions and decisions ------------------------------------------------------------------

ACTION_LINE = re.compile(
    r"^(?:[-*•·]\s+)?(?:\*\*|__)?(?P<keyword>(?:(?:future|new|open|further)\s+)?action(?:\s+(?:item|point|by))?s?|"
    r"(?P<todo>to-?do)(?=\s*:)|"
    r"(?P<idref>ACT-\d{2,4}-\d+|AP\s?\d+|A\d{1,3}))(?:\*\*|__)?"
    r"\s*(?P<ref>#?\d[\w.\-/]*)?\s*(?:\*\*|__)?\s*(?P<sep>[:\-–—]|\s(?=[A-Z]{2,}\b)|\s(?=[A-Z][a-z]+\b))\s*"
    r"(?:\*\*|__)?(?P<body>.*)$",
    re.I,
)
_TRAILING_REF = re.compile(
    r"\s*[(\[]\s*(?:action(?:\s+point)?|AP)\s*:?\s*(?P<ref>#?[\w.\-/]*\d[\w.\-/]*)\s*[)\]]\s*\.?$",
    re.I,
)
_TRAILING_OWNERS = re.compile(
    r"(?:\s[-–—]\s*|\s)(?:\(|\[)?\s*(?i:action)\s*[:\-–]?\s*(?P<owners>[A-Z][\w.]*(?:\s*(?:/|,|&|and)\s*[A-Z][\w.]*)*)\s*[)\]]?\s*\.?$"
)
_OWNER_TOKEN = re.compile(
    r"^(?:[A-Z]{1,2}[a-z]?[A-Z]{1,3}|[A-Z][a-z]+(?:\s[A-Z][a-z]*\.?)?|[A-Z]{2,5}|all|All|ALL)$"
)
_OWNER_VERB = re.compile(
    r"^(?P<owners>.{1,80}?)\s+(?:\([^)]*\)\s+)?(?P<link>will|to|is to|are to|agreed to|"
    r"was going to|were going to|offered to|undertook to|would|shall)\s+(?P<verb>[a-z]\w+)"
)
_COLON_OWNER = re.compile(
    r"^(?:[Ff]or\s+)?(?P<owners>[A-Z][\w .&/,'-]{0,40}?)\s*:\s+(?P<task>\S.*)$"
)
ROLE_OWNERS = re.compile(
    r"^(?:the\s+)?(clerk|chair(?:man|person)?|vice[- ]chair|secretary|treasurer|rfo|"
    r"secretariat|all|everyone|officers?)$",
    re.I,
)

# A matter and its outcome on one line: "Adoption of the agenda: agreed.", "Minutes – approved."
OUTCOME_LINE = re.compile(
    r"^(?P<matter>[A-Z][^:–.]{2,80}?)\s*(?::|\s[–-])\s*(?:agreed|approved|adopted|accepted|"
    r"carried)(?:\s+unanimously)?\.?$",
    re.I,
)

DECISION = re.compile(
    r"\bresolved\b|\b(?:was|were|is|are)\s+(?:unanimously\s+|duly\s+)?(?:agreed|approved|"
    r"accepted|adopted|carried|passed|elected|ratified|endorsed)\b|\bunanimously\s+(?:agreed|"
    r"approved|carried|elected|resolved|accepted)|\bmotion\s+(?:carries|carried|passed|approved|"
    r"adopted|fails|failed|defeated|lost)|\bapproved by (?:the )?(?:board|council|committee|"
    r"meeting|members|consent|acclamation)|^(?:decision|decided|agreed|approved|resolution)\b|\belected\s+unanimously"
    r"|\bresolution\s+(?:was\s+)?passed|^it was agreed\b|\bit was agreed\b|\bagreed that\b"
    r"|\b(?:board|council|committee|group|meeting|members|trustees|directors)\s+(?:decided|"
    r"approved|agreed|resolved|voted|declined|rejected|felt that|said no)\b"
    r"|\breceived\s+(?:broad\s+|general\s+|unanimous\s+|full\s+)?(?:approval|support)\b"
    # Robert's Rules: "approved by unanimous consent", "Unanimous consent on the minutes."
    r"|\bunanimous\s+consent\b"
    r"|" + OUTCOME_LINE.pattern,
    re.I,
)


_MOTION = re.compile(r"\b(?:moves?|moved|proposed|proposes|seconds?|seconded)\b", re.I)


def owners_from(text: str, known: "KnownPeople") -> list[str]:
    """ "SH", "RG/GP", "TG & BM", "Simon", "Cllrs Simpson and Green", "The clerk" -> owners."""
    text = re.sub(r"\([^)]*\)", " ", text)
    text = HONORIFIC.sub("", text.strip()).strip(" .:;,")
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|&|\+|\band\b)\s*", text) if p.strip()]
    owners = []
    for part in parts:
        part = HONORIFIC.sub("", part).strip()
        role = ROLE_OWNERS.match(part)
        if role:
            owners.append(role.group(1) if part[:1].islower() else part.removeprefix("The "))
            continue
        if not _OWNER_TOKEN.match(part):
            return []
        if " " in part and not known.is_known(part) and not looks_like_name(part):
            return []
        owners.append(part)
    return owners


@dataclass
class KnownPeople:
    names: set[str] = field(default_factory=set)

    def add(self, person: ParsedPerson) -> None:
        tokens = [t.strip(".") for t in person.name.split() if len(t.strip(".")) > 1]
        self.names.update(tokens)
        if person.initials:
            self.names.add(person.initials)
        letters = [t[0] for t in person.name.replace(".", " ").split() if t[:1].isupper()]
        if len(letters) >= 2:
            self.names.add("".join(letters))
            self.names.add(letters[0] + letters[-1])

    def is_known(self, text: str) -> bool:
        return all(token.strip(".") in self.names for token in text.split())


_NOT_OWNERS = {
    "this", "that", "it", "there", "these", "those", "minutes", "members", "council",
    "committee", "board", "we", "he", "she", "they", "which", "who", "what", "report",
    "reports", "work", "meeting", "meetings", "papers", "document", "documents", "item",
    "items", "agenda", "payment", "payments", "accounts", "budget", "group", "project",
    "and", "also", "then", "next", "one", "each", "both", "any", "some", "you", "i",
    "listen", "need", "want", "how", "plan", "agree", "ensure", "continue", "try", "time",
    "request", "requests", "proposal", "motion", "matter", "decision", "update", "note",
}  # fmt: skip


# "LDF: I'll expand D3.1 …" — a speaker's promise in notes tagged with initials.
_SPEAKER_PROMISE = re.compile(
    r"^(?P<who>[A-Z]{2,5}|[A-Z][a-z]+):\s+I(?:'ll|’ll| will| shall)\s+[a-z]"
)
# "… will be investigated by BP", "… must be contacted by the clerk"
_PASSIVE_OWNER = re.compile(
    r"\b(?:will|must|should|shall|is to|are to|to)\s+be\s+\w+ed\s+by\s+"
    r"(?P<owners>(?:the\s+)?[A-Z]\w*(?:\s*(?:,|and|&)\s*[A-Z]\w*)*)"
)


_WISHES = {"like", "also", "prefer", "rather", "need"}


def _inferred_owners(sentence: str, known: KnownPeople) -> tuple[list[str], str] | None:
    speaker = _SPEAKER_PROMISE.match(sentence)
    if speaker and owners_from(speaker["who"], known):
        return owners_from(speaker["who"], known), sentence
    passive = _PASSIVE_OWNER.search(sentence)
    if passive:
        owners = owners_from(re.sub(r"^the\s+", "", passive["owners"], flags=re.I), known)
        if owners and all(known.is_known(o) or ROLE_OWNERS.match(o) for o in owners):
            return owners, sentence
    clause_breaks = re.finditer(
        r"\s[-–—;]\s|,\s(?:the\s+)?(?:[a-z]+\s+)?(?=(?:[A-Z][a-z]+|[A-Z]{2,5})\s(?:will|to)\s)",
        sentence,
    )
    for clause_start in [0, *[m.end() for m in clause_breaks]]:
        clause = sentence[clause_start:].strip()
        match = _OWNER_VERB.match(clause)
        if not match or match["verb"] in {"be", "the"}:
            continue  # "These will be signed", "Matter to be listed": nobody's task
        if match["link"] == "would" and match["verb"] in _WISHES:
            continue  # "MK would like to see…" is a wish, not a task
        if match["verb"] in {"have", "note"} and match["link"] != "will":
            continue  # "These will be signed", "Matter to be listed": nobody's task
        committed = match["link"] not in {"to", "is to", "are to"}
        candidate = re.sub(r"^(?:the\s+)", "", match["owners"], flags=re.I)
        owners = owners_from(candidate, known)
        if not owners:
            continue
        if all(
            known.is_known(o)
            or ROLE_OWNERS.match(o)
            or re.fullmatch(r"[A-Z]{2,5}", o)
            or (
                (committed or not known.names)
                and re.fullmatch(r"[A-Z][a-z]{2,}", o)
                and o.lower() not in _NOT_OWNERS
            )
            for o in owners
        ):
            return owners, sentence
    return None


# --- The parse ------------------------------------------------------------------------------


@dataclass
class _Block:
    """A line of an item's body, with what it turned out to be."""

    line: Line
    kind: str = "text"  # text | action | decision | schedule | attendance
    end: int = 0  # last source line, when wrapped lines were joined

    def __post_init__(self):
        self.end = self.end or self.line.number


def _join_wrapped(blocks: list[_Block]) -> list[_Block]:
    """Lines wrapped mid-sentence (as PDFs and e-mail wrap them) joined back into one."""
    out: list[_Block] = []
    for block in blocks:
        text = block.line.text
        previous = out[-1].line.text if out else ""
        if (
            previous and text and not text.startswith("|") and not previous.startswith("|")
            and not _BULLET.match(text) and not _LIST_ITEM.match(text)
            and not ACTION_LINE.match(text) and _continues(previous, text)
        ):  # fmt: skip
            joined = previous.rstrip("-") + ("" if previous.endswith("-") else " ") + text
            out[-1].line = Line(out[-1].line.number, joined, joined)
            out[-1].end = block.end
            continue
        out.append(block)
    return out


class _Parser:
    def __init__(self, text: str):
        self.lines = split_lines(text)
        self.draft = Draft(line_count=len(self.lines))
        self.order = numeric_order(text)
        self.known = KnownPeople()
        # "TODO:" marks one line; it does not mean every action is marked.
        self.has_explicit_actions = any(
            (ACTION_LINE.match(line.text) and not ACTION_LINE.match(line.text)["todo"])
            or _TRAILING_REF.search(line.text)
            or _TRAILING_OWNERS.search(line.text)
            for line in self.lines
        )  # fmt: skip

    # Headings ---------------------------------------------------------------------------

    def find_headings(self) -> list[Heading]:
        lines = self.lines
        numbered: list[Heading] = []
        markdown: list[Heading] = []
        for index, line in enumerate(lines):
            if line.blank:
                continue
            md = _MARKDOWN_HEADING.match(line.text) or _BOLD_LINE.match(line.text)
            if md:
                title = md["title"].strip().strip("*_").strip()
                inner = _numbered_heading([Line(line.number, title, title)], 0)
                if inner:
                    inner.start = inner.end = index
                    markdown.append(inner)
                elif not attendance_heading(title):
                    split = _split_title(title) or (title, "")
                    markdown.append(
                        Heading("", split[0], split[1], index, index, attendance_heading(title))
                    )
                continue
            heading = _numbered_heading(lines, index)
            if heading and not _is_list_run(lines, index):
                numbered.append(heading)
        # A first-level Markdown heading before anything else is the document's title.
        if markdown and lines[markdown[0].start].text.startswith("# "):
            self.draft.title = markdown[0].title
            markdown = markdown[1:]
        dashed = [h for i in range(len(lines)) for h in [_dash_heading(lines, i)] if h]
        dashed = [h for h in dashed if not h.attendance]  # read as attendance, not items
        if len(dashed) < 2 or markdown:
            dashed = []
        headings = sorted(numbered + markdown + dashed, key=lambda h: h.start)
        # Drop headings inside another heading's lines (a number alone, its title below).
        cleaned: list[Heading] = []
        for heading in headings:
            if cleaned and heading.start <= cleaned[-1].end:
                continue
            cleaned.append(heading)
        if cleaned:
            return cleaned
        start = self.first_body_line()
        plain = [h for i in range(start, len(lines)) if not lines[i].blank
                 for h in [_plain_heading(lines, i)] if h]  # fmt: skip
        if len([h for h in plain if not h.attendance]) >= 1:
            return plain
        run_in = [_run_in_heading(lines, i) for i in range(start, len(lines)) if lines[i].text]
        return [h for h in run_in if h and not attendance_heading(lines[h.start].text)]

    def first_body_line(self) -> int:
        """Where the body starts: after the last attendance section near the top."""
        last = 0
        for index, line in enumerate(self.lines[:80]):
            if attendance_heading(line.text) or _FIELD.match(_LEAD.sub("", line.text)):
                last = index + 1
        in_bullets = False
        while last < len(self.lines):
            text = self.lines[last].text
            bullet = text.startswith(("-", "*", "•"))
            section = bool(attendance_heading(text) or _FIELD.match(_LEAD.sub("", text)))
            if text and in_bullets and not bullet and not section:
                break  # a bulleted list of names ends where the first line without a bullet starts
            if text:
                in_bullets = bullet and not section
            listing = "," in text and not text.endswith(".") and len(text.split()) < 25
            short = len(text.split()) <= 6 and not re.search(r"[.:;]\s", text)
            if len(text.split()) == 1 and self.lines[last - 1].blank:
                short = False  # a one-word line after a gap is a heading ("Budget"), not a name
            if text and not (
                (short and (looks_like_name(text) or looks_like_org(text))) or listing
                or _FIELD.match(_LEAD.sub("", text)) or attendance_heading(text)
                or text.startswith(("-", "*", "•"))
            ):  # fmt: skip
                break
            last += 1
        return last

    # Attendance -------------------------------------------------------------------------

    def read_attendance(self, kind: str, inline: str, index: int, stop: int) -> int:
        """Read one attendance section starting at lines[index]; return the next index to read."""
        people = self.draft.people[kind]
        line = self.lines[index]
        self.draft.line_kinds[line.number] = "person"
        if inline:
            found = parse_inline_list(inline, line=line.number)
            following = index + 1
            # An inline list that wraps onto the next line ends that line with a comma.
            while (
                inline.rstrip().endswith((",", " and", "&"))
                and following < stop
                and not self.lines[following].blank
            ):
                more = self.lines[following]
                found += parse_inline_list(more.text, line=more.number)
                self.draft.line_kinds[more.number] = "person"
                inline = more.text
                following += 1
            people.extend(found)
            return following
        # A block: bullets, or names with organisations on their own lines.
        index += 1
        current: ParsedPerson | None = None
        bulleted = None
        while index < stop:
            line = self.lines[index]
            text = line.text
            if line.blank:
                index += 1
                continue
            if (
                attendance_heading(text)
                or _STOP_WORDS.match(_LEAD.sub("", text))
                or _FIELD.match(_LEAD.sub("", text))
                or _MARKDOWN_HEADING.match(text)
                or _numbered_heading(self.lines, index)
                or ACTION_LINE.match(text)
                or text.startswith("<")
            ):
                break
            is_bullet = bool(re.match(r"^(?:[-*•·]\s+|\[[ x]\]\s)", text))
            if bulleted is None:
                bulleted = is_bullet
            if bulleted != is_bullet:
                break  # a list ends where its style changes: "- MINUTES OF PREVIOUS MEETING"
            sentence_like = text.endswith(".") and len(text.split()) > 8
            if sentence_like or len(text.split()) > 30:
                break
            if bulleted:
                people.extend(parse_bullet(text, line=line.number))
                current = None
            elif text.count(",") >= 2 or text.count(";") >= 1 or titled_list(text):
                people.extend(parse_inline_list(text, line=line.number))
                current = None
            elif (
                current is not None
                and not current.organisation
                and (not looks_like_name(text) or looks_like_org(text))
            ):
                organisation = re.sub(r"\s+", " ", text).strip()
                current.organisation = organisation
                current.end_line = line.number
            else:
                person = parse_person(line.raw.strip(), line=line.number)
                if person is None:
                    index += 1
                    self.draft.line_kinds[line.number] = "person"
                    continue
                if not looks_like_name(person.name) and not people:
                    break
                people.append(person)
                current = person if not person.organisation else None
            self.draft.line_kinds[line.number] = "person"
            index += 1
        return index

    def read_initials_key(self, end: int) -> None:
        """ "NH - Neil Horlock" lines under no heading: a key to the initials the notes use,
        and the list of those present when the minutes give no other."""
        run: list[tuple[Line, ParsedPerson]] = []
        runs = []
        for line in [*self.lines[:end], Line(0, "", "")]:
            match = _INITIALS_KEY.match(line.text)
            person = parse_person(match["name"], line=line.number) if match else None
            if person and re.fullmatch(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,4}", person.name):
                person.initials = match["initials"]
                run.append((line, person))
            elif not line.blank or not run:
                if len(run) >= 3:
                    runs.append(run)
                run = []
        if any(self.draft.people[kind] for kind in PEOPLE_KINDS):
            return
        for line, person in (entry for run in runs for entry in run):
            self.draft.people[PRESENT].append(person)
            self.draft.line_kinds[line.number] = "person"

    def read_field(self, field_name: str, rest: str, index: int) -> int:
        """ "Chair: Daniel Appelquist, Peter Linss" — roles for people listed elsewhere."""
        field_name = field_name.lower()
        self.draft.line_kinds[self.lines[index].number] = "person"
        if not rest and index + 1 < len(self.lines) and not self.lines[index + 1].blank:
            following = self.lines[index + 1].text
            if not (attendance_heading(following) or _FIELD.match(_LEAD.sub("", following))):
                rest = _LEAD.sub("", following)
                self.draft.line_kinds[self.lines[index + 1].number] = "person"
                index += 1
        if (
            field_name.startswith("chair")
            or field_name in {"scribe", "secretary", "facilitator"}
            or "taker" in field_name
            or field_name == "minutes"
        ):
            role = "Chair" if field_name.startswith("chair") else field_name.capitalize()
            for person in parse_inline_list(rest, line=self.lines[index].number):
                existing = self.find_person(person.name)
                if existing:
                    existing.role = f"{existing.role}, {role}" if existing.role else role
        return index + 1

    def find_person(self, name: str) -> ParsedPerson | None:
        key = _name_key(name)
        for kind in PEOPLE_KINDS:
            for person in self.draft.people[kind]:
                if _name_key(person.name) == key:
                    return person
        return None

    # Header ----------------------------------------------------------------------------

    def read_header(self, end: int) -> None:
        header = [line for line in self.lines[:end] if not line.blank]
        candidates = []
        for position, line in enumerate(header):
            for found in find_dates(line.text, order=self.order):
                if found.date is None or not found.has_year:
                    continue
                score = position
                if re.search(r"held|meeting|minutes|date|on\b", line.text, re.I):
                    score -= 5
                if re.search(r"\b(?:prior|previous|approved|next|last)\b", line.text, re.I):
                    score += 50
                candidates.append((score, found, line))
        if candidates:
            _, found, line = min(candidates, key=lambda c: c[0])
            self.draft.date = found.date
            self.draft.date_span = Span(line.number, line.number)
            if re.fullmatch(r"[\d/.\s]+", found.text.strip()):
                self.draft.date_confidence = 0.7
            self.draft.start_time = find_time(line.text[found.end :]) or find_time(line.text)
            self.draft.line_kinds[line.number] = "meeting"
        else:
            for line in self.lines:
                dated = [
                    f for f in find_dates(line.text, order=self.order) if f.date and f.has_year
                ]
                if dated:
                    self.draft.date = dated[0].date
                    self.draft.date_span = Span(line.number, line.number)
                    self.draft.date_confidence = 0.4
                    self.draft.warnings.append(
                        f"The meeting date was guessed from line {line.number}; check it."
                    )
                    break
        if self.draft.date is None:
            self.draft.warnings.append("No meeting date found.")
        self.draft.venue = find_venue([line.text for line in header[:10]])
        if not self.draft.title and header:
            self.draft.title = header[0].text

    # Items -----------------------------------------------------------------------------

    def read_item(self, heading: Heading, body: list[Line]) -> ParsedItem | None:
        item = ParsedItem(
            number=heading.number,
            title=_clean_title(heading.title),
            span=Span(
                self.lines[heading.start].number,
                (body[-1] if body else self.lines[heading.end]).number,
            ),
        )
        for index in range(heading.start, heading.end + 1):
            self.draft.line_kinds[self.lines[index].number] = "item"
        blocks: list[_Block] = []
        if heading.rest:
            first = self.lines[heading.start]
            blocks.append(_Block(Line(first.number, heading.rest, heading.rest)))
        blocks += [_Block(line) for line in body]
        blocks = _join_wrapped(blocks)
        schedule_item = bool(re.search(r"meeting dates|dates? of (?:future|next)|future meetings|"
                                       r"next meeting|dates for", item.title, re.I))  # fmt: skip
        self.read_actions(item, blocks)
        self.read_decisions(item, blocks)
        if schedule_item:
            for block in blocks:
                if block.kind != "text" or block.line.blank:
                    continue
                dates = find_dates(block.line.text, reference=self.draft.date, order=self.order)
                leftover = block.line.text
                for found in dates:
                    leftover = leftover.replace(found.text, "")
                if dates and len(re.sub(r"[\W_]+|\b(?:at|and|on)\b", "", leftover)) <= 8:
                    block.kind = "schedule"
                    self.draft.future_meetings += [f.date for f in dates if f.date]
                    self.draft.line_kinds[block.line.number] = "meeting"
        item.text = _render_text([b for b in blocks if b.kind == "text"])
        for block in blocks:
            if block.kind == "text" and not block.line.blank:
                self.draft.line_kinds.setdefault(block.line.number, "item")
        return item

    def read_actions(self, item: ParsedItem, blocks: list[_Block]) -> None:
        in_action_list = bool(
            re.search(r"\baction(?:s| items?| points?| log)?\b", item.title, re.I)
        ) and not re.search(
            r"past|previous|matters arising|status|review|outstanding|carried", item.title, re.I
        )
        table_header: list[str] | None = None
        for position, block in enumerate(blocks):
            text = block.line.text
            if not text:
                continue
            number = block.line.number
            if text.startswith("|"):
                cells = [c.strip() for c in text.strip("|").split("|")]
                if table_header is None and any(
                    re.search(r"owner|who|responsib|lead|by whom", c, re.I) for c in cells
                ):
                    table_header = [c.lower() for c in cells]
                    block.kind = "action"
                    continue
                if table_header is not None:
                    block.kind = "action"
                    if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                        continue
                    self._table_action(item, table_header, cells, number)
                    continue
            else:
                table_header = None
            match = ACTION_LINE.match(text)
            if match and not (
                match["keyword"]
                and re.fullmatch(r"actions?(?:\s+items?)?", match["keyword"], re.I)
                and match["sep"]
                and match["sep"].strip() == ""
                and not match["body"]
            ):
                body = (match["body"] or "").strip().strip("*_ ").strip()
                reference = match["idref"] or (match["ref"] or "").strip()
                if (
                    match["idref"] is None
                    and not match["sep"].strip()
                    and (
                        not owners_from(body.split(" ")[0], self.known)
                        or body.split(" ")[0].lower() in _NOT_OWNERS
                    )
                ):
                    body = ""
                if re.fullmatch(r"items?\s+(?:appear|are|will).*", body, re.I):
                    continue
                owners = owners_from(body, self.known) if body else []
                if owners and len(body.split()) <= 6:
                    # "Action: SH" — the action is the sentence above it.
                    previous = _previous_text_block(blocks, position)
                    if previous is None:
                        continue
                    block.kind = "action"
                    sentences = _sentence_split(previous.line.text)
                    action_text = sentences[-1]
                    if len(sentences) > 1:
                        rest = " ".join(sentences[:-1])
                        previous.line = Line(previous.line.number, rest, rest)
                    else:
                        previous.kind = "action"
                    action = self._action(action_text, owners, previous.end, number, reference)
                    action.owners_text = body.strip(" .")
                    item.actions.append(action)
                    continue
                if body:
                    block.kind = "action"
                    owners = self._owners_in_task(body)
                    item.actions.append(self._action(body, owners, number, number, reference))
                    continue
            trailing_ref = _TRAILING_REF.search(text)
            trailing_owners = _TRAILING_OWNERS.search(text)
            if trailing_ref or trailing_owners:
                task = text[: (trailing_ref or trailing_owners).start()].strip()
                task = re.sub(r"^(?:[-*•·]\s+|\[[ x]\]\s*)", "", task).strip()
                owners = (
                    owners_from(trailing_owners["owners"], self.known)
                    if trailing_owners
                    else self._owners_in_task(task)
                )
                reference = trailing_ref["ref"] if trailing_ref else ""
                if task:
                    block.kind = "action"
                    action = self._action(task, owners, number, number, reference)
                    if trailing_owners:
                        action.owners_text = trailing_owners["owners"]
                    item.actions.append(action)
                    continue
            if in_action_list and re.match(r"^(?:[-*•·]\s+|\d+[.)]\s+|\[[ x]\]\s*)", text):
                task = re.sub(r"^(?:[-*•·]\s+|\d+[.)]\s+)?(?:\[[ xX]\]\s*)?", "", text).strip()
                done = bool(re.search(r"\[[xX]\]", text))
                block.kind = "action"
                action = self._action(task, self._owners_in_task(task), number, number, "")
                action.confidence = 0.8
                if done:
                    action.due_text = "done"
                item.actions.append(action)
                continue
            if not self.has_explicit_actions:
                body = re.sub(r"^(?:[-*•·]\s+|\d+[.)]\s+|[a-z][.)]\s+)", "", text)
                for sentence in _sentence_split(body):
                    inferred = _inferred_owners(sentence, self.known)
                    if inferred:
                        action = self._action(sentence, inferred[0], number, number, "")
                        action.confidence = 0.5
                        item.actions.append(action)

    def _owners_in_task(self, task: str) -> list[str]:
        colon = _COLON_OWNER.match(task)
        if colon:
            owners = owners_from(colon["owners"], self.known)
            if owners:
                return owners
        match = _OWNER_VERB.match(re.sub(r"\([^)]*\)", "", task))
        if match:
            owners = owners_from(match["owners"], self.known)
            if owners:
                return owners
        trailing = re.search(r"[-–(]\s*([A-Z]{2,4}(?:\s*[/,&]\s*[A-Z]{2,4})*)\)?\s*\.?$", task)
        if trailing:
            return owners_from(trailing.group(1), self.known)
        return []

    def _table_action(self, item, header, cells, number) -> None:
        def column(*names):
            for position, title in enumerate(header):
                if any(re.search(name, title) for name in names) and position < len(cells):
                    return cells[position]
            return ""

        task = column(r"action", r"task", r"description", r"what", r"item")
        if not task:
            return
        owners = owners_from(
            column(r"owner", r"who", r"responsib", r"lead", r"by whom"), self.known
        )
        action = self._action(task, owners, number, number, column(r"^(?:ref|id|no|#|number)"))
        due_text = column(r"due", r"deadline", r"^by$", r"date", r"when")
        if due_text:
            action.due = self._due(due_text) or action.due
            action.due_text = due_text
        item.actions.append(action)

    def _action(self, text, owners, start, end, reference) -> ParsedAction:
        text = text.strip().strip("*_").strip()
        action = ParsedAction(text=text, owners=owners, span=Span(start, end), reference=reference)
        action.due = self._due(text)
        if not owners:
            action.confidence = 0.6
        for line in range(start, end + 1):
            self.draft.line_kinds[line] = "action"
        return action

    def _due(self, text: str) -> datetime.date | None:
        reference = self.draft.date
        dated = re.search(
            r"\b(?:by|before|due|deadline|until|no later than|for)\b(?P<rest>.*)$", text, re.I
        )
        scope = dated["rest"] if dated else text
        for found in find_dates(scope, reference=reference, order=self.order):
            if found.date:
                return found.date
        if reference and re.search(r"next meeting", scope, re.I) and self.draft.next_meeting:
            return self.draft.next_meeting
        if reference:
            return relative_date(scope, reference)
        return None

    def read_decisions(self, item: ParsedItem, blocks: list[_Block]) -> None:
        for block in blocks:
            if block.kind != "text" or not block.line.text:
                continue
            text = block.line.text
            bullet = re.match(r"^(?:[-*•·]\s+|[a-z0-9][.)]\s+)", text)
            body = text[bullet.end() :] if bullet else text
            marker = re.match(
                r"^(?:\*\*)?(?:resolved|decision|decided|agreed)(?:\*\*)?\s*[:\-–]\s*(?:\*\*)?",
                body,
                re.I,
            )
            if marker and len(body) > marker.end():
                item.decisions.append(
                    ParsedDecision(
                        body[marker.end() :].strip().strip("*"),
                        Span(block.line.number, block.line.number),
                    )
                )
                block.kind = "decision"
                self.draft.line_kinds[block.line.number] = "decision"
                continue
            sentences = _sentence_split(body)
            kept = []
            for sentence in sentences:
                if DECISION.search(sentence) and not re.search(r"\?$", sentence):
                    # "KM moves to adopt; SB seconds. Motion carries 7-0-1." is one decision.
                    motion = []
                    while kept and _MOTION.search(kept[-1]):
                        motion.insert(0, kept.pop())
                    text_of = " ".join([*motion, sentence])
                    item.decisions.append(
                        ParsedDecision(text_of, Span(block.line.number, block.end), 0.9)
                    )
                    self.draft.line_kinds[block.line.number] = "decision"
                else:
                    kept.append(sentence)
            if len(kept) != len(sentences):
                if kept:
                    rest = " ".join(kept)
                    new = (text[: bullet.end()] if bullet else "") + rest
                    block.line = Line(block.line.number, new, new)
                else:
                    block.kind = "decision"

    # Next meeting ----------------------------------------------------------------------

    def read_next_meeting(self) -> None:
        draft = self.draft
        in_next_item = set()
        for item in draft.items:
            if re.search(r"\bnext\s+(?:meeting|call|session)\b", item.title, re.I):
                in_next_item.update(range(item.span.start, item.span.end + 1))
        for line in self.lines:
            if line.number not in in_next_item and not re.search(
                r"\bnext\s+(?:meeting|call|session)\b|^next\s*:", line.text, re.I
            ):
                continue
            if re.search(
                r"\blisted at next meeting|to the next meeting|at the next meeting\b",
                line.text,
                re.I,
            ):
                continue
            dates = [
                f for f in find_dates(line.text, reference=draft.date, order=self.order) if f.date
            ]
            future = [f.date for f in dates if draft.date is None or f.date > draft.date]
            if future:
                draft.next_meeting = future[0]
                draft.line_kinds[line.number] = "meeting"
                return
            if draft.date and re.search(
                r"same time|next week|fortnight|in \w+ weeks", line.text, re.I
            ):
                draft.next_meeting = relative_date(line.text, draft.date)
                if draft.next_meeting:
                    return
            match = re.search(
                r"next\s+(?:meeting|call|session)\b\W*(?:will be|is|:)?\s*(?P<what>.{4,})$",
                line.text,
                re.I,
            )
            if match and not draft.next_meeting_text:
                draft.next_meeting_text = match["what"].strip().rstrip(".")
        future = [d for d in draft.future_meetings if draft.date is None or d > draft.date]
        if future and not draft.next_meeting:
            draft.next_meeting = min(future)

    # The whole document ----------------------------------------------------------------

    def parse(self) -> Draft:
        lines = self.lines
        headings = self.find_headings()
        first_item = headings[0].start if headings else len(lines)
        self.read_header(first_item)
        # Attendance: the header, and any item that is itself an attendance heading.
        attendance_at: set[int] = set()
        heading_starts = {h.start for h in headings}
        index = 0
        while index < len(lines):
            line = lines[index]
            stop = next((h.start for h in headings if h.start > index), len(lines))
            found = attendance_heading(line.text) if not line.blank else None
            heading = next((h for h in headings if h.start == index), None)
            if heading and heading.attendance:
                found = heading.attendance
                if heading.rest:
                    found = (found[0], (found[1] + " " + heading.rest).strip())
            if found and (
                index < first_item or heading or self._in_attendance_item(index, headings)
            ):
                if index in heading_starts and not (heading and heading.attendance):
                    index += 1
                    continue
                kind, inline = found
                end = self.read_attendance(kind, inline, index, stop)
                attendance_at.update(range(index, max(end, index + 1)))
                index = max(end, index + 1)
                continue
            field_match = _FIELD.match(_LEAD.sub("", line.text)) if index < first_item else None
            if field_match:
                end = self.read_field(
                    field_match["field"], (field_match["rest"] or "").strip(), index
                )
                attendance_at.update(range(index, end))
                index = end
                continue
            index += 1
        self.read_initials_key(first_item)
        self._settle_attendance()
        for kind in PEOPLE_KINDS:
            for person in self.draft.people[kind]:
                self.known.add(person)
        for position, heading in enumerate(headings):
            end = headings[position + 1].start if position + 1 < len(headings) else len(lines)
            body = [
                line for i, line in enumerate(lines[heading.end + 1 : end], heading.end + 1)
                if i not in attendance_at and not line.text.startswith("<")
            ]  # fmt: skip
            item = self.read_item(heading, _trim(body))
            if item:
                self.draft.items.append(item)
        self.read_next_meeting()
        for item in self.draft.items:
            for action in item.actions:
                if action.due is None and re.search(r"next meeting", action.text, re.I):
                    action.due = self.draft.next_meeting
        if not self.draft.items:
            self.draft.warnings.append("No agenda items recognised.")
        if not any(self.draft.people[kind] for kind in PEOPLE_KINDS):
            self.draft.warnings.append("No attendance recognised.")
        unassigned = [
            line.number for line in lines[:first_item]
            if not line.blank and line.number not in self.draft.line_kinds
        ]  # fmt: skip
        if len(unassigned) > 3:
            self.draft.warnings.append(
                f"{len(unassigned)} lines before the first item were not recognised "
                f"(lines {unassigned[0]}–{unassigned[-1]})."
            )
        return self.draft

    def _in_attendance_item(self, index: int, headings: list[Heading]) -> bool:
        previous = [h for h in headings if h.start <= index]
        return bool(previous and previous[-1].attendance and index - previous[-1].end <= 6)

    def _settle_attendance(self) -> None:
        people = self.draft.people
        # "In attendance" with no "Present" list is how some minutes list the members present.
        if people[IN_ATTENDANCE] and not people[PRESENT]:
            people[PRESENT], people[IN_ATTENDANCE] = people[IN_ATTENDANCE], []
        # Officers listed among those present are "in attendance" (UK practice).
        if people[PRESENT]:
            officers = [p for p in people[PRESENT] if OFFICER_ROLES.search(p.role)]
            if officers and len(officers) < len(people[PRESENT]):
                people[PRESENT] = [p for p in people[PRESENT] if p not in officers]
                people[IN_ATTENDANCE] = officers + people[IN_ATTENDANCE]
        # Someone listed twice (a chair named again under "Chair") is one person.
        for kind in PEOPLE_KINDS:
            seen, unique = set(), []
            for person in people[kind]:
                key = _name_key(person.name)
                if key in seen:
                    continue
                seen.add(key)
                unique.append(person)
            people[kind] = unique


_VENUE_FIELD = re.compile(r"^(?:venue|location|place|where)\s*:\s*(?P<venue>.+)$", re.I)
_VENUE_AT = re.compile(r"\b(?:at|in)\s+(?:the\s+)?(?:premises\s+of\s+)?", re.I)
_VENUE_END = re.compile(
    r"\s+(?:on|commencing|starting|from)\s|\s+at\s+\d|\s+(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)"
    r"|\s*[.;](?:\s|$)|\s+\(|$",
    re.I,
)


def find_venue(header: list[str]) -> str:
    """Where the meeting was held, as the heading of the minutes says: "at the Village Hall"."""
    for text in header:
        field_match = _VENUE_FIELD.match(text)
        if field_match:
            return field_match["venue"].strip()
    for text in header:
        if not re.search(r"\b(?:held|meeting|minutes)\b|^(?:at|in)\b", text, re.I):
            continue
        for match in _VENUE_AT.finditer(text):
            rest = text[match.end() :]
            end = _VENUE_END.search(rest)
            venue = rest[: end.start()].strip(" ,") if end else rest.strip(" ,")
            if len(venue) < 3 or not re.match(r"^[A-Z]", venue) or find_dates(venue, numeric=False):
                continue
            if re.match(r"^(?:\d|zoom|teams|video|this|which)", venue, re.I):
                continue
            return venue
    return ""


def _name_key(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").split())


def _clean_title(title: str) -> str:
    title = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", title)  # [Logo](https://…) -> Logo
    title = re.sub(r"\*\*|__", "", title)
    title = re.sub(r"\s+", " ", title).strip().rstrip(":").strip()
    return title


def _trim(body: list[Line]) -> list[Line]:
    while body and body[0].blank:
        body = body[1:]
    while body and body[-1].blank:
        body = body[:-1]
    return body


def _previous_text_block(blocks: list[_Block], position: int) -> _Block | None:
    for block in reversed(blocks[:position]):
        if block.line.blank:
            continue
        return block if block.kind == "text" else None
    return None


_BULLET = re.compile(r"^(?:[·•▪◦●○■–*-])\s*(?=\S)")
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]{1,3}\)|\[[ xX]\])\s+")


def _render_text(blocks: list[_Block]) -> str:
    """Minute text as Markdown: paragraphs, bullets and tables kept, wrapped lines joined."""
    groups: list[tuple[str, list[str]]] = []  # ("para" | "list" | "table", lines)
    previous_blank = True
    for block in blocks:
        text = block.line.text
        if not text:
            previous_blank = True
            continue
        bullet = _BULLET.match(text)
        if text.startswith("|"):
            kind, entry = "table", block.line.raw.strip()
        elif bullet and not re.match(r"^-{2,}|^\*\*", text):
            indent = len(block.line.raw) - len(block.line.raw.lstrip())
            nested = indent >= 2 and groups and groups[-1][0] == "list"
            kind, entry = "list", ("    " if nested else "") + "- " + text[bullet.end() :]
        elif _LIST_ITEM.match(text):
            kind, entry = "list", text
        elif (
            groups
            and not previous_blank
            and groups[-1][0] != "table"
            and _continues(groups[-1][1][-1], text)
        ):
            last = groups[-1][1][-1]
            groups[-1][1][-1] = last.rstrip("-") + ("" if last.endswith("-") else " ") + text
            continue
        else:
            kind, entry = "para", text
        if kind == "para" or not groups or groups[-1][0] != kind:
            groups.append((kind, []))
        groups[-1][1].append(entry)
        previous_blank = False
    if not groups:
        return ""
    return "\n\n".join("\n".join(lines) for _, lines in groups) + "\n"


def _continues(previous: str, text: str) -> bool:
    """A line wrapped mid-sentence (as PDFs and e-mail do) continues the one above."""
    if re.search(r"[.!?:;)\"”]$", previous):
        return False
    return bool(re.match(r"^[a-z(£$0-9]", text)) or previous.endswith(
        (",", "-", " and", " or", " the", " a", " of", " to")
    )


def parse_minutes(text: str) -> Draft:
    """Parse the text of one set of minutes into a draft."""
    return _Parser(text).parse()
