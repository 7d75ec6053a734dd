"""Attendance lines as minutes print them, into names, organisations and roles.

"Cllr Mr A H Porter (Chair)", "Susan Douglas          Independent Consultant",
"Mrs P Alder Assistant Clerk and Management Officer, Melton Parish Council",
"Councillor T. Cramond (TC); County Councillor A. Wilkinson (AW);", "Dan Cox, Board".
Pure functions, no database.
"""

import re
from dataclasses import dataclass, field

HONORIFIC = re.compile(
    r"^(?:(?:cllrs?|councill?ors?|mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|rev|revd|lord|lady)"
    r"\.?\s+)+",
    re.IGNORECASE,
)
# Titles that are a role, not just a courtesy: kept as the person's role.
ROLE_TITLE = re.compile(
    r"^(?P<role>(?:county|district|borough|city|town|parish|ward)\s+councill?or|c/cllr|"
    r"ward member|mayor|deputy mayor)\s+",
    re.IGNORECASE,
)
ROLE_WORDS = {
    "chair", "chairman", "chairwoman", "chairperson", "vice-chair", "vice-chairman", "vice",
    "co-chair", "secretary", "treasurer", "clerk", "officer", "president", "vice-president",
    "director", "manager", "assistant", "administrator", "rfo", "minutes", "minute-taker",
    "scribe", "facilitator", "observer", "coordinator", "co-ordinator", "lead", "head",
    "ceo", "cfo", "coo", "cto", "board", "trustee", "governor", "member", "consultant",
    "advisor", "adviser", "executive", "representative", "rep", "deputy", "speaker",
    "presenter", "guest", "staff", "councillor", "mayor", "convenor", "convener", "editor",
}  # fmt: skip
# Roles that make someone "in attendance" rather than a member present (UK practice).
OFFICER_ROLES = re.compile(r"\b(?:clerk|officer|minute[- ]taker|secretariat|staff)\b", re.I)
ORG_WORDS = {
    "council", "councils", "cc", "bc", "dc", "mbc", "ltd", "limited", "plc", "llp", "inc",
    "llc", "gmbh", "university", "college", "school", "trust", "consulting", "consultancy",
    "consultant", "consultants", "independent", "department", "dept", "ministry", "agency",
    "authority", "services", "service", "group", "association", "foundation", "institute",
    "society", "company", "partnership", "nhs", "police", "fire", "rescue", "city", "county",
    "borough", "district", "government", "office", "laboratory", "lab", "centre", "center",
    "committee", "board", "network", "bank", "hospital", "federation", "union", "commission",
    "press", "systems", "solutions", "technologies", "software", "labs",
}  # fmt: skip
# Words of agenda headings ("Old Business", "Finances") that no one is named.
HEADING_WORDS = {
    "business", "finance", "finances", "balance", "report", "reports", "matters", "arising",
    "update", "updates", "correspondence", "planning", "accounts", "agenda", "minutes",
    "items", "ongoing", "new", "old", "other", "any", "welcome", "apologies", "actions",
    "budget", "communication", "communications", "conferences", "workshops", "next",
}  # fmt: skip
# Parenthetical notes that are neither role nor organisation.
NOTE_WORDS = re.compile(
    r"\b(?:arrived|left|late|until|from item|part|commitments?|illness|ill|unwell|holiday|"
    r"family|personal|prior|unable|couldn|could not|sick|leave|away|work|business|"
    r"bereavement|medical|remote|remotely|online|zoom|teams|phone|video|via|minutes?)\b",
    re.I,
)
NOBODY = re.compile(
    r"^(?:none|nil|n/?a|no one|nobody|there were (?:none|no \w+)|no (?:apologies|absences?)"
    r"|all (?:members )?(?:were )?present|-+)\.?$",
    re.I,
)
PUBLIC = re.compile(
    r"\b(?:members? of (?:the )?public|public|press|residents?|parishioners?)\b", re.I
)
_INITIALS_PAREN = re.compile(r"^[A-Z][A-Za-z]{0,3}$")
_PAREN = re.compile(r"\(([^()]*)\)")
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][a-zà-ÿ'’]+(?:-[A-Z]?[a-zà-ÿ'’]+)*|[A-Z]\.?|[A-Z]\.[A-Z]\.?|Mc[A-Z][a-z]+|"
    r"Mac[A-Z][a-z]+|O['’][A-Z][a-z]+|[A-Z][a-z]+[A-Z][a-z]+|van|von|de|der|den|da|du|la|le|di|"
    r"del|dos|bin|al|St\.?|[A-Z]\.[A-Za-z]+)$"
)


@dataclass
class ParsedPerson:
    name: str
    organisation: str = ""
    role: str = ""
    initials: str = ""
    line: int = 0
    end_line: int = 0
    confidence: float = 1.0
    notes: list[str] = field(default_factory=list)


