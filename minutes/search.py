"""Full-text search of the published record, on PostgreSQL and on SQLite alike.

Readers type what they would type into a web search engine: words (all must
match, in any form: "agreed" finds "agree"), "quoted phrases", OR between
alternatives and -word to leave a word out. Accents are ignored.

- PostgreSQL: a ``tsvector`` per entry (title weighted above body) with a GIN
  index, the entries of each kind a partition of their own; queried with
  ``websearch_to_tsquery`` in a text search configuration that stems English and
  drops accents; ranked by ``ts_rank``; snippets from ``ts_headline``.
- SQLite: an FTS5 table (Porter stemming, diacritics removed) that triggers keep
  in step with :class:`SearchEntry`; the same query syntax is translated to FTS5's;
  ranked by ``bm25``; snippets from ``snippet()``.

Only the current published version of each minutes is indexed (see
:func:`index_version`), and every query is limited by the minutes' own
visibility rule, :meth:`SearchEntryQuerySet.readable_by`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from minutes.document import MinutesDocument
from minutes.models import MinutesVersion, SearchEntry
from minutes.text import plain_text

# The PostgreSQL text search configuration made by the migration: English stemming
# over unaccented words.
PG_CONFIG = "minutebook"
FTS_TABLE = "minutes_searchentry_fts"
# Marks around matched words in snippets: characters no minute text contains, swapped
# for <mark> after the snippet is escaped.
_START, _STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 24
# Past this many matches, results are the best of the most recent this many, and counts
# say "more than": ranking, counting and paging every match of a common word would take
# longer than anyone would wait, to show pages nobody reads.
RESULTS_LIMIT = 1000

Kind = SearchEntry.Kind


# -- Indexing ---------------------------------------------------------------------


def index_version(version: MinutesVersion) -> int:
    """Make ``version`` the searchable text of its minutes, replacing the version before.

    Called in the transaction that publishes the version, so the index changes
    exactly when the record does. Returns the number of entries written.
    """
    return index_versions([version])


def index_versions(versions: list[MinutesVersion]) -> int:
    """:func:`index_version` for many versions at once, in a fixed number of queries
    (an archive loaded in bulk). Each version needs ``minutes.meeting`` at hand."""
    SearchEntry.objects.filter(version__minutes_id__in=[v.minutes_id for v in versions]).delete()
    entries = []
    for version in versions:
        meeting = version.minutes.meeting
        common = {
            "version": version,
            "meeting": meeting,
            "committee_id": meeting.committee_id,
            "meeting_date": meeting.date,
        }
        entries += [
            SearchEntry(kind=kind, anchor=anchor, title=title[:1000], body=body, **common)
            for kind, anchor, title, body in _pieces(MinutesDocument.from_json(version.document))
        ]
    SearchEntry.objects.bulk_create(entries, batch_size=2000)
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(version__in=versions).update(
            vector=SearchVector("title", weight="A", config=PG_CONFIG)
            + SearchVector("body", weight="B", config=PG_CONFIG)
        )
    return len(entries)


def _pieces(document: MinutesDocument):
    """(kind, anchor, title, body) for every searchable piece of a document."""
    # The minutes as a whole answer to what describes the meeting; their words are
    # searched item by item, so a word is found once, in the item it belongs to.
    heading = [document.committee, document.meeting_reference, document.venue]
    heading += [f"{a.name} {a.organisation}" for a in document.attendees]
    yield Kind.MINUTES, "", document.title, " ".join(part for part in heading if part)
    for position, item in enumerate(document.items, start=1):
        anchor = f"item-{slugify(item.number or str(position))}"
        heading = f"{item.number} {item.title}".strip()
        yield Kind.ITEM, anchor, heading, plain_text(item.text)
        for decision in item.decisions:
            yield Kind.DECISION, anchor, heading, decision
        for action in item.actions:
            owners = action.owner_initials
            body = " ".join(
                part
                for part in (action.reference, action.text, f"Action: {owners}" if owners else "")
                if part
            )
            yield Kind.ACTION, anchor, heading, body
    for attendee in document.attendees:
        about = ", ".join(part for part in (attendee.organisation, attendee.role) if part)
        yield Kind.PERSON, "", attendee.name, about


def rebuild_index() -> int:
    """Index the current version of every published minutes; returns how many."""
    versions = MinutesVersion.objects.current().select_related("minutes__meeting")
    count = 0
    for version in versions.iterator(chunk_size=200):
        index_version(version)
        count += 1
    return count


# -- Searching --------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    snippet: SafeString
    committee: str
    meeting_date: datetime.date
    url: str

    @property
    def kind_label(self) -> str:
        return {
            Kind.MINUTES: "Minutes",
            Kind.ITEM: "Item",
            Kind.DECISION: "Decision",
            Kind.ACTION: "Action",
            Kind.PERSON: "Person",
        }[self.kind]


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    counts: dict[str, int]
    more: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A web-search style query: clauses ANDed, each a list of ORed terms, and terms to
    leave out. A term is a tuple of words (more than one: a phrase)."""

    clauses: list[list[tuple[str, ...]]]
    excluded: list[tuple[str, ...]]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def looser(self) -> str:
        """Any of the words, no phrases or exclusions: the suggestion when nothing matched."""
        words = dict.fromkeys(word for clause in self.clauses for term in clause for word in term)
        return " OR ".join(words) if len(words) > 1 else ""


