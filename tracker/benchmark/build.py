"""Build ``instance/bench-N.db``: N value-chain applications shaped like the real ones, fast.

Rows are generated in Python by one ``Builder`` and handed, table by table, to a writer: here
``executemany`` on the raw SQLite connection in one transaction, with the bulk-load PRAGMAs on and
the secondary indexes of the big tables dropped while loading and built again afterwards;
PostgreSQL's writer (``tracker.benchmark.build_pg``) streams the same rows through COPY. Every application's history is a real path through the
``value_chain`` workflow ending in its state; reviews score within the call's criteria; granted
applications hold a label with a decree. A file built for the same N and the same schema is reused.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import random
import sqlite3
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import stamp
from sqlalchemy import create_engine
from sqlalchemy.schema import CreateIndex, CreateTable

from tracker.audit.chain import GENESIS, digest
from tracker.extensions import db
from tracker.organisations.vat import vat_check_digit
from tracker.reference import DGR_5899_AREAS, LOMBARDY_PROVINCES
from tracker.search.models import INDEXES as SEARCH_INDEXES
from tracker.search.models import sqlite_ddl
from tracker.settings import ROOT
from workflows import Step, get_workflow

CALLS = 10
PARTNERS = 12  # per application, lead included
ORGANISATIONS_PER_APPLICATION = 0.2  # 100k applications share 20k organisations
REVIEWERS = 20
COMMITTEE = 5  # members per call, out of the REVIEWERS
BENCH_PASSWORD = "bench"
OFFICER_EMAIL = "officer@bench.example.org"
BIG_TABLES = ("applications", "partners", "history", "reviews", "quality_labels")
CRITERIA = (("coherence", "Coherence of the value chain", 40), ("impact", "Expected impact", 60))

WORKFLOW = get_workflow("value_chain")
#: how the applications spread over the states (weights): most have gone through evaluation
STATE_WEIGHTS = {
    "draft": 6, "submitted": 8, "integration_requested": 4, "under_evaluation": 10,
    "evaluated": 8, "label_granted": 30, "support_active": 12, "closed": 5, "inadmissible": 5,
    "not_recognised": 12, "withdrawn": 5, "label_revoked": 3,
}  # fmt: skip
#: the states reached by way of another than the fewest steps: withdrawn during the evaluation
THROUGH = {"withdrawn": "under_evaluation"}
#: How each application gets to its state: the workflow's own steps, each with the role firing
#: it (the lead's applicant, a committee member or the officer), so a changed workflow changes
#: the bench with it.
PATHS: dict[str, list[Step]] = {
    s.name: WORKFLOW.steps_to(s.name, through=THROUGH.get(s.name)) for s in WORKFLOW.states
}
#: an integration round: asked while submitted, answered by resubmitting
INTEGRATION = "integration_requested"
INTEGRATION_ROUND = [
    *WORKFLOW.steps_between("submitted", INTEGRATION),
    *WORKFLOW.steps_between(INTEGRATION, "submitted"),
]
COMMENTS = {
    "request_integration": "Please attach the partners' letters of commitment.",
    "declare_inadmissible": "Submitted without the signed partnership agreement.",
    "reject": "The score is below the call's threshold.",
    "revoke_label": "The partnership no longer holds ten Lombard firms.",
    "close": "Closed at the partnership's request: its partners ended their joint programme.",
}
EPOCH = dt.datetime(2022, 3, 1, 8, 0)


def bench_path(n: int, instance: Path) -> Path:
    return instance / f"bench-{n}.db"


def _import_every_model() -> None:
    """Every ``tracker.<domain>.models`` module, so that the metadata holds every table
    whatever this process imported before (else two commands disagree on the fingerprint)."""
    import tracker

    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if module.name.endswith(".models"):
            importlib.import_module(module.name)


def schema_fingerprint() -> int:
    """A 31-bit checksum of the models' DDL: a bench file built for another schema is rebuilt."""
    _import_every_model()
    engine = create_engine("sqlite://")
    ddl = []
    for table in db.metadata.sorted_tables:
        # the foreign keys apart: a create_all on PostgreSQL leaves those of a cycle (users and
        # organisations) to ALTER, and CreateTable leaves them out from then on in the process
        ddl.append(str(CreateTable(table, include_foreign_key_constraints=[]).compile(engine)))
        ddl += sorted(
            f"{fk.name}: {fk.column_keys} -> {fk.referred_table.name} {fk.ondelete}"
            for fk in table.foreign_key_constraints
        )
        ddl += sorted(str(CreateIndex(i).compile(engine)) for i in table.indexes)
    for name in SEARCH_INDEXES:  # the full-text indexes the tables' events create
        ddl += sqlite_ddl(name)
    return zlib.crc32("\n".join(ddl).encode()) & 0x7FFFFFFF


