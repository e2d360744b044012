"""The one firing path: what every object a workflow runs on shares (applications, community
proposals): the state only the engine sets, a history row per change, and one way to fire a
trigger.

``fire_transition`` is the single implementation of "check, move the state, run the effects and write the
history row in the same transaction, and turn a lost race into a 409". Each subject model mixes
in ``WorkflowSubject`` and names its history model, which mixes in ``HistoryRecord``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, String, Text, event, select
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    joinedload,
    mapped_column,
    relationship,
    validates,
)

from tracker.audit.chain import seal
from tracker.auth.models import User
from tracker.columns import UTCDateTime, utcnow
from tracker.database import STALE, conflicts_as_409
from tracker.effects import run_effects
from tracker.errors import Conflict, ValidationFailed, from_workflow
from tracker.extensions import db
from tracker.signals import state_changed
from tracker.validation import text_problem
from workflows import Context, Firing, Option, WorkflowError, get_engine, get_workflow
from workflows import state_assignment_allowed as _engine_is_firing
from workflows.i18n import N_


class StateAssignmentError(RuntimeError):
    """Raised when anything but the workflow engine assigns a state."""


class WorkflowSubject:
    """Mixed into a model with ``workflow``, ``state``, ``version`` (its optimistic lock),
    ``state_entered_at`` and ``submitted_at`` (its first submission, stamped by ``after_firing``)
    columns and ``roles_of(user)``; ``history_model`` names its history."""

    history_model: ClassVar[type[HistoryRecord]]
    #: the 409's message when the client's version is stale (locking is optimistic)
    stale_message: ClassVar[str] = STALE

    #: the hash of its newest history row (tracker.audit.chain): deleting that row shows too
    history_head: Mapped[str | None] = mapped_column(String(64))

    @validates("state")
    def _only_the_engine_sets_state(self, key: str, value: str) -> str:
        if not _engine_is_firing():
            raise StateAssignmentError(
                f"Only the workflow engine may change the state of {type(self).__name__}."
            )
        return value

    @property
    def definition(self):
        return get_workflow(self.workflow)

    @property
    def state_info(self):
        return self.definition.state(self.state)

    @property
    def phase(self) -> int | None:
        return self.state_info.phase

    @property
    def editable(self) -> bool:
        return self.state_info.editable

    def after_firing(self, firing: Firing, now: dt.datetime) -> None:
        """What the subject itself records when it changes state (e.g. when it was submitted)."""


def _subject_tables() -> dict[str, str]:
    """The tables of the mapped workflow subjects, by name: the column their state is in."""
    found, todo = {}, list(WorkflowSubject.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        table = getattr(cls, "__table__", None)
        if table is not None:
            found[table.name] = cls.__mapper__.attrs["state"].columns[0].key
    return found


def _keys(values) -> set[str]:
    """The names of the columns ``values`` sets: strings, columns or ORM attributes as keys."""
    return {k if isinstance(k, str) else getattr(k, "key", str(k)) for k in values}


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_state_changes(execution: ORMExecuteState) -> None:
    """An ``UPDATE`` sent through the session (``update(Application).values(state=...)``, an
    ORM bulk UPDATE by primary key with a list of rows, ``query.update()``) skips the unit of
    work and so the hook above: refuse here any that sets a subject's state. Only ``fire``
    changes a state, with its history row (history rows are guarded the same way, in
    ``tracker.audit.models``)."""
    if not execution.is_update:
        return
    stmt = execution.statement
    column = _subject_tables().get(getattr(stmt.table, "name", None))
    if column is None:
        return
    values = dict(stmt._values or {})
    names = _keys(values) | _keys(k for k, _ in (getattr(stmt, "_ordered_values", None) or ()))
    params = execution.parameters
    if not names and params:  # a bulk UPDATE by primary key: the rows carry the columns
        for row in params if isinstance(params, list | tuple) else [params]:
            names |= _keys(row)
    if column in names:
        raise StateAssignmentError(
            f"Only the workflow engine may change the state of {stmt.table.name}: "
            "a bulk UPDATE may not set it."
        )


class HistoryRecord:
    """The columns of one state change; the model adds its subject's id as ``subject_key``.

    ``seq`` numbers a subject's changes; with a unique (subject, seq) pair two concurrent
    changes of one subject can never both be recorded.
    """

    subject_key: ClassVar[str]

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    trigger: Mapped[str] = mapped_column(String(50))
    from_state: Mapped[str] = mapped_column(String(50))
    to_state: Mapped[str] = mapped_column(String(50))
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    #: how long the subject had stayed in ``from_state``: dashboards read it, never recompute
    seconds_in_from_state: Mapped[int] = mapped_column(default=0)
    #: the hash chain (tracker.audit.chain): the previous row's hash, and this row's own
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    @declared_attr
    def actor_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def actor(cls):
        return relationship("User")

    @classmethod
    def of(cls, subject: Any):
        """A WHERE clause: this subject's rows."""
        return getattr(cls, cls.subject_key) == subject.id


def history_rows(history: type[HistoryRecord], subject: Any) -> list[HistoryRecord]:
    """A subject's history, oldest first, with the actors' names (one query: not their
    roles, which no history shows)."""
    return list(
        db.session.scalars(
            select(history)
            .where(history.of(subject))
            .options(joinedload(history.actor).lazyload(User.role_rows))
            .order_by(history.seq)
        ).all()
    )


