"""Reading applications in bulk: lists with filters, sorts and exports."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, false, func, not_, or_, select, type_coerce
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlalchemy.sql.util import ClauseAdapter

from tracker.applications.access import possible_roles, visible_filter
from tracker.applications.models import Application, ApplicationArea, HistoryEntry, Partner
from tracker.auth.models import User
from tracker.calls.models import Call, CallWindow, current_of
from tracker.columns import Hundredths, utcnow
from tracker.database import count_rows
from tracker.extensions import db
from tracker.firing import history_rows
from tracker.organisations.models import Organisation
from tracker.pagination import PageRequest
from tracker.reviews.models import Review
from tracker.search import queries as search
from workflows import APPLICATION_WORKFLOWS
from workflows.conditions import local_date
from workflows.model import OBJECT_ROLES

#: ``?sort=``: every order ends on the id, so that pages never overlap nor skip a row
SORTS = {
    "updated": (Application.updated_at.desc(), Application.id.desc()),
    "newest": (Application.created_at.desc(), Application.id.desc()),
    "oldest": (Application.created_at, Application.id),
    "title": (Application.title, Application.id),
    "state": (Application.state, Application.updated_at.desc(), Application.id.desc()),
    # unscored last; read backwards from ix_applications_state_score (migration 0013_speed)
    "score": (Application.score.desc().nulls_last(), Application.id.desc()),
}
DEFAULT_SORT = "updated"
#: what the sorts read: a text search with few matches orders them among these alone
_SORTED_BY = (
    Application.id, Application.updated_at, Application.created_at, Application.title,
    Application.state, Application.score,
)  # fmt: skip
#: a text search counts at most this many matches, and lists at most these (20 pages of 50):
#: beyond, its total says "more than 1,000" and the person adds words. Any exact count of a
#: common word costs its matches (a word in one title of six: 16,000 rows at 100,000
#: applications, 160 at 1,000); this one costs at most 1,001 rows, whatever N. A thousand is
#: more than anyone reads through a list, and few enough to read at once when a word is rare.
SEARCH_COUNT_LIMIT = 1000


@dataclass(frozen=True)
class ApplicationFilters:
    call_id: int | None = None
    state: str | None = None
    q: str | None = None  # words of the title, the concept note or the lead partner's name
    phase: int | None = None
    province: str | None = None  # the lead partner's
    thematic_area: str | None = None
    s3_ecosystem: str | None = None
    sort: str = DEFAULT_SORT

    @property
    def narrowed(self) -> bool:
        return any(
            (
                self.call_id,
                self.state,
                self.q,
                self.phase,
                self.province,
                self.thematic_area,
                self.s3_ecosystem,
            )  # fmt: skip
        )


def _states_of_phase(phase: int):
    """A WHERE clause: the application is in a state of ``phase`` of its workflow."""
    per_workflow = [
        and_(
            Application.workflow == wf.name,
            Application.state.in_(sorted(s.name for s in wf.states if s.phase == phase)),
        )
        for wf in APPLICATION_WORKFLOWS.values()
        if any(s.phase == phase for s in wf.states)
    ]
    return or_(*per_workflow) if per_workflow else false()


def _leads_where(*conditions):
    return Application.lead_organisation_id.in_(select(Organisation.id).where(*conditions))


def _filtered(user, filters: ApplicationFilters, query=None, *, walking: bool = False):
    """``query`` narrowed to what ``user`` may see and ``filters`` select; ``walking``: the
    text filter's shape for a list that walks its order (``search.applications_matching``)."""
    query = select(Application) if query is None else query
    query = query.where(visible_filter(user, Application, Partner))
    if filters.call_id is not None:
        query = query.where(Application.call_id == filters.call_id)
    if filters.state:
        query = query.where(Application.state == filters.state)
    if filters.phase is not None:
        query = query.where(_states_of_phase(filters.phase))
    if filters.province:
        query = query.where(_leads_where(Organisation.province == filters.province))
    if filters.thematic_area:  # any of its areas, as the breakdown by area counts it
        query = query.where(
            Application.id.in_(
                select(ApplicationArea.application_id).where(
                    ApplicationArea.area == filters.thematic_area
                )
            )
        )
    if filters.s3_ecosystem:
        query = query.where(Application.s3_ecosystem == filters.s3_ecosystem)
    if filters.q:
        # through the full-text indexes (tracker.search), never a LIKE scan of every row
        query = query.where(search.applications_matching(search.terms(filters.q), walking=walking))
    return query


def _ordered(query, filters: ApplicationFilters):
    return query.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


