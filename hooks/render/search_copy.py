"""A page's two versions after Markdown: what search reads, and what the reader gets.

Search reads the page without its citation numbers (``reference_list.without_citations``); the
reader's page then receives what search does not read: the "out of 100" icon arrays, the change log
and "Cite this page" (ready HTML kept for the page), and the glossary's tooltips on the whole. Both
are pure functions of the page's HTML, so the site build makes them in the check's worker processes
when the page is converted, and reads them when the page is written: the build's own process, which
MkDocs' page loop keeps to one core, no longer spends the time (a tenth of it at 500 pages).
"""

from __future__ import annotations

from hooks.render.glossary import Term, annotate_html
from hooks.render.reference_list import without_citations


def versions(html_text: str, strip_citations: bool, kept: list[tuple[str, str]],
             terms: list[Term]) -> tuple[str, str]:
    """(what search reads, the reader's page before its reference list): ``kept`` is (marker, HTML)
    for each block of ready HTML that goes in after search has read the page."""
    search = without_citations(html_text) if strip_citations else html_text
    page = html_text
    for marker, block in kept:
        page = page.replace(marker, block, 1)
    return search, annotate_html(page, terms) if terms else page
