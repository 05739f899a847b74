"""Review dates: validation, section overrides and the review-due calculation.

Today's date is always a parameter so that tests pin it and never rot.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from hooks.parse.frontmatter import FrontMatter
from hooks.parse.markdown import Document, Heading
from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

REVIEW_DATE_INVALID = define(
    'REVIEW-DATE-INVALID',
    Severity.ERROR,
    'A review date is not a real ISO date (YYYY-MM-DD).',
    'Write the date as YYYY-MM-DD, e.g. 2026-03-01.',
    'last_reviewed: 2026-02-30',
    module=__name__,
)
REVIEW_DATE_FUTURE = define(
    'REVIEW-DATE-FUTURE',
    Severity.ERROR,
    'A review date lies in the future.',
    "A review date records a review that happened; use today's date or earlier.",
    module=__name__,
)
REVIEW_OVERDUE = define(
    'REVIEW-OVERDUE',
    Severity.REPORT,
    'The content is older than the review interval.',
    'Re-check the claims against their sources (and for newer evidence), then update the date.',
    module=__name__,
)
REVIEW_ORDER = define(
    'REVIEW-ORDER',
    Severity.ERROR,
    'evidence_current_to is later than last_reviewed.',
    'The literature search cannot be newer than the review that used it.',
    module=__name__,
)


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
        return None, [Diagnostic(path, line, col, REVIEW_DATE_INVALID,
                                 f"{label} '{value}' is not a real date in YYYY-MM-DD form")]
    if day > today:
        return None, [Diagnostic(path, line, col, REVIEW_DATE_FUTURE,
                                 f"{label} {day.isoformat()} is after today ({today.isoformat()})")]
    return day, []


def due(path: str, last_reviewed: dt.date, today: dt.date, interval_months: int) -> ReviewDue:
    next_due = add_months(last_reviewed, interval_months)
    return ReviewDue(path, last_reviewed, next_due, next_due < today)


def overdue_diagnostic(path: str, line: int, col: int, what: str, review: ReviewDue,
                       interval_months: int) -> Diagnostic:
    return Diagnostic(
        path, line, col, REVIEW_OVERDUE,
        f"{what} last reviewed {review.last_reviewed.isoformat()}: a review was due "
        f"{review.next_due.isoformat()} ({interval_months}-month interval)")


SCOPE = "page"


@dataclass(frozen=True)
class SectionReview:
    """A section with a review date of its own (``## Safety { data-reviewed="…" }``)."""

    heading: str
    line: int
    last_reviewed: dt.date
    next_due: dt.date
    overdue: bool


@dataclass
class PageDates:
    """The page's review dates, resolved once: what the claims, the review box, the review-due
    report and JSON-LD all use. ``review`` is the page as a whole: as old as its oldest reviewed part."""

    page_date: dt.date | None = None
    evidence_current_to: dt.date | None = None
    overrides: dict[int, dt.date | None] = field(default_factory=dict)  # heading line -> date
    sections: list[SectionReview] = field(default_factory=list)
    review: ReviewDue | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def date_for(self, headings: list[Heading], line: int) -> dt.date | None:
        for heading in section_chain(headings, line):
            if heading.line in self.overrides:
                return self.overrides[heading.line]
        return self.page_date


def section_chain(headings: list[Heading], line: int) -> list[Heading]:
    """Headings enclosing a line, innermost first."""
    chain: list[Heading] = []
    level = 7
    for heading in reversed([h for h in headings if h.line < line]):
        if heading.level < level:
            chain.append(heading)
            level = heading.level
    return chain


def section_of(headings: list[Heading], line: int) -> Heading | None:
    chain = section_chain(headings, line)
    return chain[0] if chain else None


def resolve(path: str, meta: FrontMatter | None, doc: Document | None, today: dt.date,
            interval: int) -> PageDates:
    out = PageDates()
    if meta is None or not meta.present or not isinstance(meta.data, dict):
        return out
    review = meta.data.get("review") if isinstance(meta.data.get("review"), dict) else {}
    dates: dict[str, dt.date] = {}
    for name in ("last_reviewed", "evidence_current_to"):
        if name in review:
            line, col = meta.line_of(("review", name))
            day, diags = check_date(path, line, col, f"review.{name}", review[name], today)
            out.diagnostics.extend(diags)
            if day:
                dates[name] = day
    if "last_reviewed" in dates and "evidence_current_to" in dates \
            and dates["evidence_current_to"] > dates["last_reviewed"]:
        line, col = meta.line_of(("review", "evidence_current_to"))
        out.diagnostics.append(Diagnostic(path, line, col, REVIEW_ORDER,
                                          "evidence_current_to is later than last_reviewed"))
    out.page_date = dates.get("last_reviewed")
    out.evidence_current_to = dates.get("evidence_current_to")
    if out.page_date:
        out.review = due(path, out.page_date, today, interval)
        if out.review.overdue:
            line, col = meta.line_of(("review", "last_reviewed"))
            out.diagnostics.append(overdue_diagnostic(path, line, col, "page", out.review, interval))
    for heading in doc.headings if doc is not None else []:
        if SECTION_ATTR not in heading.attrs:
            continue
        day, diags = check_date(path, heading.line, 1, f"section '{heading.text}' review date",
                                heading.attrs[SECTION_ATTR], today)
        out.diagnostics.extend(diags)
        out.overrides[heading.line] = day
        if day:
            section_due = due(path, day, today, interval)
            out.sections.append(SectionReview(heading.text, heading.line, day, section_due.next_due,
                                              section_due.overdue))
            if section_due.overdue:
                out.diagnostics.append(overdue_diagnostic(path, heading.line, 1, f"section '{heading.text}'",
                                                          section_due, interval))
    if out.review and out.sections:  # the page is as old as its oldest reviewed part
        oldest = min(section.last_reviewed for section in out.sections)
        if oldest < out.review.last_reviewed:
            out.review = due(path, oldest, today, interval)
    return out


def check(context) -> list[Diagnostic]:
    """Review dates of a clinical page: valid, not in the future, in order; overdue ones reported."""
    return context.dates.diagnostics if context.page.clinical else []
