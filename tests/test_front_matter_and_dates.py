"""Front matter (schema, YAML errors with lines) and review dates (today pinned)."""

from __future__ import annotations

import datetime as dt

import pytest

from hooks.rules.registry import Severity
from tests.conftest import FRONT_MATTER

BODY = "# T\n\nA claim [@olsen2002randomized].\n"


def found(project, rel):
    return [(d.line, d.rule_id) for d in project.diagnostics() if d.path == rel]


@pytest.mark.parametrize(
    ("old", "new", "line", "rule"),
    [
        ("evidence: low", "evidence: strong", 7, "FM-SCHEMA"),
        ("type: therapy", "type: remedy", 4, "FM-SCHEMA"),
        ("conditions: [androgenetic-alopecia]", "conditions: [baldness]", 5, "FM-SCHEMA"),
        ("conditions: [androgenetic-alopecia]", "conditions: androgenetic-alopecia", 5, "FM-SCHEMA"),
        ("aliases: [TT]\n", "aliases: [TT]\ncolour: blue\n", 7, "FM-SCHEMA"),  # at the field's own line
        ("    status: not-approved\n    indication: Test indication.\n  eu-ema",
         "    status: maybe\n    indication: Test indication.\n  eu-ema", 11, "FM-SCHEMA"),
        ("  last_reviewed: 2026-06-01", "  last_reviewed: 2026-02-30", 17, "REVIEW-DATE-INVALID"),
        ("  last_reviewed: 2026-06-01", "  last_reviewed: 2027-01-01", 17, "REVIEW-DATE-FUTURE"),
        ("  last_reviewed: 2026-06-01", "  last_reviewed: 1 June 2026", 17, "FM-SCHEMA"),
        ("  evidence_current_to: 2026-06-01", "  evidence_current_to: 2026-07-01", 20, "REVIEW-ORDER"),
        ("  status: draft", "  status: approved", 19, "FM-SCHEMA"),
        ("  reviewed_by: []", "  reviewed_by: [dr-nobody]", 19, "FM-REVIEWER-UNKNOWN"),
        ("title: Test therapy", "title: Minoxidil: the facts", 2, "FM-YAML"),
        ("aliases: [TT]", "aliases: [TT", 6, "FM-YAML"),  # where the '[' opened
        ("evidence: low", "evidence: low\nevidence: high", 8, "FM-YAML"),
        ("evidence: low\n", "", 1, "FM-SCHEMA"),
    ],
    ids=["enum", "type", "condition", "not-a-list", "unknown-field", "regulatory-status", "impossible-date",
         "future-date", "date-form", "order", "approved-no-reviewer", "unknown-reviewer", "yaml-colon",
         "yaml-unclosed", "duplicate-key", "missing-field"],
)
def test_front_matter_errors_name_the_line(project, old, new, line, rule):
    assert old in FRONT_MATTER
    rel = project.page("t", BODY, FRONT_MATTER.replace(old, new, 1))
    assert (line, rule) in found(project, rel)


def test_missing_front_matter(project):
    rel = project.page("t", BODY, front_matter="")
    assert (1, "FM-MISSING") in found(project, rel)


def test_unclosed_front_matter(project):
    rel = project.page("t", BODY, front_matter=FRONT_MATTER[:-4])
    assert (1, "FM-UNCLOSED") in found(project, rel)


def test_therapy_needs_us_and_eu_status(project):
    text = FRONT_MATTER.replace("  eu-ema:\n    status: not-approved\n    indication: Test indication.\n", "")
    rel = project.page("t", BODY, text)
    messages = [d.message for d in project.diagnostics() if d.path == rel]
    assert any("eu-ema" in m for m in messages)


def test_regulatory_refs_must_exist(project):
    text = FRONT_MATTER.replace("    indication: Test indication.\n  eu-ema",
                                "    indication: Test indication.\n    refs: [nobody2099x]\n  eu-ema", 1)
    rel = project.page("t", BODY, text)
    assert (13, "FM-REF-UNKNOWN") in found(project, rel)


def test_overdue_is_a_warning_and_a_report_entry(project):
    rel = project.page("t", BODY)
    later = dt.date(2027, 6, 2)  # twelve months after 2026-06-01, plus one day
    diags = [d for d in project.diagnostics(later) if d.path == rel]
    assert [(d.line, d.rule_id, d.severity) for d in diags] == [(17, "REVIEW-OVERDUE", Severity.REPORT)]
    reviews = {r.path: r for r in project.check(later).reviews}
    assert reviews[rel].overdue and reviews[rel].next_due == dt.date(2027, 6, 1)


def test_not_overdue_on_the_due_date(project):
    rel = project.page("t", BODY)
    assert found(project, rel) == []
    assert [d for d in project.diagnostics(dt.date(2027, 6, 1)) if d.path == rel] == []


def test_section_override_dates_are_checked(project):
    rel = project.page("t", '# T\n\n## Safety { data-reviewed="2026-13-01" }\n\nA claim [@olsen2002randomized].\n')
    assert (24, "REVIEW-DATE-INVALID") in found(project, rel)
