"""The one MkDocs hook module (named in mkdocs.yml): MkDocs events in → engine calls out.

Everything the site build does beyond plain Material happens through :class:`SiteBuild`,
which holds the build's state (the check's report, page views, deferred HTML) for one build
and is reset when the next build (a `mkdocs serve` rebuild) configures. Its events are listed
below in the order MkDocs runs them; within one event the priority says where a step runs
relative to the plugins (search at 0, mkdocs-bibtex at 0):

1. ``on_startup``   remember the command (build or serve)
2. ``on_config``    (100) wrap mkdocs-bibtex; (0) folder navigation, nav window, history dates
3. ``on_pre_build`` run the content check once: errors and warnings are logged with path:line
4. ``on_files``     generated pages: review-due report, glossary, bibliography, claims.json
5. ``on_nav``       plan the bounded sidebars of large sections
6. ``on_page_markdown`` (70) page head, tables, lists; (60) history line; (50) hide code from
   mkdocs-bibtex and place the reference list; mkdocs-bibtex (0); (-50) restore code
7. ``on_page_content``  numbered citations and reference lists, page head, history line,
   bibliography list, glossary tooltips
8. ``on_page_context``  (50) search reads the page without citations; (0) bounded sidebar;
   (-50) reference list back in place
9. ``on_post_page`` (-100) JSON-LD and the Content-Security-Policy, last
10. ``on_post_build`` fail the build on errors, and forget the build's state

MkDocs is imported here and by nothing under hooks/ except what only this module uses.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs puts only hooks/ on the path while it loads this file
    sys.path.insert(0, str(ROOT))

from hooks.check import Config, Report, check_project, default_workers  # noqa: E402
from hooks.config import ConfigError  # noqa: E402
from hooks.parse.code_regions import mask  # noqa: E402
from hooks.parse.frontmatter import schema_labels  # noqa: E402
from hooks.render import (  # noqa: E402
    bibliography_page,
    csp,
    glossary,
    nav_window,
    page_history,
    page_view,
    review_box,
    site_nav,
    site_tables,
    source_notes,
)
from hooks.render.citation_style import reference_html  # noqa: E402
from hooks.render.deferred_html import DeferredHtml  # noqa: E402
from hooks.render.reference_list import (  # noqa: E402
    CITE_MARK,
    SEPARATOR,
    list_html,
    number_markers,
    placeholder,
    without_citations,
)
from hooks.render.sidebar import BoundedSidebar  # noqa: E402
from hooks.report import claim_register, review_report  # noqa: E402

log = get_plugin_logger("kb")

GRADES_PAGE = "about/evidence-grading.md"
REVIEW_PAGE = "editors/review-due.md"
GLOSSARY_PAGE = "about/glossary.md"
BIBLIOGRAPHY_PAGE = "about/bibliography.md"
CLAIMS_FILE = "claims.json"
CODE_AT = "\ue040"  # private-use stand-in for '@' inside code while mkdocs-bibtex runs
DEFINITION_MARK = "\ue041"  # what the plugin's footnote definitions hold; they are dropped
DEFINITION_RE = re.compile(r"^\[\^[^\]]+\]: " + DEFINITION_MARK + ".*$\n?", re.M)
BIB_COMMAND = "\\bibliography"
REFERENCES_HEADING = "## References { #references }"


def build_date() -> dt.date:
    """Today, or KB_TODAY=YYYY-MM-DD (tests and previews of a later date)."""
    value = os.environ.get("KB_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()


class _Entries:
    """Stands in for pybtex's BibliographyData: the plugin only reads ``.entries``."""

    def __init__(self, entries: dict) -> None:
        self.entries = entries


class EngineRegistry:
    """The interface mkdocs-bibtex 4.4.0 expects of its registry, backed by the engine's bibliography."""

    def __init__(self, entries: dict, footnote_format: str) -> None:
        self.bib_data = _Entries(entries)
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


