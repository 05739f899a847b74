"""references.bib: parsed once with bibtexparser, validated against DESIGN §4."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock
from bibtexparser.model import Entry as BibEntry

from hooks.cache import PageCache, context_digest
from hooks.report.diagnostics import Diagnostic
from hooks.rules.syntax import BIB_DUPLICATE_KEY, BIB_FILE_MISSING, BIB_MERGE_CONFLICT, BIB_PARSE

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
EVIDENCE_SPELLINGS = {"non-randomized-trial": "non-randomised-trial"}


@functools.lru_cache(maxsize=1024)  # (called for every key of every claim)
def normalise_evidence(value: str) -> str:
    """An evidence type as typed (any case, spaces or underscores for hyphens) in the vocabulary's form."""
    word = "-".join(value.replace("_", " ").lower().split())
    return EVIDENCE_SPELLINGS.get(word, word)


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
        """The evidence type as the vocabulary spells it: 'RCT', ' Systematic review' and
        'systematic_review' are read as 'rct' and 'systematic-review'."""
        return normalise_evidence(self.get("evidence"))


@dataclass
class Bibliography:
    path: str
    entries: dict[str, Entry] = field(default_factory=dict)
    # keys of entries that are damaged (a syntax error, a merge conflict) -> line of the cause: the
    # cause is reported once, and nothing that depends on these entries is reported on top of it
    damaged: dict[str, int] = field(default_factory=dict)
    missing: bool = False  # the file does not exist or cannot be read: one error, nothing else

    def known(self, key: str) -> bool:
        """A key that exists, or whose entry is there but damaged (so not 'unknown')."""
        return key in self.entries or key in self.damaged

    def strongest_evidence(self, keys: list[str]) -> str:
        ranks = [EVIDENCE_TYPES.index(self.entries[k].evidence) for k in keys
                 if k in self.entries and self.entries[k].evidence in EVIDENCE_TYPES]
        return EVIDENCE_TYPES[min(ranks)] if ranks else ""


FIELD_START_RE = re.compile(r"^\s*,?\s*([A-Za-z][\w-]*)\s*=")
ENTRY_START_RE = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]")
HEADER_RE = re.compile(r"^\s*@\s*([A-Za-z]+)\s*\{\s*([^\s,{}=]+)\s*(,?)")
NOT_ENTRIES = frozenset({"comment", "string", "preamble"})
CONFLICT_START, CONFLICT_BASE, CONFLICT_MIDDLE, CONFLICT_END = "<<<<<<<", "|||||||", "=======", ">>>>>>>"


