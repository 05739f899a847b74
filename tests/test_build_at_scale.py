"""What keeps a build proportionate to its pages (issue 18), with the site the readers get unchanged:
a condition page's table of treatments is written as HTML (each therapy's row once per build), the
rendered pages' allow-list check runs in a worker process, the generated files are made in a
forked process while the pages render, and a source's excerpt is read for numbers once."""

from __future__ import annotations

import json
from decimal import Decimal

import markdown
import pytest

from hooks.parse import numbers
from hooks.render import background, html_allowlist, site_tables
from hooks.render.page_view import PageView
from tests.conftest import FRONT_MATTER

TRICKY = "Tablets & a 'solution', or \"foam\" > 2 mm"  # what Markdown and HTML escaping must agree on


def _view(title: str, administration: str, evidence: str = "low", label: str = "Low certainty") -> PageView:
    view = PageView.__new__(PageView)  # only the fields the table reads
    view.title, view.administration, view.evidence, view.evidence_label = title, administration, evidence, label
    view.regulatory, view.conditions, view.page_type = [], [("aa", "Alopecia areata")], "therapy"
    return view


@pytest.mark.parametrize("administration", ["Tablet by mouth", TRICKY, "Injections of the patient's own blood"])
def test_the_table_of_treatments_is_the_html_markdown_made_of_it(administration):
    view = _view("Minoxidil (oral) & more", administration)
    md = ("| Therapy | Evidence | US (FDA) | How it is given |\n| --- | --- | --- | --- |\n"
          f"| [Minoxidil (oral) & more](../therapies/x/) | <span class=\"kb-grade kb-grade-low\">Low certainty</span> "
          f"| — | {administration} |")
    expected = markdown.markdown(md, extensions=["tables"])
    made = site_tables.condition_table_html([view], lambda v: site_tables.condition_row_html(v, "../therapies/x/"))
    assert made == expected


def test_therapies_for_a_condition_strongest_evidence_first():
    a, b, c = _view("B", "x", "high", "High"), _view("a", "x", "low", "Low"), _view("C", "x", "high", "High")
    c.conditions = [("other", "Other")]
    by_condition = site_tables.therapies_by_condition([b, a, c])
    condition = _view("Condition", "")
    assert [v.title for v in site_tables.therapies_for_condition(condition, by_condition)] == ["B", "a"]
    condition.conditions = [("aa", "Alopecia areata"), ("other", "Other")]
    assert [v.title for v in site_tables.therapies_for_condition(condition, by_condition)] == ["B", "C", "a"]


def test_an_excerpt_is_read_for_numbers_once_and_callers_cannot_change_what_is_kept():
    numbers._excerpt_values.cache_clear()
    text = "Of 125 men, forty-two (33.6%) regrew hair at 24 weeks."
    first = numbers.values_in(text)
    assert first == {Decimal(125), Decimal("33.6"), Decimal(24), Decimal(42)}
    first.add(Decimal(7))  # a caller's set is its own
    assert numbers.values_in(text) == {Decimal(125), Decimal("33.6"), Decimal(24), Decimal(42)}
    assert numbers._excerpt_values.cache_info().hits == 1


def test_files_made_in_a_forked_process_are_the_same_as_made_here(tmp_path):
    makers = {"a/page.md": lambda: "# Page\n\nÄ text\n", "feed.xml": lambda: b"<feed/>"}
    files = background.BackgroundFiles()
    paths = files.start(makers, fork=True)
    files.wait()
    assert paths["a/page.md"].read_text(encoding="utf-8") == "# Page\n\nÄ text\n"
    assert paths["feed.xml"].read_bytes() == b"<feed/>"
    folder = files.folder
    files.discard()
    assert folder is not None and not folder.exists()


def test_a_failure_in_the_forked_process_is_an_error_here():
    def broken() -> str:
        raise ValueError("no register")

    files = background.BackgroundFiles()
    files.start({"claims.json": broken}, fork=True)
    with pytest.raises(RuntimeError, match="generated files failed"):
        files.wait()
    files.discard()


def test_rendered_pages_checked_in_a_worker_give_the_same_diagnostics_in_page_order(project):
    project.page("one", "Text [@olsen2002randomized].\n")
    project.page("two", "Text [@olsen2002randomized].\n")
    report = project.check()
    pages = {"therapies/one.md": '<p onclick="x()">a</p>', "therapies/two.md": '<p>b</p><iframe src="y"></iframe>',
             "generated.md": "<script>x()</script>"}
    here = html_allowlist.PageChecks(report.pages, parallel=False)
    expected = [d for rel, text in pages.items() for d in here.submit(rel, text)]
    worker = html_allowlist.PageChecks(report.pages, parallel=True)
    assert all(worker.submit(rel, text) == [] for rel, text in pages.items())
    found = worker.results()
    assert [d.format_text() for d in found] == [d.format_text() for d in expected]
    assert {d.rule_id for d in found} >= {"HTML-EVENT-HANDLER", "HTML-FORBIDDEN-TAG"}
    assert worker.pool is None  # the worker stopped


CONDITION = FRONT_MATTER.replace("type: therapy", "type: condition").replace("title: Test therapy",
                                                                        "title: Test condition")


@pytest.mark.build
def test_a_condition_page_lists_its_treatments_and_search_reads_the_page_without_them(tmp_path):
    from tests.test_build import build, make_site

    root = make_site(tmp_path)
    (root / "docs" / "conditions").mkdir()
    (root / "docs" / "conditions" / "test.md").write_text(
        CONDITION + "# Test condition\n\nIt is common [@olsen2002randomized].\n\n## Treatments\n\n"
        "Treatments differ (FDA) [@olsen2002randomized].\n", encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (root / "site" / "conditions" / "test" / "index.html").read_text(encoding="utf-8")
    after = page[page.index('id="treatments"'):]
    assert after.index("<table>") < after.index("Treatments differ")  # under its heading, before the text
    table = after[after.index("<table>"):after.index("</table>") + len("</table>")]
    assert table == (
        '<table>\n<thead>\n<tr>\n<th>Therapy</th>\n<th>Evidence</th>\n'
        '<th>US (<abbr title="U.S. Food and Drug Administration">FDA</abbr>)</th>\n<th>How it is given</th>\n'
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td><a href="../../therapies/sample/">Sample therapy</a></td>\n'
        '<td><span class="kb-grade kb-grade-low">Low certainty</span></td>\n<td>Not approved</td>\n<td>—</td>\n'
        "</tr>\n</tbody>\n</table>")
    index = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    section = next(d for d in index["docs"] if d["location"] == "conditions/test/#treatments")
    assert section["text"].startswith("<p>Treatments differ")  # the text; the therapy pages are what
    assert "Sample therapy" not in section["text"]  # search finds for a therapy, not every table listing it
    assert json.loads((root / "site" / "claims.json").read_text(encoding="utf-8"))  # made in the background
