"""The answer first: every clinical page opens, right under its title, with a bottom line of one or
two cited sentences that answer the page's question for a patient::

    # Exosomes

    !!! abstract "Bottom line"
        No exosome product has been shown to regrow hair in a controlled trial [@key].

Required on every page converted to the current content standard (``sources_traced: true``): every
clinical page of the site today.
"""

from __future__ import annotations

import re

from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

BOTTOM_LINE = define(
    "BOTTOM-LINE", Severity.ERROR,
    "A clinical page does not open with a bottom line of one or two cited sentences.",
    'Put the answer first, right under the title: !!! abstract "Bottom line" and, indented by four spaces, one '
    "or two sentences with their citations.",
    "# Title, then ## Key points at once",
    module=__name__,
)
OPENER_RE = re.compile(r'^!!!\s+abstract\s+"Bottom line"\s*$')
MAX_SENTENCES = 2


def check(context) -> list[Diagnostic]:
    page = context.page
    if not page.clinical or page.text is None or page.doc is None or not page.sources_traced:
        return []  # required on pages converted to the current standard (sources_traced: true)
    lines = page.text.split("\n")
    start = page.meta.body_start_line if page.meta else 1
    title = next((i for i in range(start - 1, len(lines)) if lines[i].startswith("# ")), None)
    if title is None:
        return []
    following = next((i for i in range(title + 1, len(lines)) if lines[i].strip()), None)
    if following is None or not OPENER_RE.match(lines[following].strip()):
        line = (following if following is not None else title) + 1
        return [Diagnostic(page.path, line, 1, BOTTOM_LINE, "the page does not open with a bottom line")]
    line = following + 1
    inside = [c for c in page.claims if c.line > line and _in_block(lines, following, c.line)]
    if not inside:
        return [Diagnostic(page.path, line, 1, BOTTOM_LINE, "the bottom line has no sentence")]
    if len(inside) > MAX_SENTENCES:
        return [Diagnostic(page.path, line, 1, BOTTOM_LINE,
                           f"the bottom line has {len(inside)} sentences; keep it to one or two")]
    return []


def _in_block(lines: list[str], opener: int, claim_line: int) -> bool:
    """Whether a line belongs to the admonition that opens at `opener` (indented, or blank, lines below it)."""
    for index in range(opener + 1, min(claim_line, len(lines))):
        if lines[index].strip() and not lines[index].startswith("    "):
            return False
    return claim_line - 1 < len(lines) and lines[claim_line - 1].startswith("    ")
