"""What keeps a build proportionate to its pages (issue 18), with the site the readers get unchanged:
a condition page's table of treatments is written as HTML (each therapy's row once per build), the
rendered pages' allow-list check runs in a worker process, the generated files are made in a
forked process while the pages render, and a source's excerpt is read for numbers once."""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import re
from decimal import Decimal

import markdown
import pytest

from hooks.check import Config
from hooks.parse import numbers
from hooks.render import background, html_allowlist, site_tables
from hooks.render.page_view import PageView
from tests.conftest import FRONT_MATTER, TODAY

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
    here = html_allowlist.PageChecks(report.pages.get)
    expected = [d for rel, text in pages.items() for d in here.submit(rel, text)]
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        worker = html_allowlist.PageChecks(report.pages.get, pool)
        assert all(worker.submit(rel, text) == [] for rel, text in pages.items())
        found = worker.results()
    assert [d.format_text() for d in found] == [d.format_text() for d in expected]
    assert {d.rule_id for d in found} >= {"HTML-EVENT-HANDLER", "HTML-FORBIDDEN-TAG"}


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


def _grown(project, pages: int) -> None:
    for index in range(pages):
        project.page(f"copy-{index:02d}", f"# Copy {index}\n\nIt helps some men [@olsen2002randomized].\n"
                     + ("It is approved [@nosuchkey2020].\n" if index == pages - 1 else ""))


def test_the_check_page_by_page_in_workers_is_the_same_report_as_one_process(project, monkeypatch):
    """The site build checks pages in worker processes while it renders them: any page can be asked
    for first, and the finished report is the one `make check` gives, diagnostics and claims alike."""
    from hooks import check as check_mod

    _grown(project, 6)
    expected = project.check()
    monkeypatch.setattr(check_mod, "PARALLEL_MIN_PAGES", 2)
    run = check_mod.CheckRun(Config.load(project.root), TODAY, workers=2, first=lambda rel: rel)
    try:
        assert run.executor is not None  # the pages went to the workers at once
        last = run.page("therapies/copy-05.md")  # asked for out of order: waits for that page only
        assert last is not None and [c.keys for c in last.claims] == [["olsen2002randomized"], ["nosuchkey2020"]]
        assert run.page("therapies/no-such-page.md") is None
        report = run.report()
        assert run.ready()
    finally:
        run.close()
    assert list(report.pages) == list(expected.pages)
    assert [d.format_text() for d in report.all_diagnostics()] == [d.format_text() for d in expected.all_diagnostics()]
    assert any(d.rule_id == "CITE-UNKNOWN-KEY" and d.path.endswith("copy-05.md") for d in report.all_diagnostics())
    assert [(c.page, c.line, c.text, c.relies_on) for c in report.claims] == \
        [(c.page, c.line, c.text, c.relies_on) for c in expected.claims]


def test_workers_write_the_cache_and_the_next_run_reads_it(project, monkeypatch):
    from hooks import check as check_mod

    _grown(project, 4)
    monkeypatch.setattr(check_mod, "PARALLEL_MIN_PAGES", 2)
    first = check_mod.CheckRun(Config.load(project.root), TODAY, workers=2, use_cache=True)
    try:
        report = first.report()
    finally:
        first.close()
    cached = sorted((project.root / ".cache" / "check").glob("*.pickle"))
    assert len(cached) == len(report.pages)  # one entry a page, written where each page was analysed
    again = check_mod.CheckRun(Config.load(project.root), TODAY, workers=2, use_cache=True)
    try:
        assert again.executor is None and again.ready()  # nothing left to analyse
        assert [d.format_text() for d in again.report().all_diagnostics()] == \
            [d.format_text() for d in report.all_diagnostics()]
    finally:
        again.close()


