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
_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


@functools.lru_cache(maxsize=8)
def _matcher(terms: tuple[Term, ...]) -> tuple[dict[str, str], re.Pattern]:
    """The terms' tooltips and one pattern for them all, made once per glossary (not once a page)."""
    titles = {t.term: html.escape(t.definition, quote=True) for t in terms}
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
    return titles, re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def annotate_html(text: str, terms: list[Term]) -> str:
    """Wrap each whole-word occurrence of a term in <abbr title="definition">, outside links, code,
    headings and existing abbreviations."""
    if not terms:
        return text
    titles, pattern = _matcher(tuple(terms))
    out: list[str] = []
    depth = 0
    for piece in _TOKEN.split(text):
        if piece.startswith("<"):
            match = _TAG.match(piece)
            if match and match.group(2).lower() in SKIP and not piece.endswith("/>"):
                depth += -1 if match.group(1) else 1
            out.append(piece)
        elif piece and depth <= 0 and pattern.search(piece):
            out.append(pattern.sub(lambda m: f'<abbr title="{titles[m.group(1)]}">{m.group(1)}</abbr>', piece))
        else:
            out.append(piece)
    return "".join(out)
