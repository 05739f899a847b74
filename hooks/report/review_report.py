"""The review-due report: pages by next review date, for editors (Markdown and JSON).

A page is as old as its oldest reviewed part: a section with a review date of its own
(``## Safety { data-reviewed="…" }``) that is older than the front matter's date makes the
page due when that section is, and every such section is listed with its own dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from hooks.check import Report
from hooks.rules.review_dates import parse_date

BUCKETS = (
    ("overdue", "Overdue"),
    ("due-30", "Due within 30 days"),
    ("due-90", "Due within 90 days"),
    ("later", "Later"),
)


@dataclass(frozen=True)
class SectionItem:
    heading: str
    line: int
    last_reviewed: str
    next_due: str
    overdue: bool


@dataclass(frozen=True)
class ReviewItem:
    path: str
    title: str
    status: str
    last_reviewed: str  # the page's as a whole: its oldest reviewed part
    next_due: str
    days_left: int
    bucket: str
    oldest_part: str = "page"  # "page" (the front matter's date) or "section 'Heading'"
    sections: list[SectionItem] = field(default_factory=list)


def _bucket(days_left: int) -> str:
    if days_left < 0:
        return "overdue"
    if days_left <= 30:
        return "due-30"
    if days_left <= 90:
        return "due-90"
    return "later"


def review_items(report: Report) -> list[ReviewItem]:
    items = []
    for page in report.pages.values():
        if page.review is None:
            continue
        data = page.meta.data if page.meta and isinstance(page.meta.data, dict) else {}
        review = data.get("review") if isinstance(data.get("review"), dict) else {}
        days_left = (page.review.next_due - report.today).days
        sections = [SectionItem(s.heading, s.line, s.last_reviewed.isoformat(), s.next_due.isoformat(), s.overdue)
                    for s in page.sections]
        oldest = min(page.sections, key=lambda s: (s.last_reviewed, s.line), default=None)
        page_date = parse_date(review.get("last_reviewed"))
        oldest_part = (f"section '{oldest.heading}'" if oldest and oldest.last_reviewed == page.review.last_reviewed
                       and (page_date is None or oldest.last_reviewed < page_date) else "page")
        items.append(ReviewItem(page.path, str(data.get("title", page.rel)), str(review.get("status", "")),
                                page.review.last_reviewed.isoformat(), page.review.next_due.isoformat(),
                                days_left, _bucket(days_left), oldest_part, sections))
    return sorted(items, key=lambda i: (i.next_due, i.path))


def as_json(report: Report) -> dict[str, object]:
    items = review_items(report)
    return {
        "today": report.today.isoformat(),
        "review_interval_months": report.config.review_interval_months,
        "counts": {key: sum(1 for i in items if i.bucket == key) for key, _ in BUCKETS},
        "pages": [asdict(i) for i in items],
    }


def _when(item: ReviewItem) -> str:
    if item.days_left < 0:
        return f"{-item.days_left} days overdue"
    return "today" if item.days_left == 0 else f"in {item.days_left} days"


def _sections(item: ReviewItem) -> str:
    """Each section with its own dates, the oldest part first in words: 'Safety (line 40): …'."""
    if not item.sections:
        return "—"
    parts = []
    for s in item.sections:
        late = ", **overdue**" if s.overdue else ""
        oldest = " (oldest part)" if item.oldest_part == f"section '{s.heading}'" else ""
        parts.append(f"{s.heading.replace('|', chr(92) + '|')} (line {s.line}){oldest}: reviewed {s.last_reviewed}, "
                     f"due {s.next_due}{late}")
    return "<br>".join(parts)


def as_markdown(report: Report, link_prefix: str = "") -> str:
    """Markdown tables, one per bucket. link_prefix turns docs/ paths into links from a site page."""
    items = review_items(report)
    today: dt.date = report.today
    out = [f"Pages by next review date as of {today.isoformat()} "
           f"(review interval {report.config.review_interval_months} months)."]
    for key, label in BUCKETS:
        bucket = [i for i in items if i.bucket == key]
        out += ["", f"## {label} ({len(bucket)})", ""]
        if not bucket:
            out.append("None.")
            continue
        out += ["| Page | Status | Last reviewed | Next review | When | Sections reviewed separately |",
                "| --- | --- | --- | --- | --- | --- |"]
        for item in bucket:
            rel = item.path.removeprefix("docs/")
            page = f"[{item.title}]({link_prefix}{rel})" if link_prefix else f"{item.title} (`{item.path}`)"
            out.append(f"| {page} | {item.status} | {item.last_reviewed} | {item.next_due} | {_when(item)} "
                       f"| {_sections(item)} |")
    return "\n".join(out) + "\n"
