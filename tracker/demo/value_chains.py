"""Demo data: a realistic world for a first look. Its people, VAT numbers, scores and stories
are invented; what is real is named, with its source, in the data files.

``build()`` replays the Lombardy Region's value-chain Expression of Interest (DGR 5899/2022)
from March 2022 to 2026 through the real operations: organisations, users, the call with its two
windows (DGR 5899/2022's, extended by the acts of 30/11/2022 and 18/12/2023; DGR 5377/2025's) and
its committee,
then some sixty value chains driven through the workflow's transitions with backdated timestamps.
History rows, reviews, scores and labels are therefore exactly what the application would have
recorded.

The facts and texts are data (``tracker/demo/data/``), each file saying where its facts come
from: the call in ``eoi_call.yaml``, the value chains and their stories in ``value_chains.yaml``,
the invented firms' families in ``families.yaml``, the named organisations in
``organisations.csv``, the accounts in ``accounts.yaml``. Public bodies carry their real names;
the steel value chain's lead and the partners the regional press names are real; every other firm
is invented. What the record does not give but a step needs is marked illustrative on the pages
(the call's opening day and criteria, the decrees that recognised the value chains), from the
flags of ``eoi_call.yaml``. Everything is deterministic (a seeded generator).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from tracker.columns import utcnow
from tracker.demo import DEMO_PASSWORD
from tracker.demo.content import load, moment, organisations

SEED = 5899
EOI = load("eoi_call")
_VC = load("value_chains")
_FAMILIES = load("families")
_PROVINCES = load("places")["provinces"]
_NAMES = load("names")
_TEXTS = _VC["texts"]
_STORIES = _VC["stories"]

CALL_TITLE: str = EOI["title"]
STEEL_TITLE: str = _VC["steel"]["title"]
FASHION_TITLE: str = _VC["fashion"]["title"]
THRESHOLD = EOI["score_threshold"]
CALL_OPENS: dt.date = EOI["opens_at"]
#: The decrees listing recognised value chains, in order (eoi_call.yaml).
DECREES: list[dict] = EOI["label_decrees"]
_DECREE_INDEX = {d["number"]: i for i, d in enumerate(DECREES)}
#: decree numbers the public record does not give: their labels are marked illustrative
_ILLUSTRATIVE_DECREES = {d["number"] for d in DECREES if d.get("illustrative")}
_SECTIONS = ("challenges", "needs", "objectives", "actions", "investments")


@dataclass(frozen=True)
class Chain:
    """A value chain of value_chains.yaml: its family of firms and the trades at its heart."""

    title: str
    family: str
    province: str
    area: str
    focus: str
    goal: str
    core: tuple[str, ...]  # trades (name prefixes); the first is its lead's

    @classmethod
    def of(cls, row: dict) -> Chain:
        return cls(row["title"], row["family"], row["province"], row["area"],
                   row.get("focus", ""), row.get("goal", ""), tuple(row["core"]))  # fmt: skip


CHAINS = [Chain.of(row) for row in _VC["chains"]]
#: The two special cases, for the firms they need (their stories are told apart).
STEEL_CHAIN = Chain.of(_VC["steel"])
FASHION_CHAIN = Chain.of(_VC["fashion"])


# --- the builder ---------------------------------------------------------------------------------


def _utc(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _family(key: str) -> dict:
    return _FAMILIES["families"][key]


class _Builder:
    """Builds the demo world through the real operations; flushes, never commits."""

    def __init__(self) -> None:
        from tracker.auth.models import User

        self.rng = random.Random(SEED)
        # scrypt is slow on purpose: hash once, reuse for every demo account.
        probe = User(email="x@x.org", name="x")
        probe.set_password(DEMO_PASSWORD)
        self.password_hash = probe.password_hash
        self.vats: set[str] = set()
        self.names: set[str] = set()
        self.emails: set[str] = set()
        self.orgs: dict[str, Any] = {}  # key -> Organisation (others and named firms)
        self.pools: dict[str, list] = {}  # family -> Lombard firms
        self.prefix_of: dict[int, str] = {}  # firm id -> its trade (the prefix of its name)
        self.outside: dict[str, list] = {}  # family -> firms seated outside Lombardy
        self.generic: list = []
        self.users: dict[str, Any] = {}
        self.staff: list = []
        self.apps: list = []
        self.lead_ids: set[int] = set()
        self.drafts = 0
        self.inadmissible = 0
        # decrees that also listed the value chains not recognised
        self.rejections = [i for i, d in enumerate(DECREES) if d.get("lists_not_recognised")]

    # organisations ------------------------------------------------------------------------------
    def vat(self, province: str) -> str:
        from tracker.organisations.vat import vat_check_digit

        office = _PROVINCES[province]["vat_office"]
        while True:
            body = f"{self.rng.randrange(100_000, 4_000_000):07d}{office}"
            vat = body + str(vat_check_digit(body))
            if vat not in self.vats:
                self.vats.add(vat)
                return vat

    def organisation(self, name, kind, province, city=None, size=None, lombardy_seat=None):
        from tracker.organisations.operations import create_organisation

        self.names.add(name)
        return create_organisation(
            None, name=name, vat_number=self.vat(province), kind=kind, size=size, province=province,
            city=city or self.rng.choice(_PROVINCES[province]["cities"]),
            lombardy_seat=lombardy_seat,
        )  # fmt: skip

    def firm(self, prefixes, province, size=None, role=None, lombardy_seat=None):
        """A new invented firm named after its trade: 'Fonderia Bonetti S.r.l.'."""
        rng = self.rng
        for _ in range(200):
            prefix, surname = rng.choice(prefixes), rng.choice(_NAMES["surnames"])
            pattern = rng.random()
            if pattern < 0.6:
                stem = f"{prefix} {surname}"
            elif pattern < 0.85:
                stem = f"{prefix} F.lli {surname}"
            else:
                stem = f"{prefix} {rng.choice(_PROVINCES[province]['cities'])}"
            size = size or self.size()
            legal = {"micro": ("S.n.c.", "S.a.s.", "S.r.l."), "small": ("S.r.l.", "S.r.l.", "S.n.c."),
                     "medium": ("S.r.l.", "S.p.A."), "large": ("S.p.A.",)}[size]  # fmt: skip
            if prefix in ("Cooperativa Agricola", "Latteria Sociale"):
                legal = ("Soc. Coop. Agricola",)
            elif prefix in ("Azienda Agricola", "Cantina", "Allevamenti", "Frutticoltura"):
                legal = ("S.s. Agricola", "Società Agricola S.r.l.")
            name = f"{stem} {rng.choice(legal)}"
            if name not in self.names:
                break
        else:  # pragma: no cover
            raise RuntimeError("no free firm name")
        org = self.organisation(name, "firm", province, size=size, lombardy_seat=lombardy_seat)
        self.prefix_of[org.id] = prefix
        return org

    def size(self) -> str:
        return self.rng.choices(("micro", "small", "medium", "large"), (25, 40, 25, 10))[0]

    def build_organisations(self, chains_by_family: dict[str, list[Chain]]) -> None:
        rng = self.rng
        for row in organisations():  # the named ones (organisations.csv)
            org = self.organisation(row["name"], row["kind"], row["province"], row["city"],
                                    row["size"])  # fmt: skip
            self.orgs[row["key"]] = org
            if row["trade"]:
                self.prefix_of[org.id] = row["trade"]
        for family_key, family in _FAMILIES["families"].items():
            chains = chains_by_family.get(family_key, [])
            pool = []
            weights = {p: 1 for p in family["provinces"]}
            for chain in chains:  # the firms at the heart of each chain, mostly around its lead
                weights[chain.province] = weights.get(chain.province, 0) + 3
                core = chain.core
                for i in range(7):
                    province = (
                        chain.province if rng.random() < 0.65 else rng.choice(family["provinces"])
                    )
                    pool.append(self.firm((core[i % len(core)],), province))
            provinces, w = list(weights), list(weights.values())
            for _ in range(max(14, 3 * len(chains))):  # their suppliers
                pool.append(self.firm(tuple(family["trades"]), rng.choices(provinces, w)[0]))
            self.pools[family_key] = pool
        lombard = sorted(_lombardy())
        for _ in range(30):
            self.generic.append(self.firm(tuple(_FAMILIES["service_firms"]), rng.choice(lombard)))
        for row in _FAMILIES["firms_outside_lombardy"]:
            family_key = row["family"]
            trades = (row["trade"],) if "trade" in row else tuple(_family(family_key)["trades"])
            org = self.firm(trades, row["province"], lombardy_seat=False)
            self.outside.setdefault(family_key, []).append(org)

    def role_of(self, org, family: str | None = None) -> str:
        prefix = self.prefix_of.get(org.id)
        service = _FAMILIES["service_firms"]
        if prefix in service:
            return service[prefix]
        role = _family(family)["trades"].get(prefix) if family else None
        if role is None:
            role = next(
                f["trades"][prefix] for f in _FAMILIES["families"].values() if prefix in f["trades"]
            )
        return role if org.lombardy_seat else f"{role} (seat outside Lombardy)"

    # users --------------------------------------------------------------------------------------
    def user(self, email, roles, name, organisation=None, *, password=True, created=None):
        from tracker.auth.operations import create_user

        user = create_user(email, roles, name=name, organisation=organisation)
        if password:
            user.password_hash = self.password_hash
        user.created_at = created or moment(load("accounts")["registered"])
        self.emails.add(user.email)
        return user

    def build_users(self) -> None:
        """The demo accounts of accounts.yaml (the HUB's is registered with its application)."""
        for account in load("accounts")["accounts"]:
            if "created_with" in account:
                continue
            org = self.orgs[account["organisation"]] if "organisation" in account else None
            self.users[account["key"]] = self.user(
                account["email"], account["roles"], account["name"], org
            )

    def staff_user(self, org, created: dt.datetime):
        """An invented lead-partner employee: drives the application, cannot log in."""
        first, last = self.rng.choice(_NAMES["first_names"]), self.rng.choice(_NAMES["surnames"])
        local = f"{first}.{last}".lower()
        email, n = f"{local}@staff.demo.example.org", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@staff.demo.example.org"
        user = self.user(
            email, ["applicant"], f"{first} {last}", org, password=False, created=created
        )
        self.staff.append(user)
        return user

    # the call -----------------------------------------------------------------------------------
    def build_call(self):
        from tracker.calls.operations import (
            appoint_member,
            create_call,
            extend_deadline,
            open_window,
        )
        from tracker.documents.annexes import define_annex

        officer = self.users["officer"]
        fields = ("title", "description", "act_reference", "min_firms", "min_reviews",
                  "score_threshold", "criteria", "lead_must_be_firm", "criteria_illustrative",
                  "opens_at_illustrative")  # fmt: skip
        call = create_call(
            officer,
            {
                "workflow": "value_chain",
                "opens_at": EOI["opens_at"].isoformat(),
                "deadline": EOI["deadline"].isoformat(),
                **{key: EOI[key] for key in fields},
            },
        )
        call.created_at = moment(EOI["published"])
        for key in EOI["committee"]:
            member = appoint_member(officer, call, self.users[key].id)
            member.appointed_at = moment(EOI["committee_appointed"])
            self.users[key].__dict__.pop("committee_call_ids", None)
        for extension in EOI["extensions"]:
            row = extend_deadline(
                officer, call, extension["new_deadline"], extension["reason"],
                extension.get("act_number"), extension.get("act_date"),
            )  # fmt: skip
            row.extended_at = moment(extension["decided"])
        self.annexes = [define_annex(officer, call, fields) for fields in EOI["annexes"]]
        for spec in EOI["windows"]:
            window = open_window(officer, call, {k: v for k, v in spec.items() if k != "decided"})
            window.created_at = moment(spec["decided"])
        return call

    # partnerships -------------------------------------------------------------------------------
    def pick(self, pool, count, province, exclude, core=()) -> list:
        """``count`` firms of ``pool``: two thirds of the chain's core trades, mostly local."""
        rng = self.rng
        chosen: list = []
        for candidates, n in (
            ([o for o in pool if self.prefix_of.get(o.id) in core], round(count * 0.65)),
            (list(pool), count),
        ):
            candidates = [o for o in candidates if o.id not in exclude and o not in chosen]
            local = [o for o in candidates if o.province == province]
            rest = [o for o in candidates if o.province != province]
            rng.shuffle(local)
            rng.shuffle(rest)
            want = min(n, count - len(chosen))
            n_local = min(len(local), round(want * 0.6))
            chosen += (local[:n_local] + rest)[:want] if n_local < want else local[:want]
        return chosen[:count]

    def partnership(self, chain: Chain, lead, size: int) -> list[tuple]:
        """(organisation, role, commitments) of the partners besides the lead."""
        rng, family = self.rng, _family(chain.family)
        others_keys = rng.sample(
            family["partners"], k=min(len(family["partners"]), rng.randint(2, 4))
        )
        if rng.random() < 0.35:
            others_keys.append(rng.choice(_banks()))
        others = [self.orgs[k] for k in dict.fromkeys(others_keys)]
        outside = [o for o in self.outside.get(chain.family, []) if rng.random() < 0.5]
        generic = rng.sample(self.generic, k=rng.randint(0, 2))
        n_firms = max(11, size - len(others) - len(outside))
        firms = self.pick(self.pools[chain.family], n_firms - 1 - len(generic), chain.province,
                          {lead.id}, chain.core)  # fmt: skip
        out = [
            (org, self.role_of(org, chain.family), rng.choice(_firm_commitments()))
            for org in [*firms, *generic, *outside]
        ]
        for org in others:
            out.append((org, *_body_role(org.kind)))
        return out

    def choose_lead(self, chain: Chain):
        """A firm of the chain's first core trade, in its province, as large as there is."""
        rank = {"large": 0, "medium": 1, "small": 2, "micro": 3}
        pool = [
            o
            for o in self.pools[chain.family]
            if o.id not in self.lead_ids
            and o.province == chain.province
            and self.prefix_of[o.id] == chain.core[0]
        ]
        if pool:
            lead = min(pool, key=lambda o: (rank[o.size], o.id))
        else:
            lead = self.firm(chain.core[:1], chain.province, self.rng.choice(("medium", "large")))
        self.lead_ids.add(lead.id)
        return lead

    def note(self, chain: Chain, nf: int) -> dict[str, str]:
        templates = _family(chain.family)["concept_note"]
        values = {
            "focus": chain.focus,
            "goal": chain.goal,
            "place": _province_name(chain.province),
            "nf": nf,
            "amount": f"{self.rng.randint(12, 60) / 10:.1f}",
        }
        return {key: templates[key].format(**values) for key in _SECTIONS}

    # one application ----------------------------------------------------------------------------
    def application(self, call, lead_user, title, area, note, partners, created: dt.datetime,
                    lead_role: str):  # fmt: skip
        from tracker.applications.operations import add_partner, create_application

        window = call.window_on(created.date())
        if area not in window.thematic_areas:  # a chain of a later window names its areas
            area = _LATER_AREA[area]
        fields = {
            "title": title,
            "thematic_areas": [area],
            "concept_note": note,
            "lead_role": lead_role,
        }
        app = create_application(lead_user, call, fields, at=created)
        step = dt.timedelta(hours=max(1, 24 * 12 // max(1, len(partners))))
        for i, (org, role, commitments) in enumerate(partners, start=1):
            partner = add_partner(lead_user, app, org.id, role, commitments)
            partner.added_at = created + step * i
        self.apps.append(app)
        return app

    def backdate_organisations(self) -> None:
        """An organisation was registered shortly before its first partnership."""
        from sqlalchemy import select

        from tracker.extensions import db
        from tracker.organisations.models import Organisation

        first: dict[int, dt.datetime] = {}
        for app in self.apps:
            for partner in app.partners:
                if partner.added_at < first.get(
                    partner.organisation_id, partner.added_at + dt.timedelta(1)
                ):
                    first[partner.organisation_id] = partner.added_at
        for org in db.session.scalars(select(Organisation)):
            when = first.get(org.id)
            if when is None:  # not (yet) in a partnership
                when = _utc(CALL_OPENS) + dt.timedelta(days=self.rng.randint(0, 1200))
            org.created_at = when - dt.timedelta(days=self.rng.randint(1, 20), hours=3)

    def restart(self, app, lead_user, created: dt.datetime) -> None:
        """Move a just-created application (its partners, its lead's account) to ``created``."""
        shift = created - app.created_at
        app.created_at = created
        app.state_entered_at = created
        lead_user.created_at = created - dt.timedelta(days=2)
        for partner in app.partners:
            partner.added_at = partner.added_at + shift

    def run(self, app, actors: dict, events: list[tuple]) -> None:
        """Replay ``events`` (time, what, ...) on ``app``, in order."""
        from tracker.applications.operations import fire_transition
        from tracker.reviews.operations import declare_conflict, submit_review

        last = app.created_at
        for event in events:
            at, what = event[0], event[1]
            if at <= last:  # keep every application's story strictly ordered
                at = last + dt.timedelta(minutes=self.rng.randint(30, 240))
            last = at
            if what != "sign" and app.declaration_awaited(event[2]):
                # a member declares no conflict of interest before first acting on it
                declare_conflict(event[2], app, False, at=at - dt.timedelta(minutes=10))
            if what == "sign":
                self.sign(app, actors["lead"], at)
            elif what == "review":
                reviewer, total = event[2], event[3]
                scores = self.scores(app, total)
                good = total >= THRESHOLD
                recommendation = "favourable" if good else "unfavourable"
                comment = self.rng.choice(_TEXTS["favourable" if good else "unfavourable"])
                review = submit_review(reviewer, app, scores, recommendation, comment)
                review.submitted_at = review.updated_at = at
            else:
                actor, comment, data = event[2], event[3], event[4] if len(event) > 4 else None
                if what == "admit":
                    verify_partners(app, actor, at - VERIFIED_BEFORE_ADMISSION)
                fire_transition(actor, app, what, comment=comment, data=data, at=at)
                if what == "grant_label":
                    app.label.decree_illustrative = data["decree_number"] in _ILLUSTRATIVE_DECREES
        app.updated_at = last

    def sign(self, app, lead_user, at: dt.datetime) -> None:
        """The lead uploads the agreement signed by every partner (which records it as signed)
        and the call's required annexes: small PDFs that say they are demonstrations."""
        from tracker.documents.annexes import upload_annex
        from tracker.documents.operations import upload_agreement
        from tracker.documents.samples import demo_pdf

        partners = ", ".join(p.organisation.name for p in app.partners)
        agreement = upload_agreement(lead_user, app, "accordo-di-progetto.pdf", demo_pdf(
            f"Accordo di progetto: {app.title}", [f"Firmato da: {partners}"[:110]]))  # fmt: skip
        agreement.uploaded_at = app.agreement_signed_at = at
        for annex in self.annexes:
            if annex.required:
                upload_annex(lead_user, app, annex.id, f"{annex.name}.pdf",
                             demo_pdf(annex.name, [app.title])).uploaded_at = at  # fmt: skip

    def scores(self, rules, total: int) -> dict[str, int]:
        """Criterion scores summing exactly to ``total``, each near its share of the maximum:
        ``rules`` is an application (its window's criteria) or a call (its current ones)."""
        criteria = rules.criteria
        out = {}
        for c in criteria:
            share = c.max_score * total / 100 + self.rng.uniform(-2, 2)
            out[c.key] = max(0, min(c.max_score, round(share)))
        diff = total - sum(out.values())
        while diff:
            c = self.rng.choice(criteria)
            step = 1 if diff > 0 else -1
            if 0 <= out[c.key] + step <= c.max_score:
                out[c.key] += step
                diff -= step
        return out


#: the area of DGR 5377/2025 the demo gives a chain of its window in place of the DGR 5899/2022
#: area value_chains.yaml names (the demo's pairing, not the act's)
_LATER_AREA = {
    "sustainability": "green_digital",
    "innovation": "productive_autonomy",
    "human_capital": "workforce_skills",
    "internationalisation": "attractiveness",
    "credit": "capital_strengthening",
}

#: how long before admitting an application its partners' declared data were checked
VERIFIED_BEFORE_ADMISSION = dt.timedelta(minutes=15)


def verify_partners(app, verifier, at: dt.datetime) -> None:
    """The desk work before an admission: ``verifier`` (who admits) checks what each partner not
    yet verified declared, as the committee must (``partners_verified``). Nobody declared the
    demo's organisations (the builder loads them), so they all await it until then."""
    from tracker.organisations.operations import verify_organisation

    for org in app.partner_organisations:
        if not org.verified:
            verify_organisation(verifier, org, at=at)


def _firm_commitments() -> list[str]:
    return _VC["partners"]["firm_commitments"]


def _body_role(kind: str) -> tuple[str, str]:
    """(role, commitments) of a partner that is not a firm, by its kind."""
    body = _VC["partners"]["bodies"][kind]
    return body["role"], body["commitments"]


def _banks() -> list[str]:
    return [row["key"] for row in organisations() if row["kind"] == "financial"]


def _lombardy() -> dict[str, str]:
    from tracker.reference import LOMBARDY_PROVINCES

    return LOMBARDY_PROVINCES


def _province_name(code: str) -> str:
    return _lombardy().get(code, code)


def _recognised(decree: dict) -> tuple[str, dict]:
    """The comment and data of a label granted by ``decree``."""
    number, day = decree["number"], decree["date"]
    text = _TEXTS["recognised_illustrative" if decree.get("illustrative") else "recognised"]
    comment = text.format(number=number, date=f"{day:%d/%m/%Y}")
    return comment, {"decree_number": number, "decree_date": day.isoformat()}


def _scripted(b: _Builder, events: list[dict]) -> list[tuple]:
    """The events of value_chains.yaml as ``_Builder.run`` replays them."""
    out: list[tuple] = []
    for event in events:
        at, what = moment(event["at"]), event["do"]
        if what == "sign":
            out.append((at, what))
        elif what == "review":
            out.append((at, what, b.users[event["by"]], event["total"]))
        elif "decree" in event:
            comment, data = _recognised(DECREES[_DECREE_INDEX[event["decree"]]])
            out.append((at, what, b.users[event["by"]], comment, data))
        else:
            out.append((at, what, b.users[event["by"]], event["comment"]))
    return out


# --- the stories -------------------------------------------------------------------------------


class _Story:
    """Times and steps of one application, planned backwards from a decision or forwards."""

    def __init__(self, builder: _Builder, app, call, lead_user) -> None:
        self.b, self.app, self.call, self.lead = builder, app, call, lead_user
        self.committee = [builder.users[k] for k in EOI["committee"]]
        self.officer = builder.users["officer"]

    def free_reviewers(self) -> list:
        return [r for r in self.committee if not self.app.has_conflict(r)]

    def moment(self, day: dt.date) -> dt.datetime:
        rng = self.b.rng
        return _utc(day, rng.randint(7, 15), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))

    def evaluation(self, start: dt.date, *, integration=False, reviews=2, totals=(64, 92),
                   close=True, admit=True):  # fmt: skip
        """sign, submit, (integration), admit, reviews, close: (events, next free day)."""
        rng, ev, day = self.b.rng, [], start
        day += dt.timedelta(days=rng.randint(15, 45))
        ev.append((self.moment(day), "sign"))
        day += dt.timedelta(days=rng.randint(1, 5))
        ev.append((self.moment(day), "submit", self.lead, ""))
        if integration:
            day += dt.timedelta(days=rng.randint(8, 20))
            ev.append((self.moment(day), "request_integration", self.committee_actor(),
                       rng.choice(_TEXTS["integration_requests"])))  # fmt: skip
            day += dt.timedelta(days=rng.randint(10, 25))
            ev.append(
                (self.moment(day), "resubmit", self.lead, rng.choice(_TEXTS["resubmissions"]))
            )
        if not admit:
            return ev, day
        day += dt.timedelta(days=rng.randint(6, 18))
        ev.append((self.moment(day), "admit", self.committee_actor(), _TEXTS["admitted"]))
        free = self.free_reviewers()
        rng.shuffle(free)
        for reviewer in free[:reviews]:
            day += dt.timedelta(days=rng.randint(4, 12))
            ev.append((self.moment(day), "review", reviewer, rng.randint(*totals)))
        if close:
            day += dt.timedelta(days=rng.randint(3, 10))
            ev.append((self.moment(day), "close_evaluation", self.committee[0]
                       if not self.app.has_conflict(self.committee[0]) else self.officer,
                       _TEXTS["closed"]))  # fmt: skip
        return ev, day

    def committee_actor(self):
        free = self.free_reviewers()
        return self.b.rng.choice([*free, self.officer])


def _backwards(events: list[tuple], decided: dt.datetime, created: dt.datetime, days: int):
    """Shift (and, before the call opened, compress) ``events`` to end ``days`` before ``decided``."""
    end = events[-1][0]
    gap = dt.timedelta(days=days)
    shift = (decided - gap) - end
    created, events = created + shift, [(e[0] + shift, *e[1:]) for e in events]
    floor = _utc(CALL_OPENS + dt.timedelta(days=1), 9)
    if created < floor:
        span, room = (decided - gap) - created, (decided - gap) - floor
        factor = room / span

        def squeeze(t: dt.datetime) -> dt.datetime:
            return floor + (t - created) * factor

        created, events = floor, [(squeeze(e[0]), *e[1:]) for e in events]
    return created, events


def build():
    """The value-chain EOI world: organisations, the demo users, the call and its value chains.

    Returns the builder (what later parts of the demo build on) and a summary line."""
    from sqlalchemy import func, select

    from tracker.applications.models import Application
    from tracker.auth.models import User
    from tracker.extensions import db
    from tracker.labels.models import QualityLabel
    from tracker.organisations.models import Organisation
    from tracker.reviews.models import Review

    b = _Builder()
    by_family: dict[str, list[Chain]] = {}
    for chain in [STEEL_CHAIN, FASHION_CHAIN, *CHAINS]:
        by_family.setdefault(chain.family, []).append(chain)
    b.build_organisations(by_family)
    b.build_users()
    call = b.build_call()
    _build_applications(b, call)

    b.backdate_organisations()
    b.call = call

    counts = dict(
        db.session.execute(
            select(Application.state, func.count()).group_by(Application.state)
        ).all()
    )
    states = [s.name for s in call.workflow_definition.states]
    # the states reached so far: the support measures (tracker.demo.measures) add the rest
    per_state = ", ".join(f"{s} {counts[s]}" for s in states if counts.get(s))
    n = {
        "orgs": db.session.scalar(select(func.count(Organisation.id))),
        "users": db.session.scalar(select(func.count(User.id))),
        "labels": db.session.scalar(select(func.count(QualityLabel.id))),
        "reviews": db.session.scalar(select(func.count(Review.id))),
    }
    return b, (
        f"Demo data loaded: 1 call (deadline {call.deadline:%d/%m/%Y}; {len(call.windows)} "
        f"windows, DGR 5899/2022's after {len(EOI['extensions'])} extensions, then "
        f"{call.windows[-1].act_number}'s), {n['orgs']} organisations, {n['users']} users, "
        f"{sum(counts.values())} value chains ({per_state}), {n['labels']} quality labels, "
        f"{n['reviews']} reviews."
    )


def _build_applications(b: _Builder, call) -> None:
    rng = b.rng
    named = {row["title"]: row for row in _STORIES["named_outcomes"]}
    free = [c for c in CHAINS if c.title not in named]
    rng.shuffle(free)
    plan: list[tuple[Chain, str, int | None]] = []
    outcomes = _STORIES["outcomes"]
    for chain, outcome in zip(free, outcomes, strict=False):
        plan.append((chain, outcome, None))
    labelled = free[len(outcomes) :]
    # the recognised ones fill the decrees' places, but for those the steel chain and the named
    # value chains hold
    slots = [i for i, decree in enumerate(DECREES) for _ in range(decree["labels"])]
    held = [e["decree"] for e in _VC["steel"]["events"] if "decree" in e]
    held += [row["decree"] for row in named.values() if row["outcome"] == "label"]
    for number in held:
        slots.remove(_DECREE_INDEX[number])
    for chain, batch in zip(labelled, slots, strict=True):
        plan.append((chain, "label", batch))
    for title, row in named.items():
        batch = _DECREE_INDEX[row["decree"]] if "decree" in row else None
        plan.append((next(c for c in CHAINS if c.title == title), row["outcome"], batch))

    # one early label is revoked; support and its completion come from the support measures'
    # grants (tracker.demo.measures)
    revoked = _STORIES["revoked"]
    among = {_DECREE_INDEX[number] for number in revoked["among_decrees"]}
    early = [i for i, (c, o, batch) in enumerate(plan) if o == "label" and batch in among]
    extras = {early[revoked["position"] - 1]: "revoked"}

    _steel(b, call)
    _fashion(b, call)
    for i, (chain, outcome, batch) in enumerate(plan):
        _chain(b, call, chain, outcome, batch, extras.get(i))


def _steel(b: _Builder, call) -> None:
    """The real case: 43 organisations around Duferco, with the partners the press names."""
    rng, o, spec = b.rng, b.orgs, _VC["steel"]
    partners = [(o[p["organisation"]], p["role"], p["commitments"]) for p in spec["named_partners"]]
    groups = [
        (group, b.pick(b.pools[group["family"]], group["count"], spec["province"], set(),
                       tuple(group["roles"])))
        for group in spec["firms"]
    ]  # fmt: skip
    for group, firms in groups:
        for org in firms:
            role = group["roles"].get(b.prefix_of[org.id]) or b.role_of(org, group["family"])
            partners.append((org, role, rng.choice(_firm_commitments())))
    for org in rng.sample(b.generic, spec["service_firms"]):
        partners.append((org, b.role_of(org), rng.choice(_firm_commitments())))
    for key in spec["bodies"]:
        role, commitments = _body_role(o[key].kind)
        partners.append((o[key], spec["body_roles"].get(key, role), commitments))
    lead = b.users[spec["lead"]]
    app = b.application(call, lead, STEEL_TITLE, spec["area"], spec["concept_note"], partners,
                        moment(spec["opened"]), spec["lead_role"])  # fmt: skip
    b.run(app, {"lead": lead}, _scripted(b, spec["events"]))


def _fashion(b: _Builder, call) -> None:
    """A draft one Lombard firm short of the call's ten: its submission is refused."""
    rng, o, spec = b.rng, b.orgs, _VC["fashion"]
    family = spec["family"]
    firms = b.pick(b.pools[family], spec["firms"], spec["province"], set(), FASHION_CHAIN.core)
    partners = [(org, b.role_of(org, family), rng.choice(_firm_commitments())) for org in firms]
    recycler = b.outside[family][spec["recycler"]["outside_lombardy"] - 1]
    partners.append((recycler, b.role_of(recycler, family), spec["recycler"]["commitments"]))
    for key in spec["bodies"]:
        partners.append((o[key], *_body_role(o[key].kind)))
    lead = b.users[spec["lead"]]
    app = b.application(call, lead, FASHION_TITLE, spec["area"], spec["concept_note"], partners,
                        moment(spec["opened"]), spec["lead_role"])  # fmt: skip
    b.run(app, {"lead": lead}, _scripted(b, spec["events"]))


def _chain(b: _Builder, call, chain: Chain, outcome: str, batch: int | None, extra) -> None:
    rng = b.rng
    lead = b.choose_lead(chain)
    size = rng.randint(12, 30) if outcome == "label" else rng.randint(10, 24)
    partners = b.partnership(chain, lead, size)
    named = {row["title"]: row for row in _STORIES["named_outcomes"]}.get(chain.title, {})
    if "first_partner" in named:
        first = named["first_partner"]
        partners.insert(0, (b.orgs[first["organisation"]], first["role"],
                            rng.choice(_firm_commitments())))  # fmt: skip
    if "conflict_partner" in named:  # a partner of a committee member's organisation
        org = b.orgs[named["conflict_partner"]]
        partners.append((org, *_body_role(org.kind)))
    draft_kind = None
    if outcome == "draft":  # three drafts: short of firms, concept note unfinished, ready
        draft_kind = ("few_firms", "unfinished", "ready")[b.drafts]
        b.drafts += 1
    if draft_kind == "few_firms":
        firms = [p for p in partners if p[0].kind == "firm"]
        partners = [p for p in partners if p[0].kind != "firm"] + firms[:5]
    nf = 1 + sum(1 for org, *_ in partners if org.kind == "firm" and org.lombardy_seat)
    note = b.note(chain, nf)
    if draft_kind == "unfinished":
        note = {**note, "investments": ""}
    when = _start(rng, outcome)
    lead_user = b.staff_user(lead, when - dt.timedelta(days=2))
    app = b.application(call, lead_user, chain.title, chain.area, note, partners, when,
                        _TEXTS["lead_role"])  # fmt: skip
    story = _Story(b, app, call, lead_user)
    officer = b.users["officer"]
    start = when.date()
    ev: list[tuple] = []
    if draft_kind == "ready":
        ev = [(story.moment(start + dt.timedelta(days=20)), "sign")]
    elif outcome == "label":
        decree = DECREES[batch]
        ev, _ = story.evaluation(
            start, integration=rng.random() < 0.25, reviews=rng.choice((2, 3, 3))
        )
        granted = story.moment(decree["date"] + dt.timedelta(days=rng.randint(0, 2)))
        created, ev = _backwards(ev, granted, when, rng.randint(8, 30))
        b.restart(app, lead_user, created)
        ev.append((granted, "grant_label", officer, *_recognised(decree)))
        ev += _phase_two(story, extra)
    elif outcome == "not_recognised":
        decree = DECREES[b.rejections.pop(0)]
        ev, _ = story.evaluation(start, reviews=rng.choice((2, 3)), totals=(38, 57))
        decided = story.moment(decree["date"] + dt.timedelta(days=rng.randint(0, 2)))
        created, ev = _backwards(ev, decided, when, rng.randint(8, 30))
        b.restart(app, lead_user, created)
        comment = _TEXTS["not_recognised"].format(
            number=decree["number"], date=f"{decree['date']:%d/%m/%Y}", threshold=THRESHOLD,
            reason=rng.choice(_TEXTS["unfavourable"]),
        )  # fmt: skip
        ev.append((decided, "reject", officer, comment))
    elif outcome in ("evaluated_high", "evaluated_low"):
        totals = (66, 84) if outcome == "evaluated_high" else (44, 57)
        ev, _ = story.evaluation(start, reviews=2, totals=totals)
    elif outcome == "under_evaluation":
        ev, _ = story.evaluation(start, reviews=0, close=False)
    elif outcome == "under_evaluation_one":
        ev, _ = story.evaluation(start, reviews=1, close=False, totals=(58, 82))
    elif outcome == "under_evaluation_conflict":
        ev, day = story.evaluation(start, reviews=0, close=False)
        ev.append((story.moment(day + dt.timedelta(days=9)), "review", b.users["r1"],
                   rng.randint(66, 80)))  # fmt: skip
    elif outcome == "integration_requested":
        ev, day = story.evaluation(start, admit=False)
        # asked a few days before the demo is loaded: it waits with days left to reply (the
        # one asked during its evaluation, in 2025, is long past its reply date)
        asked = max(story.moment(day + dt.timedelta(days=12)), utcnow() - dt.timedelta(days=6))
        ev.append((asked, "request_integration", story.committee_actor(),
                   _TEXTS["integration_requests"][0]))  # fmt: skip
    elif outcome == "integration_during_evaluation":
        ev, day = story.evaluation(start, reviews=0, close=False)
        ev.append((story.moment(day + dt.timedelta(days=15)), "request_integration",
                   story.committee_actor(), _TEXTS["integration_requests"][1]))  # fmt: skip
    elif outcome == "submitted":
        ev, _ = story.evaluation(start, admit=False)
    elif outcome == "submitted_again":
        ev, _ = story.evaluation(start, admit=False, integration=True)
    elif outcome == "inadmissible":
        ev, day = story.evaluation(start, admit=False)
        ev.append((story.moment(day + dt.timedelta(days=rng.randint(10, 25))),
                   "declare_inadmissible", story.committee_actor(),
                   _TEXTS["inadmissible"][b.inadmissible]))  # fmt: skip
        b.inadmissible += 1
    elif outcome == "withdrawn_draft":
        ev = [(story.moment(start + dt.timedelta(days=150)), "withdraw", lead_user,
               _TEXTS["withdrawn"][outcome])]  # fmt: skip
    elif outcome == "withdrawn_submitted":
        ev, day = story.evaluation(start, admit=False)
        ev.append((story.moment(day + dt.timedelta(days=9)), "withdraw", lead_user,
                   _TEXTS["withdrawn"][outcome]))  # fmt: skip
    elif outcome == "withdrawn_evaluation":
        ev, day = story.evaluation(start, reviews=1, close=False)
        ev.append((story.moment(day + dt.timedelta(days=14)), "withdraw", lead_user,
                   _TEXTS["withdrawn"][outcome]))  # fmt: skip
    elif outcome != "draft":  # pragma: no cover
        raise ValueError(outcome)
    b.run(app, {"lead": lead_user}, ev)


def _start(rng: random.Random, outcome: str) -> dt.datetime:
    """When an application was opened (recognised ones are re-planned backwards)."""
    day = _STORIES["opened"][outcome] + dt.timedelta(days=rng.randint(0, 40))
    return _utc(day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)))


def _phase_two(story: _Story, extra: str | None) -> list[tuple]:
    """After the label: its revocation. (Support and its completion come from the support
    measures' grants, replayed by ``tracker.demo.measures``.)"""
    if extra == "revoked":
        revoked = _STORIES["revoked"]
        return [(story.moment(revoked["day"]), "revoke_label", story.officer, revoked["comment"])]
    return []
