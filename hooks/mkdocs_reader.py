"""MkDocs hook: what readers see around the content, rendered from front matter and the bibliography.

Thin adapter over hooks/engine/page_view.py and hooks/engine/site_tables.py:

* on every clinical page, under the title: other names, the evidence badge, the review
  box (dates, status steps, reviewers, overdue warning) and the audience switch;
* under "## Regulatory status": the table of the front matter's regulatory entries;
* under "## Treatments" on condition pages: the therapies for that condition;
* on the therapies landing page: the comparison table and the evidence map;
* in <head>: JSON-LD (schema.org MedicalWebPage) with the same dates the page shows;
* at the end: report-a-problem and suggest-an-edit links, last change from git.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.build_state import report  # noqa: E402
from hooks.engine import csp, page_view, site_tables  # noqa: E402
from hooks.engine import reviewers as reviewers_mod  # noqa: E402
from hooks.engine.deferred_html import DeferredHtml  # noqa: E402
from hooks.engine.frontmatter import schema_labels  # noqa: E402
from hooks.engine.project import Config  # noqa: E402

GRADES_PAGE = "about/evidence-grading.md"
# The head of a clinical page (aliases, review box, audience switch) is ready HTML: it goes in
# after Markdown, so the converter never re-parses it.
_heads = DeferredHtml("page-head")
_views: dict[str, page_view.PageView] = {}
_cited: dict[str, list[str]] = {}


def _long(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not recorded"


def _time(day: dt.date | None) -> str:
    return f'<time datetime="{day.isoformat()}">{_long(day)}</time>' if day else "not recorded"


def on_config(config):
    _views.clear()
    _cited.clear()
    return config


def _load_views(config) -> None:
    current = report()
    if current is None or _views:
        return
    cfg = Config.load(Path(config.config_file_path).resolve().parent)
    labels = schema_labels(str(cfg.schema))
    reviewers = reviewers_mod.load(cfg.reviewers)
    for rel, page in current.pages.items():
        if page.clinical and page.meta is not None and isinstance(page.meta.data, dict):
            _views[rel] = page_view.page_view(rel, page.meta.data, labels, page.review, reviewers)
            _cited[rel] = list(page.cited_keys)


def review_box_html(view: page_view.PageView, grades: str) -> str:
    """The review box; grades is the URL of the evidence-grades page relative to this page."""
    box = view.review
    current = ' aria-current="step"'
    steps = "".join(
        f'<li class="kb-step kb-step-{state}"{current if state == "current" else ""}>'
        f'{html.escape(label)}<span class="kb-visually-hidden"> ({state})</span></li>'
        for _, label, state in box.steps)
    reviewers = ("; ".join(html.escape(f"{r.name}, {r.credentials}") for r in box.reviewers)
                 if box.reviewers else "No clinical reviewer yet")
    lines = [
        f'<aside class="kb-review-box" aria-label="Review and evidence" data-search-exclude data-next-due='
        f'"{box.next_due.isoformat() if box.next_due else ""}" data-status="{html.escape(box.status)}">',
        f'<p class="kb-badges"><a class="kb-evidence kb-evidence-{html.escape(view.evidence)}" href="{grades}" '
        f'title="{html.escape(view.evidence_note)}">Evidence: {html.escape(view.evidence_label)}</a></p>',
        '<dl class="kb-review-facts">',
        f"<dt>Last reviewed</dt><dd>{_time(box.last_reviewed)}</dd>",
        f'<dt>Next review due</dt><dd class="kb-next-due">{_time(box.next_due)}</dd>',
        f"<dt>Literature searched to</dt><dd>{_time(box.evidence_current_to)}</dd>",
        f"<dt>Reviewed by</dt><dd>{reviewers}</dd>",
        "</dl>",
        f'<ol class="kb-steps" aria-label="Clinical review status">{steps}</ol>',
    ]
    if box.status != "approved":
        lines.append(
            '<p class="kb-not-reviewed"><strong>Not yet clinically reviewed.</strong> '
            f"{html.escape(page_view.STATUS_TEXT.get(box.status, page_view.STATUS_TEXT['draft']))} "
            f"The editors checked every statement against the sources it cites (last on {_long(box.last_reviewed)}), "
            "but no clinician has signed it off yet. It is general information, not medical advice: "
            "talk to a doctor about your own situation.</p>")
    overdue_text = (f"This page is overdue for review: the next review was due on {_long(box.next_due)}. "
                    "Some statements may be out of date.")
    lines.append(f'<p class="kb-overdue" role="note"{"" if box.overdue else " hidden"}>'
                 f"<strong>Review overdue.</strong> {html.escape(overdue_text)}</p>")
    lines.append("</aside>")
    return "\n".join(lines)


AUDIENCE_SWITCH = (
    '<div class="kb-audience kb-js-only" role="group" aria-label="Show this page first for" data-search-exclude>'
    '<span class="kb-audience-label">Show first for:</span> '
    '<button type="button" class="kb-audience-button" data-audience="patient" aria-pressed="true">Patients</button> '
    '<button type="button" class="kb-audience-button" data-audience="clinician" aria-pressed="false">'
    "Clinicians</button></div>"
)


def _after_heading(markdown: str, heading: str, block: str) -> str:
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.strip().split(" {", 1)[0] == heading:
            return "\n".join([*lines[: index + 1], "", block, "", *lines[index + 1:]])
    return markdown


@event_priority(70)  # before the citations hook (50): generated tables may cite [@key]
def on_page_markdown(markdown: str, page, config, files) -> str:
    _load_views(config)
    src = page.file.src_uri
    if src == "therapies/index.md":
        markdown = markdown.replace(site_tables.COMPARISON_MARKER,
                                    site_tables.comparison_markdown(_views.values(), src))
        markdown = markdown.replace(site_tables.MAP_MARKER, site_tables.evidence_map_markdown(_views.values(), src))
    if site_tables.SECTION_PAGES_MARKER in markdown:
        markdown = markdown.replace(site_tables.SECTION_PAGES_MARKER,
                                    site_tables.section_pages_markdown(_views.values(), src))
    view = _views.get(src)
    if view is None:  # views exist for clinical pages only (the engine decides which those are)
        return markdown
    if view.page_type == "therapy":  # the therapy page is the first answer to a search for its name
        page.meta.setdefault("search", {}).setdefault("boost", 2)
    head = []
    if view.aliases:
        head.append(f'<p class="kb-aliases">Also known as: {html.escape(", ".join(view.aliases))}</p>')
    grades_file = files.get_file_from_path(GRADES_PAGE)
    grades = grades_file.url_relative_to(page.file) if grades_file else ""
    head.append(review_box_html(view, grades))
    head.append(AUDIENCE_SWITCH)
    marker = _heads.defer(src, "\n".join(head))
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            markdown = "\n".join([*lines[: index + 1], "", marker, "", *lines[index + 1:]])
            break
    else:
        markdown = marker + "\n\n" + markdown
    if view.regulatory:
        markdown = _after_heading(markdown, "## Regulatory status", site_tables.regulatory_markdown(view))
    if view.page_type == "condition":
        markdown = _after_heading(markdown, "## Treatments",
                                  site_tables.therapies_for_condition_markdown(view, _views.values(), src))
    return markdown


def on_page_content(html_text: str, page, config, files) -> str:
    return _heads.fill(page.file.src_uri, html_text)


@event_priority(-100)  # last, after every other change to the page: the hashes cover the final scripts
def on_post_page(output: str, page, config) -> str:
    return csp.add_meta(_with_structured_data(output, page, config))


def _with_structured_data(output: str, page, config) -> str:
    src = page.file.src_uri
    view = _views.get(src)
    current = report()
    if view is None or current is None:
        return output
    url = (config.site_url or "/").rstrip("/") + "/" + page.url
    data = page_view.structured_data(view, url, _cited.get(src, []), current.bibliography)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    script = f'<script type="application/ld+json">{payload}</script>'
    return output.replace("</head>", script + "\n</head>", 1)


def on_post_build(config) -> None:
    _views.clear()
    _heads.clear()
    _cited.clear()
