"""The second line of content safety: the rendered HTML of a page, checked against the allow-list.

The content check (hooks/rules/content_safety.py) reads every construct that can put an
element or an attribute on a page (raw HTML, attribute lists, md_in_html blocks). This
module checks the result instead: the HTML that Markdown and its extensions made of the
page, before the theme wraps it. The HTML is run through nh3 (the Python binding of the
Ammonia sanitiser, maintained and fuzzed) with the same allow-list; whatever nh3 removes was
not allowed, whichever construct put it there. Findings are diagnostics with the rule ids of
the content check, at the source line that holds the element or attribute where that can
be found (else line 1, saying so).

What Markdown's extensions and the engine's own tables write beyond the content allow-list
is allowed here only in the form they write it: ``h1`` (the page title), tab buttons
(``input type="radio"`` and ``label for``, pymdownx.tabbed), column alignment on table
cells (``style="text-align: …"``, the tables extension) and the condition filter above the
therapy comparison (``select``, ``option value``, hooks/render/site_tables.py). Editors'
raw HTML gets none of these: the content check refuses them in the source.
"""

from __future__ import annotations

import concurrent.futures
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import nh3

from hooks.report.diagnostics import Diagnostic
from hooks.rules.content_safety import (
    ALLOWED_ATTRS,
    ALLOWED_TAGS,
    HTML_EVENT_HANDLER,
    HTML_FORBIDDEN_ATTR,
    HTML_FORBIDDEN_TAG,
    HTML_UNSAFE_URL,
    URL_ATTRS,
    attribute_problem,
)
from hooks.rules.registry import Rule

# what the configured Markdown extensions write (see the module docstring), by element
EXTENSION_TAGS = frozenset({"h1", "input", "label", "select", "option"})
EXTENSION_ATTRS: dict[str, frozenset[str]] = {
    "input": frozenset({"type", "name", "checked"}),
    "label": frozenset({"for"}),
    "option": frozenset({"value"}),
    "td": frozenset({"style"}),
    "th": frozenset({"style"}),
}
ALIGN_RE = re.compile(r"^\s*text-align:\s*(?:left|right|center)\s*;?\s*$")
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
GENERIC_PREFIXES = frozenset({"data-", "aria-"})
# removed with their content by nh3: never text for readers
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript"})


@dataclass(frozen=True)
class Finding:
    rule: Rule
    message: str
    needle: str  # what to look for in the source to find the line