def seconds_between(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def check_version(subject: Any, expected: Any) -> None:
    """Optimistic locking from the client's side: it acted on what it saw."""
    if expected is None or expected == "":
        return
    try:
        expected = int(expected)
    except (TypeError, ValueError) as err:
        raise ValidationFailed.fields({"version": N_("version must be a whole number.")}) from err
    if expected != subject.version:
        raise Conflict(
            subject.stale_message, {"current_version": subject.version}, code="stale_version"
        )


def options(user, subject: Any, now: dt.datetime | None = None) -> list[Option]:
    """Every transition from the subject's state, each with what stops ``user`` firing it."""
    ctx = Context(roles=subject.roles_of(user), now=now or utcnow(), actor=user)
    return get_engine(subject.workflow).options(subject, ctx)


def path_of(history: list[HistoryRecord]) -> list[tuple[str, str, str]]:
    """The steps a subject took, for its diagram: (trigger, from, to), oldest first."""
    return [(h.trigger, h.from_state, h.to_state) for h in history]


def _chain_head(subject: Any, history: type[HistoryRecord]) -> tuple[int, str | None]:
    """(seq, hash) of the subject's newest history row; (0, None) before the first."""
    last = db.session.execute(
        select(history.seq, history.hash)
        .where(history.of(subject))
        .order_by(history.seq.desc())
        .limit(1)
    ).first()
    return (last.seq, last.hash) if last else (0, None)


def chain_head_columns(model: type[WorkflowSubject]) -> tuple:
    """(seq, hash) of the newest history row of each ``model`` row read, as two columns to add
    to the read of a subject about to change (``remember_chain_head``): the change then need
    not read them in a statement of its own."""
    history = model.history_model
    newest = (
        select(history.seq)
        .where(getattr(history, history.subject_key) == model.id)
        .order_by(history.seq.desc())
        .limit(1)
    )
    return (
        newest.scalar_subquery().label("head_seq"),
        newest.with_only_columns(history.hash).scalar_subquery().label("head_hash"),
    )


def remember_chain_head(subject: Any, seq: int | None, hash_: str | None) -> None:
    """Keep the head read with ``subject`` (``chain_head_columns``) for its next firing, as
    long as its version is the one read with it."""
    vars(subject)["_chain_head_read"] = (subject.version, seq or 0, hash_)


def _remembered_head(subject: Any) -> tuple[int, str | None] | None:
    """The head read with the subject, once: None when none was, or its version moved since."""
    read = vars(subject).pop("_chain_head_read", None)
    if read is None or read[0] != subject.version:
        return None
    return read[1], read[2]


def fire_transition(
    user,
    subject: WorkflowSubject,
    trigger: Any,
    *,
    comment: Any = "",
    data: Any = None,
    expected_version: Any = None,
    at: dt.datetime | None = None,
    head: tuple[int, str | None] | None = None,
) -> HistoryRecord:
    """Fire ``trigger`` on ``subject`` as ``user``: the state change, its effects and its history
    row, together. ``at`` backdates the change (demo data replaying the past). ``head``, the
    (seq, hash) of the subject's newest history row, when the caller read it with the subject
    (bulk decisions read a batch's at once); a newer one written meanwhile changed the version,
    which the versioned UPDATE checks.

    Refusals are TrackerErrors: 422 for bad input or unmet conditions, 403 for a role, 409 for a
    trigger not valid in the current state, a stale ``expected_version`` or a lost race.
    """
    if not isinstance(trigger, str) or not trigger:
        raise ValidationFailed.fields({"trigger": N_("trigger is required.")})
    if comment is not None and not isinstance(comment, str):
        raise ValidationFailed.fields({"comment": N_("comment must be text.")})
    if data is not None and not isinstance(data, dict):
        raise ValidationFailed.fields({"data": N_("data must be an object.")})
    if comment and len(comment) > 10000:
        raise ValidationFailed.fields(
            {"comment": N_("comment must be at most %(max)s characters.", max=10000)}
        )
    texts = {"comment": comment, **(data or {})}
    if refused := {k: p for k, v in texts.items() if isinstance(v, str) and (p := text_problem(v))}:
        raise ValidationFailed.fields(refused)
    check_version(subject, expected_version)
    now = utcnow() if at is None else at
    history = type(subject).history_model
    remembered = _remembered_head(subject)
    # Read before anything changes, so no autoflush splits the change into two UPDATEs.
    last_seq, last_hash = head or remembered or _chain_head(subject, history)
    seq = last_seq + 1
    try:
        ctx = Context(roles=subject.roles_of(user), now=now, actor=user)
        firing = get_engine(subject.workflow).fire(subject, trigger, ctx, comment or "", data)
    except WorkflowError as err:
        raise from_workflow(err) from err
    # known here, before the subject stamps it: receivers need not guess it from timestamps
    first_submission = firing.transition.submission and subject.submitted_at is None
    subject.after_firing(firing, now)
    # Queries below autoflush the versioned UPDATE: a lost race surfaces here, as a 409.
    with conflicts_as_409():
        entry = history(
            seq=seq,
            at=now,
            actor_id=user.id,
            trigger=firing.transition.trigger,
            from_state=firing.from_state,
            to_state=firing.to_state,
            comment=firing.comment,
            data=firing.data_as_json(),
            seconds_in_from_state=seconds_between(subject.state_entered_at, now),
        )
        setattr(entry, history.subject_key, subject.id)
        subject.history_head = seal(entry, last_hash)
        subject.state_entered_at = now
        db.session.add(entry)  # before the effects, whose queries may autoflush
        run_effects(subject, firing, user)
        state_changed.send(
            type(subject),
            subject=subject,
            entry=entry,
            firing=firing,
            user=user,
            first_submission=first_submission,
        )
        db.session.flush()
    return entry
