"""All workflows by name, and their engines, built once at import.

Every module of ``workflows.definitions`` exposing ``WORKFLOW`` is registered: adding a workflow
is adding one file there.
"""

from __future__ import annotations

import importlib
import pkgutil

from . import definitions
from .engine import Engine
from .model import Workflow


def _discover() -> dict[str, Workflow]:
    found: dict[str, Workflow] = {}
    for info in sorted(pkgutil.iter_modules(definitions.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{definitions.__name__}.{info.name}")
        wf = getattr(module, "WORKFLOW", None)
        if isinstance(wf, Workflow):
            if wf.name in found:
                raise RuntimeError(f"workflow {wf.name!r} is defined twice")
            found[wf.name] = wf
    return found


WORKFLOWS: dict[str, Workflow] = _discover()
ENGINES: dict[str, Engine] = {name: Engine(wf) for name, wf in WORKFLOWS.items()}
#: The workflows a call runs its applications under (the others run on other objects: proposals).
APPLICATION_WORKFLOWS: dict[str, Workflow] = {
    name: wf for name, wf in WORKFLOWS.items() if wf.subject == "application"
}


def states_where(
    workflows: dict[str, Workflow] | None = None, **flags: object
) -> dict[str, tuple[str, ...]]:
    """By workflow name, the states whose attributes have these values, for the workflows that
    have any: ``states_where(holds_label=True)`` is ``{"value_chain": ("label_granted", ...)}``.
    ``workflows`` narrows the search (e.g. to ``APPLICATION_WORKFLOWS``)."""
    found = {
        name: tuple(wf.states_where(**flags))
        for name, wf in (WORKFLOWS if workflows is None else workflows).items()
    }
    return {name: states for name, states in found.items() if states}


def get_workflow(name: str) -> Workflow:
    return WORKFLOWS[name]


def get_engine(name: str) -> Engine:
    return ENGINES[name]
