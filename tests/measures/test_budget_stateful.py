"""The budget invariant under random sequences of decisions (Hypothesis, stateful): grants in full
or for less, waitlisting and granting from the waitlist, withdrawals, rejections, implementation
and completion. After every step, on the real database:

- what is committed is never above the budget;
- it equals the sum of the granted amounts of the granted, in-implementation and completed
  applications (and the model's own bookkeeping);
- every application is in the state the model expects, and a grant is never above its request.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from measuretools import committed_by_grants
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.applications.operations import fire_transition
from tracker.calls.models import Call
from tracker.database import commit
from tracker.errors import TrackerError
from tracker.extensions import db

HOLDS = ("granted", "in_implementation", "completed")
CENT = Decimal("0.01")
#: amounts in whole thousands of euros (plus some cents), so budgets run short often
AMOUNTS = st.integers(min_value=50, max_value=300).map(lambda k: Decimal(k * 1000))

_env: dict = {}  # the test's world, for the machine (Hypothesis builds it without arguments)


class BudgetMachine(RuleBasedStateMachine):
    """One fresh measure per example, in the test's database; the model is plain Python."""

    @initialize(
        asked=st.lists(AMOUNTS, min_size=4, max_size=6),
        share=st.integers(min_value=20, max_value=90),
    )
    def open_measure(self, asked, share):
        measures, world = _env["measures"], _env["world"]
        self.officer, self.lead = world.officer, world.lead
        # a budget covering ``share`` percent of what is asked: short of it, often very short
        ceiling = max(asked)
        self.budget = budget = max(ceiling, (sum(asked) * share / 100).quantize(CENT))
        self.call = measures.measure(
            budget=str(budget), max_grant=str(ceiling), min_firms=1, min_smes=1, min_reviews=1
        )
        self.apps = [
            measures.scored(self.call, 80, amount=str(a), reviewers=1)
            for a in asked
        ]  # fmt: skip
        self.state = {a.id: "scored" for a in self.apps}
        self.granted: dict[int, Decimal] = {}
        self.asked = {a.id: amount for a, amount in zip(self.apps, asked, strict=True)}

    # --- the model ---------------------------------------------------------------------------
    def committed(self) -> Decimal:
        return sum((self.granted[i] for i, s in self.state.items() if s in HOLDS), Decimal(0))

    def in_state(self, *states):
        return [a for a in self.apps if self.state[a.id] in states]

    def accept_final_report(self, app) -> None:
        from tracker.reports.operations import file_report
        from tracker.reports.operations import fire_transition as fire_report

        report = file_report(self.lead, app, {"kind": "final", "spend": "1000"})
        fire_report(self.lead, report, "submit")
        fire_report(self.officer, report, "accept")
        commit()

    def fire(self, user, app, trigger, **data) -> bool:
        try:
            fire_transition(user, app, trigger, comment="Decided.", data=data or None)
            commit()
        except TrackerError:
            db.session.rollback()
            return False
        return True

    # --- the rules -------------------------------------------------------------------------------
    @precondition(lambda self: self.in_state("scored", "waitlisted"))
    @rule(data=st.data())
    def grant_in_full(self, data):
        self.grant(data, lower=False)

    @precondition(lambda self: self.in_state("scored", "waitlisted"))
    @rule(data=st.data())
    def grant_less(self, data):
        self.grant(data, lower=True)

    def grant(self, data, lower):
        app = data.draw(st.sampled_from(self.in_state("scored", "waitlisted")), label="app")
        asked = self.asked[app.id]
        amount = asked
        extra = {}
        if lower:
            cents = data.draw(st.integers(min_value=1, max_value=int(asked * 100)), label="cents")
            amount = (Decimal(cents) / 100).quantize(CENT)
            extra = {"granted_amount": str(amount)}
        fits = self.committed() + amount <= self.budget
        assert self.fire(self.officer, app, "grant", **extra) == fits
        if fits:
            self.state[app.id] = "granted"
            self.granted[app.id] = amount

    @precondition(lambda self: self.in_state("scored"))
    @rule(data=st.data())
    def waitlist(self, data):
        app = data.draw(st.sampled_from(self.in_state("scored")), label="app")
        assert self.fire(self.officer, app, "waitlist")
        self.state[app.id] = "waitlisted"

    @precondition(lambda self: self.in_state("scored", "waitlisted", "granted"))
    @rule(data=st.data())
    def withdraw(self, data):
        app = data.draw(st.sampled_from(self.in_state("scored", "waitlisted", "granted")))
        assert self.fire(self.lead, app, "withdraw")
        self.state[app.id] = "withdrawn"

    @precondition(lambda self: self.in_state("scored", "waitlisted"))
    @rule(data=st.data())
    def reject(self, data):
        app = data.draw(st.sampled_from(self.in_state("scored", "waitlisted")), label="app")
        assert self.fire(self.officer, app, "reject")
        self.state[app.id] = "rejected"

    @precondition(lambda self: self.in_state("granted"))
    @rule(data=st.data())
    def start_implementation(self, data):
        app = data.draw(st.sampled_from(self.in_state("granted")), label="app")
        assert self.fire(self.lead, app, "start_implementation", cup="E17H22001230009")
        self.state[app.id] = "in_implementation"

    @precondition(lambda self: self.in_state("in_implementation"))
    @rule(data=st.data())
    def complete(self, data):
        app = data.draw(st.sampled_from(self.in_state("in_implementation")), label="app")
        self.accept_final_report(app)  # issue 13: complete needs the accepted final report
        assert self.fire(self.officer, app, "complete")
        self.state[app.id] = "completed"

    @precondition(lambda self: self.in_state("completed", "rejected", "withdrawn"))
    @rule()
    def a_finished_application_cannot_be_granted_again(self):
        app = self.in_state("completed", "rejected", "withdrawn")[0]
        assert not self.fire(self.officer, app, "grant")

    # --- what must always hold -------------------------------------------------------------------
    @invariant()
    def the_books_balance(self):
        if not hasattr(self, "call"):
            return
        db.session.expire_all()
        committed = db.session.scalar(select(Call.committed).where(Call.id == self.call.id))
        assert committed <= self.budget
        assert committed == committed_by_grants(self.call.id) == self.committed()
        rows = db.session.execute(
            select(Application.id, Application.state, Application.granted_amount).where(
                Application.call_id == self.call.id
            )
        ).all()
        for app_id, state, granted in rows:
            assert state == self.state[app_id]
            if granted is not None:
                assert granted <= self.asked[app_id]
                assert granted == self.granted[app_id]


@pytest.mark.parametrize("examples", [20])
def test_the_budget_invariant_holds_whatever_the_order(measures, world, backend, examples):
    _env.update(measures=measures, world=world)
    run_state_machine_as_test(
        BudgetMachine,
        settings=settings(
            max_examples=examples if backend == "sqlite" else examples // 2,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
