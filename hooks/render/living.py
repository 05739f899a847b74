"""Living evidence for readers: each page's change log (newest first, collapsed), "Cite this page"
(AMA and BibTeX, with a copy button), the site's "What's new" page and its Atom feed (feedgen).

All of it is rendered from front matter (``changes:``, ``review:``, ``title``), never typed twice.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

KIND_LABELS = {"new-evidence": "New evidence", "correction": "Correction", "safety": "Safety",
               "editorial": "Editorial"}
SITE_NAME = "Hair Loss Evidence"
FEED_FILE = "feed.xml"
WHATS_NEW_PAGE = "whats-new.md"


@dataclass(frozen=True)
class Change:
    page: str  # path inside docs/
    title: str
    date: dt.date
    kind: str
    summary: str
    refs: tuple[str, ...] = ()


def changes_of(rel: str, data: dict) -> list[Change]:
    """A page's change log, newest first (entries with a malformed date are left to the check)."""
    out = []
    for item in data.get("changes") or [] if isinstance(data.get("changes"), list) else []:
        if not isinstance(item, dict):
            continue
        try:
            day = dt.date.fromisoformat(str(item.get("date")))
        except ValueError:
            continue
        refs = tuple(str(r) for r in item.get("refs") or [] if isinstance(item.get("refs"), list))
        out.append(Change(rel, str(data.get("title", rel)), day, str(item.get("kind", "")),
                          str(item.get("summary", "")), refs))
    return sorted(out, key=lambda c: (c.date, c.kind), reverse=True)


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def changes_html(changes: list[Change], ref_text) -> str:
    """The change log under a page, collapsed; ref_text(key) gives a short reference for a key."""
    if not changes:
        return ""
    items = []
    for change in changes:
        refs = f' <span class="kb-change-refs">({"; ".join(ref_text(k) for k in change.refs)})</span>' \
            if change.refs else ""
        items.append(f'<li><time datetime="{change.date.isoformat()}">{_long(change.date)}</time> '
                     f'<span class="kb-change-kind kb-change-{html.escape(change.kind)}">'
                     f'{KIND_LABELS.get(change.kind, change.kind)}</span>: {html.escape(change.summary)}{refs}</li>')
    return (f'<details class="kb-changes" data-search-exclude><summary>What changed on this page '
            f'({len(changes)})</summary>\n<ol reversed>\n' + "\n".join(items) + "\n</ol>\n</details>")


def version_of(data: dict, changes: list[Change]) -> str:
    """A page's version: the date of its newest change, else of its last review."""
    if changes:
        return changes[0].date.isoformat()
    review = data.get("review") if isinstance(data.get("review"), dict) else {}
    return str(review.get("last_reviewed", ""))


def cite_text(title: str, url: str, data: dict, changes: list[Change], accessed: dt.date) -> tuple[str, str]:
    """(AMA, BibTeX) for citing the page at its current version."""
    review = data.get("review") if isinstance(data.get("review"), dict) else {}
    reviewed = str(review.get("last_reviewed", ""))
    version = version_of(data, changes)
    try:
        reviewed_long = _long(dt.date.fromisoformat(reviewed))
    except ValueError:
        reviewed_long = reviewed
    ama = (f"{SITE_NAME}. {title}. {SITE_NAME}; version {version}. Last reviewed {reviewed_long}. "
           f"Accessed {accessed:%B} {accessed.day}, {accessed.year}. {url}")
    slug = url.rstrip("/").rsplit("/", 1)[-1] or "home"
    key = f"hairlossevidence{version.replace('-', '')}{slug.replace('-', '')}"
    bibtex = "\n".join([
        f"@misc{{{key},", "  author = {{Hair Loss Evidence}},", f"  title = {{{title}}},",
        f"  howpublished = {{{SITE_NAME}}},", f"  year = {{{version[:4]}}},", f"  version = {{{version}}},",
        f"  note = {{Last reviewed {reviewed}}},", f"  url = {{{url}}},", f"  urldate = {{{accessed.isoformat()}}},",
        "}"])
    return ama, bibtex


def cite_html(ama: str, bibtex: str) -> str:
    def block(label: str, text: str, name: str) -> str:
        return (f'<div class="kb-cite-block"><p class="kb-cite-label">{label} '
                f'<button type="button" class="kb-copy kb-js-only" data-copy-target="kb-cite-{name}">Copy</button>'
                f'</p><pre id="kb-cite-{name}"><code>{html.escape(text)}</code></pre></div>')

    return ('<details class="kb-cite" data-search-exclude><summary>Cite this page</summary>\n'
            + block("AMA", ama, "ama") + "\n" + block("BibTeX", bibtex, "bibtex") + "\n</details>")


def whats_new_markdown(changes: list[Change], link_prefix: str = "") -> str:
    lines = ["# What's new", "",
             "Recent changes to the pages, newest first: new evidence, corrections, safety news and editorial "
             f"changes. Subscribe with the [Atom feed]({link_prefix}{FEED_FILE}).", ""]
    if not changes:
        return "\n".join([*lines, "No page has a change log entry yet.", ""])
    current = None
    for change in changes:
        month = f"{change.date:%B %Y}"
        if month != current:
            lines += ["", f"## {month}", ""]
            current = month
        lines.append(f"- {_long(change.date)}: [{change.title}]({link_prefix}{change.page}): "
                     f"**{KIND_LABELS.get(change.kind, change.kind)}.** {change.summary}")
    return "\n".join(lines) + "\n"


def feed_xml(changes: list[Change], site_url: str, url_of, updated: dt.date) -> bytes:
    """An Atom feed of the changes; url_of(page) gives a page's absolute URL."""
    base = site_url.rstrip("/") + "/"
    feed = FeedGenerator()
    feed.id(base)
    feed.title(f"{SITE_NAME}: what's new")
    feed.subtitle("New evidence, corrections, safety news and editorial changes, page by page.")
    feed.link(href=base + FEED_FILE, rel="self")
    feed.link(href=base + WHATS_NEW_PAGE.removesuffix(".md") + "/", rel="alternate")
    feed.language("en")
    feed.updated(dt.datetime.combine(updated, dt.time(), dt.UTC))
    for change in reversed(changes):  # feedgen lists entries newest first when added oldest first
        entry = feed.add_entry()
        url = url_of(change.page)
        entry.id(f"{url}#change-{change.date.isoformat()}-{change.kind}")
        entry.title(f"{change.title}: {KIND_LABELS.get(change.kind, change.kind).lower()}")
        entry.link(href=url)
        entry.updated(dt.datetime.combine(change.date, dt.time(), dt.UTC))
        entry.published(dt.datetime.combine(change.date, dt.time(), dt.UTC))
        entry.summary(change.summary)
        entry.author(name=SITE_NAME)
    return feed.atom_str(pretty=True)
