"""Phase 2: support measures (calls of workflow ``support_application``), their budgets, the
score with the quality-label bonus, the ranking and the waitlist.

``budget`` is the only code that moves a measure's committed amount; ``operations`` holds the
effects the workflow names and the checks on what an application asks for; ``queries`` reads the
ranking and a value chain's phase 2.
"""
