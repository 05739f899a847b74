"""references.bib entries (DESIGN §4): required fields, identifier formats, the evidence vocabulary,
no duplicate identifiers, and references that no page cites."""

from __future__ import annotations

import datetime as dt
import re

from hooks.parse.bibliography import (
    AUTHORS,
    CONTAINERS,
    DOI_RE,
    EVIDENCE_TYPES,
    KEY_CONVENTION,
    Bibliography,
    Entry,
)
from hooks.report.diagnostics import Diagnostic
from hooks.report.suggest import did_you_mean
from hooks.rules.registry import Severity, define

SCOPE = "project"

BIB_DUPLICATE_ID = define(
    'BIB-DUPLICATE-ID',
    Severity.ERROR,
    'Two entries share one DOI or PMID.',
    'Keep one entry and cite its key everywhere.',
    module=__name__,
)
BIB_KEY_FORMAT = define(
    'BIB-KEY-FORMAT',
    Severity.ERROR,
    'An entry key does not follow the convention.',
    'Use firstauthor + year + first title word, lowercase: king2022baricitinib.',
    module=__name__,
)
BIB_MISSING_FIELD = define(
    'BIB-MISSING-FIELD',
    Severity.ERROR,
    'An entry lacks a required field.',
    'Every entry needs author (or organisation), title, year, a container (journal, publisher, '
    'institution, organization or booktitle), an identifier (doi, pmid or url) and evidence.',
    module=__name__,
)
BIB_EVIDENCE = define(
    'BIB-EVIDENCE',
    Severity.ERROR,
    "An entry's evidence type is not in the vocabulary.",
    'Use one of: guideline, systematic-review, rct, non-randomised-trial, regulatory, cohort, '
    'case-control, cross-sectional, case-series, qualitative, narrative-review, expert-opinion, '
    'preclinical, not-evidence (news, press releases, marketing, conference news).',
    module=__name__,
)
BIB_DOI_FORMAT = define(
    'BIB-DOI-FORMAT',
    Severity.ERROR,
    'A DOI is not in bare form.',
    "Write the DOI as 10.xxxx/..., without https://doi.org/ or 'doi:'.",
    module=__name__,
)
BIB_PMID_FORMAT = define(
    'BIB-PMID-FORMAT',
    Severity.ERROR,
    'A PMID is not digits only.',
    'Write the PubMed id as digits, e.g. 35334197.',
    module=__name__,
)
BIB_YEAR_FORMAT = define(
    'BIB-YEAR-FORMAT',
    Severity.ERROR,
    'A year is not a four-digit year, or a date (urldate, date) is not a calendar date.',
    'Write the year as four digits, e.g. 2022, and urldate or date as YYYY-MM-DD (or YYYY-MM, YYYY).',
    'urldate = {29/11/2026}',
    module=__name__,
)
BIB_DATE_FUTURE = define(
    'BIB-DATE-FUTURE',
    Severity.ERROR,
    'A year or date (year, urldate, date) lies after today.',
    'Write the year the work was published and the day the page was read: today or earlier. '
    'A work not yet published is not a source yet.',
    'year = {2099}',
    module=__name__,
)
BIB_URL_FORMAT = define(
    'BIB-URL-FORMAT',
    Severity.ERROR,
    'A url is not an http(s) address.',
    'Write the full address, starting with https://.',
    module=__name__,
)
BIB_UNCITED = define(
    'BIB-UNCITED',
    Severity.REPORT,
    'An entry is cited by no page.',
    'Cite it where it supports a claim, or remove it from references.bib.',
    module=__name__,
)


def check(project) -> list[Diagnostic]:
    bib = project.bibliography
    diags = validate_entries(bib.path, bib, project.report.today)
    cited = {k for p in project.pages.values() for k in p.cited_keys}
    for entry in bib.entries.values():
        if entry.key not in cited:
            diags.append(Diagnostic(bib.path, entry.line, 1, BIB_UNCITED, f"'{entry.key}' is cited by no page"))
    return diags


DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _date_problem(value: str, today: dt.date) -> tuple[str, str] | None:
    """('format' or 'future', words) for a biblatex date (YYYY, YYYY-MM or YYYY-MM-DD), or None."""
    match = DATE_RE.match(value)
    if not match:
        return "format", "is not a date in YYYY-MM-DD form"
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    try:
        start = dt.date(year, month, day)
    except ValueError:
        return "format", "is not a calendar date"
    if start > today:
        return "future", f"lies after today ({today.isoformat()})"
    return None


def validate_entries(path: str, bib: Bibliography, today: dt.date | None = None) -> list[Diagnostic]:
    """Every entry's fields. An entry damaged by a syntax error is left out: its cause is reported
    (BIB-PARSE, BIB-MERGE-CONFLICT), and what it lacks may only be what the error hides."""
    today = today or dt.date.today()
    diags: list[Diagnostic] = []
    seen_ids: dict[tuple[str, str], str] = {}
    for entry in bib.entries.values():
        if entry.key in bib.damaged:
            continue
        def at(name: str, entry: Entry = entry) -> int:
            return entry.field_lines.get(name, entry.line)

        if not KEY_CONVENTION.match(entry.key):
            diags.append(Diagnostic(path, entry.line, 1, BIB_KEY_FORMAT,
                                    f"key '{entry.key}' does not follow firstauthor+year+word"))
        missing = []
        if not any(entry.get(name) for name in AUTHORS):
            missing.append("author (or organization)")
        if not entry.get("title"):
            missing.append("title")
        if not entry.get("year"):
            missing.append("year")
        if not any(entry.get(name) for name in CONTAINERS):
            missing.append("container (journal, publisher, institution, organization or booktitle)")
        if not any(entry.get(name) for name in ("doi", "pmid", "url")):
            missing.append("identifier (doi, pmid or url)")
        if not entry.get("evidence"):
            missing.append("evidence")
        for name in missing:
            diags.append(Diagnostic(path, entry.line, 1, BIB_MISSING_FIELD, f"'{entry.key}' has no {name}"))
        if entry.get("evidence") and entry.evidence not in EVIDENCE_TYPES:
            diags.append(Diagnostic(path, at("evidence"), 1, BIB_EVIDENCE,
                                    f"'{entry.key}': evidence '{entry.get('evidence')}' is not in the vocabulary"
                                    + did_you_mean(entry.evidence, EVIDENCE_TYPES)))
        year = entry.get("year")
        if year and not re.fullmatch(r"\d{4}", year):
            diags.append(Diagnostic(path, at("year"), 1, BIB_YEAR_FORMAT,
                                    f"'{entry.key}': year '{year}' is not a four-digit year"))
        elif year and int(year) > today.year:
            diags.append(Diagnostic(path, at("year"), 1, BIB_DATE_FUTURE,
                                    f"'{entry.key}': year {year} lies after this year ({today.year})"))
        for name in ("date", "urldate"):
            value = entry.get(name)
            problem = _date_problem(value, today) if value else None
            if problem:
                rule = BIB_YEAR_FORMAT if problem[0] == "format" else BIB_DATE_FUTURE
                diags.append(Diagnostic(path, at(name), 1, rule, f"'{entry.key}': {name} '{value}' {problem[1]}"))
        doi = entry.get("doi")
        if doi and not DOI_RE.match(doi):
            diags.append(Diagnostic(path, at("doi"), 1, BIB_DOI_FORMAT, f"'{entry.key}': DOI '{doi}' is not bare"))
        pmid = entry.get("pmid")
        if pmid and not pmid.isdigit():
            diags.append(Diagnostic(path, at("pmid"), 1, BIB_PMID_FORMAT,
                                    f"'{entry.key}': PMID '{pmid}' is not digits only"))
        url = entry.get("url")
        if url and not re.match(r"^https?://\S+$", url):
            diags.append(Diagnostic(path, at("url"), 1, BIB_URL_FORMAT,
                                    f"'{entry.key}': url '{url}' is not an http(s) address"))
        for name, value in (("doi", doi.lower()), ("pmid", pmid)):
            if not value:
                continue
            other = seen_ids.get((name, value))
            if other:
                diags.append(Diagnostic(path, at(name), 1, BIB_DUPLICATE_ID,
                                        f"'{entry.key}' has the same {name.upper()} {value} as '{other}'"))
            else:
                seen_ids[(name, value)] = entry.key
    return diags


