"""One canonical layout for references.bib, so that diffs show only what changed.

Layout: comments at the top of the file stay on top, then @string and @preamble
blocks in their original order, then entries sorted by key. A comment written
directly above an entry (no blank line between) travels with that entry, as does
any comment between it and the previous entry. Inside an entry the fields come in
a fixed order (people, title, container, date, volume, pages, identifiers, evidence,
then any other field alphabetically), one per line, lowercase names, braced values,
whitespace collapsed (BibTeX ignores it).

The formatter never drops what it does not understand: before anything is written,
the formatted text is parsed again and must hold exactly the same entries, fields,
values, strings, preambles and comments as the original. If it does not, or if the
original does not parse cleanly, formatting is refused.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    Entry,
    ExplicitComment,
    ImplicitComment,
    ParsingFailedBlock,
    Preamble,
    String,
)

FIELD_ORDER = (
    "author", "editor", "organization", "institution", "title", "journal", "booktitle", "publisher",
    "year", "month", "volume", "number", "pages", "doi", "pmid", "pmcid", "url", "urldate", "evidence", "note",
)




class FormatRefused(Exception):
    """The bibliography cannot be formatted safely; the message says why."""


@dataclass
class _Group:
    detached: list[str] = field(default_factory=list)  # comments above the entry, after a blank line
    attached: str = ""  # the comment paragraph directly above the entry
    entry: Entry | None = None


def _collapse(value: str) -> str:
    return " ".join(value.split())


def _value(raw: str) -> str:
    """A field value in canonical form: braced, unless it is a string reference or concatenation."""
    raw = _collapse(raw)
    if re.fullmatch(r"\d+", raw):
        return "{" + raw + "}"
    return raw


def _field_rank(name: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(name), "") if name in FIELD_ORDER else (len(FIELD_ORDER), name)


def format_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry in canonical layout; values are raw BibTeX (with their braces or quotes)."""
    ordered = sorted(((name.lower(), value) for name, value in fields), key=lambda item: _field_rank(item[0]))
    lines = [f"@{entry_type.lower()}{{{key},"]
    lines.extend(f"  {name} = {_value(value)}," for name, value in ordered)
    lines.append("}")
    return "\n".join(lines)


def _comment_text(block: Block) -> str:
    if isinstance(block, ExplicitComment):
        return "@comment{" + block.comment + "}"
    assert isinstance(block, ImplicitComment)
    return "\n".join(line.rstrip() for line in block.comment.strip("\n").split("\n"))


def _paragraphs(block: Block) -> list[str]:
    """A comment block as paragraphs (the parser merges comments separated by blank lines)."""
    if isinstance(block, ExplicitComment):
        return [_comment_text(block)]
    return [p for p in re.split(r"\n\s*\n", _comment_text(block)) if p.strip()]


def _ends_right_above(comment: Block, entry: Block) -> bool:
    end = (comment.start_line or 0) + (comment.raw or "").rstrip("\n").count("\n")
    return entry.start_line == end + 1


def _render_block(block: Block) -> str:
    if isinstance(block, String):
        return f"@string{{{block.key} = {_value(block.value)}}}"
    if isinstance(block, Preamble):
        return f"@preamble{{{_collapse(block.value)}}}"
    return _comment_text(block)


def _quiet() -> None:
    """bibtexparser logs what it cannot parse; here that is reported as a diagnostic instead (set when
    parsing, never when this module is imported)."""
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def _parse_raw(text: str) -> bibtexparser.Library:
    _quiet()
    return bibtexparser.parse_string(text, parse_stack=[])


def _fingerprint(text: str) -> tuple[object, ...]:
    """What must survive formatting: every entry, field, value, string, preamble and comment."""
    _quiet()
    library = bibtexparser.parse_string(text)
    entries = sorted(
        (e.entry_type.lower(), e.key, tuple(sorted((f.key.lower(), _collapse(str(f.value))) for f in e.fields)))
        for e in library.entries
    )
    strings = [(s.key, _collapse(str(s.value))) for s in library.strings]
    preambles = [_collapse(str(p.value)) for p in library.preambles]
    comments = sorted(line.strip() for c in library.comments for line in _comment_text(c).split("\n")
                      if line.strip())  # the parser may merge adjacent comments; compare their lines
    return (entries, strings, preambles, comments, len(library.failed_blocks))


