"""Citation markers and the reference list of one rendered page, numbered in reading order.

Before Markdown, each citation becomes a placeholder (CITE_MARK key CITE_MARK) that Markdown
passes through as text. After Markdown, `render` turns them into numbered markers and appends
the page's reference list, in the same HTML that Python-Markdown's footnotes extension writes
(so Material's footnote tooltips and the `#fn:` links work unchanged), with two differences
that matter here:

* numbers follow the first citation of each source in reading order (the extension numbers
  top-level paragraphs before the items of lists and tables, so a source first cited in the
  key points could get number 7);
* Markdown never parses the markers: the extension's inline processing of every marker
  was the largest cost of a build with citations (see bench/ and the README).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

CITE_MARK = "\ue042"  # private-use marks around a cited key in the Markdown and the HTML
CITE_RE = re.compile(CITE_MARK + r"([^" + CITE_MARK + r"<>\s]+)" + CITE_MARK)


def placeholder(key: str) -> str:
    return f"{CITE_MARK}{key}{CITE_MARK}"


def render(html_text: str, reference_html: Callable[[str], str], backlink_title: str = "Back to the text") -> str:
    """Number the page's citation markers by first appearance, then append its reference list.
    `reference_html(key)` is the formatted reference (HTML) for a key."""
    numbers: dict[str, int] = {}
    uses: dict[str, int] = {}

    def marker(match: re.Match[str]) -> str:
        key = match.group(1)
        number = numbers.setdefault(key, len(numbers) + 1)
        uses[key] = uses.get(key, 0) + 1
        ref_id = _ref_id(key, uses[key])
        return (f'<sup id="{ref_id}"><a class="footnote-ref" href="#fn:{html.escape(key, quote=True)}">'
                f"{number}</a></sup>")

    html_text = CITE_RE.sub(marker, html_text)
    if not numbers:
        return html_text
    items = []
    for key, number in numbers.items():
        title = html.escape(backlink_title.replace("%d", str(number)), quote=True)
        backlinks = "".join(f'<a class="footnote-backref" href="#{_ref_id(key, use)}" title="{title}">&#8617;</a>'
                            for use in range(1, uses[key] + 1))
        item_id = f"fn:{html.escape(key, quote=True)}"
        items.append(f'<li id="{item_id}">\n<p>{reference_html(key)}&#160;{backlinks}</p>\n</li>')
    return html_text.rstrip("\n") + '\n<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"


def _ref_id(key: str, use: int) -> str:
    """Python-Markdown's ids: fnref:key for the first marker, fnref2:key for the second, ..."""
    return f"fnref{use if use > 1 else ''}:{html.escape(key, quote=True)}"
