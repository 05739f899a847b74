"""Headings: attributes on the headings of clinical pages, and attribute syntax that would be
printed in a public heading.

A section's review date is an attribute of its heading (``## Safety { data-reviewed="…" }``),
so a mistyped name (``data-reviwed``) would silently leave the section on the page's date,
and the attribute written without braces (or without the space before the brace, which
Python-Markdown needs) would show readers ``data-reviewed="…"`` in the heading.
"""

from __future__ import annotations

import difflib
import re

from hooks.parse.markdown import Document
from hooks.report.diagnostics import Diagnostic
from hooks.rules.content_safety import allowed_attribute
from hooks.rules.registry import Severity, define

SCOPE = "page"

HEADING_ATTR_UNKNOWN = define(
    'HEADING-ATTR-UNKNOWN',
    Severity.ERROR,
    'A heading of a clinical page carries an attribute the site does not use.',
    'A heading takes { data-reviewed="YYYY-MM-DD" } (the section\'s review date), { #id } and { .class } only; '
    'check the spelling of the name.',
    '## Safety { data-reviwed="2026-10-01" }',
    module=__name__,
)
HEADING_ATTR_TEXT = define(
    'HEADING-ATTR-TEXT',
    Severity.ERROR,
    'A heading holds text that looks like an attribute but is not read as one: readers would see it.',
    'Write attributes at the end of the heading inside braces, after a space: '
    '## Safety { data-reviewed="2026-10-01" }.',
    '## Safety data-reviewed="2026-10-01"',
    module=__name__,
)

# what a heading of a clinical page may carry: its review date, an id and classes, and toc's label
HEADING_ATTRS = ("data-reviewed", "id", "class", "data-toc-label")
# a brace group holding 'name=', '#id' or '.class'; name="value" (quoted, no spaces around '='); or
# hyphenated-name=value with a digit (data-reviewed=2026-10-01)
ATTR_TEXT_RE = re.compile(
    r"""\{:?\s*(?:[.#][\w-]|[\w:-]+\s*=)[^{}]*\}?"""
    r"""|(?<![\w/.-])[A-Za-z][\w:-]*=(?:"[^"]*"?|'[^']*'?)"""
    r"""|(?<![\w/.-])[A-Za-z][\w:]*-[\w:-]*=[\w.:-]*\d[\w.:-]*""")

TAG_RE = re.compile(r"<[A-Za-z/][^>]*>")


def check(context) -> list[Diagnostic]:
    page = context.page
    if page.doc is None:
        return []
    return check_document(page.path, page.doc, page.clinical)


def check_document(path: str, doc: Document, clinical: bool) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for heading in doc.headings:
        text = TAG_RE.sub(lambda m: " " * len(m.group(0)), heading.text)  # raw HTML tags: content_safety's
        match = ATTR_TEXT_RE.search(text)
        if match:
            shown = match.group(0).strip()
            hint = " (put a space before '{')" if shown.startswith("{") and heading.text.rstrip().endswith(
                shown) and not heading.text[:match.start()].endswith(" ") else ""
            diags.append(Diagnostic(path, heading.line, heading.col + match.start(), HEADING_ATTR_TEXT,
                                    f"heading '{heading.text[:50]}' shows '{shown[:40]}' as text: attributes go in "
                                    f"braces at the end of the heading{hint}"))
    if not clinical:
        return diags
    for attr_list in doc.attr_lists:
        if not attr_list.on_heading:
            continue
        for name, value in attr_list.attrs:
            if name.lower() in HEADING_ATTRS or not allowed_attribute(name, value):
                continue  # content_safety reports what is outside the allow-list
            close = difflib.get_close_matches(name.lower(), HEADING_ATTRS, n=1, cutoff=0.6)
            diags.append(Diagnostic(path, attr_list.line, attr_list.col, HEADING_ATTR_UNKNOWN,
                                    f"unknown heading attribute '{name}'" + (f": did you mean {close[0]}?" if close
                                                                               else "")))
    return diags
