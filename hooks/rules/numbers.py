"""Every number in a claim is traced to the words of a source the claim cites (DESIGN §7).

A number in a claim (hooks/parse/numbers.py says what counts as one) must appear in an
excerpt of the source record (data/sources/<key>.yml) of one of the references the claim
cites, or be that reference's own publication year; a number the editors derived (a natural
frequency, an absolute effect computed from a relative one) is declared on the line before
its block, with the reason: ``<!-- derived: 1 in 4 | 24% of treated men, as a natural frequency -->``.
The report lists every such marker. The same tracing says which excerpts each claim relies on:
those that supplied one of its numbers, else those that share at least three content words with it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from hooks.parse import numbers
from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

NUMBER_UNTRACED = define(
    "NUMBER-UNTRACED", Severity.ERROR,
    "A number in a claim appears in no excerpt of the sources that the claim cites.",
    "Add the source's sentence that states the number to its record's excerpts (data/sources/<key>.yml), "
    "correct the number, or, for a number you computed, put <!-- derived: NUMBERS | how --> on the line "
    "before the block.",
    "45% of men regrew hair [@olsen2002randomized].   (the record's excerpts say 44.6%)",
    module=__name__, lenient=Severity.REPORT,
)
NUMBER_DERIVED_REASON = define(
    "NUMBER-DERIVED-REASON", Severity.ERROR,
    "A derived-number marker gives no numbers or no reason.",
    "Write the numbers, then '|', then how they were derived: <!-- derived: 1 in 4 | 24% as a natural frequency -->.",
    "<!-- derived: 1 in 4 -->",
    module=__name__,
)

WORD_RE = re.compile(r"[^\W\d_]{4,}")
STOPWORDS = frozenset(["this", "that", "with", "from", "were", "have", "been", "their", "there", "which",
                       "about", "these", "those", "than", "then", "they", "them", "into", "over", "more",
                       "most", "some", "such", "only", "also", "when", "what", "will", "would", "could",
                       "should", "after", "before", "other", "among", "between", "each", "while", "both",
                       "either", "does", "used", "using", "during", "within", "without", "people", "patients",
                       "study", "studies", "trial", "trials", "group", "groups", "treatment", "treated"])
MIN_SHARED_WORDS = 3


@dataclass
class ClaimTrace:
    untraced: list[numbers.Number] = field(default_factory=list)
    relies_on: list[tuple[str, int]] = field(default_factory=list)  # (key, excerpt index)


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD_RE.findall(numbers.prose(text))} - STOPWORDS


@functools.lru_cache(maxsize=16_384)
def _excerpt_words(text: str) -> frozenset[str]:
    """An excerpt's content words, read once per process however many claims cite it."""
    return frozenset(_words(text))


@functools.lru_cache(maxsize=4_096)
def _stated_by_value(texts: tuple[str, ...]) -> dict:
    """A record's excerpts' numbers by value: value -> [(excerpt index, Stated)], read once per process."""
    out: dict = {}
    for index, text in enumerate(texts):
        for stated in numbers.stated_in(text):
            out.setdefault(stated.value, []).append((index, stated))
    return out


def _excerpts_stating(number: numbers.Number, texts: tuple[str, ...]) -> list[int]:
    """The excerpts (indexes) that state the number, in its unit, with the other end of its range."""
    by_value = _stated_by_value(texts)
    if number.approximate:  # any value that rounds to it: look at them all
        candidates = [item for items in by_value.values() for item in items]
    else:
        candidates = by_value.get(number.value, [])
    return sorted({index for index, stated in candidates
                   if number.matches(stated) and numbers.range_in(number, texts[index])})


def trace_numbers(text: str, keys: list[str], sources, bibliography,
                  derived_values: set) -> tuple[list[numbers.Number], set[tuple[str, int]]]:
    """The numbers of a text that no excerpt of the cited sources states (nor their publication year,
    nor a derived marker), and the excerpts (key, index) that supplied the others. Claims, front-matter
    prose and outcome fields are all traced by this one function."""
    untraced: list[numbers.Number] = []
    supplied: set[tuple[str, int]] = set()
    found = numbers.numbers_in(text)
    if not found:
        return untraced, supplied
    cited = []  # each key's publication year and excerpts, read once for all the numbers
    for key in keys:
        entry = bibliography.entries.get(key)
        year = numbers.normalise(entry.get("year")) if entry is not None and entry.get("year") else None
        record = sources.get(key)
        cited.append((key, year, None if record is None else tuple(e.text for e in record.excerpts)))
    for number in found:
        if number.value in derived_values:
            continue
        traced = False
        for key, year, excerpts in cited:
            if year is not None and number.value == year:
                traced = True
            if excerpts is None:
                continue
            for index in _excerpts_stating(number, excerpts):
                supplied.add((key, index))
                traced = True
        if not traced:
            untraced.append(number)
    return untraced, supplied


def trace_claim(claim, sources, bibliography, derived_values: set) -> ClaimTrace:
    out = ClaimTrace()
    out.untraced, supplied = trace_numbers(claim.text, claim.keys, sources, bibliography, derived_values)
    claim_words = _words(claim.text)
    for key in dict.fromkeys(claim.keys):
        record = sources.get(key)
        if record is None:
            continue
        mine = sorted(index for k, index in supplied if k == key)
        if not mine:  # no number came from this source: the excerpts that share enough words with the claim
            mine = [index for index, e in enumerate(record.excerpts)
                    if len(claim_words & _excerpt_words(e.text)) >= MIN_SHARED_WORDS]
        out.relies_on.extend((key, index) for index in mine)
    return out


def why(untraced: list[numbers.Number], keys: list[str], sources) -> str:
    """Why a number that the cited excerpts do state was not traced: its unit, or its range."""
    stated = {value for key in keys if sources.get(key) is not None
              for excerpt in sources.get(key).excerpts for value in numbers.values_in(excerpt.text)}
    if any(n.range_with is not None for n in untraced):
        return " (a range needs both its ends in one excerpt, in the same unit)"
    if any(n.value in stated for n in untraced):
        return " (not in the same unit: a percentage needs a percentage, weeks need weeks)"
    return ""


def derived_for(doc, line: int) -> set:
    values: set = set()
    for marker in doc.derived if doc is not None else []:
        if marker.reason and marker.covers and marker.covers[0] <= line <= marker.covers[1]:
            values |= {n.value for n in numbers.numbers_in(marker.numbers)}
    return values


def check(context) -> list[Diagnostic]:
    page = context.page
    if not page.clinical or page.doc is None:
        return []
    diags: list[Diagnostic] = []
    for marker in page.doc.derived:
        if not marker.reason or not numbers.numbers_in(marker.numbers):
            diags.append(Diagnostic(page.path, marker.line, marker.col, NUMBER_DERIVED_REASON,
                                    "derived-number marker without " + ("a reason" if numbers.numbers_in(
                                        marker.numbers) else "numbers")))
    lenient = not page.sources_traced
    for claim, trace in zip(page.claims, context.traces, strict=True):
        if not trace.untraced or not claim.keys:
            continue  # a claim without a citation is CLAIM-UNCITED already
        shown = ", ".join(dict.fromkeys(f'"{n.text}"' for n in trace.untraced))
        cited = "; ".join(f"@{k}" for k in dict.fromkeys(claim.keys))
        where = "row" if claim.kind == "table-row" else "sentence"
        reason = why(trace.untraced, claim.keys, context.sources)
        diags.append(Diagnostic(page.path, claim.line, claim.col, NUMBER_UNTRACED,
                                f"{shown} in this {where} is in no excerpt of [{cited}]{reason}", lenient=lenient))
    return diags
