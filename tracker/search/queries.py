"""Searching the full-text indexes (``tracker.search.models``): what a person typed becomes
words, each a prefix, all required; the matches are read through the index of the database in
use, only among what the person may see.

Any text is a valid query: its words are letters and digits only, so quotes, operators, FTS5
syntax and stray punctuation never reach the index's parser (nothing to fail on); a query
without a word matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import any_, column, false, func, literal, literal_column, or_, select, table
from sqlalchemy.orm import joinedload

from tracker.applications.access import visible_filter
from tracker.applications.models import Application, Partner
from tracker.errors import BadRequest
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.organisations.models import Organisation
from tracker.pagination import PageRequest
from tracker.querystring import query_text
from tracker.search.models import INDEXES, pg_document, pg_vector
from workflows.i18n import N_

#: at most this many words of a query count (the rest are ignored: a query is not an essay)
MAX_TERMS = 10
_WORD = re.compile(r"[^\W_]+")
#: what marks a matched word in a snippet before it is escaped and marked up (private-use
#: characters: nobody types them, and the text rule refuses none of them)
_START, _STOP = "\ue000", "\ue001"
_NOTE = INDEXES["applications_search"][1][1:]  # the concept note's columns


def terms(text: str | None) -> tuple[str, ...]:
    """The words of ``text``, lower case, accents removed, at most ``MAX_TERMS``."""
    if not text:
        return ()
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    ).lower()
    words = []
    for word in _WORD.findall(plain):
        if word not in words:
            words.append(word[:50])
    return tuple(words[:MAX_TERMS])


def _postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def _tsquery(words: tuple[str, ...], *, whole: bool = False):
    star = "" if whole else ":*"
    return func.to_tsquery(
        literal_column("'simple'::regconfig"), literal(" & ".join(f"'{w}'{star}" for w in words))
    )


def _pg_match(name: str, words: tuple[str, ...], *, whole: bool = False):
    """The search index ``name``'s document has every word as a prefix (``whole``: as written)."""
    return literal_column(pg_vector(name)).op("@@")(_tsquery(words, whole=whole))


def _fts5(name: str):
    return table(name, column("rowid"), column("rank"))


def _fts5_match(
    name: str, words: tuple[str, ...], column_name: str | None = None, *, whole: bool = False
):
    """The FTS5 table ``name`` has every word as a prefix (``whole``: as written); quoted (they
    are letters and digits: nothing to escape), optionally within one column."""
    star = "" if whole else "*"
    query = " AND ".join(f'"{w}"{star}' for w in words)
    query = f"{column_name} : ({query})" if column_name else query
    return literal_column(name).op("MATCH")(literal(query))


def application_ids(words: tuple[str, ...], *, whole: bool = False):
    """A select of the ids of the applications whose title or concept note has every word.
    ``whole``: every word as a whole word, not as a prefix: some of the matches ("steel"
    without "steelworks"), cheaper to find on PostgreSQL, where a prefix reads every word it
    begins and tests again each row it finds (a whole word needs neither)."""
    if not words:
        return select(Application.id).where(false())
    if _postgres():
        return select(Application.id).where(_pg_match("applications_search", words, whole=whole))
    fts = _fts5("applications_search")
    return select(fts.c.rowid).where(_fts5_match("applications_search", words, whole=whole))


def organisation_ids(words: tuple[str, ...]):
    """A select of the ids of the organisations whose name has every word."""
    if not words:
        return select(Organisation.id).where(false())
    if _postgres():
        return select(Organisation.id).where(_pg_match("organisations_search", words))
    fts = _fts5("organisations_search")
    return select(fts.c.rowid).where(_fts5_match("organisations_search", words))


def applications_matching(words: tuple[str, ...], *, walking: bool = False):
    """A WHERE clause on Application: its title or concept note has every word, or its lead
    partner's name has (the applications list's ``?q=``).

    Two shapes of the same clause, for two ways of reading the matches. By default the
    full-text indexes find them, match after match: what a count, an export or a rare word
    needs (reading them costs their number). ``walking``: each row is tested as the list
    walks the index of its order, until a page is full: what a common word needs (a word in
    one row out of ten fills a page of 50 after about 500 rows, however many match). On
    PostgreSQL a row's words are read from its stored column (``search_document``), the lead
    partners found are a hashed set; on SQLite ``+ 0`` keeps the planner off the id and lead
    indexes, so that it walks the order's, and the matches are a set built from FTS5."""
    if not words:
        return false()
    organisations = organisation_ids(words)
    lead = Application.lead_organisation_id
    if _postgres():
        if walking:
            return or_(applications_with_words(words), lead.in_(organisations))
        # an array, not a hashed set: the lead index answers it beside the full-text one
        lead_named = lead == any_(func.array(organisations.scalar_subquery()))
        return or_(applications_with_words(words), lead_named)
    if walking:
        return or_((Application.id + 0).in_(application_ids(words)), (lead + 0).in_(organisations))
    return or_(applications_with_words(words), lead.in_(organisations))


