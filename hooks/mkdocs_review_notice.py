"""MkDocs hook: tell the reader, on every clinical page, where its review stands.

Rendered from the page's own front matter (review.status, review.last_reviewed),
after the content check, so the notice is data, not a claim typed into each page.
"""

from __future__ import annotations

import datetime as dt

from mkdocs.plugins import event_priority

CLINICAL_DIRS = ("therapies/", "conditions/", "claims/")
STATUS_TEXT = {
    "draft": "This page is a draft.",
    "submitted": "This page has been submitted for clinical review.",
    "in-review": "This page is being reviewed by a clinician.",
}


def _long_date(value: object) -> str:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


def notice(meta: dict) -> str:
    review = meta.get("review") or {}
    status = str(review.get("status", "draft"))
    if status == "approved":
        return ""
    checked = _long_date(review.get("last_reviewed", ""))
    return (
        '!!! warning "Not yet clinically reviewed"\n\n'
        f"    {STATUS_TEXT.get(status, STATUS_TEXT['draft'])} The editors checked every statement "
        f"against the sources it cites (last on {checked}), but no clinician has signed it off yet. "
        "It is general information, not medical advice: talk to a doctor about your own situation.\n"
    )


@event_priority(40)
def on_page_markdown(markdown: str, page, config, files) -> str:
    if not page.file.src_uri.startswith(CLINICAL_DIRS) or page.file.src_uri.endswith("/index.md"):
        return markdown
    text = notice(page.meta)
    if not text:
        return markdown
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", text, *lines[index + 1:]])
    return text + "\n" + markdown
