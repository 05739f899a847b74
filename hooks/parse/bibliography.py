"""references.bib: parsed once with bibtexparser, validated against DESIGN §4."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock
from bibtexparser.model import Entry as BibEntry

from hooks.cache import PageCache, context_digest
from hooks.report.diagnostics import Diagnostic
from hooks.rules.syntax import BIB_DUPLICATE_KEY, BIB_PARSE

EVIDENCE_TYPES = (
    "guideline", "systematic-review", "rct", "non-randomised-trial", "regulatory", "cohort",
    "case-control", "cross-sectional", "case-series", "qualitative", "narrative-review",
    "expert-opinion", "preclinical", "not-evidence",
)  # strongest first, for "strongest evidence among a claim's sources"
EVIDENCE_LABELS = {
    "guideline": "Guideline",
    "systematic-review": "Systematic review",
    "rct": "RCT",
    "non-randomised-trial": "Non-randomised trial",
    "regulatory": "Regulatory",
    "cohort": "Cohort",
    "case-control": "Case-control study",
    "cross-sectional": "Cross-sectional or survey",
    "case-series": "Case series",
    "qualitative": "Qualitative study",
    "narrative-review": "Narrative review",
    "expert-opinion": "Expert opinion",
    "preclinical": "Preclinical",
    "not-evidence": "Not evidence",
}
# Sources that are not evidence at all: a claim may rest on them only on a claim-check page,
# where they are cited as what was claimed.
NOT_EVIDENCE = frozenset({"not-evidence"})
KEY_CONVENTION = re.compile(r"^[a-z][a-z0-9-]*[0-9]{4}[a-z0-9-]*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
CONTAINERS = ("journal", "booktitle", "publisher", "institution", "organization")
AUTHORS = ("author", "editor", "organization", "institution")



@dataclass
class Entry:
    key: str
    entry_type: str
    fields: dict[str, str]
    line: int  # 1-based line of '@type{key,'
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    @property
    def evidence(self) -> str:
        return self.get("evidence").lower()


@dataclass
class Bibliography:
    path: str
    entries: dict[str, Entry] = field(default_factory=dict)

    def strongest_evidence(self, keys: list[str]) -> str:
        ranks = [EVIDENCE_TYPES.index(self.entries[k].evidence) for k in keys
                 if k in self.entries and self.entries[k].evidence in EVIDENCE_TYPES]
        return EVIDENCE_TYPES[min(ranks)] if ranks else ""


FIELD_START_RE = re.compile(r"^\s*([A-Za-z][\w-]*)\s*=")


def _field_lines(raw: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for offset, text in enumerate(raw.split("\n")):
        match = FIELD_START_RE.match(text)
        if match and match.group(1).lower() not in lines:
            lines[match.group(1).lower()] = first_line + offset
    return lines


def _unbalanced_line(raw: str) -> int | None:
    """0-based line of the field whose braces do not balance, or None when all balance.

    Inside an entry every field should start at brace depth 1; the first field that
    starts deeper follows the culprit.
    """
    depth = 0
    last_field = 0
    for number, text in enumerate(raw.split("\n")):
        if number and FIELD_START_RE.match(text):
            if depth > 1:
                return last_field
            last_field = number
        escaped = False
        for ch in text:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    return number
    return None if depth == 0 else last_field


def parse(path: str, text: str) -> tuple[Bibliography, list[Diagnostic]]:
    bib = Bibliography(path)
    diags: list[Diagnostic] = []
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its failures are diagnostics here
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # the parser's own failure is a diagnostic, never a traceback
        return bib, [Diagnostic(path, 1, 1, BIB_PARSE, f"the bibliography could not be parsed: {exc}")]
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = bib.entries.get(block.key)
            where = f" (first defined on line {first.line})" if first else ""
            diags.append(Diagnostic(path, line, 1, BIB_DUPLICATE_KEY, f"key '{block.key}' is defined again{where}"))
        elif isinstance(block, ParsingFailedBlock):
            raw = block.raw or ""
            head = raw.strip().split("\n", 1)[0][:60]
            bad = _unbalanced_line(raw)
            if bad is not None:
                bad_line = line + bad
                message = f"unbalanced braces in the entry starting '{head}'"
            else:
                bad_line = line
                message = f"cannot parse the entry starting '{head}'"
            diags.append(Diagnostic(path, bad_line, 1, BIB_PARSE, message))
        elif isinstance(block, BibEntry):
            fields = {f.key.lower(): str(f.value) for f in block.fields}
            entry = Entry(block.key, block.entry_type.lower(), fields, line,
                          _field_lines(block.raw or "", line))
            bib.entries[block.key] = entry
    # a stray text line that is not inside any entry ("@article{x, title = {a}" never closed)
    return bib, diags


_LOADED: dict[str, tuple[bytes, tuple[Bibliography, list[Diagnostic]]]] = {}


def cache_dir(root: Path) -> Path:
    """Where parsed bibliographies are kept between runs (git-ignored)."""
    return root / ".cache" / "bibliography"


def load(root: Path, bib_path: Path, keep_in: Path | None = None) -> tuple[Bibliography, list[Diagnostic]]:
    """Parse the bibliography, once per content: a build's check and its renderer share the result.

    With keep_in (see cache_dir), the parsed result is also kept on disk, keyed by a hash of the
    file's bytes, its shown path and the engine's source, so a later run (a `mkdocs serve`
    rebuild, the next `make check`) reads it back instead of parsing again; any change is a
    different key, and older parses are removed.
    """
    from hooks.parse.source import decode, display_path

    shown = display_path(root, bib_path)
    if not bib_path.exists():
        return Bibliography(shown), [Diagnostic(shown, 1, 1, BIB_PARSE, "references.bib does not exist")]
    data = bib_path.read_bytes()
    digest = context_digest(shown, data)
    cached = _LOADED.get(shown)
    if cached and cached[0] == digest:
        return cached[1]
    store = PageCache(keep_in, digest)
    key = store.key(data, shown)
    result = store.get(key)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], Bibliography)):
        source, diags = decode(shown, data)
        result = (Bibliography(shown), diags) if source is None else parse(shown, source.text)
        store.put(key, result)
    store.prune()
    _LOADED.clear()
    _LOADED[shown] = (digest, result)
    return result
