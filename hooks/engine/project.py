"""One check over the whole project: configuration, pages, bibliography, cross-references.

The MkDocs hooks, the command line and the tests all call :func:`check_project`.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import bibliography as bib_mod
from . import claims as claims_mod
from . import content_safety, frontmatter, internal_links, markdown_blocks, readability, review_dates
from . import reviewers as reviewers_mod
from .diagnostics import Diagnostic
from .page_cache import PageCache, context_digest
from .source import display_path, read


@dataclass(frozen=True)
class Config:
    root: Path
    docs_dir: Path
    bibliography: Path
    schema: Path
    reviewers: Path
    clinical_dirs: tuple[str, ...] = ("therapies", "conditions", "claims")
    review_interval_months: int = 12
    readability_max_grade: float = 8.0

    @classmethod
    def load(cls, root: Path) -> Config:
        root = root.resolve()
        settings: dict[str, Any] = {}
        pyproject = root / "pyproject.toml"
        if pyproject.exists():
            settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("kb", {})
        return cls(
            root=root,
            docs_dir=root / settings.get("docs_dir", "docs"),
            bibliography=root / settings.get("bibliography", "references.bib"),
            schema=root / settings.get("schema", "schema/frontmatter.schema.json"),
            reviewers=root / settings.get("reviewers", "data/reviewers.yml"),
            clinical_dirs=tuple(settings.get("clinical_dirs", cls.clinical_dirs)),
            review_interval_months=int(settings.get("review_interval_months", 12)),
            readability_max_grade=float(settings.get("readability_max_grade", 8)),
        )

    def is_clinical(self, rel: str) -> bool:
        """Pages under a clinical folder are clinical, except the folder's own landing page (index.md),
        which lists pages and makes no claims of its own."""
        folder, _, rest = rel.partition("/")
        return folder in self.clinical_dirs and rest not in ("", "index.md")


@dataclass(frozen=True)
class ExemptionRecord:
    path: str
    line: int
    reason: str


@dataclass
class Page:
    rel: str  # path inside docs/
    path: str  # path shown in diagnostics
    clinical: bool
    text: str | None = None
    meta: frontmatter.FrontMatter | None = None
    doc: markdown_blocks.Document | None = None
    claims: list[claims_mod.Claim] = field(default_factory=list)
    cited_keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    review: review_dates.ReviewDue | None = None


@dataclass
class Report:
    config: Config
    today: dt.date
    bibliography: bib_mod.Bibliography
    pages: dict[str, Page] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # project-level (bibliography)

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
        return out

    @property
    def reviews(self) -> list[review_dates.ReviewDue]:
        return sorted((p.review for p in self.pages.values() if p.review), key=lambda r: (r.next_due, r.path))


def _blank_front_matter(text: str, body_start: int) -> str:
    lines = text.split("\n")
    for index in range(min(body_start - 1, len(lines))):
        lines[index] = ""
    return "\n".join(lines)


def _section_chain(headings: list[markdown_blocks.Heading], line: int) -> list[markdown_blocks.Heading]:
    """Headings enclosing a line, innermost first."""
    chain: list[markdown_blocks.Heading] = []
    level = 7
    for heading in reversed([h for h in headings if h.line < line]):
        if heading.level < level:
            chain.append(heading)
            level = heading.level
    return chain


def _analyse_front_matter(config: Config, page: Page, today: dt.date, reviewers: set[str],
                          bib_keys: set[str]) -> dt.date | None:
    """Validate front matter and review dates; return the page's review date."""
    meta = page.meta
    assert meta is not None
    if not meta.present:
        page.diagnostics.append(Diagnostic(page.path, 1, 1, "FM-MISSING", "clinical page has no front matter"))
        return None
    page.diagnostics.extend(frontmatter.validate(page.path, meta, str(config.schema)))
    review = meta.data.get("review") if isinstance(meta.data.get("review"), dict) else {}
    page_date = None
    dates: dict[str, dt.date] = {}
    for name in ("last_reviewed", "evidence_current_to"):
        if name in review:
            line, col = meta.line_of(("review", name))
            day, diags = review_dates.check_date(page.path, line, col, f"review.{name}", review[name], today)
            page.diagnostics.extend(diags)
            if day:
                dates[name] = day
    if "last_reviewed" in dates and "evidence_current_to" in dates \
            and dates["evidence_current_to"] > dates["last_reviewed"]:
        line, col = meta.line_of(("review", "evidence_current_to"))
        page.diagnostics.append(Diagnostic(page.path, line, col, "REVIEW-ORDER",
                                           "evidence_current_to is later than last_reviewed"))
    page_date = dates.get("last_reviewed")
    if page_date:
        page.review = review_dates.due(page.path, page_date, today, config.review_interval_months)
        if page.review.overdue:
            line, col = meta.line_of(("review", "last_reviewed"))
            page.diagnostics.append(review_dates.overdue_diagnostic(
                page.path, line, col, "page", page.review, config.review_interval_months))
    reviewed_by = review.get("reviewed_by")
    for index, reviewer in enumerate(reviewed_by if isinstance(reviewed_by, list) else []):
        if str(reviewer) not in reviewers:
            line, col = meta.line_of(("review", "reviewed_by", index))
            page.diagnostics.append(Diagnostic(page.path, line, col, "FM-REVIEWER-UNKNOWN",
                                               f"reviewer '{reviewer}' is not in data/reviewers.yml"))
    regulatory = meta.data.get("regulatory")
    if isinstance(regulatory, dict):
        for jurisdiction, entry in regulatory.items():
            refs = entry.get("refs") if isinstance(entry, dict) else None
            for index, key in enumerate(refs if isinstance(refs, list) else []):
                if str(key) not in bib_keys:
                    line, col = meta.line_of(("regulatory", jurisdiction, "refs", index))
                    page.diagnostics.append(Diagnostic(page.path, line, col, "FM-REF-UNKNOWN",
                                                       f"no entry '{key}' in references.bib"))
                else:
                    page.cited_keys.setdefault(str(key), meta.line_of(("regulatory", jurisdiction, "refs", index)))
    return page_date


