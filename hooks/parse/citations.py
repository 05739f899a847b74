"""Pandoc citations in Markdown text: ``[@key]``, ``[@a; @b]``, ``[see @key, p. 3]``.

Inline ``@key`` citations (without brackets) are not supported on purpose: they
clash with e-mail addresses and handles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KEY_RE = re.compile(r"^[a-z][a-z0-9_-]*[a-z0-9]$|^[a-z]$")
# A bracket group holding an '@' at the start of the group or after white space or ';'.
GROUP_RE = re.compile(r"(?<![!\\])\[(?P<body>[^\[\]]*@[^\[\]]*)\](?!\()")
PART_RE = re.compile(
    r"^\s*(?P<prefix>[^@]*?)(?:(?<=\s)|^)@(?P<key>[^\s,;]*)\s*(?:,\s*(?P<locator>.*?))?\s*$",
    re.DOTALL,
)
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


@dataclass(frozen=True)
class Cite:
    key: str
    locator: str = ""
    prefix: str = ""


@dataclass
class CitationGroup:
    start: int  # offset of '[' in the text it was found in
    end: int  # offset just past ']'
    cites: list[Cite] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind: 'empty' or 'malformed', message)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.cites]


def _looks_like_citation(body: str) -> bool:
    return any(re.match(r"^\s*(?:[^@]*\s)?@", part) for part in body.split(";"))


def find_groups(text: str) -> list[CitationGroup]:
    """All citation groups in text (which should already have code masked)."""
    groups = []
    for match in GROUP_RE.finditer(text):
        body = match.group("body")
        if not _looks_like_citation(body):
            continue
        group = CitationGroup(match.start(), match.end())
        for part in body.split(";"):
            parsed = PART_RE.match(part)
            if not part.strip() or parsed is None:
                group.problems.append(("empty", f"empty citation in [{body}]"))
                continue
            key = parsed.group("key")
            if not key:
                group.problems.append(("empty", f"citation without a key in [{body}]"))
            elif not KEY_RE.match(key):
                group.problems.append(("malformed", f"'{key}' is not a valid citation key"))
            else:
                group.cites.append(Cite(key, (parsed.group("locator") or "").strip(),
                                        parsed.group("prefix").strip()))
        groups.append(group)
    return groups


def mask_code_spans(text: str, filler: str = "\u2800") -> str:
    """Replace the inside of inline code spans with filler of the same length."""
    def repl(match: re.Match[str]) -> str:
        ticks = match.group(1)
        return ticks + filler * len(match.group(2)) + ticks

    return CODE_SPAN_RE.sub(repl, text)


def code_span_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in CODE_SPAN_RE.finditer(text)]
