"""The glossary: one data file of abbreviations and terms (data/glossary.yml).

Rendered twice from the same data: as tooltips (<abbr title>) wherever a term appears in a
page's text, added in one pass over the page's HTML, and as the glossary page.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_FILE = "data/glossary.yml"  # relative to the project root


@dataclass(frozen=True)
class Term:
    term: str
    definition: str


def load(path: Path) -> list[Term]:
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return []
    items = data.get("terms", []) if isinstance(data, dict) else []
    return [Term(str(i["term"]), " ".join(str(i["definition"]).split())) for i in items
            if isinstance(i, dict) and i.get("term") and i.get("definition")]


def page_markdown(terms: list[Term]) -> str:
    lines = ["# Glossary", "", "Abbreviations and terms used on this site. Each one is also explained in a "
             "tooltip wherever it appears.", "", "| Term | Meaning |", "| --- | --- |"]
    lines += [f"| **{t.term}** | {t.definition} |" for t in sorted(terms, key=lambda t: t.term.casefold())]
    return "\n".join(lines) + "\n"


SKIP = ("a", "abbr", "code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "title", "textarea")


@functools.lru_cache(maxsize=8)
def _matcher(terms: tuple[Term, ...]) -> tuple[dict[str, str], re.Pattern]:
    """The terms' tooltips and one pattern, made once per glossary (not once a page), that finds in
    one pass of the regular expression engine what annotate_html must leave as it is (a comment, or
    a whole element it skips) and each term in text."""
    titles = {t.term: html.escape(t.definition, quote=True) for t in terms}
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    skipped = "|".join(sorted(SKIP, key=len, reverse=True))
    first = re.escape("".join(sorted({t[0] for t in titles})))
    return titles, re.compile(
        rf"(?=[<{first}])(?:"  # (what can start a match: the engine skips every other character at once)
        r"<!--.*?-->"  # a comment
        rf"|<\s*((?i:{skipped}))(?![a-zA-Z0-9])[^>]*(?<!/)>.*?<\s*/\s*(?i:\1)\s*>"  # a skipped element
        rf"|(?<![\w-])({alternatives})(?![\w-])(?=[^<>]*(?:<|\Z))"  # a term outside any tag
        ")", re.S)


def annotate_html(text: str, terms: list[Term]) -> str:
    """Wrap each whole-word occurrence of a term in <abbr title="definition">, outside tags, comments,
    links, code, headings and existing abbreviations."""
    if not terms:
        return text
    titles, pattern = _matcher(tuple(terms))

    def tooltip(match: re.Match) -> str:
        term = match.group(2)
        return match.group(0) if term is None else f'<abbr title="{titles[term]}">{term}</abbr>'

    return pattern.sub(tooltip, text)