class Listed(NamedTuple):
    """One page of the applications list and its total."""

    items: list[Application]
    total: int
    #: a text search matched more than ``total`` (``SEARCH_COUNT_LIMIT``): counting stopped
    more: bool = False


def list_applications(
    user,
    filters: ApplicationFilters,
    paging: PageRequest,
    *,
    total: int | None = None,
    judged: bool = False,
) -> Listed:
    """One page of what ``user`` may see, in the filters' order, and the total; a fixed number
    of queries. The page's ids come first from the indexes alone, then their rows, read once:
    with their lead partner and call (what the list page shows) or, ``judged``, with all that
    judging what ``user`` may do to them reads (``judging_options``: the API's answers show
    it). ``total``: the count when the caller already knows it (the dashboards' tallies), else
    the rows are counted (up to ``SEARCH_COUNT_LIMIT`` for a text search)."""
    if filters.q:
        return _searched(user, filters, paging, judged)
    ids = db.session.scalars(
        _ordered(_filtered(user, filters, select(Application.id)), filters)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    if total is None:
        total = count_rows(_filtered(user, filters, select(Application.id)))
    return Listed(_rows(ids, user, filters, judged), total)


def _searched(user, filters: ApplicationFilters, paging: PageRequest, judged: bool) -> Listed:
    """A page of a text search: its matches counted up to ``SEARCH_COUNT_LIMIT`` + 1 through
    the full-text indexes, then the page's ids read the way that count says is cheap: with
    more matches than the limit, by walking the order and testing each row (a page fills
    within about per_page * N / matches rows); with fewer, by reading them all (at most the
    limit) and ordering them. Three queries either way."""
    limit = SEARCH_COUNT_LIMIT
    counted = _count_matches(user, filters, limit)
    total, more = min(counted, limit), counted > limit
    if paging.offset >= total:
        return Listed([], total, more)
    per_page = min(paging.per_page, total - paging.offset)  # never past the counted ones
    if more:
        query = _ordered(_filtered(user, filters, select(Application.id), walking=True), filters)
    else:
        # LIMIT: the matches are read first, alone (no planner walks the order instead)
        found = _filtered(user, filters, select(*_SORTED_BY)).limit(limit).subquery()
        query = select(found.c.id).order_by(*_order_among(found, filters))
    ids = db.session.scalars(query.limit(per_page).offset(paging.offset)).all()
    return Listed(_rows(ids, user, filters, judged), total, more)


def _count_matches(user, filters: ApplicationFilters, limit: int) -> int:
    """How many applications the text search matches, counted up to about ``limit`` + 1,
    whatever the number of matches: those whose title or concept note has the words as whole
    words, up to ``limit`` + 1 (they are some of the matches: more than ``limit`` of them is
    the answer); only when they are fewer, those that have them, even as prefixes, up to
    ``limit`` + 1; only when these are fewer, those a lead partner's name adds (without the
    words themselves: the two never overlap), up to ``limit`` + 1 again. A CASE runs a
    subquery only when it reaches it: a common word, typed whole, costs the first alone."""
    words = search.terms(filters.q)
    others = replace(filters, q=None)

    def bounded(found, *conditions):
        rows = _filtered(user, others, found).where(*conditions)
        return select(func.count()).select_from(rows.limit(limit + 1).subquery())

    whole = bounded(search.applications_found_with_words(words, whole=True)).scalar_subquery()
    texts = bounded(search.applications_found_with_words(words)).scalar_subquery().label("n")
    led_by = search.applications_led_by_words(words)
    with_words = search.applications_with_words(words)
    led = bounded(select(Application.id), led_by, not_(with_words)).scalar_subquery()
    # OFFSET 0: counted once, as a row (PostgreSQL would otherwise copy the subquery into
    # each place the CASE names it, and run it there again)
    first = select(texts).offset(0).subquery()
    texts_and_led = select(case((first.c.n > limit, limit + 1), else_=first.c.n + led))
    return db.session.scalar(
        select(case((whole > limit, limit + 1), else_=texts_and_led.scalar_subquery()))
    )


def _order_among(found, filters: ApplicationFilters) -> list:
    """The list's order on the columns of ``found`` (a subquery of ``_SORTED_BY``)."""
    adapt = ClauseAdapter(found).traverse
    # a bare attribute (Application.title) is the ORM's: its column is what is adapted
    return [
        adapt(getattr(term, "__clause_element__", lambda t=term: t)())
        for term in SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    ]


def _rows(ids: list[int], user, filters: ApplicationFilters, judged: bool) -> list[Application]:
    """The applications of ``ids``, in that order, with what the list shows of them (see
    ``list_applications``)."""
    if not ids:
        return []
    query = select(Application).where(Application.id.in_(ids))
    if judged:
        rows = load_judged(query, user, (filters.state,) if filters.state else None)
    else:  # what the list page shows
        options = (joinedload(Application.lead_organisation), joinedload(Application.call))
        rows = db.session.scalars(query.options(*options)).unique()
    by_id = {a.id: a for a in rows}
    return [by_id[i] for i in ids if i in by_id]


#: the header of the list's downloads (translated when written)
EXPORT_COLUMNS = (
    _l("Id"), _l("Title"), _l("Call"), _l("Lead partner"), _l("Lead partner's province"),
    _l("Thematic area"), _l("State"), _l("State code"), _l("Phase"), _l("Score"),
    _l("Requested amount"), _l("Granted amount"), _l("Submitted"), _l("Last change"),
    _l("Eligible spend"), _l("CUP code"), _l("Thematic areas"), _l("Sector (ATECO 2025 section)"),
    _l("Call window"), _l("Act of the window"),
)  # fmt: skip
#: support measures: the partners' eligible spend added up, read in the export's one query
_SPEND = type_coerce(
    select(func.sum(Partner.eligible_spend))
    .where(Partner.application_id == Application.id)
    .correlate(Application)
    .scalar_subquery(),
    Hundredths,
)


def export_rows(user, filters: ApplicationFilters):
    """Every application of the list, in its order, as plain rows streamed ``yield_per`` at a
    time (no ORM objects: a 10,000-row export reads three tables once)."""
    query = _filtered(
        user,
        filters,
        select(
            Application.id, Application.title, Call.title, Organisation.name,
            Organisation.province, Application.thematic_area, Application.workflow,
            Application.state, Application.score, Application.requested_amount,
            Application.granted_amount, Application.submitted_at, Application.updated_at,
            _SPEND, Application.cup, Application.ateco_section, Application.window_id, Application.call_id,
        )
        .join(Call, Call.id == Application.call_id)
        .join(Organisation, Organisation.id == Application.lead_organisation_id),
    )  # fmt: skip
    states = {
        (wf.name, s.name): (s.title, s.phase)
        for wf in APPLICATION_WORKFLOWS.values()
        for s in wf.states
    }
    windows = _windows_by_id()
    result = db.session.execute(_ordered(query, filters).execution_options(yield_per=1000))
    for rows in result.partitions():
        areas = _areas_of([row[0] for row in rows])
        for row in rows:
            (id_, title, call, lead, province, area, workflow, state, score, requested, granted,
             submitted, updated, spend, cup, sector, window_id, call_id) = row  # fmt: skip
            state_title, phase = states.get((workflow, state), (state, None))
            # a draft is under its call's current window (Application.rules_window)
            window = windows["current", call_id] if submitted is None else windows.get(window_id)
            yield (
                id_, title, call, lead, province, area, state_title, state, phase, score,
                requested, granted, submitted, updated, spend, cup or "",
                " ; ".join(areas.get(id_, [])), sector or "",
                window[0] if window else "", window[1] if window else "",
            )  # fmt: skip


def _windows_by_id() -> dict:
    """Every call window as (number, act), by id and as ("current", call id): a few rows."""
    windows = db.session.scalars(
        select(CallWindow).order_by(CallWindow.call_id, CallWindow.number)
    ).all()
    out: dict = {w.id: (w.number, w.act_number) for w in windows}
    today = local_date(utcnow())
    for call_id in {w.call_id for w in windows}:
        current = current_of([w for w in windows if w.call_id == call_id], today)
        out["current", call_id] = (current.number, current.act_number)
    return out


def _areas_of(ids: list[int]) -> dict[int, list[str]]:
    """The thematic areas of these applications, main first (one query per export batch)."""
    t = ApplicationArea
    out: dict[int, list[str]] = {}
    for app_id, area in db.session.execute(
        select(t.application_id, t.area)
        .where(t.application_id.in_(ids))
        .order_by(t.application_id, t.position)
    ):
        out.setdefault(app_id, []).append(area)
    return out


def counts_by_state(user, call_id: int | None = None) -> dict[str, int]:
    """How many applications ``user`` may see are in each state."""
    query = (
        select(Application.state, func.count())
        .where(visible_filter(user, Application, Partner))
        .group_by(Application.state)
    )
    if call_id is not None:
        query = query.where(Application.call_id == call_id)
    return dict(db.session.execute(query).all())


def history_of(app: Application) -> list[HistoryEntry]:
    """Oldest first, with the actors."""
    return history_rows(HistoryEntry, app)


def reviews_of(app: Application) -> list[Review]:
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.application_id == app.id)
            # the reviewers' names, not their roles (which the reviews do not show)
            .options(
                joinedload(Review.reviewer).lazyload(User.role_rows),
                selectinload(Review.revisions),
            )
            .order_by(Review.id)
        ).all()
    )


