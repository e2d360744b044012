"""The engine: answers "what may this person do to this object, and why not the rest", and fires.

One ``transitions.Machine`` per workflow, built once at import with ``model=None`` (a machine per row
costs time and memory, and ``add_model`` without ``remove_model`` leaks). Events are fired on the
object itself (``machine.events[trigger].trigger(obj)``), which reads and writes its ``state``
attribute. The library's quirks stay in this file.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from transitions import Machine

from .conditions import local_date
from .errors import ConditionsUnmet, InvalidFromState, RoleNotAllowed, UnknownTrigger
from .i18n import N_, Day, Series, either, term
from .model import OBJECT_ROLES, Context, DataField, Transition, Unmet, Workflow

_firing: contextvars.ContextVar[bool] = contextvars.ContextVar("workflow_firing", default=False)


def state_assignment_allowed() -> bool:
    """True only while the engine sets a state: models refuse any other assignment."""
    return _firing.get()


@contextmanager
def _assigning_state() -> Iterator[None]:
    token = _firing.set(True)
    try:
        yield
    finally:
        _firing.reset(token)


@dataclass(frozen=True)
class Option:
    """A transition from the current state, as seen by one person."""

    transition: Transition
    unmet: tuple[Unmet, ...]

    @property
    def allowed(self) -> bool:
        return not self.unmet

    @property
    def trigger(self) -> str:
        return self.transition.trigger


@dataclass(frozen=True)
class Firing:
    """What happened when a trigger fired: the application layer records it as a history row."""

    transition: Transition
    from_state: str
    to_state: str
    comment: str
    data: dict[str, Any]
    at: Any  # the moment of the change: ctx.now

    def data_as_json(self) -> dict[str, Any]:
        return {k: _as_json(v) for k, v in self.data.items()}


def _as_json(value: Any) -> Any:
    """Dates as ISO text, amounts as exact decimal strings ("120000.00"), never floats."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@functools.cache  # the same sentence for every subject: built once per transition
def role_unmet(transition: Transition) -> Unmet:
    who = either(OBJECT_ROLES.get(r, r) for r in sorted(transition.roles))
    action = term(transition.label, lower=True)
    return Unmet("role", N_("Only %(who)s may %(action)s.", who=who, action=action))


