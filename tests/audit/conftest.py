"""Fixtures of the audit tests: applications and a proposal with history, through the app."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tracker.audit.chain import CHAINS
from tracker.audit.triggers import drop_trigger_ddl, trigger_ddl
from tracker.database import commit
from tracker.extensions import db


@pytest.fixture
def chained(make, world):
    """An application with three state changes, one with one, a draft without any, and a
    proposal with two."""
    from tracker.communities.operations import add_member, create_community, create_proposal
    from tracker.communities.operations import fire_transition as fire_proposal

    long = make.application(world.call, world.lead, title="Steel value chain")
    make.fire(long, world.lead, "submit")
    make.fire(long, world.reviewers[0], "request_integration", "Please upload the agreement.")
    make.fire(long, world.lead, "resubmit", "Uploaded: signed agreement, 10 partners.")
    short = make.application(world.call, world.lead, title="Second chain")
    make.fire(short, world.lead, "submit")
    draft = make.application(world.call, world.lead, title="A draft", complete=False)

    coordinator = make.user("coordinator")
    member = make.user("applicant", organisation=make.organisation(kind="university"))
    community = create_community(coordinator, {"name": "Circular Economy", "topic": "Circular"})
    add_member(coordinator, community, member.id, "member")
    proposal = create_proposal(member, community, {"title": "Roadmap", "summary": "Priorities."})
    commit()
    fire_proposal(coordinator, proposal, "start_validation", comment="Worth it.")
    commit()
    fire_proposal(coordinator, proposal, "request_board_review", comment="Ready.")
    commit()
    return type(
        "Chained",
        (),
        {"long": long, "short": short, "draft": draft, "proposal": proposal, "world": world},
    )


@pytest.fixture
def no_triggers(app):
    """Someone with the database owner's rights: the append-only triggers dropped for the test
    (what only the hash chain can then reveal), and put back afterwards."""
    dialect = db.engine.dialect.name

    def run(statements):
        with db.engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))

    run([s for spec in CHAINS for s in drop_trigger_ddl(spec.history, dialect)])
    yield run
    db.session.rollback()
    run([s for spec in CHAINS for s in trigger_ddl(spec.history, dialect)])
