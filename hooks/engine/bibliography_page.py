"""The bibliography page: every reference once, in the house style, with links back to the
pages that cite it. Generated from references.bib and the check's report."""

from __future__ import annotations

import posixpath

from .citation_style import format_reference, plain
from .project import Report


def _sort_key(entry) -> tuple[str, str]:
    first = entry.get("author") or entry.get("organization") or entry.key
    return (plain(first).casefold(), entry.get("year"))


def page_markdown(report: Report, page_src: str, claims_file: str) -> str:
    citing: dict[str, list[tuple[str, str]]] = {}
    for rel, page in report.pages.items():
        title = str(page.meta.data.get("title", rel)) if page.meta and isinstance(page.meta.data, dict) else rel
        for key in page.cited_keys:
            citing.setdefault(key, []).append((title, rel))
    base = posixpath.dirname(page_src) or "."
    lines = [
        "# Bibliography", "",
        f"Every source the site cites ({len(report.bibliography.entries)} in all), with the pages that cite it. "
        f"The full claim register (every cited sentence, its sources, review date and strongest evidence type) "
        f"can be downloaded as [JSON]({claims_file}).", "",
    ]
    for entry in sorted(report.bibliography.entries.values(), key=_sort_key):
        pages = sorted(citing.get(entry.key, []))
        backlinks = ", ".join(f"[{title}]({posixpath.relpath(rel, base)})" for title, rel in pages) or "no page yet"
        lines.append(f'- <span id="ref-{entry.key}"></span>{format_reference(entry)}  ')
        lines.append(f"    Cited on: {backlinks}")
    return "\n".join(lines) + "\n"
