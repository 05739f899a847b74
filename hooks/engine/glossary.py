"""The glossary: one data file of abbreviations and terms (data/glossary.yml).

Rendered twice from the same data: as Markdown abbreviation definitions appended to
every page (tooltips wherever a term appears) and as the glossary page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


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


def abbreviations(terms: list[Term]) -> str:
    """Python-Markdown `abbr` definitions: every occurrence of a term gets its tooltip."""
    return "\n".join(f"*[{t.term}]: {t.definition}" for t in terms)


def page_markdown(terms: list[Term]) -> str:
    lines = ["# Glossary", "", "Abbreviations and terms used on this site. Each one is also explained in a "
             "tooltip wherever it appears.", "", "| Term | Meaning |", "| --- | --- |"]
    lines += [f"| **{t.term}** | {t.definition} |" for t in sorted(terms, key=lambda t: t.term.casefold())]
    return "\n".join(lines) + "\n"
