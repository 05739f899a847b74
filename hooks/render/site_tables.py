"""Site-wide tables generated from front matter: regulatory status, therapies at a glance,
therapies per condition and the evidence map. Markdown out, links relative to the page."""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Iterable

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


NO_THERAPY_YET = "<!-- no therapy page lists this condition yet -->"


def _strongest_first(view: PageView) -> tuple[int, str]:
    return GRADE_RANK.get(view.evidence, 9), view.title.casefold()


def therapies_by_condition(views: Iterable[PageView]) -> dict[str, list[PageView]]:
    """For each condition id, the therapy pages that list it, strongest evidence first (once per build)."""
    out: dict[str, list[PageView]] = {}
    for view in sorted((v for v in views if v.page_type == "therapy"), key=_strongest_first):
        for cid in dict.fromkeys(cid for cid, _ in view.conditions):
            out.setdefault(cid, []).append(view)
    return out


def therapies_for_condition(condition: PageView, by_condition: dict[str, list[PageView]]) -> list[PageView]:
    """The therapy pages that list one of the condition page's conditions: strongest evidence first."""
    ids = list(dict.fromkeys(cid for cid, _ in condition.conditions))
    if len(ids) == 1:
        return list(by_condition.get(ids[0], []))
    found = {id(v): v for cid in ids for v in by_condition.get(cid, [])}
    return sorted(found.values(), key=_strongest_first)


CONDITION_TABLE_HEAD = ("<table>\n<thead>\n<tr>\n<th>Therapy</th>\n<th>Evidence</th>\n<th>US (FDA)</th>\n"
                        "<th>How it is given</th>\n</tr>\n</thead>\n<tbody>\n")
CONDITION_TABLE_FOOT = "</tbody>\n</table>"


def _text(text: str) -> str:
    """Front-matter text in a generated table cell: plain text, as Markdown writes plain text."""
    return html.escape(text.replace("\n", " ").strip(), quote=False) or "—"


def condition_row_html(view: PageView, href: str) -> str:
    """One therapy's row in a condition page's table of treatments: the HTML that Python-Markdown's
    tables extension writes for the same row in Markdown."""
    return (f'<tr>\n<td><a href="{html.escape(href)}">{_text(view.title)}</a></td>\n'
            f'<td><span class="kb-grade kb-grade-{view.evidence}">{_text(view.evidence_label)}</span></td>\n'
            f"<td>{_text(_status(view, 'us-fda'))}</td>\n<td>{_text(view.administration)}</td>\n</tr>\n")


def condition_table_html(matching: list[PageView], row: Callable[[PageView], str],
                         head: str = CONDITION_TABLE_HEAD) -> str:
    """The table of treatments on a condition page, from ready rows. Written as HTML, not Markdown: a
    condition page lists every therapy for it, so with many pages the rows are most of the build's
    Markdown; each row is made once per build (``row`` keeps them) and the table is joined per page."""
    return head + "".join(row(view) for view in matching) + CONDITION_TABLE_FOOT


def section_pages_markdown(views: Iterable[PageView], src: str) -> str:
    """Every page in a landing page's folder (and below), by title, with its description: the full
    list that a large section's sidebar links to (hooks/engine/nav_window.py)."""
    folder = posixpath.dirname(src)
    prefix = f"{folder}/" if folder else ""
    pages = sorted((v for v in views if v.rel.startswith(prefix)), key=lambda v: v.title.casefold())
    return "\n".join(f"- [{_cell(v.title)}]({_rel(src, v.rel)}): {_cell(v.description)}" for v in pages)