def is_role(text: str) -> bool:
    words = re.findall(r"[a-z/-]+", text.lower())
    return bool(words) and any(w in ROLE_WORDS or w.rstrip("s") in ROLE_WORDS for w in words)


_ROLE_FILLERS = {
    "and",
    "of",
    "the",
    "to",
    "for",
    "parish",
    "county",
    "district",
    "borough",
    "town",
    "city",
    "council",
    "committee",
    "&",
    "interim",
    "acting",
    "project",
    "programme",
    "general",
}


def is_pure_role(text: str) -> bool:
    """ "Parish Clerk", "Board & President", "Chairman": a role with no name in it."""
    words = re.findall(r"[a-z&/-]+", _PAREN.sub(" ", text).lower())
    return (
        bool(words)
        and is_role(text)
        and all(w in ROLE_WORDS or w.rstrip("s") in ROLE_WORDS or w in _ROLE_FILLERS for w in words)
    )


def looks_like_org(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    if "&" in text or "/" in text:
        return True
    tokens = text.split()
    if len(tokens) == 1:
        return True
    for token in tokens:
        bare = token.strip(",.()").lower()
        if bare in ORG_WORDS:
            return True
        if len(token) >= 2 and token.isupper() and token.isalpha():
            return True
    return False


def looks_like_name(text: str) -> bool:
    """A person's name: two to five name-shaped words, nothing organisation-like."""
    text = HONORIFIC.sub("", text.strip().rstrip(".,;"))
    tokens = text.replace(".", ". ").split()
    if not 1 <= len(tokens) <= 6:
        return False
    if not all(_NAME_TOKEN.match(t) for t in tokens):
        return False
    if any(t.lower().strip(".") in ORG_WORDS or t.lower() in HEADING_WORDS for t in tokens):
        return False
    return sum(1 for t in tokens if t[:1].isupper()) >= (1 if len(tokens) == 1 else 2)


def _classify_paren(inner: str, person: ParsedPerson) -> None:
    inner = inner.strip().strip("*_ ")
    if not inner:
        return
    if _INITIALS_PAREN.match(inner) and sum(c.isupper() for c in inner) >= 2:
        person.initials = inner
    elif is_role(inner):
        person.role = f"{person.role}, {inner}" if person.role else inner
    elif NOTE_WORDS.search(inner) or inner[:1].islower():
        person.notes.append(inner)
    elif re.fullmatch(r"[A-Z]{2}", inner) and person.organisation:
        person.organisation = f"{person.organisation} ({inner})"  # a country code
    else:
        person.organisation = f"{person.organisation}, {inner}" if person.organisation else inner


def _split_role_org(text: str) -> tuple[str, str]:
    """ "Clerk and Executive Officer to Melton Parish Council" -> role, organisation."""
    for separator in (", ", " to ", " of ", " at ", " for "):
        head, sep, tail = text.rpartition(separator)
        if sep and head and (looks_like_org(tail) or separator == ", "):
            return head.strip(), tail.strip()
    return text.strip(), ""


def parse_person(text: str, *, line: int = 0) -> ParsedPerson | None:
    """One attendance entry. None when it names nobody ("None", "2 members of the public")."""
    text = text.strip().strip("*_").strip()
    text = re.sub(r"^(?:[-*•·]\s+|\[[ x]\]\s*)", "", text).strip()
    text = re.sub(r"^(?:and|the)\s+", "", text, flags=re.I).strip().rstrip(".;,")
    if not text or NOBODY.match(text) or (PUBLIC.search(text) and not looks_like_name(text)):
        return None
    person = ParsedPerson(name="", line=line, end_line=line)
    for inner in _PAREN.findall(text):
        _classify_paren(inner, person)
    text = _PAREN.sub(" ", text).strip()
    role_title = ROLE_TITLE.match(text)
    if role_title:
        person.role = person.role or role_title["role"].strip()
        text = text[role_title.end() :]
    text = HONORIFIC.sub("", text).strip()
    # Name and organisation laid out in columns.
    columns = re.split(r"\s{3,}|\t+", text)
    if len(columns) > 1:
        text = columns[0]
        rest = " ".join(c.strip() for c in columns[1:] if c.strip())
        if is_role(rest) and not looks_like_org(rest):
            person.role = person.role or rest
        else:
            person.organisation = person.organisation or rest
    text = re.sub(r"\s+", " ", text).strip()
    # "John Cremona (JC): University of Warwick"
    text = re.sub(r"\s+:", ":", text)
    head, colon, tail = text.partition(": ")
    if colon and looks_like_name(head):
        text = head
        _assign_tail(person, tail)
    for dash in (" – ", " — ", " - "):
        if dash in text:
            head, _, tail = text.partition(dash)
            if looks_like_name(head):
                text = head
                _assign_tail(person, tail)
            break
    if ", " in text:
        head, _, tail = text.partition(", ")
        text = head
        for part in tail.split(", "):
            _assign_tail(person, part)
    # A role glued on after the name: "W Grosvenor Clerk and Executive Officer to ..."
    tokens = text.split()
    for index, token in enumerate(tokens[1:], 1):
        if token.lower().strip(".,") in ROLE_WORDS and index >= 1:
            name_part = " ".join(tokens[:index])
            if looks_like_name(name_part):
                role, organisation = _split_role_org(" ".join(tokens[index:]))
                person.role = person.role or role
                person.organisation = person.organisation or organisation
                text = name_part
            break
    text = HONORIFIC.sub("", text).strip(" ,.;:")
    if not text or not re.search(r"[A-Za-z]", text):
        return None
    person.name = text
    if not looks_like_name(text):
        person.confidence = 0.6
    return person


def _assign_tail(person: ParsedPerson, part: str) -> None:
    part = part.strip().strip("*_").strip()
    if not part:
        return
    if is_pure_role(part):
        person.role = f"{person.role}, {part}" if person.role else part
    elif re.fullmatch(r"[A-Z]{2}", part) and person.organisation:
        person.organisation = f"{person.organisation} ({part})"
    elif person.organisation and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", part):
        person.organisation = f"{person.organisation}, {part}"  # a country
    else:
        person.organisation = f"{person.organisation}, {part}" if person.organisation else part


def _split_top_level(text: str, separators: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in (p.strip() for p in parts) if p]


_FROM = re.compile(
    r"\b(?:received\s+from|(?:were|was)\s+(?:given|sent|tendered|noted)\s+(?:by|from)|"
    r"participation\s+of|apologies\s+(?:from|of)|absence\s+of|from)\s+(?P<rest>.+)$",
    re.I,
)


def parse_inline_list(text: str, *, line: int = 0) -> list[ParsedPerson]:
    """ "R. Gore (Chair), C. Hunt and S. Farrow" -> people, in the order printed."""
    text = text.strip().rstrip(".")
    if not text or NOBODY.match(text):
        return []
    from_match = _FROM.search(text)
    if from_match and len(text.split()) > 4:
        text = from_match["rest"]
    text = re.sub(r"^(?:cllrs|councillors|members|directors)\s*:?\s+", "", text, flags=re.I)
    separators = ";" if ";" in text else ","
    chunks = []
    for chunk in _split_top_level(text, separators):
        pieces = re.split(r"\s+(?:and|&)\s+(?=(?:the\s+)?[A-Z])", chunk)
        chunks.extend(p for p in pieces if p.strip())
    people: list[ParsedPerson] = []
    pending_role = ""
    for chunk in chunks:
        bare = chunk.strip()
        if re.fullmatch(r"\((.*)\)", bare):
            if people:
                _classify_paren(bare[1:-1], people[-1])
            continue
        bare_no_article = re.sub(r"^(?:the)\s+", "", _PAREN.sub("", bare), flags=re.I).strip()
        if is_pure_role(bare_no_article):
            if bare.lower().startswith("the ") or not people:
                pending_role = bare_no_article
            elif people:
                people[-1].role = people[-1].role or bare_no_article
            continue
        unadorned = HONORIFIC.sub("", _PAREN.sub("", bare))
        named = bool(HONORIFIC.match(bare)) or looks_like_name(unadorned)
        org_after = people and separators == "," and not named and looks_like_org(bare)
        if org_after and not people[-1].organisation:
            people[-1].organisation = bare
            continue
        person = parse_person(chunk, line=line)
        if person is None:
            continue
        if pending_role:
            person.role = person.role or pending_role
            pending_role = ""
        people.append(person)
    return people


def titled_list(text: str) -> bool:
    """ "Mr G. Kingdom (Work commitments), Mrs A. Clements": several people, each with a title."""
    parts = _split_top_level(text, ",")
    return len(parts) >= 2 and all(HONORIFIC.match(part) for part in parts)


def parse_bullet(text: str, *, line: int = 0) -> list[ParsedPerson]:
    """One bulleted entry: "Dan Cox, Board", or several names: "Ann Lee, Bob Roe, Cy Day"."""
    body = re.sub(r"^(?:[-*•·]\s+|\[[ x]\]\s*)", "", text.strip()).strip()
    parts = _split_top_level(body, ",")
    if len(parts) >= 3 and all(looks_like_name(p) for p in parts):
        return parse_inline_list(body, line=line)
    person = parse_person(body, line=line)
    return [person] if person else []
