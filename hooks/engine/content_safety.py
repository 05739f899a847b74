"""Content safety: raw HTML in content is an explicit allow-list; nothing in it may run code,
embed other sites or load anything.

The HTML is read with the standard library's HTML parser, not with patterns. Elements and
attributes outside the allow-lists are errors; so are inline event handlers,
javascript:/vbscript:/data: URLs and styles that load a URL.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .diagnostics import Diagnostic
from .markdown_blocks import Document

ALLOWED_TAGS = frozenset({
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
ALLOWED_ATTRS = frozenset({
    "class", "id", "title", "href", "src", "alt", "lang", "dir", "colspan", "rowspan", "scope", "datetime",
    "markdown", "role", "width", "height", "open", "cite", "start", "reversed", "hidden",
})
URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"})
UNSAFE_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


def _normalise_url(url: str) -> str:
    # browsers ignore control characters and white space inside the scheme
    return re.sub(r"[\x00-\x20]", "", url)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str, str]] = []  # (line, col, rule, message)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        if tag.lower() not in ALLOWED_TAGS:
            self.found.append((line, col, "HTML-FORBIDDEN-TAG", f"<{tag}> is not in the allow-list for content"))
        for name, value in attrs:
            lowered = name.lower()
            if lowered.startswith("on"):
                self.found.append((line, col, "HTML-EVENT-HANDLER", f"<{tag}> has an event handler '{name}'"))
            elif lowered in URL_ATTRS and value and UNSAFE_SCHEME.match(_normalise_url(value)):
                self.found.append((line, col, "HTML-UNSAFE-URL", f"<{tag} {name}> uses an unsafe URL"))
            elif lowered == "style" and value and re.search(r"url\s*\(|expression\s*\(", value, re.I):
                self.found.append((line, col, "HTML-UNSAFE-URL", f"<{tag}> style loads a URL"))
            elif lowered == "style":
                self.found.append((line, col, "HTML-FORBIDDEN-ATTR", f"<{tag}> has an inline style"))
            elif lowered not in ALLOWED_ATTRS and not lowered.startswith(("aria-", "data-")):
                self.found.append((line, col, "HTML-FORBIDDEN-ATTR",
                                   f"<{tag}> has the attribute '{name}', which is not in the allow-list"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)


RAW_LINK_RE = re.compile(
    r"(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|<)(?P<url>(?:javascript|vbscript|data)\s*:[^\s)>]*)",
    re.IGNORECASE)


def check(path: str, doc: Document, body: str = "") -> list[Diagnostic]:
    """Raw HTML chunks, parsed links, and link syntax that the parser refused to make a link."""
    diags: list[Diagnostic] = []
    code_lines = {n for block in doc.code for n in range(block.line, block.end_line + 1)}
    for number, text in enumerate(body.split("\n"), start=1):
        if number in code_lines:
            continue
        for match in RAW_LINK_RE.finditer(text):
            diags.append(Diagnostic(path, number, match.start("url") + 1, "HTML-UNSAFE-URL",
                                    f"link to '{match.group('url')[:40]}' uses an unsafe URL scheme"))
    for chunk in doc.html:
        collector = _Collector()
        collector.feed(chunk.html)
        collector.close()
        for line, col, rule_id, message in collector.found:
            diags.append(Diagnostic(path, chunk.line + line - 1, (chunk.col if line == 1 else 1) + col,
                                    rule_id, message))
    raw_lines = {d.line for d in diags}
    for link in doc.links:
        if link.line not in raw_lines and UNSAFE_SCHEME.match(_normalise_url(link.url)):
            diags.append(Diagnostic(path, link.line, link.col, "HTML-UNSAFE-URL",
                                    f"{link.kind} to '{link.url[:40]}' uses an unsafe URL scheme"))
    return diags