def judging_options(viewer=None, states: tuple[str, ...] | None = None) -> tuple:
    """The loader options that let an application's available transitions (roles, conditions,
    next step) be judged, and its answer written, without a query per application: every list,
    queue and bulk path that judges many applications loads them with these (or through
    ``load_judged``).

    ``viewer``: the one person they are judged for, when there is one; ``states``: the states
    the applications are in, when known (a list filtered by state). What only the transitions
    others fire, or those from other states, read is then left out: the annexes (the condition
    ``required_annexes_present``), the reviews (``min_reviews``, ``score_threshold``), the
    integration requests (read while the clock is suspended: ``pending_integration``) and the
    conflict-of-interest declarations (``has_conflict``, ``conflict_not_declared``: committee
    members only). tests/api/test_api_list_queries.py keeps the conditions and these loads
    together."""
    roles = _roles_of(viewer)
    return _judging_always(roles) + _judging_in(roles, states)


def load_judged(query, viewer=None, states: tuple[str, ...] | None = None) -> list[Application]:
    """The applications ``query`` selects, loaded for judging (``judging_options``). With
    their states unknown (a page mixing them), what only some states' transitions read is
    loaded afterwards for the applications in those states alone, in one read more: on a page
    of 50 where a few await their evaluation, those few's reviews, not all 50's; none at all
    on a page without such states."""
    if states is not None:
        return list(db.session.scalars(query.options(*judging_options(viewer, states))).unique())
    roles = _roles_of(viewer)
    apps = list(db.session.scalars(query.options(*_judging_always(roles))).unique())
    wanting = tuple(sorted(s for s in {a.state for a in apps} if _judging_in(roles, (s,))))
    if wanting:
        ids = [a.id for a in apps if a.state in wanting]
        # the rows already read stay as they are: only their unloaded collections are read
        more = select(Application).where(Application.id.in_(ids))
        db.session.scalars(
            more.options(load_only(Application.id), *_judging_in(roles, wanting))
        ).unique().all()
    return apps


