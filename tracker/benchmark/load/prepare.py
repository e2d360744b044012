"""The cast of the deadline-day rush, prepared on a scratch copy of a bench before the server
starts: drafts ready to submit for the leads, and for every simulated person an API token and a
logged-in browser session (a ``user_sessions`` row and its signed cookie), so that nobody logs
in during the run and the login limits do not shape the figures.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import flask
from flask_login import login_user
from sqlalchemy import func, select

from tracker.applications.models import Application, HistoryEntry, Partner
from tracker.applications.operations import add_partner, create_application
from tracker.auth import sessions
from tracker.auth.models import User
from tracker.auth.operations import issue_token
from tracker.benchmark.build import OFFICER_EMAIL
from tracker.benchmark.measure import dashboard_url
from tracker.calls.models import Call, CommitteeMember
from tracker.database import commit
from tracker.documents.operations import upload_agreement
from tracker.documents.samples import MINIMAL_PDF
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.reviews.models import Review

#: how long each person waits between actions, in seconds: the rush's "1-5", or "0" for a
#: closed loop (everyone asks again as soon as answered: the most the server can answer)
RUSH_WAIT = "1-5"


def parse_wait(spec: str) -> tuple[float, float]:
    """``"1-5"`` -> (1, 5); ``"0"`` -> (0, 0). ValueError on anything else."""
    refused = ValueError(f"not a wait in seconds: {spec!r} (say 1-5, or 0)")
    low, dash, high = spec.partition("-")
    try:
        low_s = float(low)
        high_s = float(high) if dash else low_s
    except ValueError:
        raise refused from None
    if not 0 <= low_s <= high_s:
        raise refused
    return low_s, high_s


CONCEPT_NOTE = {
    "challenges": "Energy costs and skills shortages along the chain.",
    "needs": "Shared logistics and joint training.",
    "objectives": "Grow exports by 20% in three years.",
    "actions": "A digital platform shared by the partners.",
    "investments": "EUR 2m over three years.",
}


@dataclass
class Person:
    email: str
    token: str
    cookie: str
    #: leads: their draft; partners: applications of their partnership
    applications: list[int] = field(default_factory=list)


@dataclass
class Cast:
    cookie_name: str
    dashboard: str
    leads: list[Person]
    partners: list[Person]
    reviewers: list[Person]
    officers: list[Person]
    #: (reviewer's index in ``reviewers``, application id): reviews waiting to be written
    reviews: list[tuple[int, int]]
    #: criterion key -> highest score, per call id (as text: JSON keys)
    criteria: dict[str, dict[str, int]]
    #: the history and reviews before the run: what came after is the run's
    last_history_id: int
    last_review_id: int

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Cast:
        raw = json.loads(path.read_text())
        people = {
            k: [Person(**p) for p in raw[k]] for k in ("leads", "partners", "reviewers", "officers")
        }
        return cls(**(raw | people | {"reviews": [tuple(r) for r in raw["reviews"]]}))


def _signed_in(app, user: User) -> tuple[str, str]:
    """An API token and a browser session cookie of ``user``."""
    token = issue_token(user)
    with app.test_request_context("/", headers={"User-Agent": "locust"}):
        sessions.start(user)
        login_user(user)
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(flask.session))
    return token, cookie


def _lombard_firms(limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Organisation.id)
            .where(Organisation.kind == "firm", Organisation.lombardy_seat.is_(True))
            .order_by(Organisation.id)
            .limit(limit)
        )
    )


def _drafts(count: int, firms_needed: int) -> list[tuple[User, int]]:
    """``count`` drafts ready to submit, each by the applicant of a Lombard firm, with enough
    Lombard firms as partners and the agreement signed: (lead, application id)."""
    calls = db.session.scalars(select(Call).order_by(Call.id)).all()
    firms = _lombard_firms(count + firms_needed + 1)
    applicants = {
        u.organisation_id: u
        for u in db.session.scalars(select(User).where(User.organisation_id.in_(firms[:count])))
    }
    out = []
    for i, org_id in enumerate(firms[:count]):
        lead = applicants[org_id]
        app = create_application(
            lead,
            calls[i % len(calls)],
            {"title": f"Deadline-day value chain {i + 1}", "thematic_area": "sustainability",
             "concept_note": CONCEPT_NOTE},
        )  # fmt: skip
        others = [f for f in firms if f != org_id]
        for k in range(firms_needed - 1):
            add_partner(lead, app, others[(i + k) % len(others)], "Partner firm", "")
        upload_agreement(lead, app, "agreement.pdf", MINIMAL_PDF)  # signed only with its PDF
        commit()
        out.append((lead, app.id))
    return out


def prepare(app, people: int, path: Path) -> Cast:
    """Everything the run needs, on the database of ``app`` (a scratch copy of a bench):
    ``people`` drafts for as many leads, as many partners, the committees, the officer."""
    with app.app_context():
        min_firms = max(db.session.scalars(select(Call.min_firms)))
        drafts = _drafts(people, min_firms)
        leads = []
        for lead, app_id in drafts:
            token, cookie = _signed_in(app, lead)
            leads.append(Person(lead.email, token, cookie, [app_id]))
        # partners: applicants whose organisation is in a submitted partnership
        rows = db.session.execute(
            select(User, func.min(Partner.application_id))
            .join(Partner, Partner.organisation_id == User.organisation_id)
            .join(Application, Application.id == Partner.application_id)
            .where(Application.submitted_at.is_not(None))
            .group_by(User.id)
            .order_by(User.id.desc())
            .limit(people)
        ).all()
        partners = []
        for user, app_id in rows:
            token, cookie = _signed_in(app, user)
            partners.append(Person(user.email, token, cookie, [app_id]))
        members = db.session.scalars(
            select(User).where(User.id.in_(select(CommitteeMember.user_id))).order_by(User.id)
        ).all()
        reviewers, reviews = [], []
        for index, member in enumerate(members):
            token, cookie = _signed_in(app, member)
            calls = sorted(member.committee_call_ids)
            waiting = db.session.scalars(
                select(Application.id)
                .where(
                    Application.call_id.in_(calls),
                    Application.state == "under_evaluation",
                    ~Application.id.in_(
                        select(Review.application_id).where(Review.reviewer_id == member.id)
                    ),
                )
                .order_by(Application.id)
                .limit(people)
            ).all()
            reviewers.append(Person(member.email, token, cookie, list(waiting)))
            reviews += [(index, app_id) for app_id in waiting]
        officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
        token, cookie = _signed_in(app, officer)
        criteria = {
            str(call.id): {c.key: c.max_score for c in call.criteria}
            for call in db.session.scalars(select(Call))
        }
        commit()
        cast = Cast(
            cookie_name=app.config["SESSION_COOKIE_NAME"],
            dashboard=dashboard_url(app),
            leads=leads,
            partners=partners,
            reviewers=reviewers,
            officers=[Person(officer.email, token, cookie)],
            reviews=reviews,
            criteria=criteria,
            last_history_id=db.session.scalar(select(func.coalesce(func.max(HistoryEntry.id), 0))),
            last_review_id=db.session.scalar(select(func.coalesce(func.max(Review.id), 0))),
        )
        db.session.remove()
        db.engine.dispose()
    cast.save(path)
    return cast