_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"\w+")


def parse_query(text: str) -> ParsedQuery:
    clauses: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    join_next = False
    for token in _TOKEN.findall(text):
        if token.casefold() == "or":
            join_next = bool(clauses)
            continue
        negated = token.startswith("-") and len(token) > 1
        term = tuple(word.casefold() for word in _WORD.findall(token))
        if not term:
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return ParsedQuery(clauses, excluded)


def _fts5_term(term: tuple[str, ...]) -> str:
    # Words are \w+ only, so quoting each word (or phrase) leaves no FTS5 syntax in it.
    return '"' + " ".join(term) + '"'


def fts5_query(parsed: ParsedQuery) -> str:
    """The FTS5 query for a parsed query (which must not be empty), over the title and
    body (the index's kind column is not for words)."""
    clauses = " AND ".join(
        "(" + " OR ".join(_fts5_term(term) for term in clause) + ")" for clause in parsed.clauses
    )
    if parsed.excluded:
        clauses = f"({clauses}) NOT (" + " OR ".join(map(_fts5_term, parsed.excluded)) + ")"
    return f"{{title body}} : ({clauses})"


def _snippet(marked: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped first; only our own marks become tags
        escape(marked).replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def search(
    *,
    user,
    query: str,
    kind: str = "",
    committee=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    offset: int = 0,
    limit: int = 20,
) -> Results:
    """The entries ``user`` may read that match ``query``, best first. Two queries on
    PostgreSQL (the counts and the page's ranking are one), three on SQLite.

    ``counts`` gives the number of matches of each kind (before ``kind`` narrows
    the hits), each at most ``RESULTS_LIMIT``; ``total`` the number the hits are a page
    of, and ``more`` whether there were more than that.
    """
    parsed = parse_query(query)
    if parsed.is_empty:
        return Results([], 0, {})
    entries = SearchEntry.objects.readable_by(user)
    if committee is not None:
        entries = entries.filter(committee=committee)
    if date_from:
        entries = entries.filter(meeting_date__gte=date_from)
    if date_to:
        entries = entries.filter(meeting_date__lte=date_to)
    if connection.vendor == "postgresql":
        engine = _PostgreSQL(query, entries)
    else:
        engine = _SQLite(parsed, entries)
    counts, page = engine.find(kind, offset, limit)
    found = sum(counts.values()) if not kind else counts.get(kind, 0)
    rows = (
        SearchEntry.objects.filter(pk__in=[pk for pk, _ in page])
        .select_related("meeting__committee")
        .only(
            "kind",
            "title",
            "anchor",
            "meeting_date",
            "meeting__date",
            "meeting__committee__name",
            "meeting__committee__slug",
        )
    )
    entries_by_pk = {entry.pk: entry for entry in engine.with_snippets(rows)}
    hits = [
        Hit(
            kind=entry.kind,
            title=entry.title,
            snippet=_snippet(snippet if snippet is not None else entry.snippet),
            committee=entry.meeting.committee.name,
            meeting_date=entry.meeting_date,
            url=entry.meeting.get_absolute_url() + (f"#{entry.anchor}" if entry.anchor else ""),
        )
        for pk, snippet in page
        if (entry := entries_by_pk.get(pk)) is not None
    ]
    return Results(hits, min(found, RESULTS_LIMIT), counts, more=found > RESULTS_LIMIT)


def count_label(count: int) -> str:
    """A count of matches as people read it: "1,000+" past the limit."""
    return f"{RESULTS_LIMIT:,}+" if count > RESULTS_LIMIT else f"{count:,}"


def _capped_counts(selects: list[tuple[str, str, list]]) -> dict[str, int]:
    """{kind: matches, counted up to RESULTS_LIMIT + 1} in one query, from each kind's
    ``(kind, sql, params)`` selecting its matches: counting stops where a page would."""
    parts, params = [], []
    for kind, sql, select_params in selects:
        # ``sql`` comes from the ORM or this module, its values all in ``select_params``.
        parts.append(f"SELECT %s, (SELECT count(*) FROM ({sql} LIMIT %s) AS matches)")  # noqa: S608
        params += [kind, *select_params, RESULTS_LIMIT + 1]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {kind: count for kind, count in cursor.fetchall() if count}


class _PostgreSQL:
    """Each kind's entries are a partition of their own (migration 0017), with their own GIN
    index and their own word statistics: the planner knows how common a word is among items
    and among people, and reads a kind's matches newest first where most of its entries match,
    through the index where few do. One query finds the newest ``RESULTS_LIMIT + 1`` matches
    of each kind (the count of each) and ranks by ``ts_rank`` the most recent ``RESULTS_LIMIT``
    of those shown; ``ts_headline`` runs for the page shown only."""

    def __init__(self, query: str, entries):
        self.tsquery = SearchQuery(query, search_type="websearch", config=PG_CONFIG)
        self.matching = entries.filter(vector=self.tsquery)

    def find(self, kind, offset, limit) -> tuple[dict[str, int], list[tuple[int, None]]]:
        # Built once (the visibility rule is costly to build) and asked of each kind on its
        # own, so that each reads its own partition only.
        matches, params = (
            self.matching.annotate(rank=SearchRank(F("vector"), self.tsquery))
            .values_list("pk", "kind", "rank")
            .query.sql_with_params()
        )
        newest = " UNION ALL ".join(
            f"(SELECT * FROM ({matches}) AS matches (id, kind, rank) "  # noqa: S608
            "WHERE kind = %s ORDER BY id DESC LIMIT %s)"
            for _ in Kind.values
        )
        newest_params = [p for each in Kind.values for p in (*params, each, RESULTS_LIMIT + 1)]
        shown = "WHERE kind = %s" if kind else ""
        with connection.cursor() as cursor:
            cursor.execute(
                # The SQL is the ORM's and this module's, its values all in the parameters.
                f"WITH found AS ({newest}) "  # noqa: S608
                "SELECT counts.kinds, counts.matches, "
                "(SELECT array_agg(id ORDER BY rank DESC, id DESC) FROM ("
                f"SELECT id, rank FROM (SELECT id, rank FROM found {shown} "
                "ORDER BY id DESC LIMIT %s) AS recent "
                "ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s) AS page) "
                "FROM (SELECT array_agg(kind) AS kinds, array_agg(matches) AS matches "
                "FROM (SELECT kind, count(*) AS matches FROM found GROUP BY kind) AS each_kind"
                ") AS counts",
                [*newest_params, *([kind] if kind else []), RESULTS_LIMIT, limit, offset],
            )
            kinds, matches, page = cursor.fetchone()
        return dict(zip(kinds or [], matches or [], strict=True)), [(pk, None) for pk in page or []]

    def with_snippets(self, rows):
        return rows.annotate(
            snippet=SearchHeadline(
                "body",
                self.tsquery,
                config=PG_CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )


class _SQLite:
    """FTS5 finds the matches (of one kind, when counting, from the kind it indexes too);
    ``bm25`` orders at most ``RESULTS_LIMIT`` of them, the most recent; ``snippet()``
    runs for the page shown only (in the same query: FTS5 makes a snippet only where its
    match is)."""

    def __init__(self, parsed: ParsedQuery, entries):
        self.match = fts5_query(parsed)
        self.entries = entries

    def matching(self, kind: str = ""):
        match = f'({self.match}) AND kind : "{kind}"' if kind else self.match
        # extra(): the FTS table has no model; its SQL is this module's, the match a param.
        return self.entries.extra(  # noqa: S610
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = minutes_searchentry.id", f"{FTS_TABLE} MATCH %s"],
            params=[match],
        )

    def find(self, kind, offset, limit) -> tuple[dict[str, int], list[tuple[int, str]]]:
        return self.counts(), self.page(kind, offset, limit)

    def counts(self) -> dict[str, int]:
        return _capped_counts(
            [
                (kind, *self.matching(kind).values("pk").query.sql_with_params())
                for kind in Kind.values
            ]
        )

    def page(self, kind, offset, limit) -> list[tuple[int, str]]:
        newest_sql, newest_params = (
            self.matching(kind)
            .extra(order_by=[f"-{FTS_TABLE}.rowid"])  # newest first: FTS5 reads it backwards
            .values("pk")[:RESULTS_LIMIT]
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                # FTS5 ranks and makes snippets only in a query that matches: the newest
                # matches are matched again to be ranked, and the page's to make snippets.
                # Each is one pass over the match ("+rowid": looking a rowid up in FTS5
                # would read the whole match again for each).
                f"WITH newest(id) AS ({newest_sql}), "  # noqa: S608
                f"page AS (SELECT rowid AS id, bm25({FTS_TABLE}, 5.0, 1.0, 0.0) AS score "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                "AND +rowid IN (SELECT id FROM newest) "
                "ORDER BY score, rowid DESC LIMIT %s OFFSET %s) "
                f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, ' … ', %s), "
                "(SELECT score FROM page WHERE page.id = rowid) AS score "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                "AND +rowid IN (SELECT id FROM page) ORDER BY score, rowid DESC",
                [
                    *newest_params,
                    self.match,
                    limit,
                    offset,
                    _START,
                    _STOP,
                    SNIPPET_WORDS,
                    self.match,
                ],
            )
            return [(pk, snippet) for pk, snippet, _ in cursor.fetchall()]

    def with_snippets(self, rows):
        return rows
