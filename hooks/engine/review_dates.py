"""Review dates: validation, section overrides and the review-due calculation.

Today's date is always a parameter so that tests pin it and never rot.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .diagnostics import Diagnostic

SECTION_ATTR = "data-reviewed"


@dataclass(frozen=True)
class ReviewDue:
    path: str
    last_reviewed: dt.date
    next_due: dt.date
    overdue: bool


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def check_date(path: str, line: int, col: int, label: str, value: object,
               today: dt.date) -> tuple[dt.date | None, list[Diagnostic]]:
    day = parse_date(value)
    if day is None or len(str(value)) != 10:
        return None, [Diagnostic(path, line, col, "REVIEW-DATE-INVALID",
                                 f"{label} '{value}' is not a real date in YYYY-MM-DD form")]
    if day > today:
        return None, [Diagnostic(path, line, col, "REVIEW-DATE-FUTURE",
                                 f"{label} {day.isoformat()} is after today ({today.isoformat()})")]
    return day, []


def due(path: str, last_reviewed: dt.date, today: dt.date, interval_months: int) -> ReviewDue:
    next_due = add_months(last_reviewed, interval_months)
    return ReviewDue(path, last_reviewed, next_due, next_due < today)


def overdue_diagnostic(path: str, line: int, col: int, what: str, review: ReviewDue,
                       interval_months: int) -> Diagnostic:
    return Diagnostic(
        path, line, col, "REVIEW-OVERDUE",
        f"{what} last reviewed {review.last_reviewed.isoformat()}: a review was due "
        f"{review.next_due.isoformat()} ({interval_months}-month interval)")
