"""When reports fall due: pure date arithmetic, no database.

A chain's periodic report and a project's progress report fall due every ``interval`` months of
the call, counted from a start day (the label's decree; the start of the implementation): report
``k`` is due ``k`` intervals after it. A report is *overdue* once its day has passed and it is
neither submitted nor accepted; it is *due* from ``AHEAD`` days before its day. The final report
has no due day (see ``workflows.definitions.report``).
"""

from __future__ import annotations

import calendar
import datetime as dt

#: a report shows as due this many days before its day
AHEAD = dt.timedelta(days=30)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, kept within the month (31 Jan + 1 = 28 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(start: dt.date, interval: int, period: int) -> dt.date:
    return add_months(start, interval * period)


def periods_due(start: dt.date, interval: int, today: dt.date) -> int:
    """How many reports have fallen due by ``today`` (their day is before it)."""
    k = 0
    while due_on(start, interval, k + 1) < today:
        k += 1
    return k


def periods_shown(start: dt.date, interval: int, today: dt.date) -> int:
    """How many reports a schedule shows by ``today``: the overdue and the one due soon."""
    k = 0
    while due_on(start, interval, k + 1) <= today + AHEAD:
        k += 1
    return k