def applications_led_by_words(words: tuple[str, ...]):
    """A WHERE clause on Application: its lead partner's name has every word."""
    if not words:
        return false()
    return Application.lead_organisation_id.in_(organisation_ids(words))


def applications_found_with_words(words: tuple[str, ...], *, whole: bool = False):
    """``application_ids``, as a select of Application.id that a ``LIMIT`` stops early: on
    SQLite the full-text index is joined, and FTS5 yields its matches one after the other,
    where ``IN (subquery)`` first collects every one (at 100,000, the first 1,001 of the 8,367
    applications with "steel": 0.9 ms, against 1.9 ms)."""
    if _postgres() or not words:
        return application_ids(words, whole=whole)
    fts = _fts5("applications_search")
    return (
        select(Application.id)
        .join(fts, fts.c.rowid == Application.id)
        .where(_fts5_match("applications_search", words, whole=whole))
    )


def applications_with_words(words: tuple[str, ...]):
    """A WHERE clause on Application: its title or concept note has every word (read through
    the full-text index)."""
    if not words:
        return false()
    if _postgres():
        return _pg_match("applications_search", words)
    return Application.id.in_(application_ids(words))


# --- the search page and API ------------------------------------------------------------------

#: ``?in=``: one group of results, paged; without it, both
GROUPS = ("applications", "organisations")


def group_of(args) -> str | None:
    """The group ``?in=`` names, None for both; 400 for anything else."""
    group = query_text(args, "in", max_len=50)
    if group is not None and group not in GROUPS:
        raise BadRequest(
            N_("in must be one of: %(groups)s.", groups=", ".join(GROUPS)), code="bad_query"
        )
    return group


@dataclass(frozen=True)
class Hit:
    """One result: what it is, its id, its title or name and a snippet, both as safe markup
    with the matched words in ``<mark>``."""

    kind: str  # "application" or "organisation"
    id: int
    title: Markup
    snippet: Markup
    row: object  # the Application or Organisation


