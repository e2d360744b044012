"""The "next step" of an application as one person sees it, worded from the workflow's options.

Nothing here decides anything: it reads the options the engine reports (with their unmet
reasons) and the review predicate, and says which of them concern this person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from tracker.i18n import translate as t
from tracker.web.templating import who
from workflows import Option


@dataclass(frozen=True)
class NextStep:
    #: act: something can be done now; fix: this person's move, but conditions are unmet;
    #: wait: someone else's move; done: a terminal state
    kind: str
    headline: str
    items: list[str] = field(default_factory=list)

    @property
    def concerns_me(self) -> bool:
        return self.kind in {"act", "fix"}


def holds_role(option: Option) -> bool:
    return not any(u.condition == "role" for u in option.unmet)


#: the workflow condition a committee member meets by declaring about a conflict of interest
DECLARATION = "conflict_not_declared"


def awaits_declaration(option: Option) -> bool:
    """The person's move once they have declared about a conflict of interest."""
    return bool(option.unmet) and option.unmet[0].condition == DECLARATION


def yours_once_declared(option: Option) -> bool:
    """Allowed now, or blocked only by the person's own declaration: it waits for them."""
    return all(u.condition == DECLARATION for u in option.unmet)


def next_step(application, options: list[Option], review_refusal: str | None) -> NextStep:
    state = application.state_info
    if state.terminal:
        return NextStep("done", _("Nothing more to do: %(state)s.", state=t(state.title).lower()))
    mine = [o for o in options if holds_role(o) and not o.transition.optional]
    allowed = [o for o in mine if o.allowed]
    if any(awaits_declaration(o) for o in mine):
        # a committee member declares first: say so, then what follows
        first = next(o for o in mine if awaits_declaration(o))
        then = [
            _("Then: %(action)s.", action=t(o.transition.label).lower())
            for o in mine
            if yours_once_declared(o)
        ]
        if state.reviewable:  # an undeclared member has not reviewed it yet
            then.insert(0, _("Then: review it, scoring each criterion of the call."))
        return NextStep("act", _("Your move: declare about a conflict of interest"),
                        [t(first.unmet[0].message), *then])  # fmt: skip
    if allowed or review_refusal is None:
        items = (
            [_("Review it: score each criterion of the call.")] if review_refusal is None else []
        )
        items += [t(o.transition.label) + "." for o in allowed]
        items += [
            _(
                "%(action)s: not yet. %(reason)s",
                action=t(o.transition.label),
                reason=t(o.unmet[0].message),
            )
            for o in mine
            if o.unmet
        ]
        return NextStep("act", _("Your move"), items)
    if mine:
        first = mine[0]
        return NextStep(
            "fix",
            _("%(action)s: not yet", action=t(first.transition.label)),
            [t(u.message) for u in first.unmet],
        )
    others = [o for o in options if not holds_role(o) and not o.transition.optional]
    if others:
        settled = state.tone == "success" and state.description
        return NextStep(
            "wait",
            t(state.description) if settled else _("Waiting for others"),
            [f"{t(o.transition.label)}: {who(o.transition.roles)}." for o in others],
        )
    return NextStep("wait", t(state.description or state.title))
