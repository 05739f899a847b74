"""The head of a clinical page: other names, the evidence badge, the review box and the audience switch.

Rendered from the page view (front matter and the check's review dates), as ready HTML that
the hook module places under the title after Markdown.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from hooks.render import page_view


def long_date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not recorded"


def _time(day: dt.date | None) -> str:
    return f'<time datetime="{day.isoformat()}">{long_date(day)}</time>' if day else "not recorded"


def _section_link(section: page_view.SectionDate) -> str:
    return f'<a href="#{html.escape(section.anchor)}">{html.escape(section.heading)}</a>'


def _section_dates_html(box: page_view.ReviewBox) -> str:
    """The sections reviewed on dates of their own, each with its dates; then the rest of the page."""
    items = []
    for section in box.sections:
        overdue = " <strong>(overdue)</strong>" if section.overdue else ""
        items.append(f'<li class="kb-section-date">{_section_link(section)}: reviewed {_time(section.last_reviewed)}, '
                     f"next review due {_time(section.next_due)}{overdue}</li>")
    if box.page_reviewed:
        items.append(f"<li>The rest of the page: reviewed {_time(box.page_reviewed)}</li>")
    return f'<ul class="kb-section-dates">{"".join(items)}</ul>'


def review_box_html(view: page_view.PageView, grades: str) -> str:
    """The review box; grades is the URL of the evidence-grades page relative to this page."""
    box = view.review
    current = ' aria-current="step"'
    steps = "".join(
        f'<li class="kb-step kb-step-{state}"{current if state == "current" else ""}>'
        f'{html.escape(label)}<span class="kb-visually-hidden"> ({state})</span></li>'
        for _, label, state in box.steps)
    oldest = box.oldest_section
    oldest_note = f" (its oldest part: the section {_section_link(oldest)})" if oldest else ""
    reviewers = ("; ".join(html.escape(f"{r.name}, {r.credentials}") for r in box.reviewers)
                 if box.reviewers else "No clinical reviewer yet")
    signoff = ("Clinically reviewed" if box.status == "approved" else "Not yet clinically reviewed")
    summary = (f'<summary class="kb-review-summary"><span class="kb-summary-evidence kb-evidence-'
               f'{html.escape(view.evidence)}">Evidence: {html.escape(view.evidence_label)}</span> · '
               f"<span>Last reviewed {_time(box.last_reviewed)}</span> · "
               f'<span class="{"kb-reviewed" if box.status == "approved" else "kb-not-reviewed"}">{signoff}</span>'
               '<span class="kb-review-more"> (details)</span></summary>')
    lines = [
        f'<aside class="kb-review-box" aria-label="Review and evidence" data-search-exclude data-next-due='
        f'"{box.next_due.isoformat() if box.next_due else ""}" data-status="{html.escape(box.status)}">',
        # the compact line under the bottom line; it opens to the whole box (nothing is lost)
        f'<details class="kb-review-details">{summary}',
        f'<p class="kb-badges"><a class="kb-evidence kb-evidence-{html.escape(view.evidence)}" href="{grades}" '
        f'title="{html.escape(view.evidence_note)}">Evidence: {html.escape(view.evidence_label)}</a></p>',
        '<dl class="kb-review-facts">',
        f"<dt>Last reviewed</dt><dd>{_time(box.last_reviewed)}{oldest_note}</dd>",
        f'<dt>Next review due</dt><dd class="kb-next-due">{_time(box.next_due)}</dd>',
        *([f"<dt>Sections reviewed separately</dt><dd>{_section_dates_html(box)}</dd>"] if box.sections else []),
        f"<dt>Literature searched to</dt><dd>{_time(box.evidence_current_to)}</dd>",
        f"<dt>Reviewed by</dt><dd>{reviewers}</dd>",
        "</dl>",
        f'<ol class="kb-steps" aria-label="Clinical review status">{steps}</ol>',
    ]
    if box.status != "approved":
        lines.append(
            '<p class="kb-not-reviewed-detail"><strong>Not yet clinically reviewed.</strong> '
            f"{html.escape(page_view.STATUS_TEXT.get(box.status, page_view.STATUS_TEXT['draft']))} "
            f"The editors checked every statement against the sources it cites "
            f"({'the oldest check' if box.sections else 'last'} on {long_date(box.last_reviewed)}), "
            "but no clinician has signed it off yet. It is general information, not medical advice: "
            "talk to a doctor about your own situation.</p>")
    lines.append("</details>")
    overdue_text = (f"This page is overdue for review: the next review was due on {long_date(box.next_due)}. "
                    "Some statements may be out of date.")
    late = [s.heading for s in box.sections if s.overdue]
    if late:
        names = ", ".join(f'"{name}"' for name in late)
        overdue_text += f" Overdue: the section{'s' if len(late) > 1 else ''} {names}."
    lines.append(f'<p class="kb-overdue" role="note"{"" if box.overdue else " hidden"}>'
                 f"<strong>Review overdue.</strong> {html.escape(overdue_text)}</p>")
    lines.append("</aside>")
    return "\n".join(lines)


AUDIENCE_SWITCH = (
    '<div class="kb-audience kb-js-only" role="group" aria-label="Show this page first for" data-search-exclude>'
    '<span class="kb-audience-label">Show first for:</span> '
    '<button type="button" class="kb-audience-button" data-audience="patient" aria-pressed="true">Patients</button> '
    '<button type="button" class="kb-audience-button" data-audience="clinician" aria-pressed="false">'
    "Clinicians</button></div>"
)


def page_head_html(view: page_view.PageView, grades: str, noticed: list[str] | None = None) -> str:
    head = []
    if view.aliases:
        head.append(f'<p class="kb-aliases">Also known as: {html.escape(", ".join(view.aliases))}</p>')
    if noticed:  # a condition page, in the words of the people who have it (also what search finds)
        head.append(f'<p class="kb-noticed">What people notice: {html.escape("; ".join(noticed))}</p>')
    head.append(review_box_html(view, grades))
    head.append(AUDIENCE_SWITCH)
    return "\n".join(head)


BOTTOM_LINE_RE = re.compile(r'^!!!\s+abstract\s+"Bottom line"\s*$')


def insert_under_title(markdown: str, block: str) -> str:
    """After the title, and after the bottom line when the page opens with one (the answer comes first)."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            at = index + 1
            following = next((i for i in range(at, len(lines)) if lines[i].strip()), None)
            if following is not None and BOTTOM_LINE_RE.match(lines[following].strip()):
                at = following + 1
                while at < len(lines) and (not lines[at].strip() or lines[at].startswith("    ")):
                    at += 1
            return "\n".join([*lines[:at], "", block, "", *lines[at:]])
    return block + "\n\n" + markdown


def insert_after_heading(markdown: str, heading: str, block: str) -> str:
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.strip().split(" {", 1)[0] == heading:
            return "\n".join([*lines[: index + 1], "", block, "", *lines[index + 1:]])
    return markdown
