"""Every rule the engine can report, with its stable id, severity and fix hint.

This table is the one place rule ids are defined; CONTRIBUTING.md is generated
from it (``python -m hooks.cli rules``) and every diagnostic takes its hint here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str  # "error" or "warning"
    summary: str
    hint: str
    example: str = ""


_RULES = [
    # Files
    Rule("FILE-ENCODING", "error", "The file is not valid UTF-8.",
         "Save the file as UTF-8 (most editors: 'Save with encoding').",
         "a byte such as 0xff in the middle of a page"),
    Rule("FILE-TOO-LONG-LINE", "error", "A line is longer than the engine accepts.",
         "Break the line; Markdown joins lines of one paragraph anyway.",
         "a pasted 2 MB line"),
    # Front matter
    Rule("FM-MISSING", "error", "A clinical page has no front matter.",
         "Start the page with a '---' line, the YAML fields, and a closing '---' line.",
         "a therapy page that starts with '# Title'"),
    Rule("FM-UNCLOSED", "error", "The front matter has no closing '---' line.",
         "Add a line with exactly '---' after the last front-matter field."),
    Rule("FM-YAML", "error", "The front matter is not valid YAML.",
         "Check indentation and quoting at the line shown; values with ':' need quotes.",
         "title: Minoxidil: the facts"),
    Rule("FM-SCHEMA", "error", "A front-matter field is missing, unknown or has a wrong value.",
         "See schema/frontmatter.schema.json for the fields and their allowed values.",
         "evidence: strong   (allowed: high, moderate, low, very-low)"),
    Rule("FM-REVIEWER-UNKNOWN", "error", "review.reviewed_by names someone not in the reviewer registry.",
         "Reviewers must be listed in data/reviewers.yml with credentials and conflicts of interest."),
    Rule("FM-REF-UNKNOWN", "error", "A front-matter 'refs' list names a key not in references.bib.",
         "Add the reference to references.bib or correct the key."),
    # Review dates
    Rule("REVIEW-DATE-INVALID", "error", "A review date is not a real ISO date (YYYY-MM-DD).",
         "Write the date as YYYY-MM-DD, e.g. 2026-03-01.",
         "last_reviewed: 2026-02-30"),
    Rule("REVIEW-DATE-FUTURE", "error", "A review date lies in the future.",
         "A review date records a review that happened; use today's date or earlier."),
    Rule("REVIEW-OVERDUE", "warning", "The content is older than the review interval.",
         "Re-check the claims against their sources (and for newer evidence), then update the date."),
    Rule("REVIEW-ORDER", "error", "evidence_current_to is later than last_reviewed.",
         "The literature search cannot be newer than the review that used it."),
    # Claims and citations
    Rule("CLAIM-UNCITED", "error", "A clinical claim carries no citation.",
         "Add a citation such as [@key] before the sentence's full stop, or mark a "
         "non-clinical block with <!-- no-claim: REASON -->.",
         "Minoxidil regrows hair in most men."),
    Rule("CITE-UNKNOWN-KEY", "error", "A citation names a key that is not in references.bib.",
         "Check the key's spelling or add the reference (make add-ref DOI=...).",
         "[@smith2099unknown]"),
    Rule("CITE-EMPTY", "error", "A citation has no key.",
         "Write the key after '@', e.g. [@olsen2002minoxidil].",
         "[@] or [@ ; @key]"),
    Rule("CITE-MALFORMED", "error", "A citation's key is not valid.",
         "Keys are lowercase letters, digits and hyphens: [@king2022baricitinib]."),
    Rule("CITE-IN-CODE", "warning", "Something that looks like a citation sits inside code, where it does not count.",
         "Move the citation out of the code span or block."),
    Rule("EXEMPT-NO-REASON", "error", "A no-claim exemption gives no reason.",
         "Write the reason after the colon: <!-- no-claim: navigation signpost -->."),
    Rule("EXEMPT-ORPHAN", "error", "A no-claim exemption is not followed by a block it could exempt.",
         "Put the comment on the line directly before the paragraph, list or table it exempts."),
    # Bibliography
    Rule("BIB-PARSE", "error", "references.bib has a syntax error.",
         "Check braces and commas around the line shown; every field ends with ','."),
    Rule("BIB-DUPLICATE-KEY", "error", "Two entries share one key.",
         "Give each entry its own key, or delete the duplicate."),
    Rule("BIB-DUPLICATE-ID", "error", "Two entries share one DOI or PMID.",
         "Keep one entry and cite its key everywhere."),
    Rule("BIB-KEY-FORMAT", "error", "An entry key does not follow the convention.",
         "Use firstauthor + year + first title word, lowercase: king2022baricitinib."),
    Rule("BIB-MISSING-FIELD", "error", "An entry lacks a required field.",
         "Every entry needs author (or organisation), title, year, a container "
         "(journal, publisher, institution, organization or booktitle), an identifier "
         "(doi, pmid or url) and evidence."),
    Rule("BIB-EVIDENCE", "error", "An entry's evidence type is not in the vocabulary.",
         "Use one of: guideline, systematic-review, rct, cohort, case-series, "
         "preclinical, narrative-review, regulatory, expert-opinion."),
    Rule("BIB-DOI-FORMAT", "error", "A DOI is not in bare form.",
         "Write the DOI as 10.xxxx/..., without https://doi.org/ or 'doi:'."),
    Rule("BIB-PMID-FORMAT", "error", "A PMID is not digits only.",
         "Write the PubMed id as digits, e.g. 35334197."),
    Rule("BIB-YEAR-FORMAT", "error", "A year is not a four-digit year.",
         "Write the year as four digits, e.g. 2022."),
    Rule("BIB-URL-FORMAT", "error", "A url is not an http(s) address.",
         "Write the full address, starting with https://."),
    Rule("BIB-UNCITED", "warning", "An entry is cited by no page.",
         "Cite it where it supports a claim, or remove it from references.bib."),
    # Content safety
    Rule("HTML-FORBIDDEN-TAG", "error", "Content contains an HTML element outside the allow-list.",
         "Use Markdown instead; raw HTML is limited to simple text, list, table and layout elements "
         "(see ALLOWED_TAGS in hooks/engine/content_safety.py). Scripts, frames, objects and forms never are.",
         "<script>…</script>"),
    Rule("HTML-FORBIDDEN-ATTR", "error", "An HTML element carries an attribute outside the allow-list.",
         "Remove the attribute; for looks, use a class from the site's stylesheet (inline styles are blocked "
         "by the site's Content-Security-Policy).", '<span style="color:red">'),
    Rule("HTML-EVENT-HANDLER", "error", "Content contains an inline event handler attribute.",
         "Remove the on…= attribute; content carries no scripts.", '<img onerror="…">'),
    Rule("HTML-UNSAFE-URL", "error", "A link or source uses a javascript: or data: URL.",
         "Link to an https:// address or a page of this site.", "[x](javascript:alert(1))"),
    # Links
    Rule("LINK-BROKEN", "error", "A relative link points to a page or file that does not exist.",
         "Correct the path (relative to this page) or create the page."),
    Rule("LINK-ANCHOR", "error", "A link's #anchor matches no heading or id on the target page.",
         "Use the heading's slug: lowercase, spaces as hyphens, punctuation dropped."),
    # Readability
    Rule("READABILITY-GRADE", "warning", "The patient-facing key points read above the target grade.",
         "Use shorter sentences and everyday words in Key points."),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}

# Shown, and listed in reports, but never a reason to fail a build: content going
# stale or a spare reference is not a surprise red build on an unrelated change.
REPORT_ONLY = frozenset({"REVIEW-OVERDUE", "BIB-UNCITED", "READABILITY-GRADE"})


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
