"""``steps_to`` / ``path_to``: for every state of every workflow, the transitions that lead there
from the initial state, each fired by one of its roles; and the state flags the rest of the code
asks instead of listing state names."""

from __future__ import annotations

import pytest

from workflows import WORKFLOWS, states_where
from workflows.model import OBJECT_ROLES

EVERY_STATE = [(wf, s.name) for wf in WORKFLOWS.values() for s in wf.states]


def walk(wf, steps, start):
    """Follow ``steps`` from ``start`` as the engine would: each leaves the state it is in."""
    state = start
    for step in steps:
        assert step.source == state, (wf.name, step.trigger)
        assert state in step.transition.sources
        assert step.role in step.transition.roles
        state = step.dest
    return state


@pytest.mark.parametrize(("wf", "state"), EVERY_STATE, ids=lambda v: getattr(v, "name", v))
def test_every_state_has_a_path_from_the_initial_one(wf, state):
    steps = wf.steps_to(state)
    assert walk(wf, steps, wf.initial) == state
    assert wf.path_to(state) == [s.transition for s in steps]
    assert wf.shortest_paths()[state] == wf.path_to(state)
    assert (state == wf.initial) == (steps == [])
    # each visits a state once: the fewest transitions
    assert len({s.source for s in steps}) == len(steps)


@pytest.mark.parametrize(("wf", "state"), EVERY_STATE, ids=lambda v: getattr(v, "name", v))
def test_a_path_can_go_by_way_of_another_state(wf, state):
    for through in (s.name for s in wf.states):
        try:
            steps = wf.steps_to(state, through=through)
        except KeyError:  # ``state`` cannot be reached from ``through``
            continue
        assert walk(wf, steps, wf.initial) == state
        assert through in [wf.initial, *(s.dest for s in steps)]
        assert steps[: len(wf.steps_to(through))] == wf.steps_to(through)


def test_the_firing_role_is_the_first_of_the_transitions_roles():
    order = list(OBJECT_ROLES)
    for wf in WORKFLOWS.values():
        for state in wf.states:
            for s in wf.steps_to(state.name):
                assert s.role == min(s.transition.roles, key=order.index)


def test_an_unreachable_state_has_no_path():
    wf = WORKFLOWS["value_chain"]
    with pytest.raises(KeyError):
        wf.steps_between("closed", "draft")  # a terminal state leads nowhere
    with pytest.raises(KeyError):
        wf.path_to("no_such_state")


def test_the_value_chain_paths():
    wf = WORKFLOWS["value_chain"]
    assert [(s.trigger, s.role) for s in wf.steps_to("label_revoked")] == [
        ("submit", "lead"),
        ("admit", "reviewer"),
        ("close_evaluation", "reviewer"),
        ("grant_label", "officer"),
        ("revoke_label", "officer"),
    ]
    assert [s.trigger for s in wf.steps_to("withdrawn")] == ["withdraw"]
    assert [s.trigger for s in wf.steps_to("withdrawn", through="under_evaluation")] == [
        "submit",
        "admit",
        "withdraw",
    ]


def test_the_flags_name_the_states_the_code_asks_about():
    assert states_where(holds_label=True) == {
        "value_chain": ("label_granted", "support_active", "closed")
    }
    assert states_where(revoked_label=True) == {"value_chain": ("label_revoked",)}
    assert states_where(holds_budget=True) == {
        "support_application": ("granted", "in_implementation", "completed"),
        "rolling_support_application": ("granted", "in_implementation", "completed"),
        "minibond_issue": ("approved", "subscribed", "completed"),
    }
    assert states_where(endorsed=True) == {"community_proposal": ("endorsed",)}
    assert states_where(followed_up=True) == {"community_proposal": ("follow_up", "completed")}
    for wf in WORKFLOWS.values():
        for s in wf.states:
            assert s.in_progress is not s.terminal
            # a positive outcome is shown as one; a revoked label is no label held
            assert s.positive == (s.tone == "success"), (wf.name, s.name)
            assert not (s.holds_label and s.revoked_label)
            assert s.service_days is None or (s.service_days > 0 and not s.terminal)
