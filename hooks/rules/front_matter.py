"""Front matter of clinical pages (DESIGN §2): present, valid against the schema, known reviewers
and references."""

from __future__ import annotations

from typing import Any

from hooks.parse.frontmatter import FrontMatter, load_schema, regulatory_refs
from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

FM_MISSING = define(
    'FM-MISSING',
    Severity.ERROR,
    'A clinical page has no front matter.',
    "Start the page with a '---' line, the YAML fields, and a closing '---' line.",
    "a therapy page that starts with '# Title'",
    module=__name__,
)
FM_SCHEMA = define(
    'FM-SCHEMA',
    Severity.ERROR,
    'A front-matter field is missing, unknown or has a wrong value.',
    'See schema/frontmatter.schema.json for the fields and their allowed values.',
    'evidence: strong   (allowed: high, moderate, low, very-low)',
    module=__name__,
)
FM_REVIEWER_UNKNOWN = define(
    'FM-REVIEWER-UNKNOWN',
    Severity.ERROR,
    'review.reviewed_by names someone not in the reviewer registry.',
    'Reviewers must be listed in data/reviewers.yml with credentials and conflicts of interest.',
    module=__name__,
)
FM_REF_UNKNOWN = define(
    'FM-REF-UNKNOWN',
    Severity.ERROR,
    "A front-matter 'refs' list names a key not in references.bib.",
    'Add the reference to references.bib or correct the key.',
    module=__name__,
)


def check(context) -> list[Diagnostic]:
    page, meta = context.page, context.page.meta
    if not page.clinical or meta is None:
        return []
    if not meta.present:
        return [Diagnostic(page.path, 1, 1, FM_MISSING, "clinical page has no front matter")]
    diags = validate(page.path, meta, str(context.config.schema))
    review = meta.data.get("review") if isinstance(meta.data.get("review"), dict) else {}
    reviewed_by = review.get("reviewed_by")
    for index, reviewer in enumerate(reviewed_by if isinstance(reviewed_by, list) else []):
        if str(reviewer) not in context.reviewers:
            line, col = meta.line_of(("review", "reviewed_by", index))
            diags.append(Diagnostic(page.path, line, col, FM_REVIEWER_UNKNOWN,
                                    f"reviewer '{reviewer}' is not in data/reviewers.yml"))
    for key, (line, col) in regulatory_refs(meta):
        if key not in context.bibliography.entries:
            diags.append(Diagnostic(page.path, line, col, FM_REF_UNKNOWN, f"no entry '{key}' in references.bib"))
    return diags


def validate(path: str, fm: FrontMatter, schema_path: str) -> list[Diagnostic]:
    validator = load_schema(schema_path)
    diags = []
    for error in sorted(validator.iter_errors(fm.data), key=lambda e: list(map(str, e.absolute_path))):
        field_path = tuple(error.absolute_path)
        line, col = fm.line_of(field_path) if field_path else (1, 1)
        name = ".".join(str(part) for part in field_path) or "front matter"
        diags.append(Diagnostic(path, line, col, FM_SCHEMA, f"{name}: {_message(error)}"))
    return diags


def _message(error: Any) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{error.instance!r} is not allowed (allowed: {allowed})"
    if error.validator == "pattern" and "[0-9]{4}-" in str(error.validator_value):
        return f"{error.instance!r} is not a date in YYYY-MM-DD form"
    return str(error.message)
