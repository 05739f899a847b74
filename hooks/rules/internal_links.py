"""Relative links between pages and to their #anchors."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from markdown.extensions.toc import slugify

from hooks.parse.markdown import Document
from hooks.report.diagnostics import Diagnostic
from hooks.report.suggest import did_you_mean
from hooks.rules.registry import Severity, define

SCOPE = "project"

LINK_BROKEN = define(
    'LINK-BROKEN',
    Severity.ERROR,
    'A relative link points to a page or file that does not exist.',
    'Correct the path (relative to this page) or create the page.',
    module=__name__,
)
LINK_ANCHOR = define(
    'LINK-ANCHOR',
    Severity.ERROR,
    "A link's #anchor matches no heading or id on the target page.",
    "Use the heading's slug: lowercase, spaces as hyphens, punctuation dropped.",
    module=__name__,
)


HTML_ID_RE = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
INLINE_MD_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def heading_slug(text: str) -> str:
    plain = INLINE_MD_RE.sub(r"\1", text)
    plain = re.sub(r"<[^>]+>", "", plain)
    plain = re.sub(r"[*_`]", "", plain)
    return slugify(plain, "-")


def anchors_of(doc: Document) -> set[str]:
    """The ids a page's HTML will have: heading slugs (deduplicated as toc does), attr-list ids, raw ids."""
    anchors: set[str] = set()
    counts: dict[str, int] = {}
    for heading in doc.headings:
        if "id" in heading.attrs:
            anchors.add(heading.attrs["id"])
            continue
        slug = heading_slug(heading.text)
        if slug in counts:
            counts[slug] += 1
            anchors.add(f"{slug}_{counts[slug]}")
        else:
            counts[slug] = 0
            anchors.add(slug)
    for chunk in doc.html:
        anchors.update(HTML_ID_RE.findall(chunk.html))
    return anchors


def anchor_hint(fragment: str, anchors: set[str]) -> str:
    """'did you mean' and the page's anchors, so the editor can pick the right one."""
    listed = sorted(anchors)
    shown = ", ".join(f"#{a}" for a in listed[:15]) + (f" and {len(listed) - 15} more" if len(listed) > 15 else "")
    return did_you_mean(fragment, listed, prefix="#") + (
        f" (its anchors: {shown})" if listed else " (it has no headings)")


def check(project) -> list[Diagnostic]:
    """The one rule that needs every page: links and #anchors between pages."""
    anchors = {rel: anchors_of(p.doc) for rel, p in project.pages.items() if p.doc}
    diags: list[Diagnostic] = []
    for rel, page in project.pages.items():
        if page.doc is not None and page.text is not None:
            diags.extend(check_page(page.path, rel, page.doc, project.files, anchors))
    return diags


def check_page(path: str, page_rel: str, doc: Document, files: set[str],
          anchors: dict[str, set[str]]) -> list[Diagnostic]:
    """``page_rel`` is the page's path inside docs/; ``files`` every file in docs/."""
    diags: list[Diagnostic] = []
    base = posixpath.dirname(page_rel)
    for link in doc.links:
        parts = urlsplit(link.url)
        if parts.scheme or parts.netloc or link.url.startswith("/") or link.url.startswith("mailto:"):
            continue
        target_path = unquote(parts.path)
        if target_path:
            target = posixpath.normpath(posixpath.join(base, target_path))
            if target_path.endswith("/"):
                target = posixpath.join(target, "index.md")
            if target.startswith("..") or target not in files:
                diags.append(Diagnostic(path, link.line, link.col, LINK_BROKEN,
                                        f"'{link.url}' points to '{target}', which does not exist in docs/"))
                continue
        else:
            target = page_rel
        fragment = unquote(parts.fragment)
        if fragment and target.endswith(".md") and target in anchors and fragment not in anchors[target]:
            diags.append(Diagnostic(path, link.line, link.col, LINK_ANCHOR,
                                    f"'#{fragment}' is not a heading or id on '{target}'"
                                    + anchor_hint(fragment, anchors[target])))
    return diags
