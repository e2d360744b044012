"""Validation of a definition: ``flask workflows check`` fails on any problem found here."""

from __future__ import annotations

from collections.abc import Iterable

from .model import CONTENT_KEYS, OBJECT_ROLES, Workflow

DATA_KINDS = {"text", "date", "id", "amount"}


def problems(workflow: Workflow, known_effects: Iterable[str] | None = None) -> list[str]:
    """Every way ``workflow`` is broken, in words; empty when it is sound."""
    found: list[str] = []
    names = [s.name for s in workflow.states]
    if not names:
        return [f"{workflow.name}: has no states"]
    for name in {n for n in names if names.count(n) > 1}:
        found.append(f"{workflow.name}: state '{name}' is defined twice")
    triggers = [t.trigger for t in workflow.transitions]
    for trigger in {t for t in triggers if triggers.count(t) > 1}:
        found.append(f"{workflow.name}: trigger '{trigger}' is defined twice")
    effects = set(known_effects) if known_effects is not None else None
    for t in workflow.transitions:
        where = f"{workflow.name}.{t.trigger}"
        if not t.roles:
            found.append(f"{where}: names no roles, so nobody could fire it")
        for role in sorted(t.roles - OBJECT_ROLES.keys()):
            found.append(f"{where}: unknown role '{role}'")
        for state in (*t.sources, t.dest):
            if not workflow.has_state(state):
                found.append(f"{where}: unknown state '{state}'")
        if not t.sources:
            found.append(f"{where}: has no source state")
        for state in t.sources:
            if workflow.has_state(state) and workflow.state(state).terminal:
                found.append(f"{where}: leaves terminal state '{state}'")
        for f in t.data:
            if f.kind not in DATA_KINDS:
                found.append(f"{where}: data '{f.name}' has an unknown kind '{f.kind}'")
            if f.one_of and f.required:
                found.append(f"{where}: data '{f.name}' is required and also one of '{f.one_of}'")
        for effect in t.effects:
            if effects is not None and effect not in effects:
                found.append(f"{where}: effect '{effect}' is not implemented")
    for section in workflow.content:
        if section.key not in CONTENT_KEYS:
            found.append(f"{workflow.name}: content '{section.key}' is not an application field")
    reachable = workflow.shortest_paths()
    for state in workflow.states:
        if state.name not in reachable:
            found.append(
                f"{workflow.name}: state '{state.name}' is unreachable from '{workflow.initial}'"
            )
        if not state.terminal and not workflow.transitions_from(state.name):
            found.append(f"{workflow.name}: non-terminal state '{state.name}' has no way out")
    return found
