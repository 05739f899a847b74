"""MkDocs hook: page history from git, and the editors' review-due page.

Thin adapter over hooks/engine (page_history, review_report).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import quote

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.build_state import report  # noqa: E402
from hooks.engine import frontmatter, page_history, review_report  # noqa: E402
from hooks.engine.deferred_html import DeferredHtml  # noqa: E402
from hooks.engine.review_dates import parse_date  # noqa: E402

REVIEW_PAGE = "editors/review-due.md"
_history: dict[str, object] = {}
_footers = DeferredHtml("page-history")  # the history line: ready HTML, added after Markdown


def on_config(config):
    """Also pins MkDocs' build date (sitemap dates, gzip header) to the content: the last commit,
    or without git the latest review date in front matter. The same commit builds byte-identical."""
    docs_dir = Path(config.docs_dir)
    root = Path(config.config_file_path).resolve().parent
    if "SOURCE_DATE_EPOCH" not in os.environ:
        epoch = page_history.last_commit_epoch(root)
        if epoch is None:
            epoch = _latest_review_epoch(docs_dir)
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    _history.clear()
    _footers.clear()
    _history.update(page_history.last_changed(root, docs_dir.name))
    return config


def _latest_review_epoch(docs_dir: Path) -> int:
    """The latest review.last_reviewed in any page's front matter, as seconds since the epoch (0 if none)."""
    dates = []
    for path in sorted(docs_dir.rglob("*.md")):
        meta, _ = frontmatter.parse(str(path), path.read_text(encoding="utf-8", errors="replace"))
        review = meta.data.get("review") if meta is not None and isinstance(meta.data, dict) else None
        day = parse_date(review.get("last_reviewed")) if isinstance(review, dict) else None
        if day:
            dates.append(day)
    return int(dt.datetime.combine(max(dates), dt.time(), dt.UTC).timestamp()) if dates else 0


def on_files(files, config):
    current = report()  # the check ran in on_pre_build (mkdocs_checks.py, listed first)
    if current is None:
        return files
    content = ("# Review-due report\n\n"
               + review_report.as_markdown(current, link_prefix="../")
               + "\nThe same report as JSON: `make review-report FORMAT=json`.\n")
    files.append(File.generated(config, REVIEW_PAGE, content=content))
    return files


@event_priority(60)  # before the citations hook appends the reference list
def on_page_markdown(markdown, page, config, files):
    repo = config.extra.get("repository", "")
    if page.file.generated_by or not repo:
        return markdown
    src = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
    changed = _history.get(src)
    history = f"{repo.rstrip('/')}/commits/main/{src}"
    edit = f"{repo.rstrip('/')}/edit/main/{src}"
    report_url = (f"{repo.rstrip('/')}/issues/new?template=page-is-wrong.yml&page="
                  f"{quote((config.site_url or '') + page.url, safe='')}")
    when = f"Last changed on {changed:%-d %B %Y}" if changed else "Not yet committed"
    marker = _footers.defer(page.file.src_uri, (
        f'<p class="page-history" data-search-exclude>{when} · <a href="{history}">page history</a> · '
        f'<a href="{edit}">suggest an edit</a> · <a href="{report_url}">report a problem</a></p>'))
    return markdown.rstrip("\n") + f"\n\n{marker}\n"


def on_page_content(html_text: str, page, config, files) -> str:
    return _footers.fill(page.file.src_uri, html_text)
