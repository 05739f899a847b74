"""Splitting prose into sentences for the claim rule.

Medical prose is full of full stops that do not end a sentence: abbreviations
(e.g., vs., approx., et al.), decimals (1.74), initials, units (mg/d.) and
citation locators ([@key, p. 3]). A sentence boundary is a terminator followed by
white space and a character that can start a sentence; a citation group standing
right after a terminator still belongs to the sentence before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset([
    "e.g", "i.e", "vs", "v", "approx", "ca", "cf", "al", "etc", "fig", "figs", "vol", "vols", "dr",
    "drs", "prof", "mr", "mrs", "ms", "st", "jr", "sr", "inc", "ltd", "corp", "dept", "univ", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ref", "refs",
    "ed", "eds", "suppl", "resp", "sp", "spp", "ph.d", "m.d", "u.s", "u.k", "e.u", "op", "cit",
    "ibid", "viz", "n.b", "incl", "esp",
])
TERMINATORS = ".!?…"
TERMINATOR_RE = re.compile("[" + re.escape(TERMINATORS) + "]")
CLOSERS = "\"'”’)]*_"
OPENERS_OK = re.compile(r"[A-Z0-9\"'“‘(\[*_<>#~`\u00C0-\u024F]|[^\x00-\x7F]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def terminal(self) -> str:
        stripped = self.text.rstrip().rstrip(CLOSERS + " ")
        return stripped[-1:] if stripped else ""


def _word_before(text: str, index: int) -> str:
    start = index
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "([":
        start -= 1
    return text[start:index]


def _is_abbreviation(word: str) -> bool:
    bare = word.lower().strip("*_\"'(")
    if not bare:
        return False
    if bare in ABBREVIATIONS or bare.rstrip(".") in ABBREVIATIONS:
        return True
    # dotted acronyms ("U.S.", "i.v.")
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare))


def split(text: str, protected: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Split text into sentences; offsets inside protected ranges never split."""
    protected = sorted(protected or [])
    # citation groups directly after a terminator belong to the sentence before
    cite_after = {start: end for start, end in protected if end > start}  # (an empty range would loop)

    def inside(pos: int) -> bool:
        return any(start <= pos < end for start, end in protected)

    sentences: list[Sentence] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        found = TERMINATOR_RE.search(text, i)  # nothing happens between terminators: jump to the next
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if not inside(i):
            j = i + 1
            while j < n and text[j] in TERMINATORS:
                j += 1
            while j < n and text[j] in CLOSERS:
                j += 1
            # attach citation groups that follow the terminator ("... effect. [@key]")
            k = j
            while True:
                m = k
                while m < n and text[m] in " \t":
                    m += 1
                if m in cite_after:
                    k = cite_after[m]
                    continue
                break
            if k != j:
                j = k
            if j >= n or text[j].isspace():
                nxt = j
                while nxt < n and text[nxt].isspace():
                    nxt += 1
                boundary = nxt >= n or bool(OPENERS_OK.match(text[nxt]))
                if boundary and ch == "." and _is_abbreviation(_word_before(text, i)):
                    # an abbreviation ends a sentence only at the end of the text
                    boundary = nxt >= n
                if boundary and ch == "." and i > 0 and text[i - 1].isdigit() and nxt < n \
                        and text[nxt].isdigit():
                    boundary = False
                if boundary:
                    piece = text[start:j]
                    if piece.strip():
                        lead = len(piece) - len(piece.lstrip())
                        sentences.append(Sentence(start + lead, j, piece.strip()))
                    start = nxt
                    i = nxt
                    continue
            i = j
            continue
        i += 1
    piece = text[start:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        sentences.append(Sentence(start + lead, start + lead + len(piece.strip()), piece.strip()))
    return sentences
