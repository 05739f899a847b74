"""The one MkDocs hook module (named in mkdocs.yml): MkDocs events in → engine calls out.

Everything the site build does beyond plain Material happens through :class:`SiteBuild`,
which holds the build's state (the check's report, page views, deferred HTML) for one build
and is reset when the next build (a `mkdocs serve` rebuild) configures. Its events are listed
below in the order MkDocs runs them; within one event the priority says where a step runs
relative to the plugins (search at 0, mkdocs-bibtex at 0):

1. ``on_startup``   remember the command (build or serve)
2. ``on_config``    (100) wrap mkdocs-bibtex, full garbage collections rarer until the build ends;
                    (0) folder navigation, nav window, history dates
   ``on_serve``     (`mkdocs serve`) also watch references.bib, pyproject.toml, data/, schema/, overrides/
3. ``on_pre_build`` `serve` runs the content check at once
4. ``on_files``     `build` starts the content check in worker processes, in the order MkDocs
                    reads the pages, while it renders them (each page waits for its own result
                    only); the pages made from every page (way in, section lists, comparison) move
                    after the others. Generated pages: review-due report, glossary, bibliography,
                    claims.json (`build` writes the register into the site from a forked process).
                    In `build` the workers also read the pages for search (``SearchInWorkers``).
                    When every page is checked (``_complete``), errors and warnings are logged with
                    path:line and the generated files are made
5. ``on_nav``       plan the bounded sidebars of large sections
   ``on_pre_page``  before the first generated page is read: every page is checked
6. ``on_page_markdown`` (70) page head, tables, lists; (60) history line; (50) hide code from
   mkdocs-bibtex and place the reference list; mkdocs-bibtex (0); (-50) restore code
7. ``on_page_content``  numbered citations and reference lists, page head, history line,
   bibliography list
   ``on_env``       before the files are copied: every page checked, and the pages back in
                    MkDocs' order for writing, search and sitemap
8. ``on_page_context``  (50) search reads the page without citations (`build`: in a worker);
   (0) bounded sidebar;
   (-50) what search does not read: icon arrays, change log and "Cite this page", glossary
   tooltips, the reference list, and a condition page's table of treatments
9. ``on_post_page`` (-100) JSON-LD and the Content-Security-Policy, last
10. ``on_post_build`` (50) the pages read for search in the index, in page order; (-100) the
    rendered pages' checks logged, the claim register waited for; fail the build on errors, and
    forget the build's state

The live preview (`mkdocs serve`, `make serve`) never stops on a content error: it keeps serving,
logs the diagnostics and shows them at the top of every page (``preview_problems``); a step
that fails shows its message there too instead of leaving the server stuck. `mkdocs build`
is unchanged: strict, and it fails on any error.

MkDocs is imported here and by nothing under hooks/ except what only this module uses.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import logging
import os
import posixpath
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs puts only hooks/ on the path while it loads this file
    sys.path.insert(0, str(ROOT))

from hooks import garbage_collection  # noqa: E402
from hooks.check import CheckRun, Config, Page, Report, default_workers  # noqa: E402
from hooks.config import ConfigError  # noqa: E402
from hooks.parse.code_regions import mask  # noqa: E402
from hooks.parse.frontmatter import schema_labels  # noqa: E402
from hooks.render import (  # noqa: E402
    bibliography_page,
    csp,
    glossary,
    html_allowlist,
    nav_window,
    page_history,
    page_view,
    preview_problems,
    review_box,
    search_terms,
    site_nav,
    site_tables,
    source_notes,
    way_in,
)
from hooks.render import living as living_mod  # noqa: E402
from hooks.render import outcomes as outcomes_mod  # noqa: E402
from hooks.render.background import BackgroundFiles, whole  # noqa: E402
from hooks.render.citation_style import reference_html  # noqa: E402
from hooks.render.deferred_html import DeferredHtml  # noqa: E402
from hooks.render.reference_list import (  # noqa: E402
    CITE_MARK,
    SEPARATOR_MARK,
    list_html,
    number_markers,
    placeholder,
    without_citations,
)
from hooks.render.search_in_workers import SearchInWorkers  # noqa: E402
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
# Generated pages (glossary, what's new, review-due) mention every treatment by name: searchable, but
# never ranked above the page about the treatment itself (Material reads search.boost from front matter).
LOW_SEARCH_BOOST = "---\nsearch:\n  boost: 0.2\n---\n\n"


GENERATED = (REVIEW_PAGE, GLOSSARY_PAGE, BIBLIOGRAPHY_PAGE, CLAIMS_FILE, search_terms.FILE,
             living_mod.WHATS_NEW_PAGE, living_mod.FEED_FILE)  # the files the build makes (``_generated_makers``)
# what a page holds where it shows something made from every page (the home page's way in, a section's
# list of pages, the therapy comparison and evidence map)
_SITE_WIDE = re.compile("|".join(re.escape(m) for m in (way_in.MARKER, site_tables.SECTION_PAGES_MARKER,
                                                         site_tables.COMPARISON_MARKER, site_tables.MAP_MARKER)))


def _site_wide(file: File) -> bool:
    """A page made from every page: rendered after the others (see ``add_generated``)."""
    if not file.is_documentation_page() or not file.abs_src_path:
        return False
    try:
        return bool(_SITE_WIDE.search(Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False


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
        return SEPARATOR_MARK.join(placeholder(self.footnote_format.format(key=c.key), (c.suffix or "").strip())
                              for c in citation_block.citations)

    def reference_text(self, citation) -> str:
        """The plugin writes one footnote definition per cited key; they are dropped after it runs
        (the list is written after Markdown, from the markers), so this only marks them."""
        return f"{DEFINITION_MARK}{citation.key}"


class _PreviewLog(logging.Handler):
    """In `mkdocs serve`: MkDocs' own warnings and errors (a broken link, a missing anchor), which a
    strict build would refuse, for the preview's banner. The check's diagnostics come separately."""

    def __init__(self, build: SiteBuild) -> None:
        super().__init__(logging.WARNING)
        self.build = build

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == log.logger.name or not self.build.collecting:
            return
        text = record.getMessage().strip()
        if "Aborted with" not in text:
            self.build.problems.append(preview_problems.Problem(record.levelname.lower(), "", text))


class SiteBuild:
    """The state of one build, and every step the hooks add to it."""

    def __init__(self) -> None:
        self.command = "build"
        self.preview_log: _PreviewLog | None = None
        self.reset()

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def reset(self) -> None:
        previous = getattr(self, "collector", None)
        if previous is not None:  # the garbage collector's settings of a build end with it
            garbage_collection.restore(previous)
        self.collector: tuple[int, int, int] | None = None
        self.config: Config | None = None
        if getattr(self, "check", None) is not None:
            self.check.close()
        self.check: CheckRun | None = None  # the check, page by page while the pages render
        self.report: Report | None = None  # once every page is checked (``_complete``)
        self.labels: dict | None = None
        self.errors = 0
        self.views: dict[str, page_view.PageView] = {}
        self.order: list = []  # `build`: the files in MkDocs' order, while the site-wide pages wait to render
        self.site_wide: set[str] = set()  # `build`: the pages made from every page (``_site_wide``)
        self._site_config = None  # `build`: MkDocs' config until the generated files are started (``_complete``)
        self.heads = DeferredHtml("page-head")
        self.footers = DeferredHtml("page-history")
        self.reference_lists = DeferredHtml("reference-list")
        self.figures = DeferredHtml("out-of-100")  # the patients' icon arrays under "How well it works"
        self.endings = DeferredHtml("page-ending")  # change log and "Cite this page"
        # a condition page's table of treatments: added after search has read the page (it repeats the
        # therapy pages' own data, and with every condition page listing every therapy for it, it would
        # be most of the search index); each therapy's row is made once per build and folder
        self.treatments = DeferredHtml("treatments")
        self.condition_rows: dict[tuple[str, str, bool], str] = {}
        self.by_condition: dict[str, list[page_view.PageView]] | None = None
        self.formatted: dict[str, str] = {}  # key -> the reference as HTML, once per build
        self.full_content: dict[str, str] = {}  # src -> content while search reads it without citations
        self.terms: list[glossary.Term] = []
        if hasattr(self, "background"):  # (a build that stopped half way: its files are not needed)
            self.background.discard()
        else:
            self.background = BackgroundFiles()
        self.page_checks: html_allowlist.PageChecks | None = None
        self.search: SearchInWorkers | None = None  # `build` of a large site: search reads pages in workers
        self.history: dict[str, dt.date] = {}
        self.sidebar = BoundedSidebar(nav_window.DEFAULT_SIZE)
        self.problems: list[preview_problems.Problem] = []  # `serve` only: what the pages' banner lists
        self.collecting = False
        self.banner = ""
        self.written: list[str] = []  # `serve` only: the pages written with self.banner

    # 1. startup
    def startup(self, command: str, dirty: bool) -> None:
        self.command = command
        if self.serving and self.preview_log is None:
            self.preview_log = _PreviewLog(self)
            logging.getLogger("mkdocs").addHandler(self.preview_log)

    def guarded(self, method):
        """In `serve`, a step that fails is shown (terminal and page) and the preview goes on without
        it; in `build` it fails the build as before."""

        @functools.wraps(method)
        def run(*args, **kwargs):
            if not self.serving:
                return method(*args, **kwargs)
            try:
                return method(*args, **kwargs)
            except Exception as exc:  # the preview must keep serving
                self._stopped(method.__name__, exc)
                return args[0] if args else None

        return run

    def _stopped(self, step: str, exc: Exception) -> None:
        expected = isinstance(exc, (PluginError, ConfigError, Abort))
        message = str(exc) if expected else f"{type(exc).__name__}: {exc} (a fault in hooks/: please report it)"
        log.error(f"the preview's '{step}' step stopped: {message}", exc_info=None if expected else exc)
        self.problems.append(preview_problems.Problem("error", "", message))

    # 2. config
    @event_priority(100)
    def wrap_bibtex(self, config):
        """Before mkdocs-bibtex: install the engine's registry and stop the plugin parsing
        references.bib itself (pybtex raises a traceback on a duplicate key; the engine reports
        it as a diagnostic). The bibliography is the one in [tool.kb]; the plugin must agree."""
        self.reset()
        self.collector = garbage_collection.fewer_full_collections()
        if not self.serving:
            return self._wrap_bibtex(config)
        self.collecting = True
        for handler in list(logging.getLogger("mkdocs").handlers):  # strict mode's warning counter:
            if type(handler).__name__ == "CountHandler":  # its abort would leave the server stuck
                logging.getLogger("mkdocs").removeHandler(handler)
        config.strict = False
        try:
            return self._wrap_bibtex(config)
        except Exception as exc:  # e.g. references.bib missing: shown, and the preview goes on
            self._stopped("configuration", exc)
            plugin = config.plugins.get("bibtex")
            if plugin is not None:  # (the same plugin object across rebuilds: it may hold the last registry)
                if not isinstance(plugin.registry, EngineRegistry):
                    plugin.registry = EngineRegistry({}, plugin.config.footnote_format)
                events = config.plugins.events["config"]  # its own on_config would stat a missing file
                for index, method in enumerate(events):
                    if getattr(method, "__self__", None) is plugin:
                        events[index] = lambda config: config
            return config

    def _wrap_bibtex(self, config):
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

            bib, bib_diags = bib_mod.load(root, self.config.bibliography, bib_mod.cache_dir(root))
            if bib.missing:  # one clear error (the check's), not the plugin's traceback
                raise PluginError(bib_diags[0].format_text())
            plugin.registry = EngineRegistry(bib.entries, plugin.config.footnote_format)
            plugin.last_configured = float("inf")  # its on_config then returns early: "no changes in bibfiles"
        self.terms = glossary.load(root / glossary.DATA_FILE)
        return config

    def configure(self, config):
        """Folder navigation, and the history dates of pages (from git)."""
        if self.config is None:  # `serve` only: the configuration step failed and was reported
            return config
        if config.nav:
            config.nav = site_nav.expand(config.nav, Path(config.docs_dir))
        self.history = page_history.last_changed(self.config.root, Path(config.docs_dir).name)
        return config

    # 3. pre_build
    def run_check(self, config) -> None:
        """`serve` checks every page here, at once (forking beside its server threads is unsafe);
        `build` starts the check when it knows the order in which MkDocs reads the pages (``add_generated``)."""
        if self.config is None:  # `serve` only: the configuration step failed and was reported
            return
        if "SOURCE_DATE_EPOCH" not in os.environ:  # sitemap dates and gzip headers follow the content
            epoch = page_history.last_commit_epoch(self.config.root)
            if epoch is not None:
                os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        if self.serving:
            self.check = CheckRun(self.config, build_date(), use_cache=True)
            self._complete()

    def _complete(self) -> Report:
        """Every page checked: the report's diagnostics logged (path:line order), every page's view
        made, and (in `build`) the generated files started in a forked process. Once per build."""
        if self.report is not None:
            return self.report
        assert self.check is not None
        self.report = self.check.report()
        reports = 0
        for diag in sorted(self.report.all_diagnostics(), key=lambda d: (d.path, d.line, d.col, d.rule_id)):
            level = diag.severity.log_level
            self.errors += diag.is_error
            if self.serving and level == "info":  # the preview lists what needs fixing, not every report entry
                reports += 1
                continue
            getattr(log, level)(diag.format_text())
            if self.serving:  # (in place of the same message from a step that stopped on it)
                self.problems = [p for p in self.problems if p.text != diag.format_text()]
                self.problems.append(preview_problems.Problem(diag.severity.value, diag.location(),
                                                              f"{diag.rule_id} {diag.message}", diag.hint))
        if reports:
            log.info(f"{reports} report entr{'y' if reports == 1 else 'ies'} (overdue reviews, uncited references, "
                     "…) not shown here: `make check` lists them")
        if "SOURCE_DATE_EPOCH" not in os.environ:  # not a git checkout: the latest review date
            os.environ["SOURCE_DATE_EPOCH"] = str(self._latest_review_epoch())
        self.views = {rel: view for rel in self.report.pages if (view := self._view(rel)) is not None}
        if self._site_config is not None:  # all but the claim register: made here, now
            self.background.start(self._generated_makers(self.report, self._site_config), fork=True,
                                  here=[uri for uri in GENERATED if uri != CLAIMS_FILE])
            self._site_config = None
        return self.report

    def _view(self, rel: str) -> page_view.PageView | None:
        """The page's view (title, grades, review dates…) once its check is in; None for pages that are
        not clinical (the engine decides which those are)."""
        view = self.views.get(rel)
        if view is not None or self.check is None:
            return view
        page = self.check.page(rel)
        if page is None or not (page.clinical and page.data):
            return None
        if self.labels is None:
            self.labels = schema_labels(str(self.config.schema))
        ids = {h.line: h.attrs["id"] for h in (page.doc.headings if page.doc else []) if h.attrs.get("id")}
        view = self.views[rel] = page_view.page_view(rel, page.data, self.labels, page.review, self.check.reviewers,
                                                     page_view.section_dates(page.sections, ids))
        return view

    def _checked(self, rel: str) -> Page | None:
        return self.check.page(rel) if self.check is not None else None

    def _latest_review_epoch(self) -> int:
        assert self.report is not None
        dates = [p.review.last_reviewed for p in self.report.pages.values() if p.review]
        return int(dt.datetime.combine(max(dates), dt.time(), dt.UTC).timestamp()) if dates else 0

    # 4. files
    def add_generated(self, files, config):
        """The generated pages and files, and in `build` the check. `build` checks the pages in worker
        processes in the order MkDocs reads them, while they render (each page waits for its own
        result, never for the whole site); pages made from the whole site (the home page's way in, a
        section's list of pages, the therapy comparison) are read after the others, when every page
        is checked. The generated files are made once every page is checked (the claim register in a
        forked process, hooks/render/background.py); `serve` makes them here."""
        if self.config is None:  # `serve` only: the configuration step failed and was reported
            return files
        if self.serving:
            for uri, make in self._generated_makers(self._complete(), config).items():
                files.append(File.generated(config, uri, content=whole(make())))
            return files
        self.order = list(files)
        site_wide = [f for f in self.order if _site_wide(f)]
        self.site_wide = {f.src_uri for f in site_wide}
        for file in site_wide:
            files.remove(file)  # (MkDocs reads the pages in the collection's order)
            files.append(file)
        reading = {f.src_uri: index for index, f in enumerate(files.documentation_pages())}
        self.check = CheckRun(self.config, build_date(), workers=default_workers(), use_cache=True,
                              first=lambda rel: reading.get(rel, len(reading)))
        search_plugin = config.plugins.get("material/search")
        if self.check.executor is not None and search_plugin is not None and hasattr(search_plugin, "search_index"):
            # when the pages are written the workers have checked them all: they read them for search
            self.search = SearchInWorkers(search_plugin.search_index, self.check.executor)
            self.search.install()
        # the claim register (tens of megabytes at thousands of pages) is written straight into the site by
        # the forked process while the last pages render, and waited for when the build ends; MkDocs
        # leaves a file that is already where it belongs as it is
        register = Path(config.site_dir) / CLAIMS_FILE
        register.parent.mkdir(parents=True, exist_ok=True)
        register.write_bytes(b"")
        paths = self.background.plan(GENERATED, {CLAIMS_FILE: register})
        for uri, path in paths.items():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        self._site_config = config
        return files

    def _generated_makers(self, report: Report, config) -> dict[str, Callable[[], str | bytes | Iterator[str]]]:
        site_url = config.site_url or "https://example.invalid/"
        terms = self.terms

        def review() -> str:
            return (LOW_SEARCH_BOOST + "# Review-due report\n\n" + review_report.as_markdown(report, link_prefix="../")
                    + "\nThe same report as JSON: `make review-report FORMAT=json`.\n")

        def claims() -> Iterator[str]:  # (tens of megabytes at thousands of pages: written as it is encoded)
            return claim_register.compact_json(report)

        def search_terms_json() -> str:
            found = [(self._page_url("", rel).lstrip("/"), str(page.data.get("title", rel)),
                      str(page.data.get("type", "")), search_terms.page_terms(page.data))
                     for rel, page in report.pages.items() if page.clinical and page.data]
            return search_terms.terms_json(found)

        def feed() -> str | bytes:
            changes = self._all_changes()
            return living_mod.feed_xml(changes, site_url, lambda rel: self._page_url(site_url, rel),
                                       changes[0].date if changes else build_date())

        makers = {
            REVIEW_PAGE: review,
            GLOSSARY_PAGE: lambda: LOW_SEARCH_BOOST + glossary.page_markdown(terms),
            BIBLIOGRAPHY_PAGE: lambda: bibliography_page.page_markdown(report, "../" + CLAIMS_FILE),
            CLAIMS_FILE: claims,
            search_terms.FILE: search_terms_json,
            living_mod.WHATS_NEW_PAGE: lambda: LOW_SEARCH_BOOST + living_mod.whats_new_markdown(self._all_changes()),
            living_mod.FEED_FILE: feed,
        }
        assert list(makers) == list(GENERATED)
        return makers

    def wait_for_generated(self, page, config, files):
        """Before the first generated page is read: every page is checked and the generated pages are
        written (``_complete``)."""
        if page.file.src_uri in GENERATED and self.check is not None:
            self._complete()

    def before_copying(self, env, config, files):
        """Every page is read: every page is checked, and the generated files are made before they
        are copied into the site (search-terms.json, feed.xml; the claim register is on its way)."""
        if self.check is not None:
            self._complete()
        if self.order:  # the pages are written, indexed and listed in the sitemap in MkDocs' own order
            generated = [f for f in files if f.generated_by]
            for file in [*self.order, *generated]:
                files.remove(file)
                files.append(file)
            self.order = []
        return env


    def _all_changes(self) -> list[living_mod.Change]:
        assert self.report is not None
        out = [c for rel, page in self.report.pages.items() if page.clinical
               for c in living_mod.changes_of(rel, page.data)]
        return sorted(out, key=lambda c: (c.date, c.page, c.kind), reverse=True)

    @staticmethod
    def _page_url(site_url: str, rel: str) -> str:
        """The address of docs/rel as MkDocs publishes it (directory URLs)."""
        path = rel.removesuffix(".md")
        path = "" if path == "index" else path.removesuffix("/index") + "/"
        return site_url.rstrip("/") + "/" + path

    # 5. nav
    def plan_navigation(self, nav, config, files):
        self.sidebar = BoundedSidebar(self.config.nav_window if self.config else nav_window.DEFAULT_SIZE)
        self.sidebar.plan(nav)
        return nav

    # 6. page_markdown
    @event_priority(70)  # before the citations (50): generated tables may cite [@key]
    def page_head(self, markdown: str, page, config, files) -> str:
        src = page.file.src_uri
        if self.report is None and self.check is not None and self.check.ready():
            self._complete()  # (as soon as the last page is checked: the generated files start then)
        if src in self.site_wide:  # made from every page's view
            self._complete()
        views = self.views.values()
        if src == "therapies/index.md":
            markdown = markdown.replace(site_tables.COMPARISON_MARKER, site_tables.comparison_markdown(views, src))
            markdown = markdown.replace(site_tables.MAP_MARKER, site_tables.evidence_map_markdown(views, src))
        if site_tables.SECTION_PAGES_MARKER in markdown:
            markdown = markdown.replace(site_tables.SECTION_PAGES_MARKER,
                                        site_tables.section_pages_markdown(views, src))
        if way_in.MARKER in markdown and self.report is not None:
            noticed = {rel: [str(n) for n in p.data.get("noticed") or []]
                       for rel, p in self.report.pages.items() if isinstance(p.data.get("noticed"), list)}
            markdown = markdown.replace(way_in.MARKER, way_in.way_in_markdown(views, noticed, src))
        view = self._view(src)
        if view is None:  # views exist for clinical pages only (the engine decides which those are)
            return markdown
        if view.page_type == "therapy":  # the therapy page is the first answer to a search for its name
            page.meta.setdefault("search", {}).setdefault("boost", 2)
        grades_file = files.get_file_from_path(GRADES_PAGE)
        grades = grades_file.url_relative_to(page.file) if grades_file else ""
        checked = self._checked(src)
        noticed = [str(n) for n in checked.data.get("noticed") or []] if checked is not None else []
        marker = self.heads.defer(src, review_box.page_head_html(view, grades, noticed))
        markdown = review_box.insert_under_title(markdown, marker)
        if view.regulatory:
            markdown = review_box.insert_after_heading(markdown, "## Regulatory status",
                                                       site_tables.regulatory_markdown(view))
        if view.page_type == "condition":
            markdown = review_box.insert_after_heading(markdown, "## Treatments", self._treatments(page, files))
        data = checked.data if checked is not None else {}
        if view.page_type == "therapy":
            markdown = self._with_outcomes(markdown, src, view, data)
        changes = living_mod.changes_of(src, data)
        url = self._page_url(config.site_url or "https://example.invalid/", src)
        ama, bibtex = living_mod.cite_text(view.title, url, data, changes, build_date())
        ending = living_mod.changes_html(changes, self._short_reference) + "\n" + living_mod.cite_html(ama, bibtex)
        return markdown.rstrip("\n") + "\n\n" + self.endings.defer(src, ending) + "\n"

    def _treatments(self, page, files) -> str:
        """The condition page's table of treatments, as a marker for the HTML added after search (made
        from every therapy page's view: by then every page is checked)."""
        src = page.file.src_uri
        folder = (posixpath.dirname(src), page.file.name == "index")  # pages that link to others alike

        def row(therapy) -> str:
            key = (therapy.rel, *folder)
            if key not in self.condition_rows:
                target = files.get_file_from_path(therapy.rel)
                href = target.url_relative_to(page.file) if target else therapy.rel
                self.condition_rows[key] = self._annotated(site_tables.condition_row_html(therapy, href))
            return self.condition_rows[key]

        def table() -> str:
            self._complete()
            if self.by_condition is None:
                self.by_condition = site_tables.therapies_by_condition(self.views.values())
            matching = site_tables.therapies_for_condition(self.views[src], self.by_condition)
            if not matching:  # (with the blank line Markdown left after it)
                return site_tables.NO_THERAPY_YET + "\n"
            head = self.condition_rows.get(("", "", False))
            if head is None:
                head = self.condition_rows[("", "", False)] = self._annotated(site_tables.CONDITION_TABLE_HEAD)
            return site_tables.condition_table_html(matching, row, head)

        return self.treatments.defer(src, table)

    def _annotated(self, html_text: str) -> str:
        return glossary.annotate_html(html_text, self.terms) if self.terms else html_text

    def _with_outcomes(self, markdown: str, src: str, view, data: dict) -> str:
        """Under "How well it works": the patients' "out of 100" icon arrays, then the clinicians' summary
        of findings (Markdown, so its citations join the page's reference list)."""
        found = outcomes_mod.outcomes_of(data)
        # "JAK inhibitors for alopecia areata" -> "JAK inhibitors"; "Dutasteride (…)" -> "Dutasteride"
        name = view.title.split(" (", 1)[0].split(" for ", 1)[0]
        figures = outcomes_mod.icon_arrays_html(found, name)
        note = str(data.get("outcomes_note", ""))
        if not figures and note:
            figures = outcomes_mod.no_numbers_html(note)
        block = self.figures.defer(src, figures) if figures else ""
        table = outcomes_mod.sof_markdown(found, name)
        if table:
            block += ("\n\n### Summary of findings (for clinicians) { #summary-of-findings }\n\n"
                      "<!-- generated from the page's outcomes data -->\n\n" + table)
        return review_box.insert_after_heading(markdown, "## How well it works", block) if block else markdown

    def _short_reference(self, key: str) -> str:
        entry = self.check.bibliography.entries.get(key) if self.check else None
        if entry is None:
            return html.escape(key)
        first = entry.get("author").split(" and ")[0].split(",")[0].strip("{} ") or key
        return html.escape(f"{first} {entry.get('year')}".strip())

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
        self._check_rendered_html(page, html_text)
        html_text = self._citations(html_text, page, config)
        html_text = self.heads.fill(src, html_text)
        html_text = self.footers.fill(src, html_text)
        if src == BIBLIOGRAPHY_PAGE and bibliography_page.MARKER in html_text and self.check is not None:
            report = self._complete()

            def url_for(rel: str) -> str:
                target = files.get_file_from_path(rel)
                return target.url_relative_to(page.file) if target else rel

            html_text = html_text.replace(bibliography_page.MARKER, bibliography_page.list_html(report, url_for))
        # the icon arrays, the change log and "Cite this page", and the glossary's tooltips are added when
        # search has read the page (on_page_context): a hundred SVG circles a figure, a page's history and a
        # definition for every term are not what a reader searches for, and they were a third of the markup
        # that search parsed
        return html_text

    def _check_rendered_html(self, page, html_text: str) -> None:
        """Second line of content safety: what Markdown made of the page, against the allow-list (nh3).
        In `build` the check's workers check each page while the next ones render (their diagnostics
        are logged in page order when the build ends: ``finish_build``). Generated pages
        are written by the engine, not by editors: not checked."""
        if self.check is None or page.file.generated_by:
            return
        if self.page_checks is None:
            self.page_checks = html_allowlist.PageChecks(self._checked, None if self.serving else self.check.executor)
        self._log_rendered(self.page_checks.submit(page.file.src_uri, html_text))

    def _log_rendered(self, diagnostics) -> None:
        for diag in diagnostics:
            self.errors += diag.is_error
            getattr(log, diag.severity.log_level)(diag.format_text())

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
                    record = self.check.sources.get(key) if self.check else None
                    status = source_notes.status_html(record)
                    self.formatted[key] = glossary.annotate_html(
                        reference_html(entry) + (" " + status if status else ""), self.terms)
            return self.formatted[key]

        src = page.file.src_uri

        def with_excerpts(key: str) -> str:
            record = self.check.sources.get(key) if self.check else None
            checked = self._checked(src)
            claims = checked.claims if checked is not None else []
            quotes = source_notes.excerpts_html(record, source_notes.relied_on(claims, key))
            return formatted(key) + ("<br>" + quotes if quotes else "")

        html_text, uses = number_markers(html_text)
        footnotes = config.mdx_configs.get("footnotes", {})
        title = footnotes.get("BACKLINK_TITLE", "Jump back to footnote %d in the text")
        # made when search has read the page: the lists of all pages never wait in memory at once
        marker = self.reference_lists.defer(page.file.src_uri, lambda: list_html(uses, with_excerpts, title))
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
        """The page's parts that search does not read: icon arrays, change log and "Cite this page",
        glossary tooltips, the reference list and a condition page's table of treatments."""
        src = page.file.src_uri
        content = self.full_content.pop(src, page.content)
        content = self.endings.fill(src, self.figures.fill(src, content))
        if self.terms:
            content = glossary.annotate_html(content, self.terms)
        content = self.reference_lists.fill(src, content)
        if self.treatments.waiting(src):  # (Markdown leaves a blank line after the marker, not after a table)
            content = self.treatments.fill(src, content.replace(self.treatments.marker + "\n\n",
                                                                self.treatments.marker + "\n", 1))
        page.content = content
        return context

    # 9. post_page
    @event_priority(-100)  # last, after every other change to the page: the hashes cover the final scripts
    def finish_page(self, output: str, page, config) -> str:
        feed = "../" * page.url.count("/") + living_mod.FEED_FILE  # directory URLs: one level a slash
        link = f'<link rel="alternate" type="application/atom+xml" title="What\'s new" href="{feed}">'
        output = output.replace("</head>", link + "\n</head>", 1)
        output = csp.add_meta(self._with_structured_data(output, page, config))
        if not self.serving:  # the page is written next and MkDocs never reads its HTML again: with
            page.content = None  # thousands of pages, keeping every page's HTML to the end is most of the memory
        return output

    def _with_structured_data(self, output: str, page, config) -> str:
        src = page.file.src_uri
        view = self._view(src)
        checked = self._checked(src)
        if view is None or checked is None:
            return output
        url = (config.site_url or "/").rstrip("/") + "/" + page.url
        data = page_view.structured_data(view, url, list(checked.cited_keys), self.check.bibliography)
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        return output.replace("</head>", f'<script type="application/ld+json">{payload}</script>\n</head>', 1)

    @event_priority(-110)  # after finish_page: the banner is the preview's, never part of the site
    def preview_banner(self, output: str, page, config) -> str:
        if not self.serving:
            return output
        self.banner = preview_problems.banner_html(self.problems)
        self.written.append(page.file.abs_dest_path)
        return preview_problems.insert(output, self.banner)

    # 10. post_build
    @event_priority(50)  # before the search plugin writes its index
    def finish_search(self, config) -> None:
        """The pages the workers read for search: their entries in the index, in page order."""
        search, self.search = self.search, None
        if search is not None:
            try:
                search.finish()
            except RuntimeError as exc:  # a worker stopped
                raise PluginError(str(exc)) from exc

    @event_priority(-100)  # last: a warning logged by another post_build step is in the preview's banner too
    def finish_build(self, config) -> None:
        """The rendered pages' checks (made by the workers while the pages were written) are logged in
        page order, the claim register is waited for, and the build fails on any error."""
        try:
            if self.page_checks is not None:
                self._log_rendered(self.page_checks.results())
            self.background.wait()  # the claim register, written into the site by the forked process
        except RuntimeError as exc:  # a worker or the forked process stopped
            raise PluginError(str(exc)) from exc
        if self.check is not None:
            self.check.close()
        errors, command = self.errors, self.command
        if self.serving:
            self._finish_preview()
        self.reset()
        if errors and command == "build":
            raise Abort(f"Aborted: the content check found {errors} error(s).")

    def _finish_preview(self) -> None:
        """Problems found after the pages were written (MkDocs checks anchors last) reach them too."""
        self.collecting = False
        banner = preview_problems.banner_html(self.problems)
        if banner != self.banner:
            for dest in self.written:
                path = Path(dest)
                try:
                    path.write_text(preview_problems.insert(path.read_text(encoding="utf-8"), banner), encoding="utf-8")
                except OSError:
                    continue
        if self.problems:
            errors = sum(1 for p in self.problems if p.severity == "error")
            log.warning(f"the preview goes on with {errors} error(s) and {len(self.problems) - errors} warning(s) "
                        "(listed above and at the top of every page); `make build` would fail until they are fixed")

    # serve
    def watch(self, server, config, builder):
        """Rebuild when anything the build reads changes, not only docs/ and mkdocs.yml: references.bib
        and pyproject.toml (the project folder itself, not recursively), data/, schema/, overrides/."""
        root = Path(config.config_file_path).resolve().parent
        paths = {root: False}
        try:
            settings = Config.load(root)
            paths[settings.bibliography.parent] = False
            paths[settings.schema.parent] = True
            paths[settings.reviewers.parent] = True
        except (ConfigError, OSError):
            pass
        for folder in ("data", "schema", "overrides"):
            paths[root / folder] = True
        custom_dir = config.theme.custom_dir if hasattr(config.theme, "custom_dir") else None
        if custom_dir:
            paths[Path(custom_dir)] = True
        for path, recursive in paths.items():
            if path.is_dir() and path.resolve() != Path(config.docs_dir).resolve():
                server.watch(str(path), recursive=recursive)
        return server


_build = SiteBuild()

_guard = _build.guarded  # in `serve` a failing step is shown, not fatal; `build` is unchanged

on_startup = _build.startup
on_config = CombinedEvent(_build.wrap_bibtex, _guard(_build.configure))
on_pre_build = _guard(_build.run_check)
on_files = _guard(_build.add_generated)
on_nav = _guard(_build.plan_navigation)
on_pre_page = _guard(_build.wait_for_generated)
on_env = _guard(_build.before_copying)
on_page_markdown = CombinedEvent(_guard(_build.page_head), _guard(_build.history_line),
                                 _guard(_build.hide_code_from_bibtex), _guard(_build.restore_code))
on_page_content = _guard(_build.page_content)
on_page_context = CombinedEvent(_guard(_build.before_search), _guard(_build.bounded_sidebar),
                                _guard(_build.after_search))
on_post_page = CombinedEvent(_guard(_build.finish_page), _build.preview_banner)
on_post_build = CombinedEvent(_guard(_build.finish_search), _guard(_build.finish_build))
on_serve = _guard(_build.watch)
