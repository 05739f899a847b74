"""Site-wide tables generated from front matter: regulatory status, therapies at a glance,
therapies per condition and the evidence map. Markdown out, links relative to the page."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from hooks.render.page_view import PageView

COMPARISON_MARKER = "<!-- kb:therapy-comparison -->"
MAP_MARKER = "<!-- kb:evidence-map -->"
SECTION_PAGES_MARKER = "<!-- kb:section-pages -->"
GRADE_RANK = {"high": 0, "moderate": 1, "low": 2, "very-low": 3}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip() or "—"


def _rel(from_src: str, to_src: str) -> str:
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def _badge(view: PageView) -> str:
    return f'<span class="kb-grade kb-grade-{view.evidence}">{_cell(view.evidence_label)}</span>'


def regulatory_markdown(view: PageView) -> str:
    lines = ["| Jurisdiction | Status | Indication or note | Since | Source |", "| --- | --- | --- | --- | --- |"]
    for row in view.regulatory:
        cite = f"[{'; '.join('@' + r for r in row.refs)}]" if row.refs else "—"
        lines.append(f"| {row.label} | {row.status_label} | {_cell(row.indication)} | {row.since or '—'} | {cite} |")
    return "<!-- generated from this page's front matter -->\n" + "\n".join(lines)


def _therapies(views: Iterable[PageView]) -> list[PageView]:
    return sorted((v for v in views if v.page_type == "therapy"), key=lambda v: v.title.casefold())


def _status(view: PageView, jurisdiction: str) -> str:
    return next((r.status_label for r in view.regulatory if r.jurisdiction == jurisdiction), "—")


def comparison_markdown(views: Iterable[PageView], src: str) -> str:
    therapies = _therapies(views)
    conditions = sorted({c for v in therapies for c in v.conditions}, key=lambda c: c[1])
    options = "".join(f'<option value="{cid}">{label}</option>' for cid, label in conditions)
    out = [
        '<div class="kb-filter kb-js-only"><label for="kb-condition-filter">Show therapies for</label> '
        f'<select id="kb-condition-filter" data-filter-table="kb-comparison"><option value="">all conditions</option>'
        f"{options}</select></div>",
        "",
        '<div class="kb-comparison" id="kb-comparison" markdown>',
        "",
        "| Therapy | Conditions | Evidence | Benefit out of 100 vs placebo | US (FDA) | EU (EMA) | How it is given "
        "| Last reviewed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for view in therapies:
        conditions_text = ", ".join(label for _, label in view.conditions)
        ids = " ".join(cid for cid, _ in view.conditions)
        reviewed = view.review.last_reviewed.isoformat() if view.review.last_reviewed else "—"
        out.append(f'| <span data-conditions="{ids}"></span>[{_cell(view.title)}]({_rel(src, view.rel)}) | '
                   f"{_cell(conditions_text)} | {_badge(view)} | {_cell(view.benefit) or '—'} | "
                   f"{_status(view, 'us-fda')} | "
                   f"{_status(view, 'eu-ema')} | {_cell(view.administration)} | {reviewed} |")
    out += ["", "</div>"]
    return "\n".join(out)


def evidence_map_markdown(views: Iterable[PageView], src: str) -> str:
    therapies = _therapies(views)
    conditions = sorted({c for v in therapies for c in v.conditions}, key=lambda c: c[1])
    header = "| Therapy | " + " | ".join(label for _, label in conditions) + " |"
    lines = [header, "| --- |" + " --- |" * len(conditions)]
    for view in therapies:
        ids = {cid for cid, _ in view.conditions}
        cells = [_badge(view) if cid in ids else "—" for cid, _ in conditions]
        lines.append(f"| [{_cell(view.title)}]({_rel(src, view.rel)}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def therapies_for_condition_markdown(condition: PageView, views: Iterable[PageView], src: str) -> str:
    ids = {cid for cid, _ in condition.conditions}
    matching = [v for v in _therapies(views) if ids & {cid for cid, _ in v.conditions}]
    matching.sort(key=lambda v: (GRADE_RANK.get(v.evidence, 9), v.title.casefold()))
    if not matching:
        return "<!-- no therapy page lists this condition yet -->"
    lines = ["| Therapy | Evidence | US (FDA) | How it is given |", "| --- | --- | --- | --- |"]
    for view in matching:
        lines.append(f"| [{_cell(view.title)}]({_rel(src, view.rel)}) | {_badge(view)} | "
                     f"{_status(view, 'us-fda')} | {_cell(view.administration)} |")
    return "\n".join(lines)


def section_pages_markdown(views: Iterable[PageView], src: str) -> str:
    """Every page in a landing page's folder (and below), by title, with its description: the full
    list that a large section's sidebar links to (hooks/engine/nav_window.py)."""
    folder = posixpath.dirname(src)
    prefix = f"{folder}/" if folder else ""
    pages = sorted((v for v in views if v.rel.startswith(prefix)), key=lambda v: v.title.casefold())
    return "\n".join(f"- [{_cell(v.title)}]({_rel(src, v.rel)}): {_cell(v.description)}" for v in pages)
