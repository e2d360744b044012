"""Keeping the tallies (``tracker.dashboards.models``) and reading durations off them.

Three ways in:

- ``count_application`` / ``move_application`` / ``count_proposal`` / ``move_proposal``: the
  receivers of ``subject_created`` and ``state_changed`` call them inside the change's transaction
  (a few single-row upserts, always in the same order, so two transactions never wait on each
  other's rows crosswise);
- ``rebuild()``: every tally recomputed from the base tables by a few set-based statements, for a
  bulk load (the benchmark) or a repair (``flask --app wsgi dashboards rebuild``); ``differences()``
  compares them with the same recount without writing (``flask --app wsgi dashboards check``);
- ``percentile`` / ``Durations``: the average and 90th percentile of a state's stays, from the
  fixed buckets.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, false, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker.applications.models import Application, ApplicationArea, HistoryEntry, Partner
from tracker.communities.models import Proposal, ProposalHistory
from tracker.dashboards.models import (
    ApplicationTally,
    BreakdownTally,
    DurationTally,
    OrganisationTally,
    ProposalTally,
)
from tracker.extensions import db
from tracker.organisations.models import Organisation
from workflows import APPLICATION_WORKFLOWS, get_workflow, states_where

TALLIES = (ApplicationTally, BreakdownTally, OrganisationTally, ProposalTally, DurationTally)
HOUR, DAY = 3600, 86400
#: Upper bounds (exclusive, in seconds) of the duration buckets; the last bucket is open.
#: Fine where decisions fall (days, weeks), coarse beyond a year.
BUCKETS: tuple[int, ...] = (
    HOUR, DAY, 2 * DAY, 3 * DAY, 5 * DAY, 7 * DAY, 10 * DAY, 14 * DAY, 21 * DAY, 30 * DAY,
    45 * DAY, 60 * DAY, 75 * DAY, 90 * DAY, 120 * DAY, 150 * DAY, 180 * DAY, 270 * DAY,
    365 * DAY, 545 * DAY, 730 * DAY, 1095 * DAY,
)  # fmt: skip


def bucket_of(seconds: int) -> int:
    return bisect.bisect_right(BUCKETS, seconds)


def _bucket_sql(seconds):
    """The same bucket as ``bucket_of``, in SQL."""
    return case(
        *[(seconds < bound, literal(i)) for i, bound in enumerate(BUCKETS)],
        else_=literal(len(BUCKETS)),
    )


# --- keeping them ----------------------------------------------------------------------------


@functools.cache
def _upsert_statement(model, dialect: str, keys: tuple[str, ...], adds: tuple[str, ...]):
    """``INSERT .. ON CONFLICT (keys) DO UPDATE SET`` each of ``adds`` plus the value inserted,
    its rows given as parameters: built once per process, where a transition built three."""
    table = model.__table__
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    return stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: table.c[c] + stmt.excluded[c] for c in adds}
    )


def _upsert_rows(model, rows: list[dict], adds: tuple[str, ...] = ("n",)) -> None:
    """Each row of ``rows`` (its key and what it adds) added to ``model``'s row of that key,
    created when missing: one statement."""
    dialect = db.session.get_bind().dialect.name
    keys = tuple(k for k in rows[0] if k not in adds)
    # the rows as parameters (executemany: one round trip on PostgreSQL, its pipeline), not in
    # the statement's text: its compiled form is cached, where rows in VALUES were not
    db.session.execute(_upsert_statement(model, dialect, keys, adds), rows)


def _upsert(model, key: dict, **add: int) -> None:
    """``model``'s row ``key`` plus ``add``, created when missing: one statement."""
    _upsert_rows(model, [key | add], tuple(add))


def _decrement(model, key: dict) -> None:
    table = model.__table__
    where = [table.c[k] == v for k, v in key.items()]
    db.session.execute(update(table).where(*where).values(n=table.c.n - 1))