def _roles_of(viewer) -> frozenset[str]:
    return frozenset(OBJECT_ROLES.keys() if viewer is None else possible_roles(viewer))


def _judging_always(roles: frozenset[str]) -> tuple:
    """What judging reads in any state: the call and window, the areas, the lead partner, the
    label, the partners and their organisations; for committee members, their declarations."""
    options = (
        joinedload(Application.call),
        joinedload(Application.window),
        # the one collection joined to the applications' rows (a few areas each): no product
        joinedload(Application.area_rows),
        joinedload(Application.lead_organisation),
        joinedload(Application.label),
        selectinload(Application.partners).joinedload(Partner.organisation),
    )
    if "reviewer" in roles:
        options += (selectinload(Application.declarations),)
    return options


def _judging_in(roles: frozenset[str], states: tuple[str, ...] | None) -> tuple:
    """What only the transitions from ``states`` (any, when None) read, for ``roles``."""
    checked = _conditions_checked(roles, states)
    options = ()
    if "required_annexes_present" in checked:
        options += (
            joinedload(Application.call).selectinload(Call.annexes),
            selectinload(Application.annex_documents),
        )
    if checked & {"min_reviews", "score_threshold"}:
        options += (selectinload(Application.reviews),)
    if _clock_suspended_among(states):
        options += (selectinload(Application.integration_requests),)
    return options


@functools.lru_cache(maxsize=256)  # bounded: ``states`` comes from the query string
def _conditions_checked(roles: frozenset[str], states: tuple[str, ...] | None) -> frozenset[str]:
    """The names of the conditions the transitions someone holding one of ``roles`` may fire
    from ``states`` (any, when None) check, in every workflow of applications."""
    return frozenset(
        c.name
        for wf in APPLICATION_WORKFLOWS.values()
        for s in wf.states
        if states is None or s.name in states
        for t in wf.transitions_from(s.name)
        if t.roles & roles
        for c in t.conditions
    )


def _clock_suspended_among(states: tuple[str, ...] | None) -> bool:
    return any(
        s.clock_suspended
        for wf in APPLICATION_WORKFLOWS.values()
        for s in wf.states
        if states is None or s.name in states
    )
