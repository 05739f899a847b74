"""A clinical page must say something: one whose sections are all empty (the scaffold's headings and
guidance comments only, or nothing but exempted blocks) has no claim to check, cite or review, yet
would be published with a review box as if it had been checked."""

from __future__ import annotations

from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

PAGE_NO_CLAIMS = define(
    "PAGE-NO-CLAIMS",
    Severity.ERROR,
    "A clinical page has no claims at all: every section is empty (or exempted).",
    "Write the page's content, each statement with its citation [@key], before it is published; "
    "a page still being drafted stays out of the pull request (or on a branch) until then.",
    "## Key points <!-- the scaffold's guidance, and no sentence under any heading -->",
    module=__name__,
)


def check(context) -> list[Diagnostic]:
    page = context.page
    if not page.clinical or page.doc is None or page.claims:
        return []
    if page.meta is None or not page.meta.present:
        return []  # broken or missing front matter is reported first (FM-YAML, FM-MISSING): no consequences
    title = next((h for h in page.doc.headings if h.level == 1), None)
    line = title.line if title else (page.meta.body_start_line if page.meta else 1)
    sections = [h for h in page.doc.headings if h.level > 1]
    what = f"all {len(sections)} of its sections are empty" if sections else "it has no content"
    return [Diagnostic(page.path, line, 1, PAGE_NO_CLAIMS,
                       f"the page has no claims: {what} (only headings, comments or exempted blocks)")]