def _shift(model, minus: list[dict], plus: list[dict]) -> None:
    """Move one count from each row of ``minus`` to each row of ``plus`` (a row in both stays as
    it is): one ``INSERT .. ON CONFLICT DO UPDATE SET n = n + delta`` for all of them, where a
    decrement and an upsert were a statement each (a transition moves a row of each tally: two
    round trips fewer). The rows go in key order, so two transactions never wait on each
    other's rows crosswise. A row left is one the application was counted in, so it exists
    while the tallies are right (``differences``)."""
    deltas: dict[tuple, int] = {}
    keys: dict[tuple, dict] = {}
    for rows, delta in ((minus, -1), (plus, +1)):
        for key in rows:
            k = tuple(key.items())
            keys[k], deltas[k] = key, deltas.get(k, 0) + delta
    steps = sorted(
        ((keys[k], d) for k, d in deltas.items() if d),
        key=lambda s: tuple(str(v) for v in s[0].values()),
    )
    if steps:
        _upsert_rows(model, [{**key, "n": delta} for key, delta in steps])


def _apply(model, minus: dict | None, plus: dict | None) -> None:
    """Move one count from ``minus`` to ``plus`` (either may be None)."""
    _shift(model, [minus] if minus is not None else [], [plus] if plus is not None else [])


def application_key(app: Application, *, state: str, submitted: bool, **overrides) -> dict:
    lead = db.session.get(Organisation, app.lead_organisation_id)
    key = {
        "call_id": app.call_id if app.call_id is not None else app.call.id,
        "state": state,
        "submitted": submitted,
        "province": (lead.province if lead is not None else None) or "",
        "thematic_area": app.thematic_area or "",
        "s3_ecosystem": app.s3_ecosystem or "",
    }
    return key | {k: v or "" for k, v in overrides.items()}


#: what the breakdowns split submitted applications by (columns of ``ApplicationTally``)
BREAKDOWNS = ("state", "province", "thematic_area", "s3_ecosystem")


def outcome(workflow: str, state: str) -> tuple[bool, bool]:
    """(still in progress, positive outcome) of a state: what the breakdowns count."""
    info = get_workflow(workflow).state(state)
    return info.in_progress, info.positive


def _breakdown_keys(workflow: str, key: dict | None, areas: list[str]) -> list[dict]:
    """The breakdown rows an application counted under ``key`` (an ApplicationTally key) adds
    to: one per breakdown, and one per thematic area it names (so the area rows overlap: their
    sum exceeds the applications counted); none before it is submitted."""
    if key is None or not key["submitted"]:
        return []
    in_progress, positive = outcome(workflow, key["state"])
    return [
        {
            "call_id": key["call_id"],
            "dimension": name,
            "value": value,
            "in_progress": in_progress,
            "positive": positive,
        }
        for name in BREAKDOWNS
        for value in ((areas or [""]) if name == "thematic_area" else [key[name]])
    ]


def _move(
    app: Application,
    minus: dict | None,
    plus: dict | None,
    *,
    old_areas: list[str] | None = None,
    new_areas: list[str] | None = None,
) -> None:
    """One application counted under ``plus`` instead of ``minus``, in every tally that splits
    it; the tables in a fixed order, the rows of each in key order. The thematic areas are the
    application's own unless an edit of them says what they were and are."""
    _apply(ApplicationTally, minus, plus)
    if old_areas is None and new_areas is None and _same_area_rows(app.workflow, minus, plus):
        # its thematic areas' rows are the same on both sides and cancel out: not read (most
        # transitions stay within one outcome: a query fewer)
        old_areas = new_areas = []
    if old_areas is None or new_areas is None:
        areas = app.thematic_areas
        old_areas = areas if old_areas is None else old_areas
        new_areas = areas if new_areas is None else new_areas
    old = _breakdown_keys(app.workflow, minus, old_areas)
    new = _breakdown_keys(app.workflow, plus, new_areas)
    _shift(BreakdownTally, old, new)