def format_bibliography(text: str) -> str:
    """The canonical text of a bibliography, or FormatRefused."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(("<<<<<<<", ">>>>>>>", "|||||||")) or line.rstrip() == "=======":
            raise FormatRefused(f"line {number}: a merge conflict is left in the file; keep one version and delete "
                                "the marker lines (BIB-MERGE-CONFLICT in `make check`), then format again")
    library = _parse_raw(text)
    failed = [b for b in library.blocks if isinstance(b, (ParsingFailedBlock, DuplicateBlockKeyBlock))]
    if failed:
        line = (failed[0].start_line or 0) + 1
        raise FormatRefused(f"line {line}: the bibliography does not parse cleanly; run `make check`, fix the "
                            "BIB-PARSE or BIB-DUPLICATE-KEY error, then format again")
    header: list[str] = []
    definitions: list[Block] = []
    groups: list[_Group] = []
    pending: list[str] = []
    seen_entry = False
    previous: Block | None = None
    for block in library.blocks:
        if isinstance(block, Entry):
            attached = ""
            if isinstance(previous, ImplicitComment) and pending and _ends_right_above(previous, block):
                attached = pending.pop()
            if not seen_entry:
                header, pending = header + pending, []
            groups.append(_Group(pending, attached, block))
            pending, seen_entry = [], True
        elif isinstance(block, (String, Preamble)):
            definitions.append(block)
        else:
            pending.extend(_paragraphs(block))
        previous = block
    if not seen_entry:
        header, pending = header + pending, []
    parts = header + [_render_block(b) for b in definitions]
    for group in sorted(groups, key=lambda g: g.entry.key if g.entry else ""):
        assert group.entry is not None
        fields = [(f.key, str(f.value)) for f in group.entry.fields]
        entry = format_entry(group.entry.entry_type, group.entry.key, fields)
        parts.extend(group.detached)
        parts.append(f"{group.attached}\n{entry}" if group.attached else entry)
    parts.extend(pending)
    result = "\n\n".join(p for p in parts if p) + "\n"
    if _fingerprint(result) != _fingerprint(text):
        raise FormatRefused("formatting would change the bibliography's content (a field, value or comment "
                            "it does not understand); nothing was written")
    return result


def _sorted_run(keys: list[str]) -> set[int]:
    """Indices of a longest run of keys already in sorted order (the others are out of place)."""
    import bisect

    tails: list[int] = []  # index of the smallest last key of a run of each length
    before: list[int] = [-1] * len(keys)
    for index, key in enumerate(keys):
        position = bisect.bisect_right([keys[t] for t in tails], key)
        before[index] = tails[position - 1] if position else -1
        if position == len(tails):
            tails.append(index)
        else:
            tails[position] = index
    keep: set[int] = set()
    index = tails[-1] if tails else -1
    while index >= 0:
        keep.add(index)
        index = before[index]
    return keep


def layout_problems(text: str, formatted: str) -> list[tuple[int, str]]:
    """Where a bibliography departs from its canonical layout, as (1-based line, what): entries
    out of order, entries whose fields are not laid out canonically, else the first other line."""
    library = _parse_raw(text)
    entries = [b for b in library.blocks if isinstance(b, Entry)]
    keep = _sorted_run([e.key for e in entries])
    problems: list[tuple[int, str]] = []
    for index, entry in enumerate(entries):
        line = (entry.start_line or 0) + 1
        if index not in keep:
            after = next((other for n, other in enumerate(entries) if n in keep and other.key > entry.key), None)
            where = (f"before '{after.key}' (line {(after.start_line or 0) + 1})" if after else "after the last entry")
            problems.append((line, f"'{entry.key}' is out of order: sorted by key, it belongs {where}"))
        canonical = format_entry(entry.entry_type, entry.key, [(f.key, str(f.value)) for f in entry.fields])
        if (entry.raw or "").strip() != canonical:
            problems.append((line, f"'{entry.key}' is not laid out canonically (one field a line, in the usual "
                                   "order, lowercase names, braced values)"))
    if not problems:
        import difflib

        old, new = text.split("\n"), formatted.split("\n")
        for tag, i1, _, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if tag != "equal":
                problems.append((min(i1 + 1, len(old)), "blank lines or comments differ from the canonical layout"))
                break
    return sorted(problems)


def insert_entry(text: str, key: str, entry: str) -> str:
    """The bibliography with a new entry (canonical text) where sorting by key puts it: right after
    the entry before it, or above the first entry (and its comment). A canonical file stays canonical."""
    if not text.strip():
        return entry + "\n"
    library = _parse_raw(text)
    entries = [b for b in library.blocks if isinstance(b, Entry)]
    lines = text.split("\n")
    before = [e for e in entries if e.key < key]
    if before:
        previous = max(before, key=lambda e: e.key)
        end = (previous.start_line or 0) + (previous.raw or "").rstrip("\n").count("\n") + 1
        result = "\n".join([*lines[:end], "", *entry.split("\n"), *lines[end:]])
    elif entries:
        first = min(entries, key=lambda e: e.start_line or 0)
        start = first.start_line or 0
        while start > 0 and lines[start - 1].strip().startswith("%"):  # its comment travels with it
            start -= 1
        result = "\n".join([*lines[:start], *entry.split("\n"), "", *lines[start:]])
    else:
        result = text.rstrip("\n") + "\n\n" + entry + "\n"
    return result if result.endswith("\n") else result + "\n"

