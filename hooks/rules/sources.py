"""What a claim may rest on: every cited reference has a source record; no claim rests on a
retracted or withdrawn source (except a sentence about the retraction, where the record allows
it); corrected sources and expressions of concern are listed; a claim outside claim-check pages
never rests only on what is not evidence (news, press releases, marketing); every excerpt in a
record is relied on by some claim."""

from __future__ import annotations

from hooks.parse.bibliography import NOT_EVIDENCE
from hooks.parse.source_records import BLOCKING, FLAGGED, STATUS_LABELS
from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

SOURCE_MISSING = define(
    "SOURCE-MISSING", Severity.ERROR,
    "A cited reference has no source record.",
    "Read the source in a public record and write data/sources/<key>.yml: what you read (url, date, part), "
    "the excerpts the page relies on, and its status (see CONTRIBUTING, 'Source records').",
    "[@smith2024new] with no data/sources/smith2024new.yml",
    module=__name__, lenient=Severity.REPORT,
)
SOURCE_RETRACTED = define(
    "SOURCE-RETRACTED", Severity.ERROR,
    "A claim cites a retracted or withdrawn source.",
    "Remove the claim or cite a sound source. A sentence about the retraction itself is allowed when the "
    "record lists the page under cited_about_status with a reason.",
    "status: retracted   in data/sources/<key>.yml",
    module=__name__,
)
SOURCE_FLAGGED = define(
    "SOURCE-FLAGGED", Severity.REPORT,
    "A claim cites a corrected source or one with an expression of concern.",
    "Read the notice (the record's notice) and check that the claim still holds; readers see the label.",
    "status: corrected",
    module=__name__,
)
CLAIM_NOT_EVIDENCE = define(
    "CLAIM-NOT-EVIDENCE", Severity.ERROR,
    "A claim outside a claim-check page rests only on sources that are not evidence.",
    "News, press releases and marketing (evidence = {not-evidence}) may be cited only on claim-check pages, "
    "as where a claim was made; cite a study, review, guideline or regulator instead.",
    "Cures baldness in 6 weeks [@press2025release].",
    module=__name__,
)


def check(context) -> list[Diagnostic]:
    page, sources, bib = context.page, context.sources, context.bibliography
    if not page.clinical:
        return []
    diags: list[Diagnostic] = []
    for key, (line, col) in page.cited_keys.items():
        if key in bib.entries and key not in sources and key not in sources.broken:
            diags.append(Diagnostic(page.path, line, col, SOURCE_MISSING,
                                    f"'{key}' has no source record (data/sources/{key}.yml)",
                                    lenient=not page.sources_traced))
    flagged: set[str] = set()
    for claim in page.claims:
        for key in dict.fromkeys(claim.keys):
            record = sources.get(key)
            if record is None:
                continue
            if record.status in BLOCKING and not record.allowed_on(page.rel):
                diags.append(Diagnostic(page.path, claim.line, claim.col, SOURCE_RETRACTED,
                                        f"'{key}' is {STATUS_LABELS[record.status].lower()} "
                                        f"({record.notice_url or 'see its record'})"))
            elif record.status in FLAGGED and key not in flagged:
                flagged.add(key)
                diags.append(Diagnostic(page.path, claim.line, claim.col, SOURCE_FLAGGED,
                                        f"'{key}': {STATUS_LABELS[record.status].lower()} "
                                        f"({record.notice_url or 'see its record'})"))
        kinds = {bib.entries[k].evidence for k in claim.keys if k in bib.entries}
        if kinds and kinds <= NOT_EVIDENCE and context.page.data.get("type") != "claim-check":
            diags.append(Diagnostic(page.path, claim.line, claim.col, CLAIM_NOT_EVIDENCE,
                                    "rests only on " + ", ".join(f"'{k}'" for k in dict.fromkeys(claim.keys))
                                    + ", which is not evidence"))
    return diags