class Engine:
    """Runs one workflow. Build it once (see ``workflows.registry``)."""

    def __init__(self, workflow: Workflow, state_attribute: str = "state") -> None:
        self.workflow = workflow
        self.state_attribute = state_attribute
        self._machine = Machine(
            model=None,
            states=[s.name for s in workflow.states],
            transitions=[
                {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
                for t in workflow.transitions
            ],
            initial=workflow.initial,
            auto_transitions=False,
            model_attribute=state_attribute,
            ignore_invalid_triggers=False,
        )

    def current(self, subject: Any) -> str:
        return getattr(subject, self.state_attribute)

    def initialise(self, subject: Any) -> None:
        """Put a new object in the initial state: the only assignment not made by a trigger."""
        with _assigning_state():
            setattr(subject, self.state_attribute, self.workflow.initial)

    def options(self, subject: Any, ctx: Context) -> list[Option]:
        """Every transition from the current state, each with what stops this person firing it."""
        state = self.current(subject)
        return [
            Option(t, tuple(self._blockers(t, subject, ctx)))
            for t in self.workflow.transitions_from(state)
        ]

    def fire(
        self,
        subject: Any,
        trigger: str,
        ctx: Context,
        comment: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> Firing:
        """Check everything, then move ``subject`` to the transition's destination.

        Raises UnknownTrigger or InvalidFromState (a conflict with the current state),
        RoleNotAllowed, or ConditionsUnmet listing every unmet condition and missing input.
        """
        transition = self.workflow.transition(trigger)
        if transition is None:
            raise UnknownTrigger(self.workflow.name, trigger)
        from_state = self.current(subject)
        if from_state not in transition.sources:
            raise InvalidFromState(
                trigger,
                from_state,
                self.workflow.subject,
                action=transition.label,
                state_title=self.workflow.state(from_state).title,
            )
        if not transition.roles & ctx.roles:
            raise RoleNotAllowed(role_unmet(transition))
        comment = (comment or "").strip()
        today = local_date(ctx.now)
        given = dict(data or {})
        for f in transition.data:
            if f.default is not None and _blank(given.get(f.name)):
                given[f.name] = f.default(subject, today)
        cleaned, unmet = clean_data(
            transition.data,
            given,
            today=today,
            opened_on=getattr(subject, "decisions_open_on", None),
        )
        if missing := _comment_missing(transition, comment):
            unmet.insert(0, missing)
        # conditions about the values given (a granted amount) read them from the context
        firing_ctx = replace(ctx, data=cleaned, comment=comment)
        unmet[:0] = [u for c in transition.conditions if (u := c.evaluate(subject, firing_ctx))]
        if unmet:
            raise ConditionsUnmet(unmet)
        with _assigning_state():
            self._machine.events[trigger].trigger(subject)
        return Firing(transition, from_state, self.current(subject), comment, cleaned, ctx.now)

    def _blockers(self, transition: Transition, subject: Any, ctx: Context) -> list[Unmet]:
        if not transition.roles & ctx.roles:
            return [role_unmet(transition)]
        return [u for c in transition.conditions if (u := c.evaluate(subject, ctx))]


def _comment_missing(transition: Transition, comment: str) -> Unmet | None:
    if transition.comment_required and not comment:
        action = term(transition.label, lower=True)
        return Unmet("comment", N_("A comment is required to %(action)s.", action=action))
    return None


def input_unmet(
    transition: Transition, comment: str, data: Mapping[str, Any], today: dt.date
) -> list[Unmet]:
    """What is wrong with a comment and data typed for ``transition`` whatever its subject (a
    bulk decision checks them once): a required comment or field missing, a malformed value.
    A blank field with a default is left to each subject's default."""
    fields = tuple(f for f in transition.data if f.default is None or not _blank(data.get(f.name)))
    _, unmet = clean_data(fields, data, today=today)
    if missing := _comment_missing(transition, (comment or "").strip()):
        unmet.insert(0, missing)
    return unmet


def clean_data(
    fields: tuple[DataField, ...],
    data: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    opened_on: dt.date | None = None,
) -> tuple[dict[str, Any], list[Unmet]]:
    """Parse the values a trigger needs; report each missing or malformed one by name. A
    ``decided`` date must lie between ``opened_on`` (when its subject's process began) and
    ``today``: a decree of 2099, or of before the call opened, is a typing error."""
    cleaned: dict[str, Any] = {}
    unmet: list[Unmet] = []
    for f in fields:
        raw, label = data.get(f.name), term(f.label)
        if _blank(raw):
            if f.required:
                unmet.append(Unmet(f.name, N_("%(label)s is required.", label=label)))
            continue
        if f.kind == "date":
            value = _as_date(raw)
            if value is None:
                unmet.append(
                    Unmet(f.name, N_("%(label)s must be a date (YYYY-MM-DD).", label=label))
                )
                continue
            if f.decided and (implausible := _implausible(value, label, today, opened_on)):
                unmet.append(Unmet(f.name, implausible))
                continue
            if f.future and today is not None and value <= today:
                message = N_(
                    "%(label)s must be after today, %(today)s.", label=label, today=Day(today)
                )
                unmet.append(Unmet(f.name, message))
                continue
            cleaned[f.name] = value
        elif f.kind == "amount":
            value = _as_amount(raw)
            if value is None:
                message = N_(
                    "%(label)s must be an amount above 0, with at most two decimals.", label=label
                )
                unmet.append(Unmet(f.name, message))
                continue
            cleaned[f.name] = value
        elif f.kind == "id":
            value = _as_id(raw)
            if value is None:
                unmet.append(Unmet(f.name, N_("%(label)s must be a numeric id.", label=label)))
                continue
            cleaned[f.name] = value
        elif isinstance(raw, str | int) and not isinstance(raw, bool):
            value = str(raw).strip()
            if len(value) > f.max_length:
                message = N_(
                    "%(label)s must be at most %(max)s characters.", label=label, max=f.max_length
                )
                unmet.append(Unmet(f.name, message))
                continue
            cleaned[f.name] = value
        else:
            unmet.append(Unmet(f.name, N_("%(label)s must be text.", label=label)))
    groups: dict[str, list[DataField]] = {}
    for f in fields:
        if f.one_of:
            groups.setdefault(f.one_of, []).append(f)
    for group, members in groups.items():
        given = any(f.name in cleaned for f in members)
        malformed = any(u.condition in {f.name for f in members} for u in unmet)
        if not given and not malformed:
            labels = N_(
                "%(first)s or %(second)s",
                first=Series(f.label for f in members[:-1]),
                second=term(members[-1].label),
            )
            unmet.append(Unmet(group, N_("Give at least one of: %(labels)s.", labels=labels)))
    return cleaned, unmet


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _implausible(
    value: dt.date, label: str, today: dt.date | None, opened_on: dt.date | None
) -> str | None:
    if today is not None and value > today:
        return N_(
            "%(label)s cannot be in the future: today is %(today)s.", label=label, today=Day(today)
        )
    if opened_on is not None and value < opened_on:
        return N_(
            "%(label)s cannot be before %(opened)s, when the call opened.",
            label=label,
            opened=Day(opened_on),
        )
    return None


def _as_amount(raw: Any) -> Decimal | None:
    """A positive exact amount with at most two decimals, from a number or text ("120000.50")."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        return None  # a float is refused: money is never binary floating point
    try:
        value = Decimal(str(raw).strip().replace(" ", ""))
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value > Decimal("1e12"):
        return None
    if value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


def _as_id(raw: Any) -> int | None:
    """A positive whole number (as a number or as digits), within a 32-bit id."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and raw.strip().isdecimal() and len(raw.strip()) <= 10:
        raw = int(raw.strip())
    if isinstance(raw, int) and 1 <= raw <= 2**31 - 1:
        return raw
    return None


def _as_date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None
