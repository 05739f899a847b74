"""The source record that `make add-ref` starts for a new reference: data/sources/<key>.yml.

It records what add-ref read (the Crossref and PubMed records, part "metadata", today), no
excerpts yet (the editor adds the source's own words the page relies on), and the publication
status the registries give today, read the way `make refresh-sources` reads it (Crossref's
``updated-by``, PubMed's "Retracted Publication"), with ``checked: {date, via}``.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from pathlib import Path

from jsonschema import Draft202012Validator

from hooks.editor import refresh_sources
from hooks.editor.reference_lookup import Reference
from hooks.parse.frontmatter import load_yaml

CROSSREF_RECORD = "https://api.crossref.org/works/{doi}"
PUBMED_RECORD = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def read_urls(ref: Reference) -> list[str]:
    """The public addresses of the records add-ref looked up (never a local test server's)."""
    urls = []
    if ref.crossref_message is not None and ref.doi:
        urls.append(CROSSREF_RECORD.format(doi=urllib.parse.quote(ref.doi, safe="/()")))
    if ref.pubmed_pubtypes is not None and ref.pmid:
        urls.append(PUBMED_RECORD.format(pmid=ref.pmid))
    return urls


def finding(ref: Reference) -> refresh_sources.Finding:
    """The strongest status the registries report for the reference."""
    found = []
    if ref.crossref_message is not None:
        found.append(refresh_sources.crossref_finding(ref.doi, ref.crossref_message))
    if ref.pubmed_pubtypes is not None:
        pubmed = refresh_sources.Finding("pubmed", pubtypes=list(ref.pubmed_pubtypes))
        if "Retracted Publication" in ref.pubmed_pubtypes:
            pubmed.status, pubmed.kind = "retracted", "Retracted Publication"
            pubmed.notice_url = PUBMED_RECORD.format(pmid=ref.pmid)
        found.append(pubmed)
    if not found:
        return refresh_sources.Finding("crossref" if ref.doi else "pubmed")
    return max(found, key=lambda f: (refresh_sources.RANK[f.status], f.via == "crossref", bool(f.notice_doi)))


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def skeleton_text(key: str, ref: Reference, today: dt.date) -> str:
    day = today.isoformat()
    best = finding(ref)
    lines = [
        f"# Started by `make add-ref` on {day}. Read the source (the journal's full text or abstract), add",
        "# what you read under read:, and under excerpts: the source's own words that each claim relies on.",
        "read:",
    ]
    for url in read_urls(ref):
        lines += [f"- url: {_quoted(url)}", "  part: metadata", f"  date: {_quoted(day)}"]
    lines += ["excerpts: []", f"status: {best.status}"]
    if best.status != "ok":
        lines.append("notice:")
        if best.notice_doi:
            lines.append(f"  doi: {_quoted(best.notice_doi)}")
        else:
            lines.append(f"  url: {_quoted(best.notice_url or read_urls(ref)[0])}")
        lines.append(f"  date: {_quoted(min(best.notice_date or day, day))}")
    lines += ["checked:", f"  date: {_quoted(day)}", f"  via: {best.via}"]
    return "\n".join(lines) + "\n"


def problems(text: str, schema: Path) -> list[str]:
    """What makes the record invalid against schema/source-record.schema.json (empty: valid)."""
    try:
        validator = Draft202012Validator(json.loads(schema.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        return [f"cannot read {schema.name} ({exc})"]
    _, data = load_yaml(text)
    return [error.message for error in validator.iter_errors(data)]
