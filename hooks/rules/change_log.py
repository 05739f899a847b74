"""A page's change log (front matter ``changes:``): every entry dated no later than today and the
page's last review, and every reference it names in references.bib."""

from __future__ import annotations

import datetime as dt

from hooks.report.diagnostics import Diagnostic
from hooks.rules.front_matter import unknown_ref
from hooks.rules.registry import Severity, define

SCOPE = "page"

CHANGE_DATE = define(
    "CHANGE-DATE", Severity.ERROR,
    "A change-log entry is dated in the future or after the page's last review.",
    "Date the entry on the day the change was made, and set review.last_reviewed to that day or later.",
    "changes: [{date: 2099-01-01, kind: correction, summary: …}]",
    module=__name__,
)


def entries(data: dict) -> list[tuple[int, dict]]:
    changes = data.get("changes")
    return [(i, c) for i, c in enumerate(changes) if isinstance(c, dict)] if isinstance(changes, list) else []


def check(context) -> list[Diagnostic]:
    page, meta = context.page, context.page.meta
    if not page.clinical or meta is None or not page.data:
        return []
    diags: list[Diagnostic] = []
    last = context.dates.page_date
    for index, change in entries(page.data):
        try:
            day = dt.date.fromisoformat(str(change.get("date")))
        except ValueError:
            day = None  # the schema reports a malformed date
        if day is not None and (day > context.today or (last is not None and day > last)):
            line, col = meta.line_of(("changes", index, "date"))
            limit = "today" if day > context.today else f"the last review ({last.isoformat()})"
            diags.append(Diagnostic(page.path, line, col, CHANGE_DATE, f"change of {day.isoformat()} is after {limit}"))
        refs = change.get("refs")
        for ref_index, key in enumerate(refs if isinstance(refs, list) else []):
            diags.extend(unknown_ref(context, str(key), *meta.line_of(("changes", index, "refs", ref_index))))
    return diags
