"""Pandoc citations in Markdown text: ``[@key]``, ``[@a; @b]``, ``[@key, p. 3]``.

Inline ``@key`` citations (without brackets) are not supported on purpose: they
clash with e-mail addresses and handles. Forms that look like citations but would show
readers something else are problems of the group, each with the corrected form: a comma
or a space between two keys (``[@a, @b]``: mkdocs-bibtex shows ``@b`` as a page locator
of ``@a``), an ``@`` or a bare key in a locator, words before a key (``[see @a]``: the
numbered markers have no room for them, they would be dropped) and words after a key
without a comma (``[@a p. 3]``: dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KEY_RE = re.compile(r"^[a-z][a-z0-9_-]*[a-z0-9]$|^[a-z]$")
# A bracket group holding an '@' at the start of the group or after white space or ';'.
GROUP_RE = re.compile(r"(?<![!\\])\[(?P<body>[^\[\]]*@[^\[\]]*)\](?!\()")
# '@' that starts a citation inside a part: at its start or after white space, ',' or '-' ("-@key")
AT_RE = re.compile(r"(?:^|(?<=[\s,(-]))@(?P<key>[^\s,;@\]]*)")
# A locator that is really a reference key (the '@' forgotten): "[@a, olsen2002randomized]"
KEYLIKE_RE = re.compile(r"^[a-z][a-z-]*\d{4}[a-z0-9_-]*$")
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)

# Kinds of problem, each reported as its own rule (hooks/rules/claims.py). mkdocs-bibtex reads
# "[@a, @b]" as @a with the page locator "@b", drops a prefix ("[see @a]") and drops text after a
# key without a comma ("[@a p. 3]"): readers would see something other than what was written.
EMPTY = "empty"  # no key: [@], [@a; ]
MALFORMED = "malformed"  # a key that is not a key: [@Olsen2002], [@a.b!]
SEPARATOR = "separator"  # two citations not separated by ';': [@a, @b], [@a @b], [@a, p. 3 @b]
PREFIX = "prefix"  # words before the key: [see @a]
LOCATOR = "locator"  # words after the key without a comma: [@a p. 3]


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
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, message): kinds above

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.cites]


def _looks_like_citation(body: str) -> bool:
    return any(re.match(r"^\s*(?:[^@]*\s)?-?@", part) for part in body.split(";"))


def _written(part: str) -> str:
    return " ".join(part.split())


def _split_at_keys(part: str) -> list[tuple[str, str]]:
    """(key, locator) for every '@key' in a part, the locator being the text up to the next '@key'
    without the joining comma or 'and': what the editor meant by "@a, p. 3 and @b"."""
    matches = list(AT_RE.finditer(part))
    out = []
    for index, match in enumerate(matches):
        tail_end = matches[index + 1].start() if index + 1 < len(matches) else len(part)
        tail = part[match.end():tail_end]
        tail = re.sub(r"[\s,;&]+(?:and|&)?[\s,;&]*$", "", tail, flags=re.IGNORECASE)
        out.append((match.group("key"), tail.strip().lstrip(",").strip()))
    return out


def _suggest(pairs: list[tuple[str, str]]) -> str:
    return "[" + "; ".join(f"@{key}, {locator}" if locator else f"@{key}" for key, locator in pairs) + "]"


def _parse_part(part: str, body: str, group: CitationGroup) -> None:
    if not part.strip():
        group.problems.append((EMPTY, f"empty citation in [{_written(body)}]: nothing between two ';'"))
        return
    first = AT_RE.search(part)
    if first is None:
        group.problems.append((EMPTY, f"'{_written(part)}' in [{_written(body)}] is not a citation: "
                                      "each part between ';' needs an @key"))
        return
    prefix = part[:first.start()].strip()
    key = first.group("key")
    rest = part[first.end():]
    if not key:
        group.problems.append((EMPTY, f"citation without a key in [{_written(body)}]"))
        return
    if not KEY_RE.match(key):
        group.problems.append((MALFORMED, f"'{key}' is not a valid citation key"))
        return
    pairs = _split_at_keys(part[first.start():])
    locator = ""
    extras: list[Cite] = []
    if len(pairs) > 1 and all(extra[:1].isalpha() for extra, _ in pairs[1:]):
        fate = "shown as its page locator" if rest.lstrip().startswith(",") else "dropped"
        group.problems.append((SEPARATOR, f"[{_written(body)}] cites only @{key} (the rest, "
                                          f"'{_written(rest.lstrip(', '))}', is {fate}): separate citations "
                                          f"with ';': {_suggest(pairs)}"))
        extras = [Cite(extra) for extra, _ in pairs[1:] if KEY_RE.match(extra)]
    elif "@" in rest:
        group.problems.append((SEPARATOR, f"a stray '@' after @{key} in [{_written(body)}]: a locator is written "
                                          f"without '@' ([@{key}, p. 3]) and a second citation after ';' "
                                          f"([@{key}; @other2020key])"))
    elif rest.strip() and not rest.lstrip().startswith(","):
        group.problems.append((LOCATOR, f"'{_written(rest)}' after @{key} is not shown to readers: put a comma "
                                        f"before a locator: [@{key}, {_written(rest)}]"))
    else:
        locator = rest.strip().lstrip(",").strip()
        if KEYLIKE_RE.match(locator):
            group.problems.append((SEPARATOR, f"'{locator}' after @{key}, is shown as a page locator, not cited: "
                                              f"to cite it, write [@{key}; @{locator}]"))
            extras = [Cite(locator)]
            locator = ""
    if prefix == "-":
        group.problems.append((PREFIX, f"'-@{key}' (author suppressed) is not supported: the site shows numbered "
                                       f"citations only; write [@{key}]"))
    elif prefix:
        shown = prefix if len(prefix) <= 30 else prefix[:29] + "…"
        group.problems.append((PREFIX, f"'{shown}' before @{key} is not shown to readers: write it before the "
                                       f"brackets: {shown} [@{key}{', ' + locator if locator else ''}]"))
    group.cites.append(Cite(key, locator, prefix))
    group.cites.extend(extras)


def find_groups(text: str) -> list[CitationGroup]:
    """All citation groups in text (which should already have code masked)."""
    groups = []
    for match in GROUP_RE.finditer(text):
        body = match.group("body")
        if not _looks_like_citation(body):
            continue
        group = CitationGroup(match.start(), match.end())
        for part in body.split(";"):
            _parse_part(part, body, group)
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