def _marked(text: str | None) -> Markup:
    """Snippet text from the index, escaped, its markers turned into ``<mark>``."""
    safe = str(escape(text or ""))
    return Markup(safe.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _public_chains():
    """The applications in the public registry (with a label, valid or revoked)."""
    return select(QualityLabel.application_id)


def _visible_applications(user):
    """A WHERE clause on Application: what ``user`` may see; for the public, the registry's."""
    if _public(user):
        return Application.id.in_(_public_chains())
    return visible_filter(user, Application, Partner)


def _public(user) -> bool:
    return user is None or not getattr(user, "is_authenticated", False)


def search_applications(user, text: str | None, paging: PageRequest) -> tuple[list[Hit], int]:
    """One page of the applications ``user`` may see whose title or concept note has every word
    of ``text``, best match first, and their number. The public searches the registry's value
    chains by their titles only (their concept notes are not public)."""
    words = terms(text)
    if not words:
        return [], 0
    public = _public(user)
    if _postgres():
        ranked = _pg_application_page(user, words, paging, titles_only=public)
    else:
        ranked = _sqlite_application_page(user, words, paging, titles_only=public)
    rows, total = ranked
    if not rows:
        return [], total
    apps = {
        a.id: a
        for a in db.session.scalars(
            select(Application)
            .where(Application.id.in_(list(rows)))
            .options(joinedload(Application.lead_organisation), joinedload(Application.label))
        )
    }
    hits = []
    for app_id, (title, snippet) in rows.items():
        # the public reads titles only; a snippet without a matched word says nothing
        shown = snippet if not public and _START in (snippet or "") else ""
        hits.append(Hit("application", app_id, _marked(title), _marked(shown), apps[app_id]))
    return hits, total


def _sqlite_application_page(user, words, paging, *, titles_only: bool):
    name = "applications_search"
    fts = _fts5(name)
    where = (
        _fts5_match(name, words, "title" if titles_only else None),
        fts.c.rowid.in_(select(Application.id).where(_visible_applications(user))),
    )
    total = db.session.scalar(select(func.count()).select_from(fts).where(*where))
    found = db.session.execute(
        select(
            fts.c.rowid,
            func.highlight(literal_column(name), 0, _START, _STOP),
            # a snippet of each part of the concept note: the first with a match is shown
            *(
                func.snippet(literal_column(name), i, _START, _STOP, "…", 16)
                for i in range(1, len(_NOTE) + 1)
            ),
        )
        .where(*where)
        .order_by(fts.c.rank, fts.c.rowid)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return {
        row[0]: (row[1], next((part for part in row[2:] if _START in (part or "")), ""))
        for row in found
    }, total


def _pg_application_page(user, words, paging, *, titles_only: bool):
    document = literal_column(pg_vector("applications_search"))
    query = _tsquery(words)
    where = [document.op("@@")(query), _visible_applications(user)]
    if titles_only:  # checked on the few rows the index found
        where.append(literal_column(pg_document(("title",), "applications")).op("@@")(query))
    total = db.session.scalar(select(func.count(Application.id)).where(*where))
    ids = db.session.scalars(
        select(Application.id)
        .where(*where)
        .order_by(func.ts_rank(document, query).desc(), Application.id)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    if not ids:
        return {}, total
    marks = f'StartSel="{_START}", StopSel="{_STOP}"'
    note = literal(" ").op("||")(func.concat_ws(" ", *(getattr(Application, c) for c in _NOTE)))
    heads = dict(
        (row[0], (row[1], row[2]))
        for row in db.session.execute(
            select(
                Application.id,
                func.ts_headline(
                    literal_column("'simple'::regconfig"), Application.title, query,
                    f"HighlightAll=true, {marks}",
                ),
                func.ts_headline(
                    literal_column("'simple'::regconfig"), note, query,
                    f"MaxFragments=2, MaxWords=16, MinWords=6, FragmentDelimiter=\" … \", {marks}",
                ),
            ).where(Application.id.in_(ids))
        )
    )  # fmt: skip
    return {i: heads[i] for i in ids}, total


def _visible_organisations(user):
    """Everybody logged in sees every organisation; the public, those of the registry's chains."""
    if not _public(user):
        return None
    return Organisation.id.in_(
        select(Partner.organisation_id).where(Partner.application_id.in_(_public_chains()))
    )


def search_organisations(user, text: str | None, paging: PageRequest) -> tuple[list[Hit], int]:
    """One page of the organisations ``user`` may find whose name has every word of ``text``,
    best match first, and their number."""
    words = terms(text)
    if not words:
        return [], 0
    visible = _visible_organisations(user)
    if _postgres():
        document = literal_column(pg_vector("organisations_search"))
        query = _tsquery(words)
        where = [document.op("@@")(query)] + ([visible] if visible is not None else [])
        total = db.session.scalar(select(func.count(Organisation.id)).where(*where))
        found = db.session.execute(
            select(
                Organisation.id,
                func.ts_headline(
                    literal_column("'simple'::regconfig"), Organisation.name, query,
                    f'HighlightAll=true, StartSel="{_START}", StopSel="{_STOP}"',
                ),
            )
            .where(*where)
            .order_by(func.ts_rank(document, query).desc(), Organisation.name, Organisation.id)
            .limit(paging.per_page)
            .offset(paging.offset)
        ).all()  # fmt: skip
    else:
        name = "organisations_search"
        fts = _fts5(name)
        where = [_fts5_match(name, words)]
        if visible is not None:
            where.append(fts.c.rowid.in_(select(Organisation.id).where(visible)))
        total = db.session.scalar(select(func.count()).select_from(fts).where(*where))
        found = db.session.execute(
            select(fts.c.rowid, func.highlight(literal_column(name), 0, _START, _STOP))
            .where(*where)
            .order_by(fts.c.rank, fts.c.rowid)
            .limit(paging.per_page)
            .offset(paging.offset)
        ).all()
    orgs = {
        o.id: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.id.in_([row[0] for row in found]))
        )
    }
    return [
        Hit("organisation", org_id, _marked(name), Markup(""), orgs[org_id])
        for org_id, name in found
        if org_id in orgs
    ], total


def registry_chains_of(organisation_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The registry's chains (label code, title) each organisation is a partner of, in one query
    (what the public may follow from an organisation it found)."""
    if not organisation_ids:
        return {}
    out: dict[int, list[tuple[str, str]]] = {}
    for org_id, code, title in db.session.execute(
        select(Partner.organisation_id, QualityLabel.code, Application.title)
        .join(QualityLabel, QualityLabel.application_id == Partner.application_id)
        .join(Application, Application.id == Partner.application_id)
        .where(Partner.organisation_id.in_(organisation_ids))
        .order_by(QualityLabel.code)
    ):
        out.setdefault(org_id, []).append((code, title))
    return out