def _same_area_rows(workflow: str, minus: dict | None, plus: dict | None) -> bool:
    """Whether an application's thematic-area breakdown rows under ``minus`` and under ``plus``
    are the same rows, whatever its areas: none on either side (not submitted), or both
    submitted under the same call with the same outcome (the rows' key but the area)."""
    if minus is None or plus is None:
        return False
    if not minus["submitted"] and not plus["submitted"]:
        return True
    return (
        minus["submitted"]
        and plus["submitted"]
        and minus["call_id"] == plus["call_id"]
        and outcome(workflow, minus["state"]) == outcome(workflow, plus["state"])
    )


def count_application(app: Application) -> None:
    """A new application, in its initial state."""
    _move(app, None, application_key(app, state=app.state, submitted=False))


def uncount_application(app: Application) -> None:
    """A draft never submitted, deleted: counted nowhere any more."""
    _move(app, application_key(app, state=app.state, submitted=False), None)


def move_application(app: Application, from_state: str, was_submitted: bool, seconds: int) -> None:
    """``app`` left ``from_state`` (where it stayed ``seconds``) for its current state."""
    _move(
        app,
        application_key(app, state=from_state, submitted=was_submitted),
        application_key(app, state=app.state, submitted=app.submitted_at is not None),
    )
    _stay("application", app.call_id, from_state, seconds)
    _recognition(app, app.definition.state(from_state).holds_label, app.state_info.holds_label)


def _recognition(app: Application, was: bool, now: bool) -> None:
    """A value chain recognised (or no longer): its partners count one chain more (or less)."""
    if was == now:
        return
    p, t = Partner.__table__.c, OrganisationTally.__table__
    partners = select(p.organisation_id).where(p.application_id == app.id)
    if now:
        dialect = db.session.get_bind().dialect.name
        insert_ = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert_(t).from_select(
            ["organisation_id", "n"],
            select(p.organisation_id, literal(1)).where(p.application_id == app.id),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["organisation_id"], set_={"n": t.c.n + stmt.excluded.n}
        )
        db.session.execute(stmt)
    else:
        db.session.execute(update(t).where(t.c.organisation_id.in_(partners)).values(n=t.c.n - 1))


def partner_moved(app: Application, organisation_id: int, delta: int) -> None:
    """A partnership change in force: ``organisation_id`` joined (+1) or left (-1) ``app``; a
    recognised chain's partners count it in ``OrganisationTally`` (the public statistics)."""
    if not app.state_info.holds_label:
        return
    if delta > 0:
        _upsert(OrganisationTally, {"organisation_id": organisation_id}, n=1)
    else:
        _decrement(OrganisationTally, {"organisation_id": organisation_id})


def change_application_dimensions(
    app: Application,
    old: dict,
    new: dict,
    old_areas: list[str] | None = None,
    new_areas: list[str] | None = None,
) -> None:
    """An edit changed what an application is counted under (its thematic areas...)."""
    submitted = app.submitted_at is not None
    _move(
        app,
        application_key(app, state=app.state, submitted=submitted, **old),
        application_key(app, state=app.state, submitted=submitted, **new),
        old_areas=old_areas,
        new_areas=new_areas,
    )


def _proposal_key(proposal: Proposal, state: str) -> dict:
    community_id = proposal.community_id or proposal.community.id
    return {"community_id": community_id, "state": state}


def count_proposal(proposal: Proposal) -> None:
    _apply(ProposalTally, None, _proposal_key(proposal, proposal.state))


def move_proposal(proposal: Proposal, from_state: str, seconds: int) -> None:
    _apply(
        ProposalTally, _proposal_key(proposal, from_state), _proposal_key(proposal, proposal.state)
    )
    _stay("proposal", proposal.community_id, from_state, seconds)


def _stay(kind: str, scope_id: int, state: str, seconds: int) -> None:
    key = {"kind": kind, "scope_id": scope_id, "state": state, "bucket": bucket_of(seconds)}
    _upsert(DurationTally, key, n=1, seconds=seconds)


# --- rebuilding them -------------------------------------------------------------------------


def rebuild() -> dict[str, int]:
    """Recompute every tally from the base tables (flushes, never commits): a handful of
    ``INSERT ... SELECT ... GROUP BY``. Returns how many tally rows each table now holds."""
    db.session.flush()
    for model in TALLIES:
        db.session.execute(delete(model))
    for model, columns, query in _recounts():
        _insert_from(model, columns, query)
    db.session.flush()
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in TALLIES
    }


