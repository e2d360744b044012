"""All workflows by name, and their engines, built once at import."""

from __future__ import annotations

from .definitions import value_chain
from .engine import Engine
from .model import Workflow

WORKFLOWS: dict[str, Workflow] = {wf.name: wf for wf in (value_chain.WORKFLOW,)}
ENGINES: dict[str, Engine] = {name: Engine(wf) for name, wf in WORKFLOWS.items()}


def get_workflow(name: str) -> Workflow:
    return WORKFLOWS[name]


def get_engine(name: str) -> Engine:
    return ENGINES[name]
