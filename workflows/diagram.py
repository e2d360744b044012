"""Diagrams drawn from the same definition that runs: transitions' GraphMachine, mermaid engine.

States are drawn with their titles; an object's current state is marked ``s_active`` and the
states it went through ``s_previous``, and each transition it took carries the step numbers;
every transition names its conditions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from transitions import State as MachineState
from transitions.extensions.diagrams import GraphMachine

from .model import Workflow

#: The classes the diagram gives to states (mermaid ``classDef``): the page's palette.
STYLES = {
    "default": {"fillcolor": "#ffffff", "color": "#1d2a36", "stroke": "#8a96a3"},
    "inactive": {"fillcolor": "#ffffff", "color": "#1d2a36", "stroke": "#8a96a3"},
    "parallel": {"fillcolor": "#ffffff", "color": "#1d2a36"},
    "active": {
        "fillcolor": "#1f6f43",
        "color": "#ffffff",
        "stroke": "#0f3d24",
        "stroke-width": "3px",
        "font-weight": "bold",
    },
    "previous": {"fillcolor": "#e7f1fb", "color": "#0b3d6b", "stroke": "#3a78b5"},
}


class _LabelledState(MachineState):
    """A machine state that carries the title the diagram shows."""

    def __init__(self, *args, label: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label = label


class _Drawing(GraphMachine):
    state_cls = _LabelledState
    style_attributes = {**GraphMachine.style_attributes, "node": STYLES}


class _Drawn:
    """GraphMachine draws the graph of a model; this one exists only to be drawn."""


def mermaid(
    workflow: Workflow,
    current: str | None = None,
    path: Sequence[tuple[str, str, str]] = (),
    say: Callable[[str], str] = str,
    labelled: bool = False,
) -> str:
    """The workflow as a mermaid ``stateDiagram-v2``.

    ``current`` marks an object's state; ``path`` is what it went through, oldest first, as
    ``(trigger, from_state, to_state)`` (its history rows): those states are marked as visited and
    the transitions taken are numbered in order. ``say`` puts the titles in the reader's language
    (the tracker's ``translate``); transitions keep their trigger names, followed by the names of
    their conditions: ``submitted --> under_evaluation: admit [partners_verified]``, unless
    ``labelled``: then each arrow says what people read, its label in the reader's language
    (``submitted --> under_evaluation: Admit``), as the pages draw it.
    """
    model = _Drawn()
    machine = _Drawing(
        model=model,
        states=[{"name": s.name, "label": _quoted(say(s.title))} for s in workflow.states],
        transitions=[
            {
                "trigger": t.trigger,
                "source": list(t.sources),
                "dest": t.dest,
                # names only: this machine is drawn, never fired
                "conditions": [c.name for c in t.conditions],
            }
            for t in workflow.transitions
        ],
        initial=workflow.initial,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title=say(workflow.title),
    )
    graph = machine.model_graphs[id(model)]
    graph.reset_styling()  # no object: nothing is "active", the initial state is not special
    for _, from_state, to_state in path:
        for state in (from_state, to_state):
            if workflow.has_state(state):
                graph.set_node_style(state, "previous")
    if current is not None:
        graph.set_node_style(current, "active")
    text = model.get_graph().draw(None)
    if labelled:
        text = _label_arrows(text, workflow, say)
    return _number_steps(text, path) if path else text


def _label_arrows(text: str, workflow: Workflow, say: Callable[[str], str]) -> str:
    """``a --> b: trigger [conditions]`` becomes ``a --> b: Its label`` (several triggers
    between the same states are joined by " / ")."""
    labels: dict[tuple[str, str], list[str]] = {}
    for t in workflow.transitions:
        for source in t.sources:
            labels.setdefault((source, t.dest), []).append(_arrow_text(say(t.label)))
    lines = []
    for line in text.splitlines():
        head, sep, _label = line.partition(": ")
        ends = tuple(head.strip().split(" --> "))
        if sep and len(ends) == 2 and ends in labels:
            line = f"{head}{sep}{' / '.join(dict.fromkeys(labels[ends]))}"
        lines.append(line)
    return "\n".join(lines)


def _arrow_text(label: str) -> str:
    # mermaid ends a statement at ";" and reads "#" as an entity: neither may stay in a label
    return label.replace(";", ",").replace("#", "n.").replace(":", " -")


def _quoted(title: str) -> str:
    return title.replace('"', "'")


def _number_steps(text: str, path: Iterable[tuple[str, str, str]]) -> str:
    """``a --> b: go`` becomes ``a --> b: go (1, 3)`` when the object went from a to b in its
    first and third steps."""
    steps: dict[tuple[str, str], list[str]] = {}
    for n, (_, from_state, to_state) in enumerate(path, start=1):
        steps.setdefault((from_state, to_state), []).append(str(n))
    lines = []
    for line in text.splitlines():
        head, sep, label = line.partition(": ")
        ends = head.strip().split(" --> ")
        if sep and len(ends) == 2 and tuple(ends) in steps:
            line = f"{head}{sep}{label} ({', '.join(steps[tuple(ends)])})"
        lines.append(line)
    return "\n".join(lines)