def _recounts():
    """What every tally should hold, counted afresh from the base tables: for each table, one
    or more (model, columns, ``SELECT ... GROUP BY``) whose rows are its rows."""
    a, o = Application.__table__.c, Organisation.__table__.c
    submitted = case((a.submitted_at.is_not(None), True), else_=False)
    dims = (
        a.call_id,
        a.state,
        submitted,
        func.coalesce(o.province, ""),
        func.coalesce(a.thematic_area, ""),
        func.coalesce(a.s3_ecosystem, ""),
    )
    lead_joined = Application.__table__.join(Organisation.__table__, o.id == a.lead_organisation_id)
    yield (
        ApplicationTally,
        ["call_id", "state", "submitted", "province", "thematic_area", "s3_ecosystem", "n"],
        select(*dims, func.count()).select_from(lead_joined).group_by(*dims),
    )
    in_progress, positive = _outcome_sql(a)
    areas = ApplicationArea.__table__.c
    for name in BREAKDOWNS:
        value = func.coalesce(o.province if name == "province" else a[name], "")
        source = lead_joined
        if name == "state":
            value = a.state
        elif name == "thematic_area":  # one row per area named: the rows overlap
            source = lead_joined.outerjoin(ApplicationArea.__table__, areas.application_id == a.id)
            value = func.coalesce(areas.area, "")
        dims = (a.call_id, literal(name), value, in_progress, positive)
        yield (
            BreakdownTally,
            ["call_id", "dimension", "value", "in_progress", "positive", "n"],
            select(*dims, func.count())
            .select_from(source)
            .where(a.submitted_at.is_not(None))
            .group_by(*dims),
        )
    partner = Partner.__table__.c
    yield (
        OrganisationTally,
        ["organisation_id", "n"],
        select(partner.organisation_id, func.count())
        .select_from(Partner.__table__.join(Application.__table__, a.id == partner.application_id))
        .where(in_states(a.workflow, a.state, holds_label=True))
        .group_by(partner.organisation_id),
    )
    p = Proposal.__table__.c
    yield (
        ProposalTally,
        ["community_id", "state", "n"],
        select(p.community_id, p.state, func.count()).group_by(p.community_id, p.state),
    )
    for kind, history, subject, scope in (
        ("application", HistoryEntry.__table__, Application.__table__, a.call_id),
        ("proposal", ProposalHistory.__table__, Proposal.__table__, p.community_id),
    ):
        h = history.c
        bucket = _bucket_sql(h.seconds_in_from_state)
        subject_id = h.application_id if kind == "application" else h.proposal_id
        yield (
            DurationTally,
            ["kind", "scope_id", "state", "bucket", "n", "seconds"],
            select(
                literal(kind),
                scope,
                h.from_state,
                bucket,
                func.count(),
                func.sum(h.seconds_in_from_state),
            )
            .select_from(history.join(subject, subject.c.id == subject_id))
            .group_by(scope, h.from_state, bucket),
        )


def in_states(workflow_column, state_column, **flags):
    """A WHERE clause: the (workflow, state) columns name an application's state with these
    flags (``in_states(a.workflow, a.state, holds_label=True)``); false when none has them."""
    return or_(
        false(),
        *(
            and_(workflow_column == name, state_column.in_(names))
            for name, names in states_where(APPLICATION_WORKFLOWS, **flags).items()
        ),
    )


def _outcome_sql(a):
    """``outcome`` as two SQL booleans over the applications table's workflow and state."""
    return (
        case((in_states(a.workflow, a.state, in_progress=True), True), else_=False),
        case((in_states(a.workflow, a.state, positive=True), True), else_=False),
    )


def _insert_from(model, columns: list[str], query) -> None:
    db.session.execute(insert(model.__table__).from_select(columns, query))


