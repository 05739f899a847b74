"""Reference metadata from Crossref (by DOI) and PubMed E-utilities (by PMID or DOI).

The result is normalised to the project's BibTeX conventions: bare DOI, digits-only
PMID, NLM journal abbreviation, "Family, Given" authors, en-dash-ready page ranges, a
key by the convention firstauthor + year + first significant title word, and an
evidence type suggested from PubMed's publication types (the editor confirms it).
Base addresses are parameters so that tests talk to a local server, never the internet.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

CROSSREF_API = "https://api.crossref.org"
EUTILS_API = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
USER_AGENT = "hair-loss-evidence-add-ref/0.1 (+https://github.com/hair-loss-evidence/hair-loss-evidence)"
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "by", "do", "does", "for", "from", "in", "into", "is", "its",
     "of", "on", "or", "the", "to", "versus", "vs", "with"]
)
PUBTYPE_EVIDENCE = (  # PubMed publication type -> evidence vocabulary, strongest first
    ("Practice Guideline", "guideline"),
    ("Guideline", "guideline"),
    ("Consensus Development Conference", "guideline"),
    ("Systematic Review", "systematic-review"),
    ("Meta-Analysis", "systematic-review"),
    ("Randomized Controlled Trial", "rct"),
    ("Observational Study", "cohort"),
    ("Case Reports", "case-series"),
    ("Review", "narrative-review"),
)


class LookupError_(Exception):
    """Metadata could not be fetched; the message is meant for the editor."""


class Offline(LookupError_):
    """The metadata service could not be reached at all."""


@dataclass
class Reference:
    entry_type: str = "article"
    authors: list[str] = field(default_factory=list)
    title: str = ""
    journal: str = ""
    year: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    suggested_evidence: str = ""
    # what the registries said, kept for the source record's status (see hooks.editor.source_skeleton)
    crossref_message: dict[str, object] | None = None
    pubmed_pubtypes: list[str] | None = None

    def fields(self) -> list[tuple[str, str]]:
        values = [
            ("author", " and ".join(self.authors)), ("title", self.title), ("journal", self.journal),
            ("year", self.year), ("volume", self.volume), ("number", self.number),
            ("pages", self.pages.replace("--", "-").replace("-", "--")), ("doi", self.doi), ("pmid", self.pmid),
        ]
        return [(name, "{" + _escape(value) + "}") for name, value in values if value]


def _escape(value: str) -> str:
    value = re.sub(r"(?<!\\)([%&#_$])", r"\\\1", value)
    depth = 0
    for ch in value:  # unbalanced braces from a title would break the file: drop them
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", "").replace("}", "")


def bare_doi(value: str) -> str:
    value = value.strip()
    value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
    return value


def _ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def propose_key(reference: Reference, existing: set[str]) -> str:
    first = reference.authors[0] if reference.authors else reference.journal or "anon"
    surname = _ascii_word(first.split(",", 1)[0]) or "anon"
    words = [_ascii_word(w) for w in re.split(r"[\s\-/:]+", reference.title)]
    word = next((w for w in words if w and w not in STOPWORDS and not w.isdigit()), "")
    base = f"{surname}{reference.year or '0000'}{word}"
    key, suffix = base, ord("b")
    while key in existing:
        key, suffix = f"{base}-{chr(suffix)}", suffix + 1
    return key


def _get_json(url: str, timeout: float) -> object:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    host = urllib.parse.urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise LookupError_(f"{host} does not know this identifier (HTTP 404)") from exc
        raise LookupError_(f"{host} answered HTTP {exc.code}; try again later") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise Offline(f"cannot reach {host} ({reason}): you seem to be offline") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise LookupError_(f"{host} sent a response that is not JSON") from exc


def _first(value: object) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "")


def from_crossref(message: dict[str, object]) -> Reference:
    ref = Reference()
    for person in message.get("author", []) or []:
        if not isinstance(person, dict):
            continue
        if person.get("family"):
            given = str(person.get("given", "")).strip()
            ref.authors.append(f"{person['family']}, {given}" if given else str(person["family"]))
        elif person.get("name"):
            ref.authors.append("{" + str(person["name"]) + "}")
    ref.title = " ".join(_first(message.get("title")).split())
    ref.journal = _first(message.get("short-container-title")) or _first(message.get("container-title"))
    for date_key in ("published-print", "issued", "published-online"):
        parts = (message.get(date_key) or {}).get("date-parts") if isinstance(message.get(date_key), dict) else None
        if parts and parts[0] and parts[0][0]:
            ref.year = str(parts[0][0])
            break
    ref.volume = str(message.get("volume", "") or "")
    ref.number = str(message.get("issue", "") or "")
    ref.pages = str(message.get("page", "") or "")
    ref.doi = bare_doi(str(message.get("DOI", "") or ""))
    if message.get("type") not in (None, "journal-article"):
        ref.entry_type = "misc"
    return ref


def _pubmed_name(name: str) -> str:
    """PubMed's 'van Zuuren EJ' as BibTeX's 'van Zuuren, E. J.'."""
    surname, _, initials = name.rpartition(" ")
    if surname and re.fullmatch(r"[A-Z]{1,4}", initials):
        return f"{surname}, " + " ".join(f"{letter}." for letter in initials)
    return "{" + name + "}" if " " in name else name


def _merge_pubmed(ref: Reference, summary: dict[str, object]) -> None:
    ref.pmid = str(summary.get("uid", "") or ref.pmid)
    if summary.get("source"):
        ref.journal = str(summary["source"])  # NLM abbreviation
    if not ref.title:
        ref.title = str(summary.get("title", "")).rstrip(".")
    if not ref.authors:
        ref.authors = [_pubmed_name(str(a.get("name"))) for a in summary.get("authors", []) or []
                       if isinstance(a, dict) and a.get("authtype", "Author") == "Author" and a.get("name")]
    if not ref.year:
        match = re.match(r"(\d{4})", str(summary.get("pubdate", "")))
        ref.year = match.group(1) if match else ""
    ref.volume = ref.volume or str(summary.get("volume", "") or "")
    ref.number = ref.number or str(summary.get("issue", "") or "")
    ref.pages = ref.pages or str(summary.get("pages", "") or "")
    if not ref.doi:
        for article_id in summary.get("articleids", []) or []:
            if isinstance(article_id, dict) and article_id.get("idtype") == "doi":
                ref.doi = bare_doi(str(article_id.get("value", "")))
    pubtypes = {str(p) for p in summary.get("pubtype", []) or []}
    ref.suggested_evidence = next((ev for name, ev in PUBTYPE_EVIDENCE if name in pubtypes), "")


def _pubmed_summary(pmid: str, eutils: str, timeout: float) -> dict[str, object]:
    data = _get_json(f"{eutils}/esummary.fcgi?db=pubmed&retmode=json&id={urllib.parse.quote(pmid)}", timeout)
    result = data.get("result", {}) if isinstance(data, dict) else {}
    summary = result.get(pmid) if isinstance(result, dict) else None
    if not isinstance(summary, dict) or "error" in summary:
        raise LookupError_(f"PubMed has no record with PMID {pmid}")
    return summary


def _pmid_for_doi(doi: str, eutils: str, timeout: float) -> str:
    term = urllib.parse.quote(f"{doi}[doi]")
    data = _get_json(f"{eutils}/esearch.fcgi?db=pubmed&retmode=json&term={term}", timeout)
    ids = data.get("esearchresult", {}).get("idlist", []) if isinstance(data, dict) else []
    return str(ids[0]) if len(ids) == 1 else ""


def lookup(doi: str = "", pmid: str = "", *, crossref: str = CROSSREF_API, eutils: str = EUTILS_API,
           timeout: float = 20.0) -> Reference:
    """Metadata for a DOI or a PMID, merged from Crossref and PubMed where both know it."""
    doi, pmid = bare_doi(doi), pmid.strip()
    if pmid and not pmid.isdigit():
        raise LookupError_(f"PMID '{pmid}' should be digits only")
    ref = Reference()
    if doi:
        data = _get_json(f"{crossref}/works/{urllib.parse.quote(doi, safe='/')}", timeout)
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, dict):
            raise LookupError_("Crossref sent an unexpected response")
        ref = from_crossref(message)
        ref.crossref_message = message
        pmid = pmid or _pmid_for_doi(ref.doi or doi, eutils, timeout)
    if pmid:
        summary = _pubmed_summary(pmid, eutils, timeout)
        _merge_pubmed(ref, summary)
        ref.pubmed_pubtypes = [str(p) for p in summary.get("pubtype", []) or []]
    if not ref.title:
        raise LookupError_("the record has no title; add this reference by hand")
    return ref
