"""The officer dashboard's figures on a small world whose answers are known: counts by state,
drafts only counted, time in state, overdue against the call's service times, breakdowns."""

from __future__ import annotations

import pytest

from tracker.dashboards import figures as fig
from tracker.dashboards.service_times import DEFAULT_DAYS, set_service_times
from tracker.dashboards.tallies import DAY
from tracker.database import commit
from tracker.errors import Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.usefixtures("request_ctx")


@pytest.fixture
def known(dw, days_ago, make):
    """a1 under evaluation for 10 days (2 days a draft, 8 submitted); a2 submitted 24 days ago
    (a draft for 1 day); a draft; a draft withdrawn; a3 from a Milan lead, innovation, S3
    Nutrition, submitted 3 days ago."""
    a1 = dw.draft(at=days_ago(20))
    dw.walk(a1, [("submit", 18), ("admit", 10)])
    a2 = dw.draft(at=days_ago(25))
    dw.walk(a2, [("submit", 24)])
    dw.draft()
    gone = dw.draft(at=days_ago(4))
    dw.walk(gone, [("withdraw", 1)])
    milan = make.user("applicant", organisation=make.organisation("Milan lead", province="MI"))
    a3 = dw.draft(lead=milan, at=days_ago(5), thematic_area="innovation")
    a3.s3_ecosystem = "nutrition"  # no form sets it yet: the tallies follow an edit all the same
    commit()
    dw.walk(a3, [("submit", 3)], lead=milan)
    return {"a1": a1, "a2": a2, "a3": a3}


def _state(figures, name):
    flow = figures.workflows[0]
    return next(s for s in flow.states if s.state == name)


def test_counts_by_state_count_only_what_was_submitted(dw, known):
    figures = fig.officer_figures(fig.scope_for(dw.officer, dw.call.id))
    assert figures.total == 3
    assert figures.by_state()["submitted"] == 2 and figures.by_state()["under_evaluation"] == 1
    assert figures.by_state()["draft"] == 0 and figures.by_state()["withdrawn"] == 0
    assert figures.in_preparation == 1  # the withdrawn draft is neither


def test_time_in_state_is_read_from_the_recorded_stays(dw, known):
    figures = fig.officer_figures(fig.scope_for(dw.officer, dw.call.id))
    draft = _state(figures, "draft").durations
    # drafts of 2, 1, 3 (the withdrawn one) and 2 days (a3)
    assert draft.count == 4
    assert draft.average_days == pytest.approx(2.0, abs=0.01)
    assert 3.0 <= draft.p90_days <= 5.0  # within the 3-5 day bucket of the longest stay
    submitted = _state(figures, "submitted").durations
    assert submitted.count == 1 and submitted.average_days == pytest.approx(8.0, abs=0.01)
    assert _state(figures, "under_evaluation").durations.count == 0


def test_overdue_follows_the_calls_service_times(dw, known):
    scope = fig.scope_for(dw.officer, dw.call.id)
    assert fig.officer_figures(scope).overdue == 0  # 24 days submitted, 30 allowed
    set_service_times(dw.officer, dw.call, {"submitted": "5", "under_evaluation": "9"})
    commit()
    figures = fig.officer_figures(scope)
    assert _state(figures, "submitted").overdue == 1
    assert _state(figures, "under_evaluation").overdue == 1
    assert _state(figures, "submitted").service_days == 5
    assert [o.application_id for o in figures.oldest_overdue] == [known["a2"].id, known["a1"].id]
    oldest = figures.oldest_overdue[0]
    assert oldest.days == 24 and oldest.service_days == 5 and oldest.days_late == 19
    # empty: back to the default
    set_service_times(dw.officer, dw.call, {"submitted": "", "under_evaluation": ""})
    commit()
    assert fig.officer_figures(scope).overdue == 0


