"""MkDocs hook: mkdocs-bibtex 4.4.0, wrapped so that its known faults never reach a reader.

mkdocs-bibtex finds ``[@key]`` groups and turns them into footnotes. As released it
rewrites citations inside code, joins ``[@a; @b]`` into adjacent markers ("12"),
drops locators in plain mode, can leak pandoc markup and ``--`` page ranges, and
names no page for an unknown key. This adapter:

* replaces its registry (after the plugin's ``on_config``) with one that formats each
  reference once per build in AMA style from the engine's parsed bibliography
  (``hooks/engine/citation_style.py``): no pandoc, no markup leaks, en-dash ranges,
  "et al", DOI and PubMed links, the evidence label;
* separates markers of one group with commas and keeps locators ("p. 3");
* hides ``@`` inside code from the plugin (priority 50, before it) and restores it
  afterwards (priority -50), so code is shown exactly as written;
* adds the "References" heading where the plugin's list goes;
* leaves citations out of Markdown's way: the plugin's markers become placeholders and
  its footnote definitions are dropped, and after Markdown the engine
  (``hooks/engine/reference_list.py``) writes the numbered markers and the reference list
  in the footnotes extension's own HTML, numbered by first citation in reading order.

Unknown keys are the engine's CITE-UNKNOWN-KEY error, with path:line.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from mkdocs.plugins import CombinedEvent, event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.engine import bibliography as bib_mod  # noqa: E402
from hooks.engine import glossary  # noqa: E402
from hooks.engine.citation_style import reference_html  # noqa: E402
from hooks.engine.code_regions import mask  # noqa: E402
from hooks.engine.deferred_html import DeferredHtml  # noqa: E402
from hooks.engine.reference_list import (  # noqa: E402
    CITE_MARK,
    SEPARATOR,
    list_html,
    number_markers,
    placeholder,
    without_citations,
)

CODE_AT = "\ue040"  # private-use stand-in for '@' inside code while the plugin runs
DEFINITION_MARK = "\ue041"  # what the plugin's footnote definitions hold; the definitions are dropped
DEFINITION_RE = re.compile(r"^\[\^[^\]]+\]: " + DEFINITION_MARK + ".*$\n?", re.M)
BIB_COMMAND = "\\bibliography"
HEADING = "## References { #references }"
_reference_lists = DeferredHtml("reference-list")  # added after the search plugin has read the page
_formatted: dict[str, str] = {}  # key -> the reference as HTML with glossary tooltips, once per build
_terms: list[glossary.Term] = []


class _Entries:
    """Stands in for pybtex's BibliographyData: the plugin only reads ``.entries``."""

    def __init__(self, entries: dict[str, bib_mod.Entry]) -> None:
        self.entries = entries


class EngineRegistry:
    """The interface mkdocs-bibtex's plugin expects of a registry, backed by the engine."""

    def __init__(self, bib_data: _Entries, entries: dict[str, bib_mod.Entry], footnote_format: str) -> None:
        self.bib_data = bib_data
        self.entries = entries
        self.footnote_format = footnote_format

    def validate_citation_blocks(self, citation_blocks) -> None:
        """Unknown keys are reported by the engine with page and line; nothing to do here."""

    def validate_inline_references(self, inline_references) -> set:
        return set()

    def inline_text(self, citation_block) -> str:
        return SEPARATOR.join(placeholder(self.footnote_format.format(key=c.key), (c.suffix or "").strip())
                              for c in citation_block.citations)

    def reference_text(self, citation) -> str:
        """The plugin writes one footnote definition per cited key; they are dropped after it runs
        (the list is written after Markdown, from the markers), so this only marks them."""
        return f"{DEFINITION_MARK}{citation.key}"


@event_priority(100)
def on_config(config):
    """Before the plugin: install the engine's registry and stop the plugin re-parsing.

    The plugin parses references.bib with pybtex, which raises (a traceback, no line)
    on a duplicate key or bad syntax. The engine already reports those as diagnostics,
    so the plugin is told its bibliography is current and never parses the file.
    """
    plugin = config.plugins.get("bibtex")
    if plugin is None:
        return config
    root = Path(config.config_file_path).resolve().parent
    bib, _ = bib_mod.load(root, root / plugin.config.bib_file, bib_mod.cache_dir(root))
    plugin.registry = EngineRegistry(_Entries(bib.entries), bib.entries, plugin.config.footnote_format)
    plugin.last_configured = float("inf")  # its on_config then returns early: "no changes in bibfiles"
    _terms[:] = glossary.load(root / glossary.DATA_FILE)
    _formatted.clear()
    _reference_lists.clear()
    _full_content.clear()
    return config


@event_priority(50)
def _prepare(markdown: str, page, config, files) -> str:
    """Before mkdocs-bibtex: hide code from it and place the reference list."""
    masked = mask(markdown, "@", CODE_AT)
    if "[@" in masked or "; @" in masked:
        masked = masked.rstrip("\n") + f"\n\n{HEADING}\n\n{BIB_COMMAND}\n"
    return masked


@event_priority(-50)
def _restore(markdown: str, page, config, files) -> str:
    """After mkdocs-bibtex: put the '@' back inside code, drop its footnote definitions, and drop
    the list heading of a page that cites nothing after all."""
    markdown = DEFINITION_RE.sub("", markdown.replace(CODE_AT, "@"))
    if HEADING in markdown and CITE_MARK not in markdown:
        markdown = markdown.replace(HEADING, "")
    return markdown


on_page_markdown = CombinedEvent(_prepare, _restore)


def on_page_content(html_text: str, page, config, files) -> str:
    """Numbered citation markers; the page's reference list waits for on_page_context."""
    plugin = config.plugins.get("bibtex")
    if plugin is None or CITE_MARK not in html_text:
        return html_text
    entries = plugin.registry.entries

    def formatted(key: str) -> str:
        if key not in _formatted:
            entry = entries.get(key)
            if entry is None:  # the engine reports it as CITE-UNKNOWN-KEY, with path and line
                _formatted[key] = (f"<strong>Unknown reference</strong> <code>{html.escape(key)}</code>: "
                                   "no such entry in references.bib.")
            else:
                _formatted[key] = glossary.annotate_html(reference_html(entry), _terms)
        return _formatted[key]

    html_text, uses = number_markers(html_text)
    footnotes = config.mdx_configs.get("footnotes", {})
    title = footnotes.get("BACKLINK_TITLE", "Jump back to footnote %d in the text")
    marker = _reference_lists.defer(page.file.src_uri, list_html(uses, formatted, title))
    return html_text.rstrip("\n") + "\n" + marker


_full_content: dict[str, str] = {}  # src -> the page's content while search reads it without citations


@event_priority(50)  # before the search plugin indexes the page
def _before_search(context, page, config, nav):
    """Search is shown the page without its citation numbers: noise in search results, and
    reading them was a third of the plugin's time on a cited page."""
    src = page.file.src_uri
    if _reference_lists.waiting(src):
        _full_content[src] = page.content
        page.content = without_citations(page.content)
    return context


@event_priority(-50)  # after it
def _after_search(context, page, config, nav):
    """The page as readers get it: markers back, and the reference list in place only now, so
    search never indexes it: each reference is indexed once, on the bibliography page."""
    src = page.file.src_uri
    page.content = _reference_lists.fill(src, _full_content.pop(src, page.content))
    return context


on_page_context = CombinedEvent(_before_search, _after_search)
