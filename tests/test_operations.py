"""The business rules of phase 1, through the operations that pages and API share."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from tracker.applications.operations import (
    add_partner,
    available_transitions,
    create_application,
    fire_transition,
    record_agreement,
    remove_partner,
    update_application,
)
from tracker.calls.operations import appoint_member, create_call, extend_deadline
from tracker.database import commit
from tracker.documents.operations import upload_agreement
from tracker.documents.samples import MINIMAL_PDF
from tracker.errors import Conflict, Forbidden, ValidationFailed
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.reviews.operations import submit_review

TODAY = dt.date.today()


def unmet_names(err) -> list[str]:
    return [u["condition"] for u in err.value.details["unmet"]]


def test_call_needs_sane_rules(make):
    officer = make.user("officer")
    with pytest.raises(ValidationFailed) as err:
        create_call(officer, {"title": "", "opens_at": "2022-03-01", "deadline": "2021-12-31", "score_threshold": 120,
                              "criteria": [{"key": "a", "label": "A", "max": 50}, {"key": "a", "label": "B", "max": 0}]})  # fmt: skip
    fields = err.value.details["fields"]
    assert set(fields) >= {"title", "deadline", "criteria[1].key", "criteria[1].max"}
    with pytest.raises(ValidationFailed, match="above the highest possible score"):
        create_call(officer, {"title": "T", "opens_at": "2022-03-01", "deadline": "2022-12-31", "score_threshold": 51,
                              "criteria": [{"key": "a", "label": "A", "max": 50}]})  # fmt: skip
    with pytest.raises(Forbidden):
        create_call(make.user("applicant"), {"title": "x"})


def test_deadline_extensions_move_forward_and_are_kept(make):
    officer = make.user("officer")
    call = make.call(officer, opens_at="2022-03-01", deadline="2022-12-31")
    for day in ("2023-12-31", "2025-12-31", "2027-12-31"):
        extend_deadline(officer, call, day, "DGR extension")
    commit()
    assert call.deadline == dt.date(2027, 12, 31)
    assert [(e.previous_deadline.year, e.new_deadline.year) for e in call.extensions] == [
        (2022, 2023),
        (2023, 2025),
        (2025, 2027),
    ]
    with pytest.raises(ValidationFailed, match="after 31/12/2027"):
        extend_deadline(officer, call, "2027-06-30")


def test_committee_members_must_be_reviewers_and_appointed_once(make, world):
    with pytest.raises(ValidationFailed):
        appoint_member(world.officer, world.call, world.lead.id)
    with pytest.raises(Conflict):
        appoint_member(world.officer, world.call, world.reviewers[0].id)
    with pytest.raises(ValidationFailed):
        appoint_member(world.officer, world.call, "1")


def test_no_application_outside_the_window(make, world):
    closed = make.call(world.officer, opens_at="2020-11-12", deadline="2020-12-02")
    with pytest.raises(ValidationFailed) as err:
        create_application(world.lead, closed, {"title": "Late"})
    assert unmet_names(err) == ["call_open"]


def test_only_own_organisation_leads(make, world):
    with pytest.raises(Forbidden):
        create_application(
            world.lead, world.call, {"title": "x", "lead_organisation_id": world.lead_org.id + 999}
        )
    with pytest.raises(Forbidden):
        create_application(world.officer, world.call, {"title": "x"})


def test_submit_names_every_unmet_condition_then_succeeds(make, world):
    app = make.application(world.call, world.lead, complete=False)
    with pytest.raises(ValidationFailed) as err:
        fire_transition(world.lead, app, "submit")
    assert unmet_names(err) == ["min_lombardy_firms", "concept_note_complete", "agreement_signed"]
    assert "1 of the 3 required firms with a seat in Lombardy." in err.value.message
    db.session.rollback()
    update_application(
        world.lead,
        app,
        {
            "concept_note": {
                k: "Text" for k in ("challenges", "needs", "objectives", "actions", "investments")
            }
        },
    )
    for _ in range(2):
        add_partner(world.lead, app, make.organisation().id, "Partner", "Data")
    add_partner(
        world.lead, app, make.organisation(province="TO", lombardy_seat=False).id, "Outside", ""
    )
    add_partner(world.lead, app, make.organisation(kind="university").id, "Research", "")
    # issue 14: the agreement counts as signed only with its signed PDF
    with pytest.raises(ValidationFailed, match="as a PDF") as refused:
        record_agreement(world.lead, app, True)
    assert refused.value.code == "agreement_pdf_missing" and not app.agreement_signed
    upload_agreement(world.lead, app, "agreement.pdf", MINIMAL_PDF)
    commit()
    assert app.lombardy_firm_count == 3  # the Turin firm and the university do not count
    make.fire(app, world.lead, "submit")
    assert app.state == "submitted" and app.submitted_at is not None


def test_changing_the_partnership_voids_the_signed_agreement(make, world):
    app = make.application(world.call, world.lead)
    assert app.agreement_signed
    extra = make.organisation()
    add_partner(world.lead, app, extra.id, "Late joiner", "")
    assert not app.agreement_signed
    upload_agreement(world.lead, app, "agreement.pdf", MINIMAL_PDF)
    remove_partner(world.lead, app, extra.id)
    assert not app.agreement_signed
    with pytest.raises(ValidationFailed, match="lead partner cannot be removed"):
        remove_partner(world.lead, app, world.lead_org.id)
    with pytest.raises(Conflict):
        add_partner(world.lead, app, app.partners[1].organisation_id, "Twice", "")


def test_partners_edit_the_note_but_only_the_lead_manages_the_partnership(make, world):
    app = make.application(world.call, world.lead)
    partner_user = make.user("applicant", organisation=app.partners[1].organisation)
    update_application(partner_user, app, {"title": "Renamed by a partner"})
    with pytest.raises(Forbidden):
        add_partner(partner_user, app, make.organisation().id, "x", "")
    with pytest.raises(Forbidden):
        fire_transition(partner_user, app, "submit")
    stranger = make.user("applicant", organisation=make.organisation())
    with pytest.raises(Forbidden):
        update_application(stranger, app, {"title": "Hijack"})


def test_locked_after_submission_and_open_again_on_integration(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    with pytest.raises(Conflict):
        update_application(world.lead, app, {"title": "Too late"})
    db.session.rollback()
    make.declare(app, world.reviewers[0])  # no conflict of interest (issue 14)
    with pytest.raises(ValidationFailed) as err:
        fire_transition(world.reviewers[0], app, "request_integration", comment="")
    assert unmet_names(err) == ["comment"]
    db.session.rollback()
    make.fire(
        app,
        world.reviewers[0],
        "request_integration",
        comment="Please attach the signed agreement.",
    )
    update_application(world.lead, app, {"title": "Now complete"})
    commit()
    make.fire(app, world.lead, "resubmit", "Attached: the signed agreement.")
    assert app.state == "submitted" and app.title == "Now complete"


def test_stale_version_is_a_conflict(make, world):
    app = make.application(world.call, world.lead)
    seen = app.version
    update_application(world.lead, app, {"title": "First"}, expected_version=seen)
    commit()
    with pytest.raises(Conflict, match="changed this application"):
        update_application(world.lead, app, {"title": "Second"}, expected_version=seen)
    with pytest.raises(Conflict):
        fire_transition(world.lead, app, "submit", expected_version=seen)


def test_reviews_score_within_range_once_and_without_conflict(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    with pytest.raises(Conflict, match="under evaluation"):
        submit_review(world.reviewers[0], app, {"coherence": 1, "impact": 1}, "favourable")
    make.fire(app, world.reviewers[0], "admit")
    with pytest.raises(ValidationFailed) as err:
        submit_review(world.reviewers[0], app, {"coherence": 41, "impact": -1, "luck": 3}, "maybe")
    assert set(err.value.details["fields"]) == {
        "scores.coherence",
        "scores.impact",
        "scores.luck",
        "recommendation",
    }
    make.review(app, world.reviewers[0], {"coherence": 30, "impact": 40})
    with pytest.raises(Conflict, match="already reviewed"):
        submit_review(world.reviewers[0], app, {"coherence": 30, "impact": 40}, "favourable")
    conflicted = make.user("reviewer", organisation=world.lead_org)
    make.appoint(world.call, conflicted)
    with pytest.raises(Forbidden, match="conflict of interest"):
        submit_review(conflicted, app, {"coherence": 30, "impact": 40}, "favourable")
    assert "reviewer" not in app.roles_of(conflicted)
    with pytest.raises(Forbidden):
        submit_review(make.user("reviewer"), app, {"coherence": 1, "impact": 1}, "favourable")


def test_evaluation_closes_with_enough_reviews_and_the_label_needs_the_threshold(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.reviewers[0], "admit")
    make.review(app, world.reviewers[0], {"coherence": 20, "impact": 35})
    with pytest.raises(ValidationFailed) as err:
        fire_transition(world.reviewers[0], app, "close_evaluation")
    assert "1 of the 2 required reviews submitted." in err.value.message
    db.session.rollback()
    make.review(app, world.reviewers[1], {"coherence": 20, "impact": 44})
    make.fire(app, world.reviewers[1], "close_evaluation")
    assert app.score == Decimal("59.50")
    options = {o.trigger: o for o in available_transitions(world.officer, app)}
    assert not options["grant_label"].allowed
    assert (
        options["grant_label"].unmet[0].message
        == "Average score 59.50 is below the threshold of 60.00."
    )
    with pytest.raises(Forbidden):
        fire_transition(world.reviewers[0], app, "reject", comment="no")
    make.fire(app, world.officer, "reject", comment="Below the threshold.")
    assert app.state == "not_recognised" and app.label is None


def test_granting_the_label_issues_a_unique_code_with_the_decree(make, world):
    codes = []
    for title in ("Steel", "Textile"):
        app = make.application(world.call, world.lead, title=title)
        make.fire(app, world.lead, "submit")
        make.fire(app, world.officer, "admit")
        for r in world.reviewers:
            make.review(app, r)
        make.fire(app, world.officer, "close_evaluation")
        with pytest.raises(ValidationFailed) as err:
            fire_transition(world.officer, app, "grant_label", data={"decree_number": "  "})
        assert unmet_names(err) == ["decree_number", "decree_date"]
        db.session.rollback()
        entry = make.fire(
            app, world.officer, "grant_label", decree_number="18573", decree_date="2023-12-05"
        )
        assert entry.data == {"decree_number": "18573", "decree_date": "2023-12-05"}
        codes.append(app.label.code)
        assert app.label.decree_date == dt.date(2023, 12, 5)
    assert len(set(codes)) == 2
    make.fire(app, world.officer, "revoke_label", comment="Partnership dissolved.")
    label = db.session.scalar(select(QualityLabel).where(QualityLabel.application_id == app.id))
    assert not label.valid and label.revocation_reason == "Partnership dissolved."


def test_only_the_lead_withdraws(make, world):
    app = make.application(world.call, world.lead)
    with pytest.raises(Forbidden):
        fire_transition(world.officer, app, "withdraw")
    make.fire(app, world.lead, "withdraw")
    assert app.state == "withdrawn"
    assert not app.can_view(world.officer)  # a draft withdrawn stays private
    with pytest.raises(Conflict):
        fire_transition(world.lead, app, "submit")


def _evaluated(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    for reviewer in world.reviewers:
        make.review(app, reviewer)
    make.fire(app, world.reviewers[0], "close_evaluation")
    return app


def test_a_decree_dated_in_the_future_or_before_the_call_opened_is_refused(make, world):
    """A label decree dated 2099 once reached the public registry: decision dates must lie
    between the call's opening and today."""
    import datetime as dt

    from tracker.errors import ValidationFailed
    from tracker.extensions import db

    app = _evaluated(make, world)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    for day, reason in ((tomorrow, "cannot be in the future"), ("2099-01-01", "in the future"),
                        ("2022-02-28", "cannot be before 01/03/2022, when the call opened")):  # fmt: skip
        with pytest.raises(ValidationFailed, match=reason) as err:
            make.fire(app, world.officer, "grant_label", decree_number="1", decree_date=day)
        assert [u["condition"] for u in err.value.details["unmet"]] == ["decree_date"]
        db.session.rollback()
        assert app.state == "evaluated"
    make.fire(app, world.officer, "grant_label", decree_number="1",
              decree_date=dt.date.today().isoformat())  # fmt: skip
    assert app.state == "label_granted"