def _claim_dates(page: Page, page_date: dt.date | None, today: dt.date, interval: int,
                 bib: bib_mod.Bibliography) -> None:
    assert page.doc is not None
    overrides: dict[int, dt.date | None] = {}
    for heading in page.doc.headings:
        if review_dates.SECTION_ATTR in heading.attrs:
            value = heading.attrs[review_dates.SECTION_ATTR]
            day, diags = review_dates.check_date(page.path, heading.line, 1,
                                                 f"section '{heading.text}' review date", value, today)
            page.diagnostics.extend(diags)
            overrides[heading.line] = day
            if day:
                due = review_dates.due(page.path, day, today, interval)
                if due.overdue:
                    page.diagnostics.append(review_dates.overdue_diagnostic(
                        page.path, heading.line, 1, f"section '{heading.text}'", due, interval))
    for claim in page.claims:
        date = page_date
        for heading in _section_chain(page.doc.headings, claim.line):
            if heading.line in overrides:
                date = overrides[heading.line]
                break
        claim.review_date = date.isoformat() if date else ""
        chain = _section_chain(page.doc.headings, claim.line)
        claim.section = chain[0].text if chain else ""
        claim.evidence = bib.strongest_evidence(claim.keys)


def _discover(config: Config) -> list[Path]:
    if not config.docs_dir.is_dir():
        return []
    return sorted(p for p in config.docs_dir.rglob("*") if p.is_file())


def _analyse_page(config: Config, file: Path, today: dt.date, reviewers: set[str],
                  bib: bib_mod.Bibliography) -> Page:
    """Everything about one page that does not need the other pages (all but its links)."""
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
    page.doc = markdown_blocks.parse(_blank_front_matter(source.text, body_start))
    bib_keys = set(bib.entries)
    page_date = None
    if page.clinical and page.meta is not None:
        page_date = _analyse_front_matter(config, page, today, reviewers, bib_keys)
    scan = claims_mod.scan_document(page.path, page.doc, page.clinical, bib_keys)
    page.claims = scan.claims
    page.diagnostics.extend(scan.diagnostics)
    for key, where in scan.cited_keys.items():
        page.cited_keys.setdefault(key, where)
    if page.clinical:
        _claim_dates(page, page_date, today, config.review_interval_months, bib)
        page.diagnostics.extend(readability.check(page.path, page.doc, config.readability_max_grade))
    page.diagnostics.extend(content_safety.check(page.path, page.doc, page.text))
    return page


