"""Section review dates (``## Safety { data-reviewed="…" }``) are used wherever the page's date is:
the review-due report (Markdown and JSON, and so the weekly tracking issue), the reader's review box
and the JSON-LD. The page is as old as its oldest reviewed part; the box names each section with
its own dates."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from hooks.render import page_view, review_box
from hooks.report import review_report
from tests.conftest import TODAY
from tests.test_build import build, make_site, page_html

# front matter: last_reviewed 2026-06-01 (due 2027-06-01, not overdue on TODAY = 2026-11-22)
BODY = """# Test therapy

## Key points

- It can help some men keep their hair [@olsen2002randomized].

## Safety { data-reviewed="2025-09-01" }

It caused no serious harm in the trial [@olsen2002randomized].

## How well it works { data-reviewed="2026-10-01" }

It regrew some hair in the trial [@olsen2002randomized].
"""


def test_page_review_is_its_oldest_reviewed_part(project):
    rel = project.page("t", BODY)
    page = project.check().pages[rel.removeprefix("docs/")]
    assert page.review.last_reviewed == dt.date(2025, 9, 1)
    assert page.review.next_due == dt.date(2026, 9, 1) and page.review.overdue
    assert [(s.heading, s.last_reviewed) for s in page.sections] == [
        ("Safety", dt.date(2025, 9, 1)), ("How well it works", dt.date(2026, 10, 1))]


def test_a_newer_section_does_not_make_the_page_newer(project):
    rel = project.page("t", BODY.replace("2025-09-01", "2026-09-01"))
    page = project.check().pages[rel.removeprefix("docs/")]
    assert page.review.last_reviewed == dt.date(2026, 6, 1) and not page.review.overdue


def test_review_report_lists_the_overdue_section(project):
    project.page("t", BODY)
    report = project.check()
    data = review_report.as_json(report)
    item = next(p for p in data["pages"] if p["path"] == "docs/therapies/t.md")
    assert item["bucket"] == "overdue" and item["last_reviewed"] == "2025-09-01"
    assert item["next_due"] == "2026-09-01" and item["oldest_part"] == "section 'Safety'"
    assert item["sections"][0] == {"heading": "Safety", "line": 28, "last_reviewed": "2025-09-01",
                                   "next_due": "2026-09-01", "overdue": True}
    assert item["sections"][1]["heading"] == "How well it works" and not item["sections"][1]["overdue"]
    json.dumps(data)  # plain data
    markdown = review_report.as_markdown(report)
    overdue = markdown.split("## Overdue", 1)[1].split("## Due within 30 days", 1)[0]
    assert "Test therapy (`docs/therapies/t.md`)" in overdue
    assert "Safety (line 28) (oldest part): reviewed 2025-09-01, due 2026-09-01, **overdue**" in overdue
    assert "How well it works (line 32): reviewed 2026-10-01, due 2027-10-01" in overdue


def test_page_without_section_dates_is_reported_as_before(project):
    project.page("t", BODY.replace(' { data-reviewed="2025-09-01" }', "").replace(
        ' { data-reviewed="2026-10-01" }', ""))
    data = review_report.as_json(project.check())
    item = next(p for p in data["pages"] if p["path"] == "docs/therapies/t.md")
    assert item["last_reviewed"] == "2026-06-01" and item["bucket"] == "later"
    assert item["oldest_part"] == "page" and item["sections"] == []


def _view(project, body: str, today: dt.date = TODAY) -> page_view.PageView:
    rel = project.page("t", body)
    report = project.check(today)
    page = report.pages[rel.removeprefix("docs/")]
    return page_view.page_view(page.rel, page.data, {}, page.review, report.reviewers,
                               page_view.section_dates(page.sections))


def test_review_box_names_each_section_with_its_own_dates(project):
    view = _view(project, BODY)
    box = review_box.review_box_html(view, "")
    assert ('<dt>Last reviewed</dt><dd><time datetime="2025-09-01">1 September 2025</time> '
            '(its oldest part: the section <a href="#safety">Safety</a>)</dd>') in box
    assert '<dd class="kb-next-due"><time datetime="2026-09-01">1 September 2026</time></dd>' in box
    assert ('<a href="#safety">Safety</a>: reviewed <time datetime="2025-09-01">1 September 2025</time>, '
            'next review due <time datetime="2026-09-01">1 September 2026</time> <strong>(overdue)</strong>') in box
    assert ('<a href="#how-well-it-works">How well it works</a>: reviewed '
            '<time datetime="2026-10-01">1 October 2026</time>') in box
    assert 'The rest of the page: reviewed <time datetime="2026-06-01">1 June 2026</time>' in box
    warning = re.search(r'<p class="kb-overdue"([^>]*)>(.*?)</p>', box)
    assert "hidden" not in warning.group(1)
    assert "Overdue: the section &quot;Safety&quot;." in warning.group(2)
    data = page_view.structured_data(view, "https://example.org/t/", [], project.check().bibliography)
    assert data["lastReviewed"] == "2025-09-01"


def test_review_box_of_a_page_without_section_dates_is_unchanged(project):
    view = _view(project, "# Test therapy\n\nIt can help some men keep their hair [@olsen2002randomized].\n")
    box = review_box.review_box_html(view, "")
    assert '<dt>Last reviewed</dt><dd><time datetime="2026-06-01">1 June 2026</time></dd>' in box
    assert "Sections reviewed separately" not in box
    assert re.search(r'class="kb-overdue"[^>]*\bhidden\b', box)


def test_explicit_heading_id_is_the_sections_link(project):
    body = BODY.replace('{ data-reviewed="2025-09-01" }', '{ #harms data-reviewed="2025-09-01" }')
    rel = project.page("t", body)
    page = project.check().pages[rel.removeprefix("docs/")]
    ids = {h.line: h.attrs["id"] for h in page.doc.headings if h.attrs.get("id")}
    assert page_view.section_dates(page.sections, ids)[0].anchor == "harms"


@pytest.mark.build
def test_built_page_review_box_json_ld_and_report_page_use_section_dates(tmp_path):
    root = make_site(tmp_path)
    sample = root / "docs" / "therapies" / "sample.md"
    text = sample.read_text(encoding="utf-8")
    assert "## How well it works\n" in text
    sample.write_text(text.replace("## How well it works\n", '## How well it works { data-reviewed="2025-09-01" }\n'),
                      encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    html = page_html(root)
    box = html[html.index('class="kb-review-box"'):html.index("</aside>")]
    assert 'data-next-due="2026-09-01"' in box  # the browser's own overdue check uses it too
    assert '(its oldest part: the section <a href="#how-well-it-works">How well it works</a>)' in box
    assert 'id="how-well-it-works"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["lastReviewed"] == "2025-09-01"
    report = (root / "site" / "editors" / "review-due" / "index.html").read_text(encoding="utf-8")
    overdue = report.split('id="overdue-1"', 1)[1].split("<h2", 1)[0]
    assert "Sample therapy" in overdue and "How well it works (line" in overdue