class SiteBuild:
    """The state of one build, and every step the hooks add to it."""

    def __init__(self) -> None:
        self.command = "build"
        self.reset()

    def reset(self) -> None:
        self.config: Config | None = None
        self.report: Report | None = None
        self.errors = 0
        self.views: dict[str, page_view.PageView] = {}
        self.cited: dict[str, list[str]] = {}
        self.heads = DeferredHtml("page-head")
        self.footers = DeferredHtml("page-history")
        self.reference_lists = DeferredHtml("reference-list")
        self.formatted: dict[str, str] = {}  # key -> the reference as HTML, once per build
        self.full_content: dict[str, str] = {}  # src -> content while search reads it without citations
        self.terms: list[glossary.Term] = []
        self.history: dict[str, dt.date] = {}
        self.sidebar = BoundedSidebar(nav_window.DEFAULT_SIZE)

    # 1. startup
    def startup(self, command: str, dirty: bool) -> None:
        self.command = command

    # 2. config
    @event_priority(100)
    def wrap_bibtex(self, config):
        """Before mkdocs-bibtex: install the engine's registry and stop the plugin parsing
        references.bib itself (pybtex raises a traceback on a duplicate key; the engine reports
        it as a diagnostic). The bibliography is the one in [tool.kb]; the plugin must agree."""
        self.reset()
        root = Path(config.config_file_path).resolve().parent
        try:
            self.config = Config.load(root)
        except ConfigError as exc:
            raise PluginError(str(exc)) from exc
        plugin = config.plugins.get("bibtex")
        if plugin is not None:
            if (root / plugin.config.bib_file).resolve() != self.config.bibliography:
                raise PluginError(f"mkdocs.yml: bibtex bib_file '{plugin.config.bib_file}' differs from "
                                  f"[tool.kb] bibliography '{self.config.bibliography.name}' in pyproject.toml")
            from hooks.parse import bibliography as bib_mod

            bib, _ = bib_mod.load(root, self.config.bibliography, bib_mod.cache_dir(root))
            plugin.registry = EngineRegistry(bib.entries, plugin.config.footnote_format)
            plugin.last_configured = float("inf")  # its on_config then returns early: "no changes in bibfiles"
        self.terms = glossary.load(root / glossary.DATA_FILE)
        return config

    def configure(self, config):
        """Folder navigation, and the history dates of pages (from git)."""
        assert self.config is not None
        if config.nav:
            config.nav = site_nav.expand(config.nav, Path(config.docs_dir))
        self.history = page_history.last_changed(self.config.root, Path(config.docs_dir).name)
        return config

    # 3. pre_build
    def run_check(self, config) -> None:
        assert self.config is not None
        # parallel for `build`; `serve` stays in one process (forking beside its server threads is unsafe)
        workers = default_workers() if self.command == "build" else 1
        self.report = check_project(self.config, build_date(), workers=workers, use_cache=True)
        self.errors = 0
        for diag in sorted(self.report.all_diagnostics(), key=lambda d: (d.path, d.line, d.col, d.rule_id)):
            level = diag.severity.log_level
            self.errors += diag.is_error
            getattr(log, level)(diag.format_text())
        if "SOURCE_DATE_EPOCH" not in os.environ:  # sitemap dates and gzip headers follow the content
            epoch = page_history.last_commit_epoch(self.config.root)
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch if epoch is not None else self._latest_review_epoch())
        labels = schema_labels(str(self.config.schema))
        for rel, page in self.report.pages.items():
            if page.clinical and page.data:
                self.views[rel] = page_view.page_view(rel, page.data, labels, page.review, self.report.reviewers)
                self.cited[rel] = list(page.cited_keys)

    def _latest_review_epoch(self) -> int:
        assert self.report is not None
        dates = [p.review.last_reviewed for p in self.report.pages.values() if p.review]
        return int(dt.datetime.combine(max(dates), dt.time(), dt.UTC).timestamp()) if dates else 0

    # 4. files
    def add_generated(self, files, config):
        report = self.report
        if report is None:
            return files
        content = ("# Review-due report\n\n" + review_report.as_markdown(report, link_prefix="../")
                   + "\nThe same report as JSON: `make review-report FORMAT=json`.\n")
        files.append(File.generated(config, REVIEW_PAGE, content=content))
        files.append(File.generated(config, GLOSSARY_PAGE, content=glossary.page_markdown(self.terms)))
        files.append(File.generated(config, BIBLIOGRAPHY_PAGE,
                                    content=bibliography_page.page_markdown(report, "../" + CLAIMS_FILE)))
        register = json.dumps(claim_register.register(report), separators=(",", ":"), ensure_ascii=False,
                              sort_keys=True)
        files.append(File.generated(config, CLAIMS_FILE, content=register))
        return files

    # 5. nav
    def plan_navigation(self, nav, config, files):
        self.sidebar = BoundedSidebar(self.config.nav_window if self.config else nav_window.DEFAULT_SIZE)
        self.sidebar.plan(nav)
        return nav

    # 6. page_markdown
    @event_priority(70)  # before the citations (50): generated tables may cite [@key]
    def page_head(self, markdown: str, page, config, files) -> str:
        src = page.file.src_uri
        views = self.views.values()
        if src == "therapies/index.md":
            markdown = markdown.replace(site_tables.COMPARISON_MARKER, site_tables.comparison_markdown(views, src))
            markdown = markdown.replace(site_tables.MAP_MARKER, site_tables.evidence_map_markdown(views, src))
        if site_tables.SECTION_PAGES_MARKER in markdown:
            markdown = markdown.replace(site_tables.SECTION_PAGES_MARKER,
                                        site_tables.section_pages_markdown(views, src))
        view = self.views.get(src)
        if view is None:  # views exist for clinical pages only (the engine decides which those are)
            return markdown
        if view.page_type == "therapy":  # the therapy page is the first answer to a search for its name
            page.meta.setdefault("search", {}).setdefault("boost", 2)
        grades_file = files.get_file_from_path(GRADES_PAGE)
        grades = grades_file.url_relative_to(page.file) if grades_file else ""
        marker = self.heads.defer(src, review_box.page_head_html(view, grades))
        markdown = review_box.insert_under_title(markdown, marker)
        if view.regulatory:
            markdown = review_box.insert_after_heading(markdown, "## Regulatory status",
                                                       site_tables.regulatory_markdown(view))
        if view.page_type == "condition":
            markdown = review_box.insert_after_heading(
                markdown, "## Treatments", site_tables.therapies_for_condition_markdown(view, views, src))
        return markdown

    @event_priority(60)  # before the citations append the reference list
    def history_line(self, markdown, page, config, files):
        repo = config.extra.get("repository", "")
        if page.file.generated_by or not repo:
            return markdown
        src = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
        changed = self.history.get(src)
        base = repo.rstrip("/")
        report_url = (f"{base}/issues/new?template=page-is-wrong.yml&page="
                      f"{quote((config.site_url or '') + page.url, safe='')}")
        when = f"Last changed on {changed:%-d %B %Y}" if changed else "Not yet committed"
        marker = self.footers.defer(page.file.src_uri, (
            f'<p class="page-history" data-search-exclude>{when} · <a href="{base}/commits/main/{src}">page '
            f'history</a> · <a href="{base}/edit/main/{src}">suggest an edit</a> · '
            f'<a href="{report_url}">report a problem</a></p>'))
        return markdown.rstrip("\n") + f"\n\n{marker}\n"

    @event_priority(50)
    def hide_code_from_bibtex(self, markdown: str, page, config, files) -> str:
        """Before mkdocs-bibtex: hide code from it and place the reference list."""
        masked = mask(markdown, "@", CODE_AT)
        if "[@" in masked or "; @" in masked:
            masked = masked.rstrip("\n") + f"\n\n{REFERENCES_HEADING}\n\n{BIB_COMMAND}\n"
        return masked

    @event_priority(-50)
    def restore_code(self, markdown: str, page, config, files) -> str:
        """After mkdocs-bibtex: '@' back inside code, its footnote definitions dropped, and the list
        heading dropped from a page that cites nothing after all."""
        markdown = DEFINITION_RE.sub("", markdown.replace(CODE_AT, "@"))
        if REFERENCES_HEADING in markdown and CITE_MARK not in markdown:
            markdown = markdown.replace(REFERENCES_HEADING, "")
        return markdown

    # 7. page_content
    def page_content(self, html_text: str, page, config, files) -> str:
        src = page.file.src_uri
        html_text = self._citations(html_text, page, config)
        html_text = self.heads.fill(src, html_text)
        html_text = self.footers.fill(src, html_text)
        if src == BIBLIOGRAPHY_PAGE and bibliography_page.MARKER in html_text and self.report is not None:
            def url_for(rel: str) -> str:
                target = files.get_file_from_path(rel)
                return target.url_relative_to(page.file) if target else rel

            html_text = html_text.replace(bibliography_page.MARKER, bibliography_page.list_html(self.report, url_for))
        return glossary.annotate_html(html_text, self.terms) if self.terms else html_text

    def _citations(self, html_text: str, page, config) -> str:
        """Numbered citation markers; the page's reference list waits for on_page_context."""
        plugin = config.plugins.get("bibtex")
        if plugin is None or CITE_MARK not in html_text:
            return html_text
        entries = plugin.registry.entries

        def formatted(key: str) -> str:
            if key not in self.formatted:
                entry = entries.get(key)
                if entry is None:  # the engine reports it as CITE-UNKNOWN-KEY, with path and line
                    self.formatted[key] = (f"<strong>Unknown reference</strong> <code>{html.escape(key)}</code>: "
                                           "no such entry in references.bib.")
                else:
                    record = self.report.sources.get(key) if self.report else None
                    status = source_notes.status_html(record)
                    self.formatted[key] = glossary.annotate_html(
                        reference_html(entry) + (" " + status if status else ""), self.terms)
            return self.formatted[key]

        checked = self.report.pages.get(page.file.src_uri) if self.report else None
        claims = checked.claims if checked is not None else []

        def with_excerpts(key: str) -> str:
            record = self.report.sources.get(key) if self.report else None
            quotes = source_notes.excerpts_html(record, source_notes.relied_on(claims, key))
            return formatted(key) + ("<br>" + quotes if quotes else "")

        html_text, uses = number_markers(html_text)
        footnotes = config.mdx_configs.get("footnotes", {})
        title = footnotes.get("BACKLINK_TITLE", "Jump back to footnote %d in the text")
        marker = self.reference_lists.defer(page.file.src_uri, list_html(uses, with_excerpts, title))
        return html_text.rstrip("\n") + "\n" + marker

    # 8. page_context
    @event_priority(50)  # before the search plugin indexes the page
    def before_search(self, context, page, config, nav):
        """Search reads the page without its citation numbers (noise in results)."""
        src = page.file.src_uri
        if self.reference_lists.waiting(src):
            self.full_content[src] = page.content
            page.content = without_citations(page.content)
        return context

    def bounded_sidebar(self, context, page, config, nav):
        if self.sidebar.plans:
            context["nav"] = self.sidebar.bounded(nav, page)
        return context

    @event_priority(-50)  # after search: each reference is indexed once, on the bibliography page
    def after_search(self, context, page, config, nav):
        src = page.file.src_uri
        page.content = self.reference_lists.fill(src, self.full_content.pop(src, page.content))
        return context

    # 9. post_page
    @event_priority(-100)  # last, after every other change to the page: the hashes cover the final scripts
    def finish_page(self, output: str, page, config) -> str:
        return csp.add_meta(self._with_structured_data(output, page, config))

    def _with_structured_data(self, output: str, page, config) -> str:
        src = page.file.src_uri
        view = self.views.get(src)
        if view is None or self.report is None:
            return output
        url = (config.site_url or "/").rstrip("/") + "/" + page.url
        data = page_view.structured_data(view, url, self.cited.get(src, []), self.report.bibliography)
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        return output.replace("</head>", f'<script type="application/ld+json">{payload}</script>\n</head>', 1)

    # 10. post_build
    def finish_build(self, config) -> None:
        errors, command = self.errors, self.command
        self.reset()
        if errors and command == "build":
            raise Abort(f"Aborted: the content check found {errors} error(s).")


_build = SiteBuild()

on_startup = _build.startup
on_config = CombinedEvent(_build.wrap_bibtex, _build.configure)
on_pre_build = _build.run_check
on_files = _build.add_generated
on_nav = _build.plan_navigation
on_page_markdown = CombinedEvent(_build.page_head, _build.history_line, _build.hide_code_from_bibtex,
                                 _build.restore_code)
on_page_content = _build.page_content
on_page_context = CombinedEvent(_build.before_search, _build.bounded_sidebar, _build.after_search)
on_post_page = _build.finish_page
on_post_build = _build.finish_build
