"""'What waits for you' follows the definitions: transitions marked optional (withdrawing,
revoking, closing a phase) await nobody; the others await whoever may fire them."""

from pagetools import text_of

from workflows import get_workflow


def test_optional_moves_await_nobody():
    value_chain = get_workflow("value_chain")
    # an officer may still activate support, revoke or close: optional, so nothing waits
    assert "label_granted" not in value_chain.states_awaiting("officer")
    assert "support_active" not in value_chain.states_awaiting("officer")
    assert "evaluated" in value_chain.states_awaiting("officer")
    # a lead may withdraw a draft at any time, but what it is awaited for there is submitting
    assert value_chain.states_awaiting("lead") == ["draft", "integration_requested"]
    assert "granted" in get_workflow("support_application").states_awaiting("lead")


def test_a_granted_project_waits_for_its_lead_and_a_label_for_nobody(measures, login):
    measure = measures.measure()
    granted = measures.scored(measure, title="Slag reuse plant")
    measures.fire(granted, measures.officer, "grant")
    chain = measures.value_chain(title="Recognised steel chain")
    lead_home = text_of(login(measures.world.lead).get("/"))
    waiting = lead_home.split("What waits for you")[1].split("Your applications")[0]
    assert "Slag reuse plant" in waiting and "Start the implementation" in waiting
    # the work queue asks nothing of a label; the chain's periodic reports, due yearly since
    # its decree of 10 Nov 2022, are listed apart as overdue (issue 13)
    queue, overdue = waiting.split("Overdue reports")
    assert "Recognised steel chain" not in queue and "Recognised steel chain" in overdue
    officer_home = text_of(login(measures.officer).get("/"))
    assert chain.state == "label_granted"
    officer_queue, officer_overdue = officer_home.split("Overdue reports")
    assert "Recognised steel chain" not in officer_queue
    assert "Recognised steel chain" in officer_overdue