def migrations_head() -> str:
    """The newest Alembic revision: what a built file is stamped with."""
    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def is_current(path: Path, n: int) -> bool:
    """The file exists, was built for this schema, is stamped with the newest migration (so
    ``make run`` and ``make serve`` serve it as it is) and holds N applications."""
    if not path.exists():
        return False
    with sqlite3.connect(path) as conn:
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            (count,) = conn.execute("SELECT count(*) FROM applications").fetchone()
            (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except (sqlite3.DatabaseError, TypeError):
            return False
    return version == schema_fingerprint() and count == n and revision == migrations_head()


def _ts(value: dt.datetime) -> str:
    """How SQLAlchemy stores a (UTC, naive) datetime in SQLite."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass
class Counts:
    applications: int = 0
    partners: int = 0
    history: int = 0
    reviews: int = 0
    labels: int = 0


#: ``write(table, columns, rows)``: where the rows go (a database's bulk path)
Writer = Callable[[str, tuple[str, ...], list[tuple]], None]


def sqlite_writer(conn: sqlite3.Connection) -> Writer:
    def write(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        marks = ",".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    return write


class Builder:
    """Generates every row of the bench world and hands them to ``write``; ids are assigned
    here. The same seed gives the same rows whatever the database."""

    def __init__(self, write: Writer, n: int, seed: int = 5899):
        self.write, self.n, self.rng = write, n, random.Random(seed)
        self.counts = Counts()
        self.password_hash = _password_hash()

    def fill(self) -> Counts:
        """Every row, in the order the foreign keys need."""
        self.organisations()
        self.users()
        self.calls()
        self.applications()
        return self.counts

    # --- the people and the calls ------------------------------------------------------------
    def organisations(self) -> None:
        count = max(PARTNERS * 3, int(self.n * ORGANISATIONS_PER_APPLICATION))
        provinces = sorted(LOMBARDY_PROVINCES)
        kinds = ["firm"] * 8 + ["university", "research_centre", "association", "financial"]
        rows = []
        for i in range(1, count + 1):
            kind = self.rng.choice(kinds)
            body = f"{i:07d}150"
            lombard = self.rng.random() < 0.93
            rows.append(
                (
                    i, f"{self.rng.choice(_NAMES)} {self.rng.choice(_SECTORS)} {i}",
                    body + str(vat_check_digit(body)), kind,
                    self.rng.choice(("micro", "small", "medium", "large")) if kind == "firm" else None,
                    self.rng.choice(provinces) if lombard else self.rng.choice(("TO", "VR", "PC")),
                    "Città", lombard, _ts(EPOCH), _ts(EPOCH),
                )
            )  # fmt: skip
        # bulk-loaded, nobody declared them: verified as they stand (as migration 0010 did)
        self.write(
            "organisations",
            ("id", "name", "vat_number", "kind", "size", "province", "city", "lombardy_seat",
             "created_at", "verified_at"),
            rows,
        )  # fmt: skip
        self.organisation_count = count

    def users(self) -> None:
        rows, roles = [], []
        rows.append((1, OFFICER_EMAIL, "Bench Officer", None))
        roles.append((1, "officer"))
        self.reviewer_ids = list(range(2, 2 + REVIEWERS))
        for uid in self.reviewer_ids:
            rows.append((uid, f"reviewer{uid}@bench.example.org", f"Reviewer {uid}", None))
            roles.append((uid, "reviewer"))
        first = 2 + REVIEWERS
        # one applicant per organisation, so that a partnership has the same people at any N
        #: the organisation of applicant user ``first + k`` is organisation ``k + 1``
        self.applicant_of_org = {k + 1: first + k for k in range(self.organisation_count)}
        for k in range(self.organisation_count):
            uid = first + k
            rows.append((uid, f"applicant{uid}@bench.example.org", f"Applicant {uid}", k + 1))
            roles.append((uid, "applicant"))
        self.write(
            "users",
            ("id", "email", "name", "password_hash", "organisation_id", "active", "created_at"),
            [(*r[:3], self.password_hash, r[3], True, _ts(EPOCH)) for r in rows],
        )
        self.write("user_roles", ("user_id", "role"), roles)

    def calls(self) -> None:
        calls, windows, criteria, committee = [], [], [], []
        areas = json.dumps(list(DGR_5899_AREAS))
        for c in range(1, CALLS + 1):
            opens = dt.date(2022, 2, 24) + dt.timedelta(days=30 * (c - 1))
            calls.append(
                (
                    c, f"Value-chain EOI {2022 + (c - 1) // 4} - window {c}", "value_chain",
                    "Expression of Interest for Lombard value chains (benchmark data).",
                    f"DGR {5899 + c}/2022", opens.isoformat(),
                    (opens + dt.timedelta(days=3650)).isoformat(), 10, 2, 6000, 0, _ts(EPOCH),
                    1,
                )
            )  # fmt: skip
            # each call's one window (id = the call's), as migration 0025_windows makes it
            windows.append((c, c, 1, opens.isoformat(), (opens + dt.timedelta(days=3650)).isoformat(),
                            6000, areas, f"DGR {5899 + c}/2022", False, False, _ts(EPOCH)))  # fmt: skip
            for pos, (key, label, top) in enumerate(CRITERIA):
                criteria.append((c, c, key, label, top, pos))
            for uid in self.committee_of(c):
                committee.append((c, uid, _ts(EPOCH), 1))
        self.write(
            "calls",
            ("id", "title", "workflow", "description", "act_reference", "opens_at", "deadline",
             "min_firms", "min_reviews", "score_threshold", "committed", "created_at",
             "created_by_id"),
            calls,
        )  # fmt: skip
        self.write(
            "call_windows",
            ("id", "call_id", "number", "opens_at", "deadline", "score_threshold",
             "thematic_areas", "act_number", "criteria_illustrative", "opens_at_illustrative",
             "created_at"),
            windows,
        )  # fmt: skip
        self.write(
            "criteria",
            ("call_id", "window_id", "key", "label", "max_score", "position"),
            criteria,
        )
        self.write(
            "committee_members",
            ("call_id", "user_id", "appointed_at", "appointed_by_id"),
            committee,
        )

    def committee_of(self, call_id: int) -> list[int]:
        start = (call_id - 1) * COMMITTEE
        return [self.reviewer_ids[(start + k) % REVIEWERS] for k in range(COMMITTEE)]

    # --- the applications and everything they carry ----------------------------------------
    def applications(self, chunk: int = 20000) -> None:
        states = list(STATE_WEIGHTS)
        weights = [STATE_WEIGHTS[s] for s in states]
        leads = sorted(self.applicant_of_org)
        for start in range(1, self.n + 1, chunk):
            batch = _Batch()
            for app_id in range(start, min(self.n, start + chunk - 1) + 1):
                state = self.rng.choices(states, weights)[0]
                self._application(batch, app_id, state, self.rng.choice(leads))
            self._write(batch)

    def _application(self, b: _Batch, app_id: int, state: str, lead: int) -> None:
        rng = self.rng
        call_id = (app_id - 1) % CALLS + 1
        created = EPOCH + dt.timedelta(minutes=app_id * 7 + rng.randrange(60))
        created_at = _ts(created)
        path = list(PATHS[state])
        # integration rounds after the submission, in applications that moved on from it
        # elsewhere than to an integration
        if len(path) > 1 and path[1].dest != INTEGRATION:
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
                path[1:1] = INTEGRATION_ROUND
        at, submitted_at = created, None
        head = GENESIS  # the hash chain, computed as the rows are written (seal_all finds none)
        reviewers = rng.sample(self.committee_of(call_id), 2)
        for seq, step in enumerate(path, 1):
            trigger, source, target = step.trigger, step.source, step.dest
            wait = dt.timedelta(days=rng.randrange(2, 40), seconds=rng.randrange(86400))
            before, at = at, at + wait
            if step.transition.submission and submitted_at is None:
                submitted_at = at
            actor = {"lead": self.applicant_of_org[lead], "reviewer": reviewers[0]}.get(
                step.role, 1
            )
            data = {}
            if trigger == "grant_label":
                decree_date = at.date()
                data = {
                    "decree_number": str(18000 + app_id),
                    "decree_date": decree_date.isoformat(),
                }
            comment, seconds = COMMENTS.get(trigger, ""), int((at - before).total_seconds())
            prev, head = head, digest("history", app_id, seq, at.replace(tzinfo=dt.UTC), actor,
                                      trigger, source, target, comment, data, seconds, head)  # fmt: skip
            b.history.append(
                (app_id, seq, _ts(at), trigger, source, target, comment, json.dumps(data),
                 seconds, actor, prev, head)
            )  # fmt: skip
            if step.role == "reviewer":
                b.declarations.setdefault((app_id, actor), _ts(before))
            if trigger == "grant_label":
                b.labels.append(
                    (app_id, f"FIL-{decree_date.year}-{app_id:04d}", str(18000 + app_id),
                     decree_date.isoformat(), _ts(at), 1, None, None)
                )  # fmt: skip
            if trigger == "revoke_label":  # the label granted a step or two before
                b.labels[-1] = (*b.labels[-1][:6], _ts(at), COMMENTS["revoke_label"])
        last_at = _ts(at)
        score = None
        # reviews are in progress in a reviewable state, complete once the evaluation closed
        in_review = WORKFLOW.state(state).reviewable
        if in_review or any(s.trigger == "close_evaluation" for s in path):
            totals = []
            low = 0.7 if any(s.trigger == "grant_label" for s in path) else 0.3  # granted: >= 60
            for uid in reviewers[: rng.randrange(3) if in_review else 2]:
                scores = {key: rng.randrange(int(top * low), top + 1) for key, _, top in CRITERIA}
                total = sum(scores.values())
                totals.append(total)
                favourable = "favourable" if total >= 60 else "unfavourable"
                b.reviews.append(
                    (app_id, uid, json.dumps(scores), total, favourable, "", last_at, last_at)
                )
                b.declarations.setdefault((app_id, uid), last_at)
            if not in_review:
                score = round(sum(totals) * 100 / len(totals))  # hundredths
        partners = {lead, *rng.sample(range(1, self.organisation_count + 1), PARTNERS + 2)}
        partners = [lead] + [o for o in partners if o != lead][: PARTNERS - 1]
        for org in partners:
            role = "Lead partner (capofila)" if org == lead else "Partner"
            b.partners.append((app_id, org, role, "", created_at))
        area = rng.choice(DGR_5899_AREAS)
        b.applications.append(
            (app_id, call_id, "value_chain", state, len(path) + 1,
             f"{rng.choice(_SECTORS)} value chain of {rng.choice(_PLACES)} {app_id}", area,
             "Energy costs and skills.", "Shared logistics.", "Grow exports by 20%.",
             "Joint training and a digital platform.", "EUR 2m over three years.", lead,
             created_at if path else None,
             self.applicant_of_org[lead] if path else None,
             score, created_at, self.applicant_of_org[lead], last_at,
             _ts(submitted_at) if submitted_at else None, last_at, head if path else None)
        )  # fmt: skip

    def _write(self, b: _Batch) -> None:
        self.write(
            "applications",
            ("id", "call_id", "workflow", "state", "version", "title", "thematic_area",
             "challenges", "needs", "objectives", "actions", "investments",
             "lead_organisation_id", "agreement_signed_at", "agreement_signed_by_id", "score",
             "created_at", "created_by_id", "updated_at", "submitted_at", "state_entered_at",
             "history_head", "window_id"),
            [(*row, row[1]) for row in b.applications],  # the call's one window
        )  # fmt: skip
        self.write(
            "application_thematic_areas",
            ("application_id", "area", "position"),
            [(row[0], row[6], 0) for row in b.applications if row[6]],
        )
        self.write(
            "partners",
            ("application_id", "organisation_id", "role", "commitments", "added_at"),
            b.partners,
        )
        self.write(
            "history",
            ("application_id", "seq", "at", "trigger", "from_state", "to_state", "comment",
             "data", "seconds_in_from_state", "actor_id", "prev_hash", "hash"),
            b.history,
        )  # fmt: skip
        self.write(
            "reviews",
            ("application_id", "reviewer_id", "scores", "total", "recommendation", "comment",
             "submitted_at", "updated_at"),
            b.reviews,
        )  # fmt: skip
        self.write(
            "conflict_declarations",
            ("application_id", "member_id", "conflict", "reason", "declared_at", "migrated"),
            [(app, member, False, "", at, False) for (app, member), at in b.declarations.items()],
        )
        self.write(
            "quality_labels",
            ("application_id", "code", "decree_number", "decree_date", "granted_at",
             "granted_by_id", "revoked_at", "revocation_reason"),
            b.labels,
        )  # fmt: skip
        self.counts.applications += len(b.applications)
        self.counts.partners += len(b.partners)
        self.counts.history += len(b.history)
        self.counts.reviews += len(b.reviews)
        self.counts.labels += len(b.labels)


class _Batch:
    def __init__(self) -> None:
        self.applications: list[tuple] = []
        self.partners: list[tuple] = []
        self.history: list[tuple] = []
        self.reviews: list[tuple] = []
        self.labels: list[tuple] = []
        #: (application, member, at): each member declares no conflict before first acting
        self.declarations: dict[tuple[int, int], str] = {}


def _password_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(BENCH_PASSWORD)


def build(app, n: int, path: Path, *, log=print) -> Counts:
    """Create the schema in a new file at ``path`` and fill it with N applications; then let the
    dashboards and the audit trail compute what they derive from the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with app.app_context():
        db.create_all()
        # the schema is the models' (as the migrations leave it): stamped, `db upgrade` has
        # nothing to do and the file can be served as it is
        stamp(directory=current_app.extensions["migrate"].directory)
        db.session.remove()
        db.engine.dispose()
    start = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA cache_size=-200000")
        conn.execute("PRAGMA temp_store=MEMORY")
        indexes = _drop_secondary_indexes(conn)
        conn.execute("BEGIN")
        counts = Builder(sqlite_writer(conn), n).fill()
        conn.execute("COMMIT")
        log(f"  rows written in {time.perf_counter() - start:.1f} s")
        step = time.perf_counter()
        for sql in indexes:
            conn.execute(sql)
        conn.execute("PRAGMA analysis_limit = 2000")  # planner statistics from a sample
        conn.execute("ANALYZE")
        log(f"  {len(indexes)} indexes built and analysed in {time.perf_counter() - step:.1f} s")
        conn.execute(f"PRAGMA user_version = {schema_fingerprint()}")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    with app.app_context():
        _derived(log)
        db.session.remove()
        db.engine.dispose()
    return counts


def _drop_secondary_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the named indexes of the big tables (rebuilt after loading, which is much faster)."""
    names = ", ".join(f"'{t}'" for t in BIG_TABLES)
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({names})"
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def derived_steps() -> list[tuple[str, str]]:
    """What other packages compute from bulk-loaded rows: (module, function), when present."""
    return [("tracker.dashboards.tallies", "rebuild"), ("tracker.audit.chain", "seal_all")]


def _derived(log) -> None:
    for module_name, function in derived_steps():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        step = getattr(module, function, None)
        if step is None:
            continue
        start = time.perf_counter()
        step()
        db.session.commit()
        log(f"  {module_name}.{function}() in {time.perf_counter() - start:.1f} s")


_NAMES = ("Acciaierie", "Tessiture", "Officine", "Meccanica", "Fonderie", "Laboratori", "Studio")
_SECTORS = ("Steel", "Textile", "Silk", "Dairy", "Wine", "Furniture", "Aerospace", "Mechatronics",
            "Chemicals", "Rubber", "Packaging", "Agrifood")  # fmt: skip
_PLACES = ("Brescia", "Bergamo", "Como", "Lecco", "Varese", "Cremona", "Mantova", "Lodi", "Pavia",
           "Sondrio", "Milano", "Monza")  # fmt: skip