class _StartTags(HTMLParser):
    """Every start tag of a fragment with its attributes (values with character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag.lower(), tuple((name.lower(), value or "") for name, value in attrs)))

    handle_startendtag = handle_starttag


def _start_tags(fragment: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def _value_allowed(tag: str, name: str, value: str) -> bool:
    """The extension-only attributes are allowed only with the values the extensions write."""
    if name == "style":
        return tag in ("td", "th") and bool(ALIGN_RE.match(value))
    if tag == "input" and name == "type":
        return value.lower() == "radio"
    return True


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    return value if _value_allowed(tag, name, value) else None


def sanitise(fragment: str) -> str:
    """The fragment as nh3 leaves it under the allow-list."""
    attributes = {"*": set(ALLOWED_ATTRS)}
    for tag, names in EXTENSION_ATTRS.items():
        attributes[tag] = set(ALLOWED_ATTRS) | set(names)
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS | EXTENSION_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_attribute_filter,
        strip_comments=False,
        link_rel=None,
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        url_schemes=set(URL_SCHEMES),
    )


def findings(fragment: str) -> list[Finding]:
    """What the sanitiser removed from ``fragment``: elements and attributes outside the allow-list."""
    if "<" not in fragment:
        return []
    before = _start_tags(fragment)
    after = _start_tags(sanitise(fragment))
    kept_tags = Counter(tag for tag, _ in after)
    kept_attrs = Counter((tag, name, value) for tag, attrs in after for name, value in attrs)
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for tag, attrs in before:
        if kept_tags[tag] > 0:
            kept_tags[tag] -= 1
        elif (tag, "") not in seen:
            seen.add((tag, ""))
            out.append(Finding(HTML_FORBIDDEN_TAG, f"the rendered page has the element <{tag}>, which is not in "
                                                   "the allow-list", f"<{tag}"))
            continue
        for name, value in attrs:
            if kept_attrs[(tag, name, value)] > 0:
                kept_attrs[(tag, name, value)] -= 1
                continue
            if (tag, name) in seen:
                continue
            seen.add((tag, name))
            out.append(_attribute_finding(tag, name, value))
    return out


def _attribute_finding(tag: str, name: str, value: str) -> Finding:
    problem = None if name in EXTENSION_ATTRS.get(tag, ()) else attribute_problem(f"the rendered <{tag}>", name, value)
    if problem is None:  # allowed by name, removed for its value
        rule = HTML_UNSAFE_URL if name in URL_ATTRS else HTML_FORBIDDEN_ATTR
        kind = "an unsafe URL" if name in URL_ATTRS else "a value outside the allow-list"
        problem = (rule, f"the rendered <{tag}> sets '{name}' to {kind}")
    if problem[0] is not HTML_EVENT_HANDLER and name.startswith("on"):
        problem = (HTML_EVENT_HANDLER, problem[1])
    return Finding(problem[0], problem[1], name)


def source_position(source: str, needle: str) -> tuple[int, int]:
    """The 1-based (line, column) in the source of ``needle`` (an attribute name written as one, or
    '<tag'), or (0, 0) if the source does not hold it."""
    if needle.startswith("<"):
        patterns = [re.escape(needle) + r"(?![\w-])"]
    else:
        patterns = [r"(?<![\w-])" + re.escape(needle) + r"\s*=", r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])"]
    for pattern in patterns:
        match = re.search(pattern, source, re.IGNORECASE)
        if match:
            line_start = source.rfind("\n", 0, match.start()) + 1
            return source.count("\n", 0, match.start()) + 1, match.start() - line_start + 1
    return 0, 0


def check_page(page, html_text: str, found: list[Finding] | None = None) -> list[Diagnostic]:
    """Diagnostics for what the sanitiser removed from the rendered HTML of ``page`` (a checked
    hooks.check.Page), at the source line that holds it; none that the content check already
    reported at that line under the same rule. ``found``: the findings, if already made."""
    found = findings(html_text) if found is None else found
    if not found:
        return []
    already = {(d.line, d.rule_id) for d in page.diagnostics}
    source = page.text or ""
    body_start = page.meta.body_start_line if page.meta is not None else 1
    if body_start > 1:  # front matter: blanked, so that a field's name is never taken for an attribute
        lines = source.split("\n")
        source = "\n" * (body_start - 1) + "\n".join(lines[body_start - 1:])
    out = []
    for finding in found:
        line, col = source_position(source, finding.needle)
        if (line, finding.rule.id) in already:
            continue
        where = "" if line else " (found in the rendered HTML; its source line could not be found)"
        out.append(Diagnostic(page.path, line or 1, col or 1, finding.rule, finding.message + where))
    return out


class PageChecks:
    """The rendered pages' checks. Given worker processes (the site build lends the check's), the
    findings are made there while the build renders the next pages (the check parses every page's
    HTML twice: a fifth of a build's time on one core, none of it on the build's); without, here and
    now (small sites, `mkdocs serve`). Only the HTML goes to a worker; the findings come back and
    are placed at their source lines here, in the order the pages were given."""

    def __init__(self, page_of: Callable[[str], Any], executor: concurrent.futures.Executor | None = None) -> None:
        self.page_of = page_of  # docs/rel -> the checked Page (None for generated pages)
        self.executor = executor
        self.pending: list[tuple[str, concurrent.futures.Future]] = []

    def submit(self, rel: str, html_text: str) -> list[Diagnostic]:
        """Check one page; returns its diagnostics now when checking here, else none yet (`results`)."""
        if self.executor is not None:
            try:
                self.pending.append((rel, self.executor.submit(findings, html_text)))
                return []
            except (RuntimeError, concurrent.futures.process.BrokenProcessPool):
                self.executor = None  # the workers stopped: checked here from now on
        page = self.page_of(rel)
        return check_page(page, html_text) if page is not None else []

    def results(self) -> list[Diagnostic]:
        """Every diagnostic not returned yet, in page order; RuntimeError if the worker stopped."""
        out: list[Diagnostic] = []
        pending, self.pending = self.pending, []
        for rel, item in pending:
            page = self.page_of(rel)
            if page is None:  # generated pages: written by the engine, not by editors
                continue
            try:
                found = item.result()
            except concurrent.futures.process.BrokenProcessPool as exc:
                raise RuntimeError("the worker process that checks the rendered pages stopped (killed, or out "
                                   "of memory?) before it had checked them all: run the build again") from exc
            out.extend(check_page(page, "", found))
        return out
