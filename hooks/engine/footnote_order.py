"""Number references by their first citation in reading order.

Python-Markdown's footnotes extension numbers footnotes in the order its inline
processor meets them, which visits top-level paragraphs before the items of lists and
tables, so a source first cited in the key points could get number 7. This pass works
on the rendered HTML of a page: it finds the citation markers in document order,
numbers each source at its first marker, rewrites every marker and reorders the
reference list to match.
"""

from __future__ import annotations

import re

MARKER = re.compile(r'(<a class="footnote-ref" href="#fn:)([^"]+)(">)(\d+)(</a>)')
LIST = re.compile(r'(<div class="footnote">\s*<hr\s*/?>\s*<ol>)(.*?)(</ol>\s*</div>)', re.S)
ITEM = re.compile(r'<li id="fn:([^"]+)">.*?</li>', re.S)


def renumber(html: str) -> str:
    order: dict[str, int] = {}
    for match in MARKER.finditer(html):
        order.setdefault(match.group(2), len(order) + 1)
    if not order:
        return html
    html = MARKER.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}{order.get(m.group(2), m.group(4))}"
                      f"{m.group(5)}", html)

    def reorder(block: re.Match[str]) -> str:
        items = {m.group(1): m.group(0) for m in ITEM.finditer(block.group(2))}
        if set(items) != set(order) & set(items) or not items:
            return block.group(0)
        ranked = sorted(items, key=lambda key: order.get(key, len(order) + 1))
        return block.group(1) + "\n" + "\n".join(items[key] for key in ranked) + "\n" + block.group(3)

    return LIST.sub(reorder, html, count=1)
