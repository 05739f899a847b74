"""The bibliography page: every reference once, in the house style, with links back to the
pages that cite it. Generated from references.bib and the check's report.

The list is assembled as HTML, not Markdown: with thousands of entries, running them
through the Markdown converter would cost more than the rest of the page build.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from hooks.check import Report
from hooks.render import source_notes
from hooks.render.citation_style import plain, reference_html

MARKER = "<!-- kb:bibliography-list -->"


def _sort_key(entry) -> tuple[str, str]:
    first = entry.get("author") or entry.get("organization") or entry.key
    return (plain(first).casefold(), entry.get("year"))


def page_markdown(report: Report, claims_link: str) -> str:
    return "\n".join([
        # Found by author, title or journal, but never above the page about a treatment: a low boost
        "---", "search:", "  boost: 0.2", "---", "",
        # The one place where references are searchable (by author, title or journal): the pages
        # that cite them keep their reference lists out of the index (engine/reference_list.py).
        "# Bibliography", "",
        f"Every source the site cites ({len(report.bibliography.entries)} in all), with the pages that cite it. "
        f"The full claim register (every cited sentence, its sources, review date and strongest evidence type) "
        f"can be downloaded as [JSON]({claims_link}).", "", MARKER, "",
    ])


def list_html(report: Report, url_for: Callable[[str], str]) -> str:
    """url_for(rel) gives the URL of docs/rel relative to the bibliography page."""
    citing: dict[str, list[tuple[str, str]]] = {}
    for rel, page in report.pages.items():
        title = str(page.meta.data.get("title", rel)) if page.meta and isinstance(page.meta.data, dict) else rel
        for key in page.cited_keys:
            citing.setdefault(key, []).append((title, rel))
    items = []
    for entry in sorted(report.bibliography.entries.values(), key=_sort_key):
        pages = sorted(citing.get(entry.key, []))
        backlinks = ", ".join(f'<a href="{html.escape(url_for(rel), quote=True)}">{html.escape(title)}</a>'
                              for title, rel in pages) or "no page yet"
        status = source_notes.status_html(report.sources.get(entry.key))
        items.append(f'<li id="ref-{html.escape(entry.key)}"><p>{reference_html(entry)}'
                     f'{" " + status if status else ""}<br>'
                     f'<span class="kb-cited-on">Cited on: {backlinks}</span></p></li>')
    return '<ol class="kb-bibliography">\n' + "\n".join(items) + "\n</ol>"