def _field_lines(raw: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for offset, text in enumerate(raw.split("\n")):
        match = FIELD_START_RE.match(text)
        if match and match.group(1).lower() not in lines:
            lines[match.group(1).lower()] = first_line + offset
    return lines


def _braces(text: str) -> list[tuple[int, int]]:
    """(position, +1 or -1) for each '{' and '}' of a line, in order (escaped braces left out)."""
    out: list[tuple[int, int]] = []
    escaped = False
    for position, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            out.append((position, 1))
        elif ch == "}":
            out.append((position, -1))
    return out


def diagnose_entry(lines: list[str], first: int) -> tuple[int, str] | tuple[int, str, bool] | None:
    """The first syntax problem of one entry's lines (first: 1-based line of '@type{key,'), in
    plain words at the line where it is, or None. It looks at braces and commas line by line, as
    an editor would: a field that opens '{' and does not close it, an extra '}' that ends the entry
    early, a missing ',' between fields or after the key, an entry that is never closed. A third
    item True means the entry itself is intact (a stray '}' after it)."""
    header = HEADER_RE.match(lines[0])
    if not header and re.match(r"^\s*@\s*[A-Za-z]+\s*\(", lines[0]):
        return None  # @article(key, ...): BibTeX's other form, left to the parser
    if not header:
        return first, (f"cannot read the start of the entry '{lines[0].strip()[:60]}': write it as "
                       "@article{key, (the type, '{', the key and a comma)")
    key = header.group(2)
    depth = 0
    last_field: tuple[int, str] | None = None  # (index, name) of the field before this line
    last_text = 0  # index of the last line with text inside the entry
    needs_comma = not header.group(3) and lines[0][header.end():].strip() == ""
    closed_at: int | None = None  # index of the line whose '}' closed the entry
    closed_tail = ""  # what follows that '}' on its line
    for position, step in _braces(lines[0]):
        depth += step
        if depth == 0 and closed_at is None:  # a one-line entry
            closed_at, closed_tail = 0, lines[0][position + 1:].strip()
    for index in range(1, len(lines)):
        text = lines[index]
        stripped = text.strip()
        if closed_at is not None:  # after the entry: only what looks like part of it matters
            field = FIELD_START_RE.match(text)
            if field:
                return first + closed_at, (
                    f"an extra '}}' on line {first + closed_at} ends the entry '{key}' early, so its field "
                    f"'{field.group(1)}' on line {first + index} and those after it are outside the entry: "
                    "delete the extra '}'")
            if stripped.startswith("}"):
                if closed_tail.startswith(","):  # evidence = {rct}},  then the entry's own  }
                    return first + closed_at, (f"an extra '}}' on line {first + closed_at} ends the entry "
                                               f"'{key}' early: delete it")
                return (first + index, f"an extra '}}' on line {first + index}, after the entry '{key}' has ended: "
                        "delete it", True)
            continue
        if not stripped or stripped.startswith("%"):
            continue
        field = FIELD_START_RE.match(text)
        if field and depth >= 2 and last_field is not None:
            return first + last_field[0], (
                f"the field '{last_field[1]}' on line {first + last_field[0]} opens a '{{' that is not closed "
                f"before the next field '{field.group(1)}' on line {first + index}: add the missing '}}'")
        if field and depth == 1:
            if needs_comma:
                where = "the key" if last_field is None else f"the field '{last_field[1]}'"
                return first + last_text, (f"a ',' is missing at the end of line {first + last_text}, after "
                                           f"{where} and before '{field.group(1)}' on line {first + index}")
            last_field = (index, field.group(1))
        for position, step in _braces(text):
            depth += step
            if depth == 0 and closed_at is None:
                closed_at, closed_tail = index, text[position + 1:].strip()
                if FIELD_START_RE.match(text[position + 1:]):  # title = {T}}, journal = {J},
                    return first + index, (f"an extra '}}' on line {first + index} ends the entry '{key}' "
                                           "early: delete it")
            if depth < 0:
                return first + index, f"an extra '}}' on line {first + index}: delete it"
        if closed_at is not None:
            continue
        last_text = index
        needs_comma = depth == 1 and not stripped.endswith(",") and not stripped.endswith("{")
    if closed_at is None:
        if depth == 1 and last_field is not None and lines[last_text].strip() in ("}", "},") \
                and sum(step for _, step in _braces("\n".join(lines[last_field[0]:last_text]))) > 0:
            depth = 2  # the entry's own '}' closed the last field's value instead: the field is the cause
        if depth >= 2 and last_field is not None:
            return first + last_field[0], (f"the field '{last_field[1]}' on line {first + last_field[0]} opens "
                                           "a '{' that is never closed: add the missing '}'")
        return first + last_text, (f"the entry '{key}' that starts on line {first} is never closed: add a line "
                                   f"with '}}' after line {first + last_text}")
    return None


def tolerant_fields(lines: list[str]) -> dict[str, str]:
    """The fields of a damaged entry, read leniently (a new field starts on each 'name =' line or
    after a ',' at the entry's own level), so that what depends on them still works while the
    damage is reported."""
    body = "\n".join(lines)
    brace = body.find("{")
    comma = body.find(",", brace + 1) if brace >= 0 else -1
    if comma < 0 or "\n" in body[brace:comma]:
        comma = body.find("\n")
    if comma < 0:
        return {}
    starts: list[tuple[int, int, str]] = []  # (name start, value start, name)
    depth, position = 0, comma + 1
    pattern = re.compile(r"([A-Za-z][\w-]*)\s*=\s*")
    line_start = True
    index = position
    while index < len(body):
        ch = body[index]
        if ch == "\n":
            line_start = True
        elif ch in " \t,":
            pass
        else:
            if (line_start or depth <= 0) and ch.isalpha():
                match = pattern.match(body, index)
                if match and (line_start or body[:index].rstrip().endswith(",")):
                    starts.append((index, match.end(), match.group(1).lower()))
                    depth = 0
                    index = match.end()
                    line_start = False
                    continue
            line_start = False
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
        index += 1
    fields: dict[str, str] = {}
    for number, (_, value_start, name) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(body)
        value = body[value_start:end].strip()
        while value.endswith(",") or (value.endswith("}") and value.count("}") > value.count("{")):
            value = value[:-1].rstrip()
        if (value.startswith("{") and value.endswith("}")) or (value.startswith('"') and value.endswith('"')):
            value = value[1:-1]
        if value.count("{") != value.count("}"):
            value = value.replace("{", "").replace("}", "")
        fields.setdefault(name, " ".join(value.split()))
    return fields


def _conflicts(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Merge-conflict markers left in the file: the text with each conflict resolved to its first
    side (marker lines and the other side blanked, so line numbers stay), and each conflict as
    (1-based first line, last line, the text of the other side)."""
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    index = 0
    while index < len(lines):
        if lines[index].startswith(CONFLICT_START):
            start, mode, other = index, "ours", []
            index += 1
            while index < len(lines) and not lines[index].startswith(CONFLICT_END):
                line = lines[index]
                if line.startswith(CONFLICT_BASE) and mode == "ours":
                    mode = "base"
                    lines[index] = ""
                elif line.rstrip() == CONFLICT_MIDDLE and mode != "theirs":
                    mode = "theirs"
                    lines[index] = ""
                elif mode != "ours":
                    other.append(line)
                    lines[index] = ""
                index += 1
            end = min(index, len(lines) - 1)
            lines[start] = ""
            if index < len(lines):
                lines[index] = ""
            found.append((start + 1, end + 1, "\n".join(other)))
        elif lines[index].startswith((CONFLICT_END, CONFLICT_BASE)):
            found.append((index + 1, index + 1, ""))
            lines[index] = ""
        index += 1
    return "\n".join(lines), found


def _chunks(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) line ranges (0-based) of each '@type{' block, up to the next one."""
    starts = [i for i, line in enumerate(lines) if ENTRY_START_RE.match(line)]
    return [(start, starts[n + 1] if n + 1 < len(starts) else len(lines)) for n, start in enumerate(starts)]


def parse(path: str, text: str) -> tuple[Bibliography, list[Diagnostic]]:
    bib = Bibliography(path)
    diags: list[Diagnostic] = []
    text, conflicts = _conflicts(text)
    for first, last, other in conflicts:
        if first == last:
            message = f"a merge-conflict marker line is left in the file: delete line {first}"
        else:
            message = (f"a merge conflict is left in the file: lines {first}-{last} hold two versions, between "
                       f"'{CONFLICT_START}' and '{CONFLICT_END}'; keep the version you want, delete the other "
                       "and the marker lines")
        diags.append(Diagnostic(path, first, 1, BIB_MERGE_CONFLICT, message))
        for header in HEADER_RE.finditer(other):  # keys only on the other side are known, not unknown
            bib.damaged.setdefault(header.group(2), first)
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its failures are diagnostics here
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # the parser's own failure is a diagnostic, never a traceback
        return bib, [*diags, Diagnostic(path, 1, 1, BIB_PARSE, f"the bibliography could not be parsed: {exc}")]
    lines = text.split("\n")
    blocks = {block.start_line: block for block in library.blocks if block.start_line is not None}
    for start, end in _chunks(lines):
        chunk = lines[start:end]
        header = HEADER_RE.match(chunk[0])
        entry_type = ENTRY_START_RE.match(chunk[0]).group(1).lower()  # type: ignore[union-attr]
        if entry_type in NOT_ENTRIES:
            continue
        block = blocks.get(start)
        line = start + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = bib.entries.get(block.key)
            where = f" (first defined on line {first.line})" if first else ""
            diags.append(Diagnostic(path, line, 1, BIB_DUPLICATE_KEY, f"key '{block.key}' is defined again{where}"))
            continue
        problem = diagnose_entry(chunk, line)
        if problem is not None and len(problem) == 3:  # outside the entry: report it, read the entry as it is
            diags.append(Diagnostic(path, problem[0], 1, BIB_PARSE, problem[1]))
            problem = None
        if problem is None and isinstance(block, BibEntry):
            fields = {f.key.lower(): str(f.value) for f in block.fields}
            bib.entries[block.key] = Entry(block.key, block.entry_type.lower(), fields, line,
                                           _field_lines(block.raw or "", line))
            continue
        if problem is None:
            reason = str(getattr(block, "error", "") or "").strip().split("\n")[0]
            head = chunk[0].strip()[:60]
            problem = (line, f"cannot read the entry starting '{head}'" + (f": {reason}" if reason else ""))
        diags.append(Diagnostic(path, problem[0], 1, BIB_PARSE, problem[1]))  # type: ignore[index]
        if header:  # read what is there, so that its citations and fields are not reported as missing
            key = header.group(2)
            bib.damaged.setdefault(key, problem[0])
            if key not in bib.entries:
                bib.entries[key] = Entry(key, header.group(1).lower(), tolerant_fields(chunk), line,
                                         _field_lines("\n".join(chunk), line))
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
    try:
        data = bib_path.read_bytes()
    except OSError as exc:
        why = "does not exist" if not bib_path.exists() else f"cannot be read ({exc.strerror or exc})"
        return Bibliography(shown, missing=True), [Diagnostic(
            shown, 1, 1, BIB_FILE_MISSING,
            f"{shown} {why}: every citation is looked up there, so nothing else is checked until it is back")]
    digest = context_digest(shown, data)
    cached = _LOADED.get(shown)
    if cached and cached[0] == digest:
        return cached[1]
    store = PageCache(keep_in, digest)
    key = store.key(data, shown)
    result = store.get(key)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], Bibliography)):
        source, diags = decode(shown, data)
        result = (Bibliography(shown, missing=True), diags) if source is None else parse(shown, source.text)
        store.put(key, result)
    store.prune()
    _LOADED.clear()
    _LOADED[shown] = (digest, result)
    return result
