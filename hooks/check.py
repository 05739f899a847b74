"""The check: discover pages, parse each once, run every rule, and return one Report.

parse (hooks/parse) → rules (hooks/rules) → report (hooks/report). The command line and the
tests call :func:`check_project`; the MkDocs hook module runs the same check as a
:class:`CheckRun`, page by page while it renders, and reads the same Report, so a page is
parsed once per build.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import functools
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from hooks import garbage_collection
from hooks.cache import PageCache, context_digest
from hooks.config import Config
from hooks.parse import bibliography as bib_mod
from hooks.parse import frontmatter, markdown, source_records
from hooks.parse import reviewers as reviewers_mod
from hooks.parse.source import display_path, read
from hooks.report.diagnostics import Diagnostic
from hooks.rules import claims as claims_mod
from hooks.rules import numbers as numbers_rule
from hooks.rules import review_dates
from hooks.rules.registry import rule_modules

__all__ = ["CheckRun", "Config", "Page", "PageContext", "ProjectContext", "Report", "check_project", "default_workers"]


@dataclass(frozen=True)
class ExemptionRecord:
    path: str
    line: int
    reason: str
    kind: str = "no-claim"


@dataclass
class Page:
    rel: str  # path inside docs/
    path: str  # path shown in diagnostics
    clinical: bool
    text: str | None = None
    meta: frontmatter.FrontMatter | None = None
    doc: markdown.Document | None = None
    claims: list[claims_mod.Claim] = field(default_factory=list)
    cited_keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    review: review_dates.ReviewDue | None = None
    sections: list[review_dates.SectionReview] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        return self.meta.data if self.meta is not None and isinstance(self.meta.data, dict) else {}

    @property
    def sources_traced(self) -> bool:
        return self.data.get("sources_traced") is True


@dataclass
class PageContext:
    """What a page rule sees: the page as parsed, the project's shared data and today's date.
    Analyses that more than one rule needs are computed once, on first use."""

    config: Config
    page: Page
    today: dt.date
    reviewers: frozenset[str]
    bibliography: bib_mod.Bibliography
    sources: source_records.SourceRecords

    @cached_property
    def claim_scan(self) -> claims_mod.ClaimScan:
        assert self.page.doc is not None
        # a damaged entry is reported once, in references.bib: its key is not "unknown" on pages
        known = set(self.bibliography.entries) | set(self.bibliography.damaged)
        return claims_mod.scan_document(self.page.path, self.page.doc, self.page.clinical, known)

    @cached_property
    def traces(self) -> list[numbers_rule.ClaimTrace]:
        """For each claim (in order): its untraced numbers and the excerpts it relies on."""
        doc = self.page.doc
        return [numbers_rule.trace_claim(claim, self.sources, self.bibliography,
                                         numbers_rule.derived_for(doc, claim.line))
                for claim in self.page.claims]

    @cached_property
    def dates(self) -> review_dates.PageDates:
        return review_dates.resolve(self.page.path, self.page.meta, self.page.doc, self.today,
                                    self.config.review_interval_months)


@dataclass
class Report:
    config: Config
    today: dt.date
    bibliography: bib_mod.Bibliography
    sources: source_records.SourceRecords
    reviewers: dict[str, reviewers_mod.Reviewer] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # project-level (bibliography, records)

    def all_diagnostics(self) -> list[Diagnostic]:
        out = list(self.diagnostics)
        for page in self.pages.values():
            out.extend(page.diagnostics)
        return out

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.all_diagnostics() if d.is_error)

    @property
    def claims(self) -> list[claims_mod.Claim]:
        return [c for page in self.pages.values() for c in page.claims]

    @property
    def exemptions(self) -> list[ExemptionRecord]:
        out = []
        for page in self.pages.values():
            if page.doc and page.clinical:
                out.extend(ExemptionRecord(page.path, e.line, e.reason) for e in page.doc.exemptions if e.reason)
                out.extend(ExemptionRecord(page.path, d.line, f"{d.numbers} | {d.reason}", "derived")
                           for d in page.doc.derived if d.reason)
        return out

    @property
    def reviews(self) -> list[review_dates.ReviewDue]:
        return sorted((p.review for p in self.pages.values() if p.review), key=lambda r: (r.next_due, r.path))


@dataclass
class ProjectContext:
    """What a project rule sees: every page (parsed and checked) and the shared data."""

    report: Report
    files: set[str]  # every file in docs/, relative

    @property
    def config(self) -> Config:
        return self.report.config

    @property
    def pages(self) -> dict[str, Page]:
        return self.report.pages

    @property
    def bibliography(self) -> bib_mod.Bibliography:
        return self.report.bibliography


@functools.cache  # (the rule modules are a folder of the engine: listed and imported once a process)
def _rules(scope: str) -> list[Any]:
    return [m for m in rule_modules() if getattr(m, "SCOPE", "") == scope and hasattr(m, "check")]


def _blank_front_matter(text: str, body_start: int) -> str:
    lines = text.split("\n")
    for index in range(min(body_start - 1, len(lines))):
        lines[index] = ""
    return "\n".join(lines)


def _discover(config: Config) -> list[Path]:
    if not config.docs_dir.is_dir():
        return []
    return sorted(p for p in config.docs_dir.rglob("*") if p.is_file())


def _analyse_page(config: Config, file: Path, today: dt.date, reviewers: frozenset[str],
                  bib: bib_mod.Bibliography, sources: source_records.SourceRecords) -> Page:
    """Parse one page and run every page rule on it (all but the project rules, such as links)."""
    rel = file.relative_to(config.docs_dir).as_posix()
    page = Page(rel, display_path(config.root, file), config.is_clinical(rel))
    source, diags = read(config.root, file)
    page.diagnostics.extend(diags)
    if source is None:
        return page
    page.text = source.text
    meta, fm_diags = frontmatter.parse(page.path, source.text)
    page.diagnostics.extend(fm_diags)
    page.meta = meta
    body_start = meta.body_start_line if meta else _fallback_body_start(source.text)
    page.doc = markdown.parse(_blank_front_matter(source.text, body_start))
    context = PageContext(config, page, today, reviewers, bib, sources)
    page.claims = context.claim_scan.claims
    for key, where in context.claim_scan.cited_keys.items():
        page.cited_keys.setdefault(key, where)
    if page.clinical:
        for key, where in frontmatter.regulatory_refs(meta):
            if key in bib.entries:
                page.cited_keys.setdefault(key, where)
    for module in _rules("page"):
        page.diagnostics.extend(module.check(context))
    if page.clinical:
        _date_claims(context)
    return page


def _date_claims(context: PageContext) -> None:
    page, dates = context.page, context.dates
    for claim, trace in zip(page.claims, context.traces, strict=True):
        claim.relies_on = trace.relies_on
    page.review = dates.review
    page.sections = dates.sections
    assert page.doc is not None
    for claim in page.claims:
        heading = review_dates.section_of(page.doc.headings, claim.line)
        claim.section = heading.text if heading else ""
        day = dates.date_for(page.doc.headings, claim.line)
        claim.review_date = day.isoformat() if day else ""
        claim.evidence = context.bibliography.strongest_evidence(claim.keys)


_WORKER: dict[str, Any] = {}  # the run, set just before forking; inherited by the workers


def _analyse_in_worker(file: Path, cache_key: str | None) -> Page:
    """One page, in a worker; its result is also written to the cache here (in parallel, not by the
    process that waits for it)."""
    run = _WORKER["run"]
    page = run.analyse(file)
    if cache_key is not None:
        run.cache.put(cache_key, page)
    return page


PARALLEL_MIN_PAGES = 64
WORKER_NICENESS = 10  # a worker gives way to the process that started it (the site build renders meanwhile)


def _yield_to_caller() -> None:
    """In a worker: a lower scheduling priority. The build renders the pages in its own process, which
    can use one core only; the workers then take what is left of the cores instead of slowing it."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _cache_for(config: Config, today: dt.date, use_cache: bool, sources: source_records.SourceRecords) -> PageCache:
    def content(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError:
            return b""

    context = context_digest(today.isoformat(), str(config.root), content(config.root / "pyproject.toml"),
                             content(config.schema), content(config.reviewers), content(config.bibliography),
                             sources.digest)
    return PageCache(config.root / ".cache" / "check" if use_cache else None, context)


class CheckRun:
    """One check of the project, page by page: what :func:`check_project` returns, for a caller that
    goes on with other work meanwhile (the site build renders pages while the rest are checked).

    The shared data (bibliography, source records, reviewers) is loaded at once. Pages not in the
    cache are analysed in worker processes (workers > 1, forked, in the order given by ``first``);
    :meth:`page` waits for one page, :meth:`report` for all of them and then runs the project rules.
    With one worker, a page is analysed here when it is first asked for. The Report is the same
    either way, and the same as :func:`check_project`'s."""

    def __init__(self, config: Config, today: dt.date | None = None, workers: int = 1, use_cache: bool = False,
                 first: Callable[[str], Any] | None = None) -> None:
        self.config = config
        self.today = today or dt.date.today()
        self.executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._report: Report | None = None
        self._pages: dict[str, Page] = {}
        self._futures: dict[str, concurrent.futures.Future] = {}
        self._remaining = 0  # pages the workers have not finished
        self._files: list[Path] = []
        self._by_rel: dict[str, Path] = {}  # docs/rel -> file, for every Markdown page
        bib, bib_diags = bib_mod.load(config.root, config.bibliography,
                                      bib_mod.cache_dir(config.root) if use_cache else None)
        self.bibliography = bib
        if bib.missing:  # every citation, reference and record depends on it: its one error, nothing else
            self.sources = source_records.SourceRecords()
            self._report = Report(config, self.today, bib, self.sources, diagnostics=list(bib_diags))
            return
        parsed = not bib.damaged and not any(d.rule_id in ("BIB-PARSE", "BIB-MERGE-CONFLICT") for d in bib_diags)
        # with a damaged bibliography, a record would look unknown: the records are not matched to keys
        self.sources, source_diags = source_records.load(config, set(bib.entries) if parsed else None, self.today)
        self.reviewers = reviewers_mod.load(config.reviewers)
        self._reviewer_ids = frozenset(self.reviewers)
        self._diagnostics = [*bib_diags, *source_diags]
        self._files = _discover(config)
        self.cache = _cache_for(config, self.today, use_cache, self.sources)
        self._keys: dict[str, str] = {}
        for file in self._files:
            if file.suffix != ".md":
                continue
            rel = file.relative_to(config.docs_dir).as_posix()
            self._by_rel[rel] = file
            try:
                data = file.read_bytes()
            except OSError:
                continue  # analysed all the same: reading it is what reports the problem
            self._keys[rel] = self.cache.key(data, rel)
            cached = self.cache.get(self._keys[rel])
            if isinstance(cached, Page):
                self._pages[rel] = cached
        self._cached = set(self._pages)
        missing = [rel for rel in self._by_rel if rel not in self._pages]
        if first is not None:
            missing.sort(key=first)
        if workers > 1 and len(missing) >= PARALLEL_MIN_PAGES and "fork" in multiprocessing.get_all_start_methods():
            self._start_workers(missing, workers)

    def analyse(self, file: Path) -> Page:
        """One page, parsed and checked by every page rule (here or in a worker)."""
        return _analyse_page(self.config, file, self.today, self._reviewer_ids, self.bibliography, self.sources)

    def _start_workers(self, missing: list[str], workers: int) -> None:
        _WORKER["run"] = self
        try:  # (every worker is forked at the first submit: they start with the shared data in memory)
            self.executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_yield_to_caller)
            with garbage_collection.frozen_for_fork():  # (the first submit forks every worker)
                self._submit(missing[0])
            for rel in missing[1:]:
                self._submit(rel)
        except OSError:  # no processes here (sandbox, limits): the same work in this process
            self.close()
        finally:
            _WORKER.clear()

    def _submit(self, rel: str) -> None:
        assert self.executor is not None
        future = self.executor.submit(_analyse_in_worker, self._by_rel[rel], self._keys.get(rel))
        self._remaining += 1
        future.add_done_callback(self._one_done)
        self._futures[rel] = future

    def _one_done(self, _future: concurrent.futures.Future) -> None:
        self._remaining -= 1  # (called by the executor's one thread, one future at a time)

    def ready(self) -> bool:
        """Whether no page still waits for a worker (the report then waits for nothing)."""
        return self._report is not None or self._remaining <= 0

    def page(self, rel: str) -> Page | None:
        """The page at docs/rel as checked (None if it is not a Markdown page of docs/)."""
        if rel in self._pages:
            return self._pages[rel]
        file = self._by_rel.get(rel)  # (once the report is made, every page is in self._pages)
        if file is None:
            return None
        future = self._futures.pop(rel, None)
        page = None
        if future is not None:
            try:
                page = future.result()
                self._cached.add(rel)  # (the worker wrote it to the cache)
            except concurrent.futures.process.BrokenProcessPool:
                page = None  # the worker died (killed, out of memory): this page is analysed here
        if page is None:
            page = self.analyse(file)
        self._pages[rel] = page
        return page

    def report(self) -> Report:
        """Every page checked, then the project rules: the finished Report (made once)."""
        if self._report is not None:
            return self._report
        report = Report(self.config, self.today, self.bibliography, self.sources, self.reviewers,
                        diagnostics=self._diagnostics)
        for file in self._files:
            rel = file.relative_to(self.config.docs_dir).as_posix()
            page = self.page(rel) if rel in self._by_rel else None
            if page is not None:
                report.pages[rel] = page
                if rel in self._keys and rel not in self._cached:
                    self.cache.put(self._keys[rel], page)
        self.cache.prune()
        project = ProjectContext(report, {f.relative_to(self.config.docs_dir).as_posix() for f in self._files})
        for module in _rules("project"):
            report.diagnostics.extend(module.check(project))
        self._report = report
        return report

    def close(self) -> None:
        """Stop the workers (after :meth:`report`, or to abandon the run)."""
        executor, self.executor = self.executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def check_project(config: Config, today: dt.date | None = None, workers: int = 1,
                  use_cache: bool = False) -> Report:
    """Check every page and the bibliography. workers > 1 analyses pages in parallel processes;
    use_cache reuses results of unchanged pages (.cache/check). The result is the same either way."""
    run = CheckRun(config, today, workers, use_cache)
    try:
        return run.report()
    finally:
        run.close()


def _fallback_body_start(text: str) -> int:
    """Where the body starts when the front matter is broken: after its closing line."""
    _, body_start, closed = frontmatter.split(text)
    return body_start if closed else 1
