"""Ready HTML that a page receives after Markdown, not through it.

A hook that generates HTML for a page (the review box, the history line, the reference list)
puts a marker in the page's Markdown instead; Markdown passes an HTML comment through as it
is, and `fill` swaps the HTML in afterwards. The converter never parses what is already HTML.
"""

from __future__ import annotations

from collections.abc import Callable


class DeferredHtml:
    def __init__(self, name: str) -> None:
        self.marker = f"<!-- kb:{name} -->"
        self._pending: dict[str, str | Callable[[], str]] = {}

    def defer(self, page_id: str, html: str | Callable[[], str]) -> str:
        """Keep `html` for the page (or what makes it, called when the page is filled: a large block
        then exists only while its page is written); returns the marker to put where it goes."""
        self._pending[page_id] = html
        return self.marker

    def waiting(self, page_id: str) -> bool:
        return page_id in self._pending

    def fill(self, page_id: str, text: str) -> str:
        """The page's text with its kept HTML in place of the marker (unchanged if nothing is kept)."""
        html = self._pending.pop(page_id, None)
        if html is None:
            return text
        return text.replace(self.marker, html() if callable(html) else html, 1)

    def clear(self) -> None:
        self._pending.clear()
