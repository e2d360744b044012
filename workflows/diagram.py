"""Diagrams drawn from the same definition that runs: transitions' GraphMachine, mermaid engine."""

from __future__ import annotations

from transitions.extensions.diagrams import GraphMachine

from .model import Workflow


class _Drawn:
    """GraphMachine draws the graph of a model; this one exists only to be drawn."""


def mermaid(workflow: Workflow, current: str | None = None) -> str:
    """The workflow as a mermaid ``stateDiagram-v2``, with ``current`` marked if given."""
    model = _Drawn()
    GraphMachine(
        model=model,
        states=[s.name for s in workflow.states],
        transitions=[
            {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
            for t in workflow.transitions
        ],
        initial=current or workflow.initial,
        auto_transitions=False,
        graph_engine="mermaid",
        title=workflow.title,
    )
    text = model.get_graph().draw(None)
    if current is None:  # no object: nothing is "active", the initial state is not special
        text = text.replace(
            f"Class {workflow.initial} s_active", f"Class {workflow.initial} s_default"
        )
    return text
