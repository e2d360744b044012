"""The vocabulary workflow definitions are written in: states, conditions, data fields, transitions.

Plain frozen dataclasses: a definition is data that the engine runs, the checker validates, the
diagram draws and the UI and API describe. Nothing here knows about Flask or the database.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .i18n import N_

#: Roles a person can hold *towards one object* (an application, a proposal). The tracker works
#: them out from the user's roles and the object (lead partner, committee member without conflict...).
OBJECT_ROLES: dict[str, str] = {
    "lead": N_("the lead partner"),
    "partner": N_("a partner"),
    "reviewer": N_("a committee member without conflict of interest"),
    "officer": N_("a Region officer"),
    "coordinator": N_("a coordinator of the community"),
    "board": N_("an AFIL board member"),
    "member": N_("a member of the community"),
    # partnership changes (workflows/definitions/partnership_change.py)
    "requester": N_("the person who asked the change"),
    "counterpart": N_(
        "the party that answers the change (the lead partner; the named partner for a change "
        "of lead)"
    ),
}


@dataclass(frozen=True)
class State:
    """One state of a workflow, with what lists, badges and diagrams need to show it."""

    name: str
    title: str
    phase: int | None = None
    terminal: bool = False
    #: applicants may change the content (concept note, partners) while in this state
    editable: bool = False
    #: committee members may submit reviews while in this state
    reviewable: bool = False
    #: the tone of the state's badge: neutral, progress, waiting, success, danger
    tone: str = "neutral"
    description: str = ""
    # What the rest of the code asks of a state: it asks these, never a list of names.
    #: a positive outcome (a label, a grant, an endorsement): the breakdowns count it so
    positive: bool = False
    #: the value chain holds a valid quality label (granted by decree, not revoked): the
    #: registry lists it and the public figures count it among the recognised chains
    holds_label: bool = False
    #: the Region closed the value chain by a decision with its reason: it keeps its label in the
    #: registry (listed as closed) but the label no longer works for it (``label_in_force``)
    chain_closed: bool = False
    #: the value chain's quality label was revoked
    revoked_label: bool = False
    #: the amount granted is committed on the measure's budget
    holds_budget: bool = False
    #: the Region endorsed the proposal by an act (its reference is required)
    endorsed: bool = False
    #: what followed the endorsement is recorded (an application, a call, an agreement)
    followed_up: bool = False
    #: days it may stay here before it is overdue, unless a call says otherwise; None: no
    #: service time (nobody is awaited, or it stays by design, like a recognised value chain)
    service_days: int | None = None
    #: the applicants are awaited, not the Region: the procedural clock is suspended here (Law
    #: 241/1990 art. 2 c. 7), so dashboards count this time apart, never as the Region's
    clock_suspended: bool = False

    @property
    def in_progress(self) -> bool:
        """Still on its way to an outcome: any state that is not terminal."""
        return not self.terminal

    @property
    def label_in_force(self) -> bool:
        """The label still works for the value chain: it earns measures' bonus and may be the
        value chain of a new support application. Held, and the chain not closed."""
        return self.holds_label and not self.chain_closed


@dataclass(frozen=True)
class Context:
    """Who is acting and when: all a condition may know besides the object itself."""

    roles: frozenset[str]
    now: Any  # an aware datetime
    #: the trigger's cleaned ``data`` while it is being fired; None when only asking what could
    #: be done (the options), so a condition on a given value (an amount) judges the default
    data: Mapping[str, Any] | None = None
    #: the person acting, as the application layer knows them (opaque here: conditions pass it
    #: back to the subject, e.g. ``subject.has_declared(actor)``); None when nobody in particular
    actor: Any = None
    #: the trigger's comment while it is being fired; None when only asking what could be done
    comment: str | None = None


@dataclass(frozen=True)
class Unmet:
    """A condition that blocks a transition, named for programs and explained for people."""

    condition: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"condition": self.condition, "message": self.message}


@dataclass(frozen=True)
class Condition:
    """A named precondition. ``check`` returns None when met, else the human reason it is not."""

    name: str
    description: str
    check: Callable[[Any, Context], str | None]

    def evaluate(self, subject: Any, ctx: Context) -> Unmet | None:
        reason = self.check(subject, ctx)
        return None if reason is None else Unmet(self.name, reason)


@dataclass(frozen=True)
class DataField:
    """A value a trigger needs beyond its comment, carried in the transition's ``data``."""

    name: str
    label: str
    kind: str = "text"  # text | date | id (a positive whole number naming a row) | amount
    required: bool = True
    #: the longest text accepted: no longer than the column that stores it
    max_length: int = 200
    #: optional fields sharing a ``one_of`` name: at least one of them must be given
    one_of: str | None = None
    #: a date of something already decided (a decree): never after today, and never before its
    #: subject's process began (``decisions_open_on``, e.g. the day its call opened)
    decided: bool = False
    #: a date still to come (a date to reply by): after today
    future: bool = False
    #: the value when none is given, from the subject and today's date (``(subject, today)``)
    default: Callable[[Any, Any], Any] | None = None