def test_service_times_refuse_nonsense_and_non_officers(dw):
    with pytest.raises(ValidationFailed) as err:
        set_service_times(dw.officer, dw.call, {"submitted": "0", "evaluated": "abc"})
    assert set(err.value.details["fields"]) == {"submitted", "evaluated"}
    with pytest.raises(ValidationFailed):
        set_service_times(dw.officer, dw.call, {"label_granted": "10"})  # no service time there
    with pytest.raises(Forbidden):
        set_service_times(dw.reviewers[0], dw.call, {"submitted": "10"})
    # issue 14: while an integration is requested the Region's clock is suspended: no service time
    assert set(DEFAULT_DAYS["value_chain"]) == {"submitted", "under_evaluation", "evaluated"}


def test_breakdowns_by_province_thematic_area_and_s3(dw, known):
    figures = fig.officer_figures(fig.scope_for(dw.officer, None))
    province = {r.key: (r.total, r.in_progress, r.positive) for r in figures.breakdowns["province"]}
    assert province == {"BS": (2, 2, 0), "MI": (1, 1, 0)}
    areas = {r.key: r.total for r in figures.breakdowns["thematic_area"]}
    assert areas == {"sustainability": 2, "innovation": 1}
    s3 = {r.key: r.label for r in figures.breakdowns["s3_ecosystem"]}
    assert s3 == {"": "Not stated", "nutrition": "Nutrition"}


def test_a_label_counts_as_a_positive_outcome_and_a_measure_shows_its_budget(dw, make):
    app = dw.draft()
    dw.walk(app, [("submit", 0), ("admit", 0), ("close_evaluation", 0), ("grant_label", 0)])
    measure = make.call(dw.officer, title="Bando Filiere", workflow="support_application",
                        budget="4000000", max_grant="400000", min_smes=0, label_bonus=10)  # fmt: skip
    figures = fig.officer_figures(fig.scope_for(dw.officer, None))
    assert figures.breakdowns["province"][0].positive == 1
    [budget] = figures.measures
    assert budget.call_id == measure.id and budget.remaining == budget.budget
    assert budget.share == 0.0


def test_who_sees_which_figures(dw, make):
    other = make.call(dw.officer, title="Another call")
    reviewer = dw.reviewers[0]
    assert fig.scope_for(reviewer, None).call_ids == {dw.call.id}
    assert [c.id for c in fig.scope_for(reviewer, None).calls] == [dw.call.id]
    assert fig.scope_for(dw.officer, None).call_ids is None
    with pytest.raises(Forbidden):
        fig.scope_for(reviewer, other.id)
    with pytest.raises(Forbidden):
        fig.scope_for(dw.lead, None)
    with pytest.raises(NotFound):
        fig.scope_for(dw.officer, 999999)


def test_a_reviewer_counts_only_the_calls_of_their_committees(dw, make, days_ago):
    other = make.call(dw.officer, title="Another call")
    app = dw.draft()
    dw.walk(app, [("submit", 0)])
    elsewhere = make.application(other, dw.lead)
    make.fire(elsewhere, dw.lead, "submit")
    assert fig.officer_figures(fig.scope_for(dw.officer, None)).total == 2
    assert fig.officer_figures(fig.scope_for(dw.reviewers[0], None)).total == 1


def test_durations_percentile_interpolates_within_its_bucket():
    from tracker.dashboards.tallies import BUCKETS, bucket_of, durations

    assert bucket_of(0) == 0 and bucket_of(BUCKETS[0]) == 1 and bucket_of(10**9) == len(BUCKETS)
    # ten stays: nine of half a day, one of 100 days
    histogram = {bucket_of(DAY // 2): (9, 9 * DAY // 2), bucket_of(100 * DAY): (1, 100 * DAY)}
    d = durations(histogram)
    assert d.count == 10 and d.average_days == pytest.approx(10.45)
    assert 0.04 <= d.p90_days <= 1.0  # the ninth of ten is in the hour-to-day bucket
    assert durations({}).p90 is None
