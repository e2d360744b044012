"""Phase 2: support measures (calls whose workflow names a ``measure_kind``: a ranked call
``support_application``, a rolling measure ``rolling_support_application``, a financial
instrument ``minibond_issue``), their budgets, the score with the quality-label bonus, the
ranking and the waitlist.

``rules`` holds what a measure states beyond its money (state-aid regime, who earns its label
bonus: ``label_bonus_due``); ``grant`` computes the grant asked from the partners' spend.

``budget`` is the only code that moves a measure's committed amount; ``operations`` holds the
effects the workflow names and the checks on what an application asks for; ``queries`` reads the
ranking and a value chain's phase 2.
"""
