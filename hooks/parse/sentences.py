"""Splitting prose into sentences for the claim rule.

Medical prose is full of full stops that do not end a sentence: abbreviations
(e.g., vs., approx., et al., Dr., No. 3, Fig. 2), decimals (1.74), dotted acronyms
(b.i.d., i.v.) and citation locators ([@key, p. 3]). A sentence boundary is a terminator
followed by white space and a character that can start a sentence; a citation group
standing right after a terminator still belongs to the sentence before it.

Abbreviations come in three kinds: after some the sentence always goes on (e.g., vs., Dr.);
some are part of a reference only before a number (No. 3, Fig. 2A, p. 380; "No. The trial"
is two sentences); and some often end a sentence (etc., et al., resp., spp.), which do
so before a capital letter only. A unit's full stop ("5 mg/d.") ends the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# After these the sentence goes on, whatever follows ("e.g. Minoxidil", "Dr. Olsen", "vs. Placebo").
CONTINUING = frozenset([
    "e.g", "eg", "i.e", "ie", "vs", "v", "cf", "viz", "approx", "ca", "incl", "excl", "esp", "dr", "drs", "prof",
    "mr", "mrs", "ms", "st", "u.s", "u.k", "e.u", "n.b", "op", "cit", "ibid",
])
# Before a number these are part of a reference ("No. 3", "Fig. 2A", "p. 380", "Vol. II"); before a
# word they may end a sentence ("Did it work? No. The trial...").
NUMBERED = frozenset([
    "no", "nos", "fig", "figs", "vol", "vols", "p", "pp", "ch", "chap", "sec", "sect", "eq", "eqs", "tab", "tbl",
    "art", "ref", "refs", "suppl", "ed", "eds", "para", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
])
# These often end a sentence: a boundary before a capital letter, not before anything else
# ("Olsen et al. (2002) found", "10 and 20 hairs, resp. [@key]", "Malassezia spp. in the scalp").
SENTENCE_FINAL = frozenset([
    "etc", "al", "resp", "jr", "sr", "inc", "ltd", "corp", "co", "dept", "univ", "ph.d", "m.d", "min", "max",
    "wk", "wks", "mo", "mos", "yr", "yrs", "hr", "hrs", "sp", "spp", "var", "subsp",
])
NUMBER_AFTER_RE = re.compile(r"[#(]?(?:\d|[A-Z]\d|[IVXLC]{2,}\b)")
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


def _bare(word: str) -> str:
    return word.lower().strip("*_\"'(").rstrip(".")


def _continues_after(word: str, following: str) -> bool:
    """Whether the sentence goes on after ``word`` + '.', given the text that follows the white space."""
    bare = _bare(word)
    if not bare:
        return False
    if "/" in bare:  # a unit such as "mg/d": its full stop ends the sentence
        return False
    start = following.lstrip("*_\"'“‘")
    if bare in CONTINUING:
        return True
    if bare in NUMBERED and NUMBER_AFTER_RE.match(following):
        return True
    if bare in SENTENCE_FINAL or re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # dotted: "b.i.d.", "i.v."
        return not start[:1].isupper()
    return False


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
                if boundary and ch == "." and nxt < n and _continues_after(_word_before(text, i), text[nxt:nxt + 12]):
                    boundary = False
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
