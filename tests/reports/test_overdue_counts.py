"""The overdue reports counted in SQL (the dashboards) agree with the schedules walked in Python,
whatever the decree's day (month ends kept within the month), the call's interval and the day
of counting; a filed report stops counting. The count the pages show is kept per app until a
transition of an application or a report, or the day, changes it."""

from __future__ import annotations

import datetime as dt

from tracker.extensions import db
from tracker.reports import queries

DECREES = (dt.date(2022, 1, 31), dt.date(2022, 2, 28), dt.date(2022, 11, 10), dt.date(2023, 3, 30))
TODAYS = (
    dt.date(2023, 2, 27), dt.date(2023, 2, 28), dt.date(2023, 3, 1), dt.date(2023, 3, 30),
    dt.date(2023, 3, 31), dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2025, 11, 10),
    dt.date(2025, 11, 11), dt.date(2026, 12, 5),
)  # fmt: skip


def _walked(rw, today: dt.date) -> int:
    chain = [(rw.chain, "periodic", rw.chain.label.decree_date)]
    return len(queries._late(chain + queries._projects_reporting(None), today))


def test_sql_counts_agree_with_the_schedules(rw):
    for interval in (12, 6, 1):
        rw.chain.call.report_interval_months = interval
        for decree in DECREES:
            rw.chain.label.decree_date = decree
            db.session.flush()
            for today in TODAYS:
                # counted afresh: the dates are changed here without a transition
                assert queries.count_overdue(today) == _walked(rw, today), (interval, decree, today)


def test_a_filed_report_stops_counting_and_the_list_follows(rw):
    today = dt.date(2025, 11, 11)  # three yearly reports fallen due since 10 Nov 2022
    before = queries.overdue_count(today)
    chain_late = [d for d in queries.overdue(today) if d.application.id == rw.chain.id]
    assert [d.period for d in chain_late] == [1, 2, 3]
    report = rw.file(rw.chain, "periodic", partners=3, firms=3, smes=2, investments="1000",
                     employment=30, projects_started=1)  # fmt: skip
    rw.fire(report, rw.lead, "submit")
    assert queries.overdue_count(today) == before - 1
    assert [d.period for d in queries.overdue(today) if d.application.id == rw.chain.id] == [2, 3]
    assert [d.period for d in queries.overdue(today, rw.chain.lead_organisation_id)
            if d.application.id == rw.chain.id] == [2, 3]  # fmt: skip


def test_the_kept_count_follows_transitions_and_the_day(rw, make):
    today = dt.date(2025, 11, 11)
    before = queries.overdue_count(today)
    listed = [d.application.id for d in queries.overdue(today)]
    assert rw.chain.id in listed and before == queries.count_overdue(today)
    # a change the schedules cannot see (no transition) is not counted until one happens
    rw.chain.call.report_interval_months = 1
    db.session.flush()
    assert queries.overdue_count(today) == before
    assert (
        queries.overdue_count(today + dt.timedelta(days=1))
        == queries.count_overdue(today + dt.timedelta(days=1))
        > before
    )
    rw.chain.call.report_interval_months = 12
    db.session.flush()
    # the Region closes the chain: it reports no more, through any process
    make.fire(rw.chain, rw.officer, "close", comment="The partnership dissolved.")
    assert queries.overdue_count(today) == queries.count_overdue(today) == before - 3
    assert rw.chain.id not in [d.application.id for d in queries.overdue(today)]
