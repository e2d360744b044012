"""Demo data, phase 2: the Region's support measures for the value chains, replayed 2022-2025
through the real operations, after the value-chain EOI (``value_chains``).

The measures, with their rules, and what is written about them are data
(``data/measures.yaml``, which says which facts are real); this module tells their stories: who
applies, with which partners, for how much, scored how, and when. Everything is deterministic.

Recognised value chains get their support from granted applications: a grant to a value chain
holding its label moves it to ``support_active``, in its history, with the officer as the actor,
and there it stays while it keeps applying: several chains hold two or three grants across the
measures, and a finished project closes nothing. The Region closes one recognised value chain by
a decision with its reason (``closure`` in measures.yaml), not because a project ended. The steel
value chain is still
preparing its first application (a draft its lead partner can submit); the Fashion and Textile
lead partner drafts one for the Como silk value chain it belongs to, one SME short.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tracker.demo.content import load
from tracker.demo.value_chains import STEEL_TITLE, VERIFIED_BEFORE_ADMISSION, verify_partners

SEED = 6592
ONE_K = Decimal(1000)
_DATA = load("measures")
_TEXTS = _DATA["texts"]
_STORIES = _DATA["stories"]
_SECTIONS = ("challenges", "needs", "objectives", "actions", "investments")


@dataclass(frozen=True)
class Measure:
    """A measure of measures.yaml."""

    key: str
    title: str
    act: str
    description: str
    opens: dt.date
    deadline: dt.date
    budget: int
    max_grant: int
    min_firms: int
    min_smes: int
    threshold: int
    bonus: int
    criteria: list[dict]
    min_reviews: int
    #: the decree approving the ranking (number, date); None for rolling measures
    ranking: tuple[str, dt.date] | None
    #: its kind, as a workflow: a ranked call, a rolling measure, a financial instrument
    workflow: str = "support_application"
    #: what else it states: spend range, intensities, regime, one project per firm, label rule
    rules: dict = field(default_factory=dict)

    @classmethod
    def of(cls, row: dict) -> Measure:
        decree = row.get("ranking_decree")
        return cls(
            row["key"], row["title"], row["act_reference"], row["description"], row["opens_at"],
            row["deadline"], row["budget"], row["max_grant"], row["min_firms"], row["min_smes"],
            row["score_threshold"], row["label_bonus"], row["criteria"], row["min_reviews"],
            (decree["number"], decree["date"]) if decree else None,
            row.get("workflow", "support_application"),
            {k: v.isoformat() if isinstance(v, dt.date) else v
             for k, v in (row.get("rules") or {}).items()},
        )  # fmt: skip


#: The measures by key, in the order they opened.
MEASURES = {row["key"]: Measure.of(row) for row in _DATA["measures"]}
#: Partnerships that never applied to the EOI: (title, family, province).
WITHOUT_LABEL = [
    (r["title"], r["family"], r["province"]) for r in _DATA["partnerships_without_label"]
]


def _utc(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


@dataclass
class Applicant:
    """A planned application: who, for how much, for which value chain, scored how."""

    lead: Any  # Organisation
    title: str
    partners: list
    amount: Decimal
    chain: Any = None  # the value-chain Application, if on its behalf
    totals: tuple[int, ...] = ()
    app: Any = None
    user: Any = None
    extra: dict = field(default_factory=dict)


class _Phase2:
    """Replays the measures on the value-chain world; flushes, never commits."""

    def __init__(self, world) -> None:
        from sqlalchemy import select

        from tracker.auth.models import User
        from tracker.extensions import db

        self.world = world
        self.rng = random.Random(SEED)
        self.officer = world.users["officer"]
        self.reviewers = [world.users[k] for k in ("r1", "r2", "r3")]
        chains = [a for a in world.apps if a.workflow == "value_chain"]
        self.chains = {a.title: a for a in chains}
        creators = {a.created_by_id for a in chains}
        users = db.session.scalars(select(User).where(User.id.in_(creators))).all()
        self.lead_users = {u.organisation_id: u for u in users}
        self.calls: dict[str, Any] = {}
        self.used_leads: set[int] = set()
        self.granted = 0
        self.supported: list = []  # value chains granted by Bando Filiere 2022
        self.spare: list = []
        #: the value chain whose Bando Filiere 2022 project came first and is completed: it stays
        #: in support_active without applying again (yet)
        self.resting: Any = None
        self.cups = 0
        #: the firms already in a project of the measure being built, when it allows only one
        self.taken: set[int] | None = None

    # --- the measures ----------------------------------------------------------------------------
    def open(self, m: Measure):
        from tracker.calls.operations import appoint_member, create_call

        call = create_call(
            self.officer,
            {
                "title": m.title, "workflow": m.workflow, "description": m.description,
                "act_reference": m.act, "opens_at": m.opens.isoformat(),
                "deadline": m.deadline.isoformat(), "min_firms": m.min_firms,
                "min_smes": m.min_smes, "min_reviews": m.min_reviews,
                "score_threshold": m.threshold, "budget": m.budget, "max_grant": m.max_grant,
                "label_bonus": m.bonus, "criteria": m.criteria, **m.rules,
            },
        )  # fmt: skip
        call.created_at = _utc(m.opens - dt.timedelta(days=12), 15)
        for reviewer in self.reviewers:
            member = appoint_member(self.officer, call, reviewer.id)
            member.appointed_at = _utc(m.opens - dt.timedelta(days=5), 11)
            reviewer.__dict__.pop("committee_call_ids", None)
        self.calls[m.key] = call
        self.taken = set() if call.one_project_per_firm else None
        return call

    def _free(self, orgs: list) -> list:
        return [o for o in orgs if self.taken is None or o.id not in self.taken]

    def _take(self, who: Applicant) -> Applicant:
        if self.taken is not None:
            self.taken |= {who.lead.id, *(o.id for o in who.partners)}
        return who

    # --- partnerships ----------------------------------------------------------------------------
    def chain(self, title_start: str):
        return next(a for t, a in self.chains.items() if t.startswith(title_start))

    def from_chain(self, chain, firms: int, smes: int = 0, amount: int = 0, totals=()):
        """An application of ``chain``'s lead with ``firms`` Lombard firms of its partnership
        (the lead included), ``smes`` of them SMEs at least."""
        lombard = self._free([
            p.organisation
            for p in chain.partners
            if p.organisation.is_lombard_firm and p.organisation_id != chain.lead_organisation_id
        ])  # fmt: skip
        sme = [o for o in lombard if o.is_sme]
        other = [o for o in lombard if not o.is_sme]
        self.rng.shuffle(sme)
        self.rng.shuffle(other)
        lead = chain.lead_organisation
        need_smes = max(0, smes - (1 if lead.is_sme else 0))
        chosen = sme[:need_smes]
        rest = [o for o in sme[need_smes:] + other]
        self.rng.shuffle(rest)
        chosen += rest[: max(0, firms - 1 - len(chosen))]
        return self._take(Applicant(lead, "", chosen, Decimal(amount), chain, tuple(totals)))

    def new_partnership(self, title: str, family: str, province: str, firms: int, smes: int):
        """A partnership that never applied to the EOI: firms of the family's pool."""
        pool = self._free([o for o in self.world.pools[family] if o.id not in self.used_leads])
        pool.sort(key=lambda o: (o.province != province, o.size == "micro", o.id))
        lead = pool[0]
        self.used_leads.add(lead.id)
        others = self._free(
            [o for o in self.world.pools[family] if o.id != lead.id and o.lombardy_seat]
        )
        self.rng.shuffle(others)
        sme = [o for o in others if o.is_sme][:smes]
        rest = [o for o in others if o not in sme]
        chosen = sme + rest[: max(0, firms - 1 - len(sme))]
        return self._take(Applicant(lead, title, chosen, Decimal(0)))

    def role(self, org) -> str:
        try:
            return self.world.role_of(org)
        except (KeyError, StopIteration):  # the firms the demo accounts work for
            return "Partner firm"

    # --- applications ------------------------------------------------------------------------------
    def spends(self, call, who: Applicant) -> dict[int, Decimal]:
        """Each partner's eligible spend, so that the grant the measure's rules give comes near
        ``who.amount``: under an instrument the SME issuers' minibonds (four times the 25%
        guarantee); under intensities one equal share each; else 125% of the amount asked (as the
        projects' texts say)."""
        from tracker.measures.grant import HUNDRED

        orgs = [who.lead, *who.partners]
        if call.measure_kind == "instrument":
            issuers = [o for o in orgs if o.is_sme and o.size != "micro"] or [who.lead]
            share = (who.amount * 4 / len(issuers) / ONE_K).to_integral_value() * ONE_K
            each = max(Decimal(1_500_000), share)
            return {o.id: (each if o in issuers else Decimal(0)) for o in orgs}
        if call.sme_intensity is not None:
            rates = sum(call.sme_intensity if o.is_sme else call.large_intensity for o in orgs)
            each = (who.amount * HUNDRED / rates / ONE_K).to_integral_value() * ONE_K
            return {o.id: each for o in orgs}
        each = (who.amount * 5 / 4 / len(orgs) / ONE_K).to_integral_value() * ONE_K
        return {o.id: each for o in orgs}

    def cup(self, at: dt.datetime) -> str:
        """An invented CUP code of the demo's projects, of the right shape."""
        self.cups += 1
        return f"E47D{at.year % 100:02d}{self.cups:09d}"

    def apply(self, call, m: Measure, who: Applicant, created: dt.datetime) -> None:
        from tracker.applications.operations import add_partner, create_application
        from tracker.measures.grant import states_intensities

        user = self.lead_users.get(who.lead.id)
        if user is None:
            user = self.world.staff_user(who.lead, created - dt.timedelta(days=3))
            self.lead_users[who.lead.id] = user
        name = who.chain.title if who.chain is not None else who.title
        key = "rafforzamento" if m.key.startswith("rafforzamento") else m.key
        values = {"n": len(who.partners) + 1, "chain": name, "jobs": self.rng.randint(4, 25),
                  "spend": f"{who.amount * Decimal('1.25'):,.0f}"}  # fmt: skip
        note = {k: _DATA["projects"][key][k].format(**values) for k in _SECTIONS}
        title = who.title or f"{m.title.split(' - ')[0].split(' (')[0]}: {name}"
        spends = self.spends(call, who)
        computed = states_intensities(call)
        app = create_application(
            user, call,
            {"title": title[:300], "concept_note": note,
             "requested_amount": None if computed else str(who.amount),
             "eligible_spend": str(spends[who.lead.id]),
             "value_chain_id": who.chain.id if who.chain is not None else None,
             "lead_role": _TEXTS["lead_role"]},
            at=created,
        )  # fmt: skip
        for i, org in enumerate(who.partners, start=1):
            role = self.role(org)
            partner = add_partner(
                user, app, org.id, role, _TEXTS["commitments"], str(spends[org.id])
            )
            partner.added_at = created + dt.timedelta(hours=2 * i)
        if computed:  # what the measure's rules give, from the partners' spend
            who.amount = app.requested_amount
        who.app, who.user = app, user

    def run(self, who: Applicant, events: list[tuple]) -> None:
        """Replay (time, what, ...) on the application, in order."""
        from tracker.applications.operations import fire_transition
        from tracker.reviews.operations import declare_conflict, submit_review

        app = who.app
        last = app.created_at
        for event in events:
            at, what = event[0], event[1]
            if at <= last:
                at = last + dt.timedelta(minutes=self.rng.randint(20, 90))
            last = at
            if app.declaration_awaited(event[2]):
                # a member declares no conflict of interest before first acting on it
                declare_conflict(event[2], app, False, at=at - dt.timedelta(minutes=10))
            if what == "review":
                reviewer, total = event[2], event[3]
                good = total >= app.call.score_threshold
                review = submit_review(
                    reviewer, app, self.world.scores(app.call, total),
                    "favourable" if good else "unfavourable",
                    self.rng.choice(_DATA["favourable" if good else "unfavourable"]),
                )  # fmt: skip
                review.submitted_at = review.updated_at = at
            else:
                actor, comment = event[2], event[3]
                data = event[4] if len(event) > 4 else None
                if what == "admit":
                    verify_partners(app, actor, at - VERIFIED_BEFORE_ADMISSION)
                if what == "complete":  # the Region completes a project on its final report
                    from tracker.demo.reports import accept_final_report

                    accept_final_report(app, who.user, actor, at)
                if what in ("start_implementation", "record_subscription") and app.cup is None:
                    data = {**(data or {}), "cup": self.cup(at)}  # assigned with the grant
                fire_transition(actor, app, what, comment=comment, data=data, at=at)
                if what in ("grant", "approve"):
                    self.granted += 1
        app.updated_at = last

    def evaluation(self, who: Applicant, submitted: dt.date, closed: dt.date) -> list[tuple]:
        """Submitted, admitted, reviewed by two members without conflict, evaluation closed."""
        r1, r2 = [r for r in self.reviewers if not who.app.has_conflict(r)][:2]
        span = max(4, (closed - submitted).days)
        step = lambda k: _utc(submitted + dt.timedelta(days=span * k // 10), 9 + k)  # noqa: E731
        events = [(_utc(submitted, 16), "submit", who.user, ""),
                  (step(2), "admit", r1, _TEXTS["admitted"])]  # fmt: skip
        for reviewer, total in zip((r1, r2), who.totals, strict=False):
            events.append((step(5 if reviewer is r1 else 7), "review", reviewer, total))
        events.append((_utc(closed, 11), "close_evaluation", self.officer, _TEXTS["closed"]))
        return events

    def decide(self, call, m: Measure, ranked: list[Applicant], day: dt.date) -> None:
        """The ranking decree: grants in ranking order while the budget lasts (the last one
        partly, when at least half of it fits), the rest above the threshold waitlisted, those
        below it rejected."""
        number, _ = m.ranking or ("", day)
        left = Decimal(m.budget) - (call.committed or 0)
        minute = 0
        for who in sorted(ranked, key=lambda w: (-w.app.score, -w.app.base_score, w.app.id)):
            minute += 3
            at = _utc(day, 14, minute % 60) + dt.timedelta(hours=minute // 60)
            if who.app.base_score < m.threshold:
                reason = _TEXTS["below_minimum"].format(
                    score=who.app.base_score, threshold=m.threshold
                )
                if who.app.score >= m.threshold:
                    reason += _TEXTS["bonus_too_late"]
                self.run(who, [(at, "reject", self.officer, reason + ".")])
            elif who.amount <= left:
                left -= who.amount
                self.run(
                    who, [(at, "grant", self.officer, _TEXTS["granted"].format(number=number))]
                )
            elif left >= who.amount / 2:
                amount = (left // ONE_K) * ONE_K
                left -= amount
                self.run(who, [(at, "grant", self.officer,
                                _TEXTS["granted_in_part"].format(number=number),
                                {"granted_amount": str(amount)})])  # fmt: skip
            else:
                self.run(who, [(at, "waitlist", self.officer, _TEXTS["waitlisted"])])


def extend(world: Any) -> str:
    """Add the support measures, their applications and decisions to the value-chain world."""
    p = _Phase2(world)
    _bando_filiere(p)
    _rafforzamento_2024(p)
    _basket_bond(p)
    _competenze(p)
    _rafforzamento_2025(p)
    _circular(p)
    closed = _closure(p)
    supported = [a for a in p.chains.values() if a.state == "support_active"]
    twice = sum(1 for a in supported if _grants_of(a) >= 2)
    applications = sum(1 for _ in _support_apps(p))
    return (
        f"Support measures: {len(p.calls)} measures (Bando Filiere 2022, Rafforzamento filiere "
        f"2024 and 2025, Basket Bond, Competenze, circular transition), {applications} "
        f"applications, {p.granted} grants; {len(supported)} value chains with support active "
        f"({twice} of them funded twice or more); \u201c{closed.title}\u201d closed by the "
        "Region's decision."
    )


def _grants_of(chain) -> int:
    """How many grants made on behalf of ``chain`` are held (withdrawn ones are not)."""
    from sqlalchemy import select

    from tracker.applications.models import Application
    from tracker.extensions import db

    apps = db.session.scalars(select(Application).where(Application.value_chain_id == chain.id))
    return sum(1 for a in apps if a.state_info.holds_budget)


def _closure(p: _Phase2):
    """The Region closes a recognised value chain by a decision with its reason: the first of
    the early chains never funded whose Bando Filiere 2022 application was turned down, at its
    partnership's request. Its label stays valid: the registry lists it as closed."""
    from sqlalchemy import select

    from tracker.applications.models import Application
    from tracker.applications.operations import fire_transition
    from tracker.extensions import db

    def turned_down(chain) -> bool:
        apps = db.session.scalars(select(Application).where(Application.value_chain_id == chain.id))
        states = [a.state_info for a in apps]
        return bool(states) and all(s.terminal and not s.positive for s in states)

    chain = next(c for c in p.spare if c.state == "label_granted" and turned_down(c))
    spec = _DATA["closure"]
    fire_transition(
        p.officer, chain, "close", comment=spec["reason"], at=_utc(spec["decided_on"], 12)
    )
    return chain


def _support_apps(p: _Phase2):
    from sqlalchemy import select

    from tracker.applications.models import Application
    from tracker.extensions import db
    from tracker.measures.operations import MEASURE_WORKFLOWS

    return db.session.scalars(
        select(Application.id).where(Application.workflow.in_(MEASURE_WORKFLOWS))
    ).all()


def _day(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _bando_filiere(p: _Phase2) -> None:
    """Sixteen applications, eight of them for recognised value chains. EUR 4M run out at the
    eleventh (granted in part); a grant withdrawn in September 2023 goes to the first of the
    waitlist, and the second one is still waiting. A value chain scoring 61 gets its 10 bonus
    points, 71, and is rejected all the same: the minimum of 65 applies before the bonus."""
    m = MEASURES["bando_filiere_2022"]
    texts = _STORIES[m.key]
    call = p.open(m)
    early = [a for a in p.chains.values() if a.state == "label_granted"
             and a.label is not None and a.label.decree_date <= dt.date(2022, 11, 10)
             and a.title != STEEL_TITLE]  # fmt: skip
    early.sort(key=lambda a: a.id)
    plan = [  # amount (thousands), the two committee totals
        (400, (86, 90)), (380, (80, 84)), (400, (72, 76)), (350, (70, 74)), (400, (66, 70)),
        (300, (64, 66)), (400, (60, 62)), (250, (68, 70)),
    ]  # fmt: skip
    who = []
    for chain in early:  # one project per firm: a chain whose lead is taken stays out
        if len(who) < len(plan) and chain.lead_organisation_id not in p.taken:
            k, totals = plan[len(who)]
            who.append(p.from_chain(chain, 10 + len(who) % 4, amount=k * 1000, totals=totals))
    newcomers = [(0, 400, (84, 86)), (1, 400, (74, 78)), (2, 320, (66, 70)), (3, 400, (50, 56)),
                 (6, 360, (64, 68)), (7, 380, (70, 74)), (8, 400, (72, 70))]  # fmt: skip
    for index, k, totals in newcomers:
        a = p.new_partnership(*WITHOUT_LABEL[index], 11, 0)
        a.amount, a.totals = Decimal(k * 1000), totals
        who.append(a)
    inadmissible = p.new_partnership(*WITHOUT_LABEL[4], 10, 0)
    inadmissible.amount = Decimal(180_000)
    # the window: 5 September to 17 October 2022
    for i, a in enumerate([*who, inadmissible]):
        p.apply(call, m, a, _utc(_day(2022, 9, 6) + dt.timedelta(days=i), 9 + i % 7))
    for i, a in enumerate(who):
        submitted = _day(2022, 9, 26) + dt.timedelta(days=i)
        p.run(a, p.evaluation(a, submitted, _day(2023, 2, 6) + dt.timedelta(days=i)))
    p.run(inadmissible, [
        (_utc(_day(2022, 10, 14), 17), "submit", inadmissible.user, ""),
        (_utc(_day(2022, 12, 12), 10), "declare_inadmissible", p.reviewers[0],
         texts["inadmissible"]),
    ])  # fmt: skip
    p.decide(call, m, who, m.ranking[1])

    # September 2023: a granted partnership withdraws; its budget goes down the waitlist
    granted = [a for a in who if a.app.state == "granted"]
    quitter = next(a for a in granted if a.chain is None)
    p.run(quitter, [(_utc(_day(2023, 9, 12), 11), "withdraw", quitter.user, texts["withdrawn"])])
    waiting = sorted((w for w in who if w.app.state == "waitlisted"), key=lambda w: -w.app.score)
    for a in waiting:
        if a.amount <= call.budget - call.committed:
            p.run(a, [(_utc(_day(2023, 10, 20), 12), "grant", p.officer,
                       texts["granted_from_waitlist"])])  # fmt: skip
    # implementation over 24 months; six projects completed by now
    for i, a in enumerate(w for w in who if w.app.state == "granted"):
        granted_at = a.app.state_entered_at
        events = [(granted_at + dt.timedelta(days=30 + 3 * i), "start_implementation", a.user,
                   texts["started"])]  # fmt: skip
        if i < 6:
            end = granted_at + dt.timedelta(days=730 + 7 * i)
            events.append((end, "complete", p.officer, texts["completed"]))
        p.run(a, events)
    # a completed project closes nothing: its value chain stays in support_active. The
    # first-ranked chain, its project completed, has not applied again yet (the others do)
    p.supported = [a.chain for a in who if a.chain is not None and a.app.granted_amount]
    first = max((a for a in who if a.chain is not None and a.app.state == "completed"),
                key=lambda a: (a.app.score, -a.app.id))  # fmt: skip
    p.resting = first.chain
    p.spare = [c for c in early if c not in p.supported and c.state == "label_granted"]


def _later_chains(p: _Phase2, since: dt.date, until: dt.date) -> list:
    chains = [a for a in p.chains.values() if a.state == "label_granted"
              and since <= a.label.decree_date <= until and a.title != STEEL_TITLE
              and not a.title.startswith("Como Silk")]  # fmt: skip
    return sorted(chains, key=lambda a: a.id)


def _active(p: _Phase2, n: int) -> list:
    """Value chains already supported by Bando Filiere 2022 that apply again (all but the one
    resting after its completed project)."""
    return [c for c in p.supported if c.state == "support_active" and c is not p.resting][:n]


def _rafforzamento_2024(p: _Phase2) -> None:
    """Eight applications, all within EUR 34M: three value chains already supported apply
    again, one recognised in 2023 gets its first grant, one is below the threshold; two
    partnerships without a label; one withdrawn before its evaluation."""
    m = MEASURES["rafforzamento_2024"]
    texts = _STORIES[m.key]
    call = p.open(m)
    new = _later_chains(p, dt.date(2023, 2, 1), dt.date(2023, 5, 31))[:2]
    plan = [
        (c, k, t)
        for c, (k, t) in zip(
            _active(p, 3), [(3000, (76, 78)), (1200, (74, 80)), (4800, (82, 86))], strict=False
        )
    ]
    plan += [(new[0], 2500, (66, 70)), (new[1], 900, (52, 58))]  # fmt: skip
    who = [p.from_chain(c, 5, 2, k * 1000, t) for c, k, t in plan]
    for index, k, totals in ((5, 2400, (68, 72)), (9, 1850, (64, 60))):
        a = p.new_partnership(*WITHOUT_LABEL[index], 4, 2)
        a.amount, a.totals = Decimal(k * 1000), totals
        who.append(a)
    quitter = p.new_partnership(*WITHOUT_LABEL[10], 4, 1)
    quitter.amount = Decimal(650_000)
    for i, a in enumerate([*who, quitter]):
        p.apply(call, m, a, _utc(_day(2024, 3, 28) + dt.timedelta(days=4 * i), 16))
    for i, a in enumerate(who):
        p.run(a, p.evaluation(a, _day(2024, 5, 6) + dt.timedelta(days=2 * i),
                              _day(2024, 9, 2) + dt.timedelta(days=i)))  # fmt: skip
    p.run(quitter, [(_utc(_day(2024, 5, 27), 15), "submit", quitter.user, ""),
                    (_utc(_day(2024, 6, 18), 9), "withdraw", quitter.user,
                     texts["withdrawn"])])  # fmt: skip
    p.decide(call, m, who, m.ranking[1])
    for i, a in enumerate(w for w in who if w.app.state == "granted"):
        p.run(a, [(a.app.state_entered_at + dt.timedelta(days=45 + 2 * i),
                   "start_implementation", a.user, texts["started"])])  # fmt: skip


def _basket_bond(p: _Phase2) -> None:
    """A financial instrument: four issue plans of SMEs of value chains; three backed and their
    minibonds subscribed (one the first support of a value chain recognised in 2023), one still
    being assessed. No scores: the manager assesses, the Region approves the guarantee."""
    m = MEASURES["basket_bond"]
    texts = _STORIES[m.key]
    call = p.open(m)
    new = _later_chains(p, dt.date(2023, 9, 1), dt.date(2023, 9, 30))[:2]
    chains = [*_active(p, 5)[3:5], *new]
    plan = [(1500, dt.date(2024, 10, 7), True), (1250, dt.date(2024, 11, 18), True),
            (2000, dt.date(2025, 1, 20), True), (1600, dt.date(2025, 5, 26), False)]  # fmt: skip
    for chain, (k, day, backed) in zip(chains, plan, strict=False):
        a = p.from_chain(chain, 5, 4, k * 1000)
        a.title = texts["title"].format(chain=a.chain.title)
        p.apply(call, m, a, _utc(day, 10))
        member = [r for r in p.reviewers if not a.app.has_conflict(r)][-1]
        events = [(_utc(day + dt.timedelta(days=6), 16), "submit", a.user, ""),
                  (_utc(day + dt.timedelta(days=13), 9), "admit", member,
                   texts["assessed"])]  # fmt: skip
        if backed:
            minibonds = a.app.eligible_spend_total
            events += [
                (_utc(day + dt.timedelta(days=50), 12), "approve", p.officer, texts["approved"]),
                (_utc(day + dt.timedelta(days=95), 11), "record_subscription", p.officer,
                 texts["subscribed"].format(million=minibonds / 1_000_000)),
            ]  # fmt: skip
        p.run(a, events)


def _competenze(p: _Phase2) -> None:
    """Five training plans: the value chain whose label was revoked applies without the bonus;
    one value chain scoring 55 + 8 is rejected (the minimum applies before the bonus)."""
    m = MEASURES["competenze"]
    call = p.open(m)
    revoked = next(a for a in p.chains.values() if a.state == "label_revoked")
    new = _later_chains(p, dt.date(2023, 5, 1), dt.date(2023, 5, 31))[:1]
    plan = [(c, k, t) for c, (k, t) in zip(_active(p, 2), [(280, (72, 76)), (220, (80, 84))],
                                           strict=False)]  # fmt: skip
    plan += [(new[0], 150, (52, 58)), (revoked, 200, (68, 70))]
    who = [p.from_chain(c, 6, 5, k * 1000, t) for c, k, t in plan]
    for i, a in enumerate(who):
        p.apply(call, m, a, _utc(_day(2024, 10, 14) + dt.timedelta(days=5 * i), 11))
    for i, a in enumerate(who):
        p.run(a, p.evaluation(a, _day(2025, 1, 8) + dt.timedelta(days=3 * i),
                              _day(2025, 4, 7) + dt.timedelta(days=i)))  # fmt: skip
    p.decide(call, m, who, m.ranking[1])


def _rafforzamento_2025(p: _Phase2) -> None:
    """The 2025 window under way: two granted in November 2025 (one a first support), two
    scored awaiting the Region's decision, one under evaluation, one submitted."""
    m = MEASURES["rafforzamento_2025"]
    texts = _STORIES[m.key]
    call = p.open(m)
    new = _later_chains(p, dt.date(2023, 9, 1), dt.date(2024, 12, 31))[2:7]
    active = _active(p, 6)  # the sixth value chain supported in 2022, or the last there is
    chains = [new[0], active[min(5, len(active) - 1)], *new[1:]]
    plan = [(2100, (80, 84), "granted"), (1500, (70, 74), "granted"),
            (3300, (76, 72), "scored"), (950, (62, 66), "scored"),
            (3900, (70,), "under_evaluation"), (1750, (), "submitted")]  # fmt: skip
    for i, (chain, (k, totals, goal)) in enumerate(zip(chains, plan, strict=False)):
        a = p.from_chain(chain, 4, 2, k * 1000, totals)
        p.apply(call, m, a, _utc(_day(2025, 4, 22) + dt.timedelta(days=6 * i), 10))
        submitted = _day(2025, 6, 9) + dt.timedelta(days=3 * i)
        if goal == "submitted":
            p.run(a, [(_utc(submitted, 16), "submit", a.user, "")])
        elif goal == "under_evaluation":
            member = [r for r in p.reviewers if not a.app.has_conflict(r)][
                -1
            ]  # reviewer1's review is due
            p.run(a, [(_utc(submitted, 16), "submit", a.user, ""),
                      (_utc(submitted + dt.timedelta(days=20), 9), "admit", member,
                       _TEXTS["admitted_rolling"]),
                      (_utc(_day(2025, 10, 30), 15), "review", member, totals[0])])  # fmt: skip
        else:
            p.run(a, p.evaluation(a, submitted, _day(2025, 11, 3) + dt.timedelta(days=i)))
            if goal == "granted":
                p.run(a, [(_utc(_day(2025, 11, 20), 12 + i), "grant", p.officer,
                           texts["granted"])])  # fmt: skip


def _circular(p: _Phase2) -> None:
    """Open now: the steel value chain's draft, ready to submit; the Fashion lead's draft for
    the Como silk value chain, one SME short; three others submitted or being evaluated."""
    from tracker.applications.operations import add_partner, create_application

    m = MEASURES["circular_small_firms"]
    texts = _STORIES[m.key]
    call = p.open(m)
    steel = p.chains[STEEL_TITLE]
    a = p.from_chain(steel, 7, 3, 450_000)
    a.title = texts["steel_title"]
    p.lead_users[steel.lead_organisation_id] = p.world.users["steel"]
    p.apply(call, m, a, _utc(_day(2025, 11, 24), 10))

    lead = p.world.users["lead"]
    silk = next(c for c in p.chains.values() if c.title.startswith("Como Silk"))
    spec = texts["silk"]
    draft = create_application(
        lead, call,
        {"title": spec["title"], "concept_note": dict(spec["concept_note"]),
         "requested_amount": spec["requested_amount"], "value_chain_id": silk.id},
        at=_utc(_day(2025, 12, 1), 15),
    )  # fmt: skip
    smes = [member.organisation for member in silk.partners
            if member.organisation.is_lombard_firm and member.organisation.is_sme
            and member.organisation_id != draft.lead_organisation_id][:3]  # fmt: skip
    for i, org in enumerate(smes, start=1):
        partner = add_partner(lead, draft, org.id, p.role(org), spec["commitments"])
        partner.added_at = draft.created_at + dt.timedelta(hours=i)

    chains = _later_chains(p, dt.date(2023, 9, 1), dt.date(2024, 12, 31))[7:10]
    for i, chain in enumerate(chains):
        who = p.from_chain(chain, 6, 2, (280 + 60 * i) * 1000, (74, 70)[: 2 - (i % 2)])
        p.apply(call, m, who, _utc(_day(2025, 10, 20) + dt.timedelta(days=9 * i), 10))
        submitted = _day(2025, 11, 10) + dt.timedelta(days=4 * i)
        events = [(_utc(submitted, 16), "submit", who.user, "")]
        if i < 2:
            member = [r for r in p.reviewers if not who.app.has_conflict(r)][-1]
            events += [(_utc(submitted + dt.timedelta(days=9), 9), "admit", member,
                        _TEXTS["admitted_rolling"]),
                       (_utc(_day(2025, 12, 10), 15), "review", member, 72 + i)]  # fmt: skip
        p.run(who, events)