def snapshot() -> dict[str, set[tuple]]:
    """Every non-zero tally row, by table: what a test compares before and after ``rebuild``."""
    out = {}
    for model in TALLIES:
        table = model.__table__
        rows = db.session.execute(select(table).where(table.c.n != 0)).all()
        out[table.name] = {tuple(r) for r in rows}
    return out


# --- checking them ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A tally row that is not what a recount gives: its table, its key, the values stored and
    the values recounted (``{}`` for a row that should not exist, or does not)."""

    table: str
    key: dict
    stored: dict
    recounted: dict

    def __str__(self) -> str:
        key = ", ".join(f"{k}={v!r}" for k, v in self.key.items())

        def values(row: dict) -> str:
            return ", ".join(f"{k}={v}" for k, v in row.items()) if row else "no row"

        stored, recounted = values(self.stored), values(self.recounted)
        return f"{self.table} ({key}): stored {stored}, recounted {recounted}"


def _typed(table, columns: list[str], row) -> tuple[dict, dict]:
    """A row as (key, values) dicts, each value as its column's Python type (SQLite gives 1
    for a recounted true)."""
    key, values = {}, {}
    for name, value in zip(columns, row, strict=True):
        column = table.c[name]
        if value is not None and column.type.python_type in (bool, int):
            value = column.type.python_type(value)
        (key if column.primary_key else values)[name] = value
    return key, values


def differences() -> list[Difference]:
    """Every tally row that differs from a recount from the base tables (rows counting zero
    are no rows), table by table in ``TALLIES`` order, each table's rows in key order. Reads
    only: nothing is written."""
    db.session.flush()
    recounted: dict[str, dict[tuple, tuple[dict, dict]]] = {m.__tablename__: {} for m in TALLIES}
    for model, columns, query in _recounts():
        table = model.__table__
        for row in db.session.execute(query):
            key, values = _typed(table, columns, row)
            if values["n"]:
                recounted[table.name][tuple(key.values())] = (key, values)
    found = []
    for model in TALLIES:
        table = model.__table__
        columns = [c.name for c in table.columns]
        stored = {}
        for row in db.session.execute(select(table).where(table.c.n != 0)):
            key, values = _typed(table, columns, row)
            stored[tuple(key.values())] = (key, values)
        recount = recounted[table.name]
        for k in sorted(stored.keys() | recount.keys(), key=lambda k: tuple(map(str, k))):
            have, want = stored.get(k, ({}, {})), recount.get(k, ({}, {}))
            if have[1] != want[1]:
                found.append(Difference(table.name, have[0] or want[0], have[1], want[1]))
    return found


# --- reading durations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Durations:
    """The finished stays in one state: how many, their mean and 90th percentile (seconds)."""

    count: int
    average: float | None
    p90: float | None

    @property
    def average_days(self) -> float | None:
        return None if self.average is None else self.average / DAY

    @property
    def p90_days(self) -> float | None:
        return None if self.p90 is None else self.p90 / DAY


def durations(histogram: dict[int, tuple[int, int]]) -> Durations:
    """From ``{bucket: (n, seconds)}``: the count, the exact mean and the 90th percentile
    interpolated within its bucket (the open last bucket answers its lower bound)."""
    count = sum(n for n, _ in histogram.values())
    if count == 0:
        return Durations(0, None, None)
    total = sum(s for _, s in histogram.values())
    return Durations(count, total / count, percentile(histogram, 0.9))


def percentile(histogram: dict[int, tuple[int, int]], q: float) -> float | None:
    count = sum(n for n, _ in histogram.values())
    if count == 0:
        return None
    rank = q * count
    seen = 0
    for bucket in sorted(histogram):
        n = histogram[bucket][0]
        if n and seen + n >= rank:
            low = 0 if bucket == 0 else BUCKETS[bucket - 1]
            if bucket >= len(BUCKETS):
                return float(low)
            high = BUCKETS[bucket]
            return low + (high - low) * (rank - seen) / n
        seen += n
    return float(BUCKETS[-1])


__all__ = [
    "BUCKETS",
    "Durations",
    "Difference",
    "bucket_of",
    "differences",
    "durations",
    "percentile",
    "rebuild",
    "snapshot",
]
