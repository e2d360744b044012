"""The demo world: loaded through the real operations, consistent, and loaded once only."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select, text

from tracker.applications.models import Application
from tracker.applications.operations import available_transitions
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.columns import utcnow
from tracker.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from tracker.demo.value_chains import FASHION_TITLE, STEEL_TITLE
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.organisations.models import Organisation
from tracker.organisations.vat import vat_problem
from tracker.reference import DGR_5377_AREAS, DGR_5899_AREAS, LOMBARDY_PROVINCES
from workflows import get_workflow

#: The world as the demo built it before its facts and texts moved into data files
#: (tracker/demo/data/): loaded from them through the same operations, it must be the same world.
SUMMARY = """\
Demo data loaded: 1 call (deadline 31/12/2027; 2 windows, DGR 5899/2022's after 2 extensions, \
then DGR 5377/2025's), 819 organisations, 75 users, \
67 value chains (draft 4, submitted 2, integration_requested 2, under_evaluation 3, evaluated 2, \
label_granted 45, inadmissible 2, not_recognised 3, withdrawn 3, label_revoked 1), 46 quality \
labels, 140 reviews.
Strategic Communities: 5 communities, 22 memberships, 12 proposals, 9 activities; 16 EU \
projects and networks of AFIL; the Circular Economy HUB call (DGR XI/3531/2020) with 5 \
applicants, one shared agreement signed.
Support measures: 6 measures (Bando Filiere 2022, Rafforzamento filiere 2024 and 2025, Basket \
Bond, Competenze, circular transition), 43 applications, 26 grants; 9 value chains with support \
active (5 of them funded twice or more); “Mantua Pork and Cured Meats Supply Chain” closed by the \
Region's decision.
Partnership changes: 2 firms joined “Lomellina Rice Value Chain”, a third join awaits the Region; \
Fondazione Politecnico di Milano left “Industrial Software and Cybersecurity Value Chain”.
Reports: every periodic and progress report due is filed but 1, overdue; 1 returned for changes \
(overdue too until resubmitted); every completed project's final report is accepted.
Notices: 114 recent notices for 50 people, 82 unread.
Demo accounts: 11, password 'demo' (demo only)."""
WORLD = {
    "rows": {
        "organisations": 819, "users": 100, "user_roles": 100, "calls": 8, "criteria": 31,
        "committee_members": 22, "deadline_extensions": 2, "applications": 115,
        "partners": 1732, "history": 447, "reviews": 203, "quality_labels": 46,
        "communities": 5, "community_members": 22, "proposals": 12, "proposal_history": 40,
    },
    "states": {
        "hub_eoi agreement_signed": 5,
        "minibond_issue subscribed": 3, "minibond_issue under_assessment": 1,
        "rolling_support_application granted": 2, "rolling_support_application scored": 2,
        "rolling_support_application submitted": 1,
        "rolling_support_application under_evaluation": 1,
        "support_application completed": 6, "support_application draft": 2,
        "support_application granted": 3, "support_application in_implementation": 11,
        "support_application inadmissible": 1, "support_application rejected": 4,
        "support_application submitted": 1, "support_application under_evaluation": 2,
        "support_application waitlisted": 1, "support_application withdrawn": 2,
        "value_chain closed": 1, "value_chain draft": 4, "value_chain evaluated": 2,
        "value_chain inadmissible": 2, "value_chain integration_requested": 2,
        "value_chain label_granted": 35, "value_chain label_revoked": 1,
        "value_chain not_recognised": 3, "value_chain submitted": 2,
        "value_chain support_active": 9, "value_chain under_evaluation": 3,
        "value_chain withdrawn": 3,
    },
    "proposals": {
        "board_review": 1, "completed": 1, "concept_validation": 2, "follow_up": 1, "idea": 1,
        "not_endorsed": 1, "parked": 1, "ready_for_region": 1, "submitted_to_region": 1,
        "under_regional_review": 1, "withdrawn": 1,
    },
    # requested and granted amounts of the support applications; the reviews' points in all
    "amounts": [2_565_075_000, 2_080_685_000],
    "review_points": 15067,
    "revoked_labels": 1,
}  # fmt: skip


def _world() -> dict:
    """The figures of WORLD, counted in the database."""

    def rows(sql: str) -> list:
        return db.session.execute(text(sql)).all()

    amounts = rows(
        "SELECT sum(requested_amount), sum(granted_amount) FROM applications"
        " WHERE workflow = 'support_application'"
    )[0]
    return {
        "rows": {t: rows(f"SELECT count(*) FROM {t}")[0][0] for t in WORLD["rows"]},
        "states": {
            f"{workflow} {state}": n
            for workflow, state, n in rows(
                "SELECT workflow, state, count(*) FROM applications GROUP BY workflow, state"
            )
        },
        "proposals": dict(rows("SELECT state, count(*) FROM proposals GROUP BY state")),
        "amounts": [int(a) for a in amounts],
        "review_points": int(rows("SELECT sum(total) FROM reviews")[0][0]),
        "revoked_labels": rows("SELECT count(*) FROM quality_labels WHERE revoked_at IS NOT NULL")[
            0
        ][0],
    }


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Organisation, User, Call, Application, QualityLabel)
    )


def test_demo_world(app):
    summary = load_demo()
    assert summary == SUMMARY
    assert summary.splitlines()[-1].startswith(f"Demo accounts: {len(DEMO_ACCOUNTS)}")
    db.session.expire_all()
    assert _world() == WORLD
    # issue 14: a few recent notices per person (tracker/notifications/demo.py), no email
    per_person = db.session.execute(
        text("SELECT user_id, count(*), count(*) - count(read_at) FROM notices GROUP BY user_id")
    ).all()
    assert max(n for _, n, _ in per_person) <= 5 and max(u for _, _, u in per_person) <= 2
    assert db.session.scalar(text("SELECT count(*) FROM mail_outbox")) == 0
    lead = db.session.scalar(select(User).where(User.email == "lead@demo.example.org"))
    assert lead.id in {user_id for user_id, _, unread in per_person if unread}

    # the call, with the real extensions of its first window in order, then DGR 5377/2025's
    call = db.session.scalar(select(Call).where(Call.workflow == "value_chain"))
    assert call.title == (
        "Manifestazione di interesse per lo sviluppo e il consolidamento delle filiere produttive "
        "e di servizi e degli ecosistemi industriali produttivi ed economici in Lombardia"
    )
    assert call.opens_at == dt.date(2022, 3, 1)
    assert call.deadline == dt.date(2027, 12, 31)
    assert [(e.previous_deadline, e.new_deadline) for e in call.extensions] == [
        (dt.date(2022, 12, 31), dt.date(2023, 12, 31)),
        (dt.date(2023, 12, 31), dt.date(2025, 12, 31)),
    ]
    first, second = call.windows
    assert (first.opens_at, first.deadline, first.act_number) == (
        dt.date(2022, 3, 1), dt.date(2025, 12, 31), "DGR 5899/2022; decree 2338 of 24/02/2022",
    )  # fmt: skip
    assert (second.opens_at, second.deadline, second.act_number, second.act_date) == (
        dt.date(2026, 1, 1), dt.date(2027, 12, 31), "DGR 5377/2025", dt.date(2025, 11, 24),
    )  # fmt: skip
    # what the acts give: the areas; what they do not: the criteria and the opening day
    assert second.thematic_areas == list(DGR_5377_AREAS)
    assert first.thematic_areas == list(DGR_5899_AREAS)
    assert second.criteria_illustrative and second.opens_at_illustrative
    assert first.criteria_illustrative and first.opens_at_illustrative  # the call's own (yaml)
    assert [e.act_number for e in call.extensions] == ["", "DGR 1586/2023"]
    assert call.current_window is second
    assert first.max_total == second.max_total == 100 and call.min_firms == 10
    assert len(call.committee) == 3
    # true to the record (eoi_call.yaml names the sources): each extension by its act, on its
    # day; what the record does not give is flagged illustrative; no firm-only lead rule
    assert [(e.extended_at.date(), e.reason.split(",")[0]) for e in call.extensions] == [
        (dt.date(2022, 11, 30), "Extended to 31/12/2023 by the DGR of 30/11/2022."),
        (dt.date(2023, 12, 18), "Extended to 31/12/2025 by DGR 1586 of 18/12/2023."),
    ]
    assert call.act_reference == "DGR 5899/2022; decree 2338 of 24/02/2022"
    assert call.opens_at_illustrative and call.criteria_illustrative
    assert not call.lead_must_be_firm

    apps = db.session.scalars(
        select(Application).where(Application.workflow == "value_chain").order_by(Application.id)
    ).all()
    states = Counter(a.state for a in apps)
    assert set(states) == {s.name for s in get_workflow("value_chain").states}, states
    assert states["label_granted"] > len(apps) / 2
    # each chain named areas of its window: those submitted from 2026 (and the drafts) DGR
    # 5377/2025's, and they are evaluated under its criteria; the others DGR 5899/2022's
    assert all(a.thematic_areas and not a.areas_outside_window for a in apps)
    assert {a.thematic_area for a in apps if a.rules_window is first} == set(DGR_5899_AREAS)
    later = [a for a in apps if a.rules_window is second]
    assert {a.state for a in later} == {"draft", "submitted"}
    assert {a.thematic_area for a in later} <= set(DGR_5377_AREAS)
    assert all(a.created_at.date() >= dt.date(2026, 1, 1) for a in later if a.state == "submitted")

    # issue 14: of the two waiting on an integration, one has days left to reply, one is late
    waiting = [a.pending_integration for a in apps if a.state == "integration_requested"]
    assert sorted(r.overdue for r in waiting) == [False, True]
    assert all(r.question for r in waiting)

    # every application's state is what its history says, at the time it says
    now = utcnow()
    for a in apps:
        if a.history:
            assert a.state == a.history[-1].to_state, a.title
            assert a.state_entered_at == a.history[-1].at, a.title
            assert a.history[0].from_state == "draft"
            for before, after in zip(a.history, a.history[1:], strict=False):
                assert before.to_state == after.from_state and before.at < after.at, a.title
        else:
            assert a.state == "draft" and a.state_entered_at == a.created_at, a.title
        assert a.created_at <= a.state_entered_at < now
        assert all(r.submitted_at < now for r in a.reviews)

    # labels: unique codes, granted above the threshold, the revoked one with its reason; their
    # decrees are not in the record, so each is illustrative and no comment cites a number
    labels = db.session.scalars(select(QualityLabel)).all()
    assert all(label.decree_illustrative for label in labels)
    comments = [h.comment for a in apps for h in a.history]
    assert not any("decree n." in c for c in comments)
    # the call lets the partners choose their lead: no inadmissibility for a lead not a firm
    assert not any("requires a firm as lead" in c for c in comments)
    assert len(labels) >= 40
    assert len({label.code for label in labels}) == len(labels)
    for label in labels:
        assert label.application.score >= call.score_threshold
        assert label.valid == (label.application.state != "label_revoked")
    assert all(a.score < call.score_threshold for a in apps if a.state == "not_recognised")

    # organisations: valid, unique VAT numbers; all twelve provinces in the partnerships
    orgs = db.session.scalars(select(Organisation)).all()
    assert len(orgs) >= 300
    assert all(vat_problem(o.vat_number) is None for o in orgs)
    assert len({o.vat_number for o in orgs}) == len(orgs)
    provinces = {o.province for a in apps for o in a.partner_organisations}
    assert set(LOMBARDY_PROVINCES) <= provinces
    assert any(not o.lombardy_seat for a in apps for o in a.partner_organisations)

    # every demo account logs in with the demo password
    users = {u.email: u for u in db.session.scalars(select(User))}
    for email, _ in DEMO_ACCOUNTS:
        assert users[email].check_password(DEMO_PASSWORD), email

    # the real case
    steel = next(a for a in apps if a.title == STEEL_TITLE)
    assert steel.state == "label_granted"
    assert len(steel.partners) == 43
    assert steel.lead_organisation.name.startswith("Duferco Travi e Profilati")
    assert steel.lead_organisation.province == "BS"
    assert "AFIL" in steel.actions and "white slag" in steel.objectives
    assert steel.lead_organisation_id == users["steel@demo.example.org"].organisation_id
    assert steel.partner_for(users["partner@demo.example.org"].organisation_id) is not None
    press = {"Feralpi", "Alfa Acciai", "Ori Martin", "Asonext", "Fonderia di Torbole",
             "Acciaierie di Calvisano", "Raffmetal", "IBS Consulting", "Provincia di Brescia",
             "Università degli Studi di Brescia"}  # fmt: skip
    assert press <= {o.name for o in steel.partner_organisations}
    facilitator = next(p for p in steel.partners if p.organisation.name == "IBS Consulting")
    assert "animatore della filiera" in facilitator.role
    assert "limes" in steel.objectives and "plastics" in steel.objectives
    reviewer3 = users["reviewer3@demo.example.org"]
    assert steel.has_conflict(reviewer3)
    assert reviewer3.id not in {r.reviewer_id for r in steel.reviews}

    # the draft one firm short: its submission is refused, naming the missing firms
    fashion = next(a for a in apps if a.title == FASHION_TITLE)
    lead = users["lead@demo.example.org"]
    assert fashion.state == "draft" and fashion.lead_organisation_id == lead.organisation_id
    submit = next(o for o in available_transitions(lead, fashion) if o.trigger == "submit")
    assert not submit.allowed
    assert [u.condition for u in submit.unmet] == ["min_lombardy_firms"]

    # a reviewer has work to do, and a conflict to respect, among the applications under evaluation
    under = [a for a in apps if a.state == "under_evaluation"]
    assert any(a.review_refusal(users["reviewer1@demo.example.org"]) is None for a in under)
    assert any(a.has_conflict(reviewer3) for a in under)

    # the pages say what is illustrative, and the notice claims no more than is true
    client = app.test_client()
    registry = client.get("/registry").get_data(as_text=True)
    assert registry.count("its number and date are illustrative") == min(len(labels), 50)
    notice = client.get("/").get_data(as_text=True)
    assert "the partners the press names" in notice and "public acts" not in notice

    # loading again changes nothing, also through the command line
    before = _counts()
    assert "skipped" in load_demo()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "skipped" in result.output
    assert _counts() == before
