"""`make new-page`: a new clinical page with complete front matter and the content standard's headings.

Fields that need an editor's judgement (description, evidence grade and its reason,
regulatory status) are written empty on purpose: `make check` then points at each one
with its line and the allowed values, so nothing is published on a guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import yaml

from hooks.parse.frontmatter import split as frontmatter_split

PAGE_TYPES = {"therapy": "therapies", "condition": "conditions", "claim-check": "claims"}

SECTIONS: dict[str, list[tuple[str, str]]] = {
    "therapy": [
        ("Key points", "The bottom line in three to five short bullets, plain words (grade 8 or below)."),
        ("What it is and how it might work", "Label the mechanism as a hypothesis where it is one."),
        ("Who it is for", "Which conditions, sex, age and severity; who should not use it."),
        ("How well it works", "Outcomes, effect sizes, time to results, certainty of evidence and why."),
        ("Safety", "Common and serious adverse effects, pregnancy, interactions, monitoring."),
        ("Regulatory status", "Per jurisdiction, with the indication and dates, matching the front matter."),
        ("What to expect in practice", "How it is given, how often, for how long, what happens when it stops."),
        ("What we don't know", "Open questions and gaps in the evidence."),
        ("For clinicians", "Regimens studied and trial data: designs, sizes, effect sizes with confidence "
                           "intervals, adverse-event rates."),
        ("Questions people ask", "Each question as a heading or bold line ending in '?', answered with sources."),
    ],
    "condition": [
        ("Key points", "The bottom line in three to five short bullets, plain words (grade 8 or below)."),
        ("What it is", "Who gets it and what happens to the hair."),
        ("How it is diagnosed", "Signs, scoring scales, tests that help and when to see a specialist."),
        ("Treatments", "Each therapy that applies, with its evidence, linking to its page."),
        ("What we don't know", "Open questions and gaps in the evidence."),
        ("For clinicians", "Classification, differential diagnosis and guideline recommendations."),
        ("Questions people ask", "Each question ending in '?', answered with sources."),
    ],
    "claim-check": [
        ("Key points", "The verdict in plain words (grade 8 or below)."),
        ("The claim", "State the claim neutrally, in your own words, and cite where it was made."),
        ("What the evidence shows", "The best available evidence, with its certainty."),
        ("Verdict", "What the evidence supports, and what it does not."),
        ("Questions people ask", "Each question ending in '?', answered with sources."),
    ],
}


class ScaffoldError(Exception):
    """The page cannot be created; the message says why."""


def refuse_duplicate(name: str, docs_dir: Path, new_page: Path | None = None) -> None:
    """A new page's name must not already be another page's title or alias (compared as slugs:
    case, accents and punctuation aside), so that a search for it never finds two pages. The new
    page's own path is left to the "already exists" refusal."""
    wanted = slugify(name)
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        if new_page is not None and path == new_page:
            continue
        try:
            lines, _, closed = frontmatter_split(path.read_text(encoding="utf-8"))
            data = yaml.safe_load("\n".join(lines)) if lines is not None and closed else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(data, dict):
            continue
        rel = path.relative_to(docs_dir.parent).as_posix()
        title = str(data.get("title", "") or "")
        aliases = data.get("aliases") if isinstance(data.get("aliases"), list) else []
        if title and slugify(title) == wanted:
            raise ScaffoldError(f"NAME '{name}' is already the title of {rel}; nothing was written "
                                "(edit that page, or choose another NAME)")
        for alias in aliases:
            if slugify(str(alias)) == wanted:
                raise ScaffoldError(f"NAME '{name}' is already an alias of {rel} ('{title}'); nothing was "
                                    "written (edit that page, or choose another NAME)")


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def page_path(name: str, page_type: str) -> str:
    """Path inside docs/ for a new page."""
    if page_type not in PAGE_TYPES:
        raise ScaffoldError(f"TYPE must be one of {', '.join(PAGE_TYPES)}, not '{page_type}'")
    slug = slugify(name)
    if len(slug) < 3:
        raise ScaffoldError(f"NAME '{name}' is too short to name a page")
    return f"{PAGE_TYPES[page_type]}/{slug}.md"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_text(name: str, page_type: str, today: dt.date) -> str:
    page_path(name, page_type)  # validates
    day = today.isoformat()
    lines = [
        "---",
        f"title: {_quoted(name)}",
        "# One sentence (20-300 characters) for search results and the meta description.",
        'description: ""',
        f"type: {page_type}",
        "# Ids from schema/frontmatter.schema.json: androgenetic-alopecia, female-pattern-hair-loss,",
        "# alopecia-areata, telogen-effluvium, scarring-alopecia.",
        "conditions: []",
        "# Brand names, abbreviations and lay terms people search for.",
        "aliases: []",
        "# GRADE certainty of the main benefit claim: high, moderate, low or very-low.",
        'evidence: ""',
        'evidence_note: ""',
    ]
    if page_type == "therapy":
        lines += [
            "# How it is given, in a few words (3-80 characters, e.g. 'Scalp solution or foam');",
            "# shown in the therapies-at-a-glance table and on condition pages.",
            'administration: ""',
        ]
    if page_type == "therapy":
        lines += [
            "# Status per jurisdiction: approved, cleared, off-label, not-approved, investigational,",
            "# not-applicable; with the indication. uk-mhra, jp-pmda, au-tga and ca-hc are optional.",
            "regulatory:",
            "  us-fda:",
            '    status: ""',
            '    indication: ""',
            "  eu-ema:",
            '    status: ""',
            '    indication: ""',
        ]
    lines += [
        "review:",
        f"  last_reviewed: {day}",
        "  status: draft",
        "  reviewed_by: []",
        f"  evidence_current_to: {day}",
        "---",
        "",
        f"# {name}",
    ]
    for heading, guidance in SECTIONS[page_type]:
        lines += ["", f"## {heading}", "", f"<!-- {guidance} -->"]
    return "\n".join(lines) + "\n"