@dataclass(frozen=True)
class Section:
    """A part of what applicants write (a concept note's "challenges"...), stored in the
    application's text field ``key`` (one of ``CONTENT_KEYS``); each workflow names its own."""

    key: str
    label: str
    hint: str = ""


#: The application's text fields a workflow's content may use.
CONTENT_KEYS = ("challenges", "needs", "objectives", "actions", "investments")

#: What applicants write unless a workflow says otherwise: the value-chain concept note.
CONCEPT_NOTE = (
    Section("challenges", N_("Challenges"), N_("The challenges the value chain faces.")),
    Section("needs", N_("Needs"), N_("What the partners need to meet them.")),
    Section("objectives", N_("Objectives"), N_("What the partnership sets out to achieve.")),
    Section("actions", N_("Planned actions"), N_("The actions planned, and who carries them out.")),
    Section(
        "investments",
        N_("Planned investments"),
        N_("The investments planned, with an order of magnitude."),
    ),
)


@dataclass(frozen=True)
class Transition:
    """A trigger from one or more source states to one destination.

    Deny by default: a transition without roles can never be fired (and ``workflows check`` fails).
    ``effects`` name what the application layer must do in the same database transaction
    (issue a quality label, compute a score...); the tracker registers one function per name.
    """

    trigger: str
    label: str
    sources: tuple[str, ...]
    dest: str
    roles: frozenset[str]
    conditions: tuple[Condition, ...] = ()
    comment_required: bool = False
    data: tuple[DataField, ...] = ()
    effects: tuple[str, ...] = ()
    #: firing it hands the object to the evaluators (it is from then on visible to them)
    submission: bool = False
    #: a consequential, irreversible decision: the UI asks for confirmation
    decisive: bool = False
    #: open to someone but awaited by nobody (withdrawing, parking, revoking): worklists and
    #: "next step" leave it out
    optional: bool = False
    description: str = ""


def firing_role(transition: Transition) -> str:
    """The role that fires ``transition`` on a path: the first of its roles in ``OBJECT_ROLES``
    (the applicants' before the committee's before the officers'); "" when it has none."""
    order = list(OBJECT_ROLES)
    return min(
        transition.roles,
        key=lambda r: (order.index(r) if r in order else len(order), r),
        default="",
    )


@dataclass(frozen=True)
class Step:
    """One transition along a path: the state it leaves and the role that fires it."""

    source: str
    transition: Transition
    role: str

    @property
    def trigger(self) -> str:
        return self.transition.trigger

    @property
    def dest(self) -> str:
        return self.transition.dest


