"""The live preview's problem banner: while the content has errors, `mkdocs serve` keeps serving and
every page starts with the list of what a strict build would refuse, each with its path:line.

Plain HTML from plain data (no MkDocs): the hook module collects the problems (the check's errors
and warnings, MkDocs' own warnings, a step that stopped) and places the banner in every page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

START = "<!-- kb:preview-problems -->"
END = "<!-- /kb:preview-problems -->"
BLOCK_RE = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
ARTICLE_RE = re.compile(r"<article\b[^>]*>")
BODY_RE = re.compile(r"<body\b[^>]*>")
LIMIT = 50


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    location: str  # "docs/page.md:12:1", or "" when there is none
    text: str  # "CLAIM-UNCITED sentence has no citation: …"
    hint: str = ""


def banner_html(problems: list[Problem], limit: int = LIMIT) -> str:
    """The banner, or "" when there is nothing to show."""
    if not problems:
        return ""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    counts = ", ".join(part for part in (
        f"{errors} error{'s' if errors != 1 else ''}" if errors else "",
        f"{warnings} warning{'s' if warnings != 1 else ''}" if warnings else "") if part)
    items = []
    for problem in problems[:limit]:
        where = f"<code>{html.escape(problem.location)}</code> " if problem.location else ""
        hint = f'<br><span class="kb-preview-hint">hint: {html.escape(problem.hint)}</span>' if problem.hint else ""
        severity = f"<strong>{html.escape(problem.severity)}</strong>"
        items.append(f"<li>{where}{severity} {html.escape(problem.text)}{hint}</li>")
    more = (f"<p>… and {len(problems) - limit} more: the terminal and <code>make check</code> list them all.</p>"
            if len(problems) > limit else "")
    return (f'{START}<div class="admonition danger kb-preview-problems" role="alert" data-search-exclude>'
            f'<p class="admonition-title">This preview has {counts}: <code>make build</code> and the pull '
            f"request would fail until they are fixed</p><ul>{''.join(items)}</ul>{more}"
            "<p>The preview rebuilds when you save a fix. Only the preview shows this box.</p></div>"
            f"{END}")


def insert(page: str, banner: str) -> str:
    """The page with the banner at the top of its content (an earlier banner replaced or removed)."""
    if START in page:
        return BLOCK_RE.sub(lambda _: banner, page, count=1)
    if not banner:
        return page
    match = ARTICLE_RE.search(page) or BODY_RE.search(page)
    if match is None:
        return banner + page
    return page[: match.end()] + banner + page[match.end():]
