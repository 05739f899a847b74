"""Citation markers and the reference list of one rendered page, numbered in reading order.

Before Markdown, each citation becomes a placeholder (CITE_MARK key CITE_MARK), and the comma
between two of one group a mark too (SEPARATOR_MARK), that Markdown passes through as text. After
Markdown, `number_markers` turns them into numbered markers and
`list_html` writes the page's reference list, in the same HTML that Python-Markdown's footnotes extension writes
(so Material's footnote tooltips and the `#fn:` links work unchanged), with two differences
that matter here:

* numbers follow the first citation of each source in reading order (the extension numbers
  top-level paragraphs before the items of lists and tables, so a source first cited in the
  key points could get number 7);
* Markdown never parses the markers: the extension's inline processing of every marker
  was the largest cost of a build with citations (see bench/ and the README);
* the list is kept out of the search index: otherwise every page that cites a study with
  "finasteride" in its title would match a search for finasteride. Each reference is indexed
  once, on the bibliography page, which links to the pages citing it. (The MkDocs hook adds
  the list after the search plugin has read the page; `data-search-exclude` says the same to
  any other indexer.)
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

CITE_MARK = "\ue042"  # private-use marks around a cited key in the Markdown and the HTML
CITE_RE = re.compile(CITE_MARK + r"([^" + CITE_MARK + r"<>\s]+)" + CITE_MARK)


SEPARATOR = '<sup class="cite-sep">,</sup>'  # between the markers of one citation group
# what Markdown sees of a separator: a private-use mark that `number_markers` turns into SEPARATOR
# (as raw HTML, Markdown stashed and restored two tags for every separator: a tenth of its time here)
SEPARATOR_MARK = "\ue043"
# everything a citation puts in the text (markers, separators, locators); the spaces before it go too
IN_TEXT_RE = re.compile(r'(?:<sup id="fnref\d*:[^"]*"><a class="footnote-ref" href="#fn:[^"]*">\d+</a></sup>'
                        r'|<sup class="cite-(?:sep|locator)">[^<]*</sup>)+')


def placeholder(key: str, locator: str = "") -> str:
    """What Markdown sees of one citation: the key between marks, and its locator ("p. 3") if any."""
    marker = f"{CITE_MARK}{key}{CITE_MARK}"
    return marker + (f'<sup class="cite-locator">({html.escape(locator)})</sup>' if locator else "")


def without_citations(html_text: str) -> str:
    """The text as search should index it: no citation numbers, separators or locators, nor the spaces
    or tabs before them. (The pattern starts with its tag, which the regex engine looks for quickly;
    a pattern that started with the optional spaces was tried at every character of the page.)"""
    out: list[str] = []
    last = 0
    for match in IN_TEXT_RE.finditer(html_text):
        start = match.start()
        while start > last and html_text[start - 1] in " \t":
            start -= 1
        out.append(html_text[last:start])
        last = match.end()
    if not out:
        return html_text
    out.append(html_text[last:])
    return "".join(out)


def number_markers(html_text: str) -> tuple[str, dict[str, int]]:
    """Replace each placeholder with its numbered marker, numbering sources by first appearance, and
    each separator mark with the separator. Returns the HTML and, in that order, how many markers
    each cited key has."""
    uses: dict[str, int] = {}
    numbers: dict[str, int] = {}

    def marker(match: re.Match[str]) -> str:
        key = match.group(1)
        number = numbers.setdefault(key, len(numbers) + 1)
        uses[key] = uses.get(key, 0) + 1
        target = html.escape(key, quote=True)
        return f'<sup id="{_ref_id(key, uses[key])}"><a class="footnote-ref" href="#fn:{target}">{number}</a></sup>'

    return CITE_RE.sub(marker, html_text).replace(SEPARATOR_MARK, SEPARATOR), uses


def list_html(uses: dict[str, int], reference_html: Callable[[str], str],
              backlink_title: str = "Back to the text") -> str:
    """The reference list for the markers counted by `number_markers`: one item per source, in
    number order, linking back to each of its markers in turn."""
    items = []
    for number, (key, count) in enumerate(uses.items(), start=1):
        title = html.escape(backlink_title.replace("%d", str(number)), quote=True)
        backlinks = "".join(f'<a class="footnote-backref" href="#{_ref_id(key, use)}" title="{title}">&#8617;</a>'
                            for use in range(1, count + 1))
        item_id = f"fn:{html.escape(key, quote=True)}"
        items.append(f'<li id="{item_id}">\n<p>{reference_html(key)}&#160;{backlinks}</p>\n</li>')
    return '<div class="footnote" data-search-exclude>\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"


def _ref_id(key: str, use: int) -> str:
    """Python-Markdown's ids: fnref:key for the first marker, fnref2:key for the second, ..."""
    return f"fnref{use if use > 1 else ''}:{html.escape(key, quote=True)}"
