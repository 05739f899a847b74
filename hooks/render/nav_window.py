"""Bounded navigation: a section with many pages shows a window of them, not all of them.

Material puts the whole active section into the sidebar of every page in it, so a section of
N pages costs N links on each of its N pages: work that grows with N squared and page weight
that grows with the site. Past `size` pages, a page's sidebar shows the section's landing page,
the `size` pages around it in the section's order, and a link to the landing page, which lists
them all. Previous/next links, search and the sitemap still cover every page.
"""

from __future__ import annotations

DEFAULT_SIZE = 25


def visible(total: int, current: int | None, size: int) -> range:
    """Which of a section's `total` entries to show: all of them up to `size`; past that, `size`
    consecutive entries with `current` as near the middle as the ends allow (the first `size`
    when the page is not in the section)."""
    size = max(size, 1)
    if total <= size:
        return range(total)
    if current is None:
        return range(size)
    start = min(max(current - size // 2, 0), total - size)
    return range(start, start + size)


def all_pages_label(total: int, section_title: str) -> str:
    return f"All {total} pages in {section_title}"