_WORKER: dict[str, Any] = {}  # inherited by forked workers: no need to send the bibliography each time


def _analyse_in_worker(file: Path) -> Page:
    return _analyse_page(_WORKER["config"], file, _WORKER["today"], _WORKER["reviewers"], _WORKER["bib"])


PARALLEL_MIN_PAGES = 64


def _analyse_all(config: Config, files: list[Path], today: dt.date, reviewers: set[str],
                 bib: bib_mod.Bibliography, workers: int, cache: PageCache) -> list[Page]:
    """Pages in file order: from the cache when unchanged, the rest analysed (in parallel with workers > 1)."""
    results: dict[Path, Page] = {}
    keys: dict[Path, str] = {}
    for file in files:
        try:
            data = file.read_bytes()
        except OSError:
            continue
        keys[file] = cache.key(data, file.relative_to(config.docs_dir).as_posix())
        cached = cache.get(keys[file])
        if isinstance(cached, Page):
            results[file] = cached
    missing = [f for f in files if f not in results]
    for page in _analyse_uncached(config, missing, today, reviewers, bib, workers):
        file = config.docs_dir / page.rel
        results[file] = page
        if file in keys:
            cache.put(keys[file], page)
    cache.prune()
    return [results[f] for f in files if f in results]


def _analyse_uncached(config: Config, files: list[Path], today: dt.date, reviewers: set[str],
                      bib: bib_mod.Bibliography, workers: int) -> list[Page]:
    if workers > 1 and len(files) >= PARALLEL_MIN_PAGES and "fork" in multiprocessing.get_all_start_methods():
        _WORKER.update(config=config, today=today, reviewers=reviewers, bib=bib)
        try:
            context = multiprocessing.get_context("fork")
            with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return list(pool.map(_analyse_in_worker, files, chunksize=max(1, len(files) // (workers * 8))))
        except (OSError, concurrent.futures.process.BrokenProcessPool):
            pass  # no processes here (sandbox, limits): do the same work in this process
        finally:
            _WORKER.clear()
    return [_analyse_page(config, f, today, reviewers, bib) for f in files]


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _cache_for(config: Config, today: dt.date, use_cache: bool) -> PageCache:
    def content(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError:
            return b""

    context = context_digest(today.isoformat(), str(config.root), content(config.root / "pyproject.toml"),
                             content(config.schema), content(config.reviewers), content(config.bibliography))
    return PageCache(config.root / ".cache" / "check" if use_cache else None, context)


def check_project(config: Config, today: dt.date | None = None, workers: int = 1,
                  use_cache: bool = False) -> Report:
    """Check every page and the bibliography. workers > 1 analyses pages in parallel processes;
    use_cache reuses results of unchanged pages (.cache/check). The result is the same either way."""
    today = today or dt.date.today()
    bib, bib_diags = bib_mod.load(config.root, config.bibliography,
                                  bib_mod.cache_dir(config.root) if use_cache else None)
    report = Report(config, today, bib, diagnostics=list(bib_diags))
    reviewers = set(reviewers_mod.load(config.reviewers))
    files = _discover(config)
    rel_files = {f.relative_to(config.docs_dir).as_posix() for f in files}
    pages = [f for f in files if f.suffix == ".md"]
    cache = _cache_for(config, today, use_cache)
    for page in _analyse_all(config, pages, today, reviewers, bib, workers, cache):
        report.pages[page.rel] = page
    anchors = {rel: internal_links.anchors_of(p.doc) for rel, p in report.pages.items() if p.doc}
    for rel, page in report.pages.items():  # the one rule that needs every page: links and anchors
        if page.doc is not None and page.text is not None:
            page.diagnostics.extend(internal_links.check(page.path, rel, page.doc, rel_files, anchors))
    cited = {k for p in report.pages.values() for k in p.cited_keys}
    for entry in bib.entries.values():
        if entry.key not in cited:
            report.diagnostics.append(Diagnostic(bib.path, entry.line, 1, "BIB-UNCITED",
                                                 f"'{entry.key}' is cited by no page"))
    return report


def _fallback_body_start(text: str) -> int:
    """Where the body starts when the front matter is broken: after its closing line."""
    _, body_start, closed = frontmatter.split(text)
    return body_start if closed else 1