@pytest.mark.build
def test_a_build_of_many_pages_renders_while_they_are_checked_and_writes_the_site_in_mkdocs_order(tmp_path):
    """Above PARALLEL_MIN_PAGES pages, `mkdocs build` checks pages in workers while it renders: a page
    made from every page (a section's list) waits until all are checked, an error on the last page
    still fails the build at its line, and the site (sitemap, search index) is in MkDocs' own order."""
    from hooks.check import PARALLEL_MIN_PAGES
    from tests.test_build import build, make_site

    root = make_site(tmp_path)
    therapies = root / "docs" / "therapies"
    sample = (therapies / "sample.md").read_text(encoding="utf-8")
    count = PARALLEL_MIN_PAGES + 6
    for index in range(count):
        (therapies / f"copy-{index:02d}.md").write_text(
            sample.replace("title: Sample therapy", f"title: Copy {index:02d}").replace("aliases: [Sample]",
                                                                                         f"aliases: [Copy{index}]"),
            encoding="utf-8")
    (therapies / "index.md").write_text("# Therapies\n\n" + site_tables.SECTION_PAGES_MARKER + "\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n\nA fixture home page.\n", encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    listing = (root / "site" / "therapies" / "index.html").read_text(encoding="utf-8")
    assert all(f"Copy {index:02d}</a>" in listing for index in range(count))  # every page, checked
    sitemap = (root / "site" / "sitemap.xml").read_text(encoding="utf-8")
    locations = [loc.split("example/", 1)[-1] for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap)]
    assert locations[:2] == ["", "therapies/"]  # the home page first, then the section's landing page
    index = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"][0]["location"] == ""
    claims = json.loads((root / "site" / "claims.json").read_text(encoding="utf-8"))  # written into the site
    assert {c["page"] for c in claims["claims"]} >= {f"docs/therapies/copy-{index:02d}.md" for index in range(count)}

    last = therapies / f"copy-{count - 1:02d}.md"
    last.write_text(last.read_text(encoding="utf-8") + "\nIt is approved [@nosuchkey2020].\n", encoding="utf-8")
    failed = build(root)
    assert failed.returncode != 0
    assert f"docs/therapies/copy-{count - 1:02d}.md:" in failed.stderr and "CITE-UNKNOWN-KEY" in failed.stderr


def test_numbers_deep_in_a_long_text_are_read_as_in_a_short_one():
    """What is read before a number (its label word, "about") is a window, not the whole text before
    it: a page-long text is read in time proportional to its length, with the same numbers."""
    short = "In a phase 3 trial of type 2 patients, about 40 of 100 improved; JAK3 was not measured."
    filler = "Words without figures, sentence after sentence. " * 2000
    found = [(n.text, n.value, n.approximate, n.unit) for n in numbers.numbers_in(short)]
    deep = [(n.text, n.value, n.approximate, n.unit) for n in numbers.numbers_in(filler + short)]
    assert deep == found == [("40", Decimal(40), True, None), ("100", Decimal(100), False, None)]


def test_a_worker_that_stopped_is_one_clear_error_not_a_traceback(project):
    """If the worker checking rendered pages is killed (out of memory), the build says so in a line."""
    project.page("one", "Text [@olsen2002randomized].\n")
    report = project.check()

    class Stopped:
        def submit(self, *args):
            future = concurrent.futures.Future()
            future.set_exception(concurrent.futures.process.BrokenProcessPool("killed"))
            return future

    checks = html_allowlist.PageChecks(report.pages.get, Stopped())
    assert checks.submit("therapies/one.md", "<p>a</p>") == []
    with pytest.raises(RuntimeError, match="worker process that checks the rendered pages stopped"):
        checks.results()


def test_a_build_makes_full_collections_rarer_and_gives_back_python_s_own_settings():
    """`mkdocs serve` goes on after a build with the garbage collector as Python set it."""
    import gc

    from hooks import garbage_collection

    before = gc.get_threshold()
    try:
        previous = garbage_collection.fewer_full_collections()
        assert previous == before
        assert gc.get_threshold()[:2] == before[:2]  # young generations as before
        assert gc.get_threshold()[2] >= garbage_collection.MIDDLE_COLLECTIONS_PER_FULL > before[2]
        garbage_collection.restore(previous)
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*before)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform")
def test_a_forked_worker_starts_with_the_inherited_objects_frozen_and_the_build_keeps_none():
    import gc

    from hooks import garbage_collection

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    with garbage_collection.frozen_for_fork():
        child = context.Process(target=lambda: writer.send(gc.get_freeze_count()))
        child.start()
    assert gc.get_freeze_count() == 0  # the build's process collects everything as before
    assert reader.recv() > 1000  # (the interpreter's and the test's objects, at least)
    child.join()
    assert child.exitcode == 0


def test_the_word_before_a_number_is_read_as_its_pattern_reads_it():
    """The label word before a number ("type 2", "§ 3") is read from the end of the text before it, as
    the documented pattern reads it, on every mix of letters, hyphens, dots, § and spaces."""
    import random

    pattern = re.compile(r"([A-Za-z§][A-Za-z-]*)\.?\s*$")
    randomly = random.Random(20261129)
    for _ in range(20_000):
        text = "".join(randomly.choice("aZ-§. \t\u00a0é1_x") for _ in range(randomly.randint(0, 12)))
        match = pattern.search(text)
        assert numbers._word_before(text) == (match.group(1) if match else None), repr(text)
    assert [n.text for n in numbers.numbers_in("Type 2 and phase. 3 and § 4, not in 5 of 8")] == ["5", "8"]
