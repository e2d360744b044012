"""What a transition does besides moving the state, by the names workflow definitions use; and
what a workflow's applications carry beyond the common fields.

A definition says ``effects=("issue_quality_label",)``; the module owning that data registers
the function here. Effects run inside the transition's database transaction, after the state
changed and before the history row is flushed, so all of it commits or none of it does.

Both registries let a domain built on another (support measures on applications) add to it
without the other importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

EffectFn = Callable[[Any, Any, Any], None]  # (subject, firing, actor)
EFFECTS: dict[str, EffectFn] = {}


def effect(name: str) -> Callable[[EffectFn], EffectFn]:
    def register(fn: EffectFn) -> EffectFn:
        if name in EFFECTS:
            raise RuntimeError(f"effect {name!r} registered twice")
        EFFECTS[name] = fn
        return fn

    return register


def run_effects(subject: Any, firing: Any, actor: Any) -> None:
    for name in firing.transition.effects:
        EFFECTS[name](subject, firing, actor)


# --- what a workflow's applications carry beyond the common fields -------------------------------

#: ``(problems, call, lead_organisation_id, fields, *, partial, current) -> {column: value}``:
#: checks the fields a workflow adds (a support application's amount and value chain) and returns
#: them; ``current`` is the application being changed (None when one is created)
FieldsFn = Callable[..., dict[str, Any]]
EXTRA_FIELDS: dict[str, FieldsFn] = {}


def extra_fields(workflow: str) -> Callable[[FieldsFn], FieldsFn]:
    """Register what the applications of ``workflow`` carry beyond the common fields: the
    module owning them registers it, so the applications' operations need not import it."""

    def register(fn: FieldsFn) -> FieldsFn:
        if workflow in EXTRA_FIELDS:
            raise RuntimeError(f"extra fields of {workflow!r} registered twice")
        EXTRA_FIELDS[workflow] = fn
        return fn

    return register


def check_extra_fields(
    workflow: str,
    problems: Any,
    call: Any,
    lead_organisation_id: int,
    fields: dict,
    *,
    partial: bool,
    current: Any = None,
) -> dict[str, Any]:
    """The extra fields of an application of ``workflow``, checked (none for most workflows);
    ``current``: the application they change, None when it is being created."""
    fn = EXTRA_FIELDS.get(workflow)
    if fn is None:
        return {}
    return fn(problems, call, lead_organisation_id, fields, partial=partial, current=current)