@dataclass(frozen=True)
class Workflow:
    """A whole process: its states (the first is the initial one) and its transitions."""

    name: str
    title: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    description: str = ""
    #: what the workflow runs on, in words: "application", "proposal"
    subject: str = "application"
    #: what applicants write, and what it is called (applications only)
    content_title: str = N_("Concept note")
    content: tuple[Section, ...] = CONCEPT_NOTE
    #: applicants choose a thematic area of the call
    thematic_area: bool = True
    #: a phase-2 measure's kind (its calls are measures): "ranked" call, "rolling" measure or
    #: financial "instrument"; None for the other workflows
    measure_kind: str | None = None
    _states_by_name: dict[str, State] = field(init=False, repr=False, compare=False)
    _transitions_by_source: dict[str, tuple[Transition, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_states_by_name", {s.name: s for s in self.states})
        by_source: dict[str, list[Transition]] = {}
        for t in self.transitions:  # in the definition's order
            for source in t.sources:
                by_source.setdefault(source, []).append(t)
        by_source_tuples = {source: tuple(ts) for source, ts in by_source.items()}
        object.__setattr__(self, "_transitions_by_source", by_source_tuples)

    @property
    def initial(self) -> str:
        return self.states[0].name

    def state(self, name: str) -> State:
        return self._states_by_name[name]

    def has_state(self, name: str) -> bool:
        return name in self._states_by_name

    def transition(self, trigger: str) -> Transition | None:
        return next((t for t in self.transitions if t.trigger == trigger), None)

    def transitions_from(self, state: str) -> list[Transition]:
        return list(self._transitions_by_source.get(state, ()))

    def _shortest_from(self, source: str) -> dict[str, list[Step]]:
        """For every state reachable from ``source``, the fewest steps leading there (the
        transitions tried in the order the definition lists them)."""
        paths: dict[str, list[Step]] = {source: []}
        todo = deque([source])
        while todo:
            state = todo.popleft()
            for t in self.transitions_from(state):
                if t.dest not in paths:
                    paths[t.dest] = [*paths[state], Step(state, t, firing_role(t))]
                    todo.append(t.dest)
        return paths

    def shortest_paths(self) -> dict[str, list[Transition]]:
        """For every state reachable from the initial one, the fewest transitions leading there."""
        return {
            state: [s.transition for s in steps]
            for state, steps in self._shortest_from(self.initial).items()
        }

    def steps_between(self, source: str, dest: str) -> list[Step]:
        """The fewest steps from ``source`` to ``dest``, each with the role that fires it
        (KeyError if ``dest`` cannot be reached from ``source``)."""
        return self._shortest_from(source)[dest]

    def steps_to(self, state: str, *, through: str | None = None) -> list[Step]:
        """The fewest steps from the initial state to ``state`` (by way of ``through`` when
        given), each with the role that fires it: how a subject gets there, for whoever builds
        one (the benchmark, the tests). KeyError if unreachable."""
        if through is None:
            return self.steps_between(self.initial, state)
        return self.steps_between(self.initial, through) + self.steps_between(through, state)

    def path_to(self, state: str, *, through: str | None = None) -> list[Transition]:
        """The transitions of ``steps_to(state, through=through)``."""
        return [s.transition for s in self.steps_to(state, through=through)]

    def states_awaiting(self, role: str) -> list[str]:
        """States in which ``role`` is awaited: it may fire a transition that is not optional
        ("what waits for me")."""
        return [
            s.name
            for s in self.states
            if any(role in t.roles and not t.optional for t in self.transitions_from(s.name))
        ]

    def uses_condition(self, name: str) -> bool:
        """Whether any transition checks the condition ``name`` (pages show what it needs)."""
        return any(c.name == name for t in self.transitions for c in t.conditions)

    @property
    def has_reviews(self) -> bool:
        """Whether a committee scores the objects of this workflow (some state is reviewable)."""
        return any(s.reviewable for s in self.states)

    def states_where(self, **flags: Any) -> list[str]:
        """The names of the states whose attributes have these values, in the definition's
        order: ``states_where(holds_label=True)``. An unknown attribute is an AttributeError."""
        return [s.name for s in self.states if all(getattr(s, k) == v for k, v in flags.items())]
