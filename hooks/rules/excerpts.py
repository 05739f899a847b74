"""Excerpts that no claim relies on: a quotation kept in a record but used by no sentence is
either a number the page no longer states or a passage worth citing (report only)."""

from __future__ import annotations

from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "project"

EXCERPT_UNUSED = define(
    "EXCERPT-UNUSED", Severity.REPORT,
    "An excerpt in a source record is relied on by no claim.",
    "Remove the excerpt, or cite the source where a sentence says what the excerpt says.",
    module=__name__,
)


def check(project) -> list[Diagnostic]:
    used = {(key, index) for page in project.pages.values() for claim in page.claims
            for key, index in claim.relies_on}
    diags: list[Diagnostic] = []
    for key, record in sorted(project.report.sources.records.items()):
        for index, excerpt in enumerate(record.excerpts):
            if (key, index) not in used:
                diags.append(Diagnostic(record.path, excerpt.line, excerpt.col, EXCERPT_UNUSED,
                                        f"excerpt {index + 1} of '{key}' is relied on by no claim"))
    return diags
