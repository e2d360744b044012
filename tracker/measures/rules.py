"""A measure's own rules as data: its state-aid regime and who earns its quality-label bonus.

The bonus is decided in one place, ``label_bonus_due``, which the score's effect
(``compute_support_score``) calls when the evaluation closes:

- ``valid_at_closing``: the applying value chain holds a valid quality label at that moment
  (what the tracker did before migration 0018_measures; the rule of the measures migrated);
- ``recognised_by_dates``: the value chain applied to the EOI by one date and was recognised by
  another, and its label was not revoked since.

Under either rule a value chain the Region closed earns no bonus: its label stays in the
registry, but no longer works for it (``State.label_in_force``). Bando Filiere 2022 rewarded value chains that had
  "presented a project by 15 September 2022 through the EOI and obtained recognition from the
  Region by 15 October 2022" (fimap.srl and impresacity.it, 2022-08, on the call).
"""

from __future__ import annotations

import datetime as dt

from tracker.applications.models import Application
from tracker.calls.models import Call
from workflows.conditions import local_date
from workflows.i18n import N_

#: the state-aid regimes a measure is granted under
STATE_AID_REGIMES = {
    "de_minimis": N_("De minimis aid"),
    "gber": N_("General block exemption (GBER, Regulation (EU) 651/2014)"),
}
#: who earns a measure's quality-label bonus
LABEL_RULES = {
    "valid_at_closing": N_("The value chain holds a valid label when the evaluation closes"),
    "recognised_by_dates": N_(
        "The value chain applied to the EOI by one date and was recognised by another"
    ),
}
DEFAULT_LABEL_RULE = "valid_at_closing"


def label_rule_of(call: Call) -> str:
    return call.label_rule or DEFAULT_LABEL_RULE


def _submitted_on(chain: Application) -> dt.date | None:
    return None if chain.submitted_at is None else local_date(chain.submitted_at)


def label_bonus_due(app: Application) -> bool:
    """Whether the application's value chain earns the measure's bonus, by the measure's rule."""
    chain = app.value_chain
    if chain is None or chain.label is None or not chain.label.valid:
        return False
    if not chain.state_info.label_in_force:  # closed by the Region
        return False
    call = app.call
    if label_rule_of(call) == "recognised_by_dates":
        applied = _submitted_on(chain)
        return (
            applied is not None
            and applied <= call.label_applied_by
            and chain.label.decree_date <= call.label_recognised_by
        )
    return True
