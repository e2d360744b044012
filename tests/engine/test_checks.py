from dataclasses import replace

import pytest

from workflows import WORKFLOWS, DataField, State, Transition, Workflow
from workflows.checks import problems
from workflows.diagram import mermaid
from workflows.model import Section


@pytest.mark.parametrize("name", list(WORKFLOWS))
def test_shipped_workflows_are_sound(name):
    assert problems(WORKFLOWS[name]) == []


def tiny(**changes) -> Workflow:
    wf = Workflow(
        name="tiny",
        title="Tiny",
        states=(State("a", "A"), State("b", "B"), State("z", "Z", terminal=True)),
        transitions=(
            Transition("go", "Go", ("a",), "b", frozenset({"officer"})),
            Transition("end", "End", ("b",), "z", frozenset({"officer"})),
        ),
    )
    return replace(wf, **changes)


def test_tiny_is_sound():
    assert problems(tiny()) == []


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (tiny(states=(State("a", "A"), State("b", "B"), State("z", "Z", terminal=True), State("lost", "Lost", terminal=True))),
         "state 'lost' is unreachable"),
        (tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset({"officer"})),
                           Transition("end", "End", ("a",), "z", frozenset({"officer"})))),
         "non-terminal state 'b' has no way out"),
        (tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset()),
                           Transition("end", "End", ("b",), "z", frozenset({"officer"})))),
         "names no roles"),
        (tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset({"wizard"})),
                           Transition("end", "End", ("b",), "z", frozenset({"officer"})))),
         "unknown role 'wizard'"),
        (tiny(transitions=(Transition("go", "Go", ("a",), "nowhere", frozenset({"officer"})),
                           Transition("end", "End", ("b",), "z", frozenset({"officer"})))),
         "unknown state 'nowhere'"),
        (tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset({"officer"})),
                           Transition("end", "End", ("b",), "z", frozenset({"officer"})),
                           Transition("back", "Back", ("z",), "a", frozenset({"officer"})))),
         "leaves terminal state 'z'"),
        (tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset({"officer"})),
                           Transition("go", "Go", ("b",), "z", frozenset({"officer"})))),
         "trigger 'go' is defined twice"),
    ],
)  # fmt: skip
def test_broken_definitions_are_caught(broken, expected):
    assert any(expected in p for p in problems(broken)), problems(broken)


def test_unimplemented_effect_is_caught():
    wf = tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset({"officer"}), effects=("print_money",)),
                           Transition("end", "End", ("b",), "z", frozenset({"officer"}))))  # fmt: skip
    assert problems(wf, known_effects=set()) == ["tiny.go: effect 'print_money' is not implemented"]
    assert problems(wf, known_effects={"print_money"}) == []


def test_diagram_draws_every_state_and_transition_and_marks_current():
    wf = WORKFLOWS["value_chain"]
    text = mermaid(wf, current="evaluated")
    assert text.splitlines()[3].startswith("stateDiagram-v2")
    for s in wf.states:
        assert f'state "{s.title}" as {s.name}' in text
    for t in wf.transitions:
        for source in t.sources:
            assert f"{source} --> {t.dest}: {t.trigger}" in text
    assert "Class evaluated s_active" in text
    marked = [
        line
        for line in mermaid(wf).splitlines()
        if line.strip().startswith("Class") and line.endswith("s_active")
    ]
    assert marked == []  # no object, no current state


def test_diagram_marks_the_path_taken_and_starts_at_the_initial_state():
    wf = WORKFLOWS["community_proposal"]
    path = [
        ("start_validation", "idea", "concept_validation"),
        ("request_board_review", "concept_validation", "board_review"),
        ("board_return", "board_review", "concept_validation"),
        ("request_board_review", "concept_validation", "board_review"),
    ]
    text = mermaid(wf, current="board_review", path=path)
    classes = dict(
        line.split()[1:3] for line in text.splitlines() if line.strip().startswith("Class ")
    )
    assert classes["board_review"] == "s_active"
    assert classes["idea"] == classes["concept_validation"] == "s_previous"
    assert classes["endorsed"] == "s_default"
    assert "concept_validation --> board_review: request_board_review (2, 4)" in text
    assert "board_review --> concept_validation: board_return (3)" in text
    assert "idea --> parked: park\n" in text + "\n"  # not taken: no number
    assert text.rstrip().endswith("[*] --> idea")


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset({"officer"}),
                                      data=(DataField("n", "N", kind="colour"),)),
                           Transition("end", "End", ("b",), "z", frozenset({"officer"})))),
         "data 'n' has an unknown kind 'colour'"),
        (tiny(transitions=(Transition("go", "Go", ("a",), "b", frozenset({"officer"}),
                                      data=(DataField("n", "N", one_of="link"),)),
                           Transition("end", "End", ("b",), "z", frozenset({"officer"})))),
         "data 'n' is required and also one of 'link'"),
        (tiny(content=(Section("budget_table", "Budget"),)),
         "content 'budget_table' is not an application field"),
    ],
)  # fmt: skip
def test_broken_data_and_content_are_caught(broken, expected):
    assert any(expected in p for p in problems(broken)), problems(broken)
