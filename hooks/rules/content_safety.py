"""Content safety: raw HTML in content is an explicit allow-list; nothing in it may run code,
embed other sites or load anything.

The HTML is read with the standard library's HTML parser, not with patterns. Elements and
attributes outside the allow-lists are errors; so are inline event handlers,
javascript:/vbscript:/data: URLs and styles that load a URL.

The same allow-list applies to every attribute that can reach the page, whatever Markdown
construct puts it there: raw HTML (also inside ``markdown`` blocks, md_in_html) and
attribute lists (``{: ... }`` after a heading, paragraph, list item, table cell, link,
image or emphasis). The MkDocs build checks the rendered HTML of every page against it a
second time (hooks/render/html_allowlist.py), so a construct nobody thought of cannot
slip through.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hooks.parse.markdown import Document
from hooks.report.diagnostics import Diagnostic
from hooks.rules.registry import Severity, define

SCOPE = "page"

HTML_FORBIDDEN_TAG = define(
    'HTML-FORBIDDEN-TAG',
    Severity.ERROR,
    'Content contains an HTML element outside the allow-list.',
    'Use Markdown instead; raw HTML is limited to simple text, list, table and layout elements (see '
    'ALLOWED_TAGS in hooks/rules/content_safety.py). Scripts, frames, objects and forms never are.',
    '<script>…</script>',
    module=__name__,
)
HTML_FORBIDDEN_ATTR = define(
    'HTML-FORBIDDEN-ATTR',
    Severity.ERROR,
    'An HTML element carries an attribute outside the allow-list.',
    "Remove the attribute; for looks, use a class from the site's stylesheet (inline styles are blocked "
    "by the site's Content-Security-Policy).",
    '<span style="color:red">',
    module=__name__,
)
HTML_EVENT_HANDLER = define(
    'HTML-EVENT-HANDLER',
    Severity.ERROR,
    'Content contains an inline event handler attribute.',
    'Remove the on…= attribute; content carries no scripts.',
    '<img onerror="…">',
    module=__name__,
)
HTML_UNSAFE_URL = define(
    'HTML-UNSAFE-URL',
    Severity.ERROR,
    'A link or source uses a javascript: or data: URL.',
    'Link to an https:// address or a page of this site.',
    '[x](javascript:alert(1))',
    module=__name__,
)


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


def attribute_problem(where: str, name: str, value: str | None):
    """The rule and message for one attribute outside the allow-list, or None if it is allowed.
    ``where`` names what carries it in the message: "<span>", "the attribute list"."""
    lowered = name.lower()
    if lowered.startswith("on"):
        return HTML_EVENT_HANDLER, f"{where} has an event handler '{name}'"
    if lowered in URL_ATTRS and value and UNSAFE_SCHEME.match(_normalise_url(value)):
        return HTML_UNSAFE_URL, f"{where} sets '{name}' to an unsafe URL"
    if lowered == "style" and value and re.search(r"url\s*\(|expression\s*\(", value, re.I):
        return HTML_UNSAFE_URL, f"{where} has a style that loads a URL"
    if lowered == "style":
        return HTML_FORBIDDEN_ATTR, f"{where} has an inline style"
    if lowered not in ALLOWED_ATTRS and not lowered.startswith(("aria-", "data-")):
        return HTML_FORBIDDEN_ATTR, f"{where} has the attribute '{name}', which is not in the allow-list"
    return None


def allowed_attribute(name: str, value: str | None = None) -> bool:
    return attribute_problem("", name, value) is None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str, str]] = []  # (line, col, rule, message)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        if tag.lower() not in ALLOWED_TAGS:
            self.found.append((line, col, HTML_FORBIDDEN_TAG, f"<{tag}> is not in the allow-list for content"))
        for name, value in attrs:
            problem = attribute_problem(f"<{tag}>", name, value)
            if problem:
                self.found.append((line, col, *problem))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)


RAW_LINK_RE = re.compile(
    r"(?:\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?|<)(?P<url>(?:javascript|vbscript|data)\s*:[^\s)>]*)",
    re.IGNORECASE)


def check(context) -> list[Diagnostic]:
    page = context.page
    if page.doc is None or page.text is None:
        return []
    return check_document(page.path, page.doc, page.text)


def check_document(path: str, doc: Document, body: str = "") -> list[Diagnostic]:
    """Raw HTML chunks, parsed links, and link syntax that the parser refused to make a link."""
    diags: list[Diagnostic] = []
    code_lines = {n for block in doc.code for n in range(block.line, block.end_line + 1)}
    for number, text in enumerate(body.split("\n"), start=1):
        if number in code_lines:
            continue
        for match in RAW_LINK_RE.finditer(text):
            diags.append(Diagnostic(path, number, match.start("url") + 1, HTML_UNSAFE_URL,
                                    f"link to '{match.group('url')[:40]}' uses an unsafe URL scheme"))
    for chunk in doc.html:
        collector = _Collector()
        collector.feed(chunk.html)
        collector.close()
        for line, col, rule_id, message in collector.found:
            start = chunk.line_cols[line - 1] if line <= len(chunk.line_cols) else (chunk.col if line == 1 else 1)
            diags.append(Diagnostic(path, chunk.line + line - 1, start + col, rule_id, message))
    raw_lines = {d.line for d in diags}
    for link in doc.links:
        if link.line not in raw_lines and UNSAFE_SCHEME.match(_normalise_url(link.url)):
            diags.append(Diagnostic(path, link.line, link.col, HTML_UNSAFE_URL,
                                    f"{link.kind} to '{link.url[:40]}' uses an unsafe URL scheme"))
    for attr_list in doc.attr_lists:
        for name, value in attr_list.attrs:
            problem = attribute_problem("the attribute list", name, value)
            if problem:
                diags.append(Diagnostic(path, attr_list.line, attr_list.col, problem[0], problem[1]))
    return diags
