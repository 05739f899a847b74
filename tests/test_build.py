"""Real `mkdocs build --strict` runs of a fixture site with the project's own config and hooks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FRONT_MATTER, REPO

pytestmark = pytest.mark.build


def make_site(root: Path) -> Path:
    from tests.conftest import FIXTURE_SITE

    shutil.copytree(FIXTURE_SITE, root, dirs_exist_ok=True)
    for name in ("hooks", "schema", "data", "overrides"):
        shutil.copytree(REPO / name, root / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "sources"))
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(REPO / "docs" / "stylesheets", root / "docs" / "stylesheets")
    shutil.copytree(REPO / "docs" / "javascripts", root / "docs" / "javascripts")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nnav:", 1)[0] + "\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def build(root: Path, today: str = "2026-11-22") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KB_TODAY": today, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("site"))
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def page_html(root: Path, rel: str = "therapies/sample/index.html") -> str:
    """The built page, with glossary tooltips (<abbr>) unwrapped so assertions read the text."""
    html = (root / "site" / rel).read_text(encoding="utf-8")
    return re.sub(r"</?abbr[^>]*>", "", html)


def test_fixture_site_builds_strict(built):
    assert (built / "site" / "therapies" / "sample" / "index.html").exists()


def test_citations_in_code_are_shown_as_written(built):
    html = page_html(built)
    assert "Code like [@not-a-key] and `[@olsen2002randomized]` is shown as written." in html


def test_several_keys_render_as_separate_numbered_markers(built):
    html = page_html(built)
    assert re.search(r'href="#fn:olsen2002randomized">1</a></sup><sup class="cite-sep">,</sup>'
                     r'<sup id="fnref\d*:fda2019exosome"><a class="footnote-ref" href="#fn:fda2019exosome">2</a>', html)


def test_locator_is_kept(built):
    assert '<sup class="cite-locator">(p. 380)</sup>' in page_html(built)


def test_reference_list_is_ama_with_links_and_evidence(built):
    html = page_html(built)
    refs = html[html.index('<div class="footnote"'):]
    assert refs.index('id="fn:olsen2002randomized"') < refs.index('id="fn:fda2019exosome"')
    assert "<em>J Am Acad Dermatol</em>. 2002;47(3):377\u2013385." in refs
    assert 'href="https://doi.org/10.1067/mjd.2002.124088"' in refs
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12196747/"' in refs
    assert '<span class="evidence-label evidence-rct">RCT</span>' in refs
    assert '<span class="evidence-label evidence-regulatory">Regulatory</span>' in refs
    for leak in ("{.nocase}", "--", "[@", "\ue040"):
        assert leak not in refs


def test_review_status_is_shown_to_the_reader(built):
    html = page_html(built)
    assert "Not yet clinically reviewed" in html
    assert "on 1 June 2026" in html  # the oldest check: the page and its Safety section have dates of their own


def build_one_page(tmp_path: Path, name: str, body: str) -> str:
    """Build the fixture site with one more therapy page; the page's raw HTML (tooltips included)."""
    root = make_site(tmp_path)
    (root / "docs" / "therapies" / f"{name}.md").write_text(FRONT_MATTER + body, encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stderr
    return (root / "site" / "therapies" / name / "index.html").read_text(encoding="utf-8")


def test_numbering_follows_first_citation_on_each_page(tmp_path):
    html = build_one_page(tmp_path, "order", "# Order\n\nFirst [@fda2019exosome]. Second [@olsen2002randomized].\n")
    assert 'href="#fn:fda2019exosome">1</a>' in html
    assert 'href="#fn:olsen2002randomized">2</a>' in html


def test_numbering_counts_list_items_and_tables_in_reading_order(tmp_path):
    html = build_one_page(tmp_path, "order", "# Order\n\n- An item first [@fda2019exosome].\n\n"
                          "A paragraph next [@olsen2002randomized]. Again [@fda2019exosome].\n\n"
                          "| A | B |\n| --- | --- |\n| Cell | Last [@fda2019exosome] |\n")
    assert 'href="#fn:fda2019exosome">1</a>' in html and 'href="#fn:olsen2002randomized">2</a>' in html
    refs = html[html.index('<div class="footnote"'):]
    assert refs.index('id="fn:fda2019exosome"') < refs.index('id="fn:olsen2002randomized"')
    # each repeated citation has its own id, in reading order, and the list links back to each in turn
    markers = re.findall(r'<sup id="(fnref\d*:fda2019exosome)">', html[:html.index('<div class="footnote"')])
    assert markers == ["fnref:fda2019exosome", "fnref2:fda2019exosome", "fnref3:fda2019exosome"]
    assert re.findall(r'class="footnote-backref" href="#(fnref\d*:fda2019exosome)"', refs) == markers


@pytest.mark.parametrize(
    ("body", "front_matter", "where", "rule"),
    [
        ("# Bad\n\nAn uncited claim.\n", FRONT_MATTER, "docs/therapies/bad.md:24:1", "CLAIM-UNCITED"),
        ("# Bad\n\nClaim [@nobody2099unknown].\n", FRONT_MATTER, "docs/therapies/bad.md:24:7", "CITE-UNKNOWN-KEY"),
        ("# Bad\n\nClaim [@olsen2002randomized].\n", FRONT_MATTER.replace("title: Test therapy", "title: A: b"),
         "docs/therapies/bad.md:2:", "FM-YAML"),
        ("# Bad\n\nSee [x](gone.md) [@olsen2002randomized].\n", FRONT_MATTER, "docs/therapies/bad.md:24:5",
         "LINK-BROKEN"),
    ],
    ids=["uncited", "unknown-key", "yaml", "broken-link"],
)
def test_bad_page_fails_the_strict_build_naming_path_and_line(tmp_path, body, front_matter, where, rule):
    root = make_site(tmp_path)
    (root / "docs" / "therapies" / "bad.md").write_text(front_matter + body, encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{where}" in output and rule in output, output
    assert "Traceback" not in output


def test_overdue_review_does_not_fail_the_build(tmp_path):
    root = make_site(tmp_path)
    result = build(root, today="2027-07-01")
    assert result.returncode == 0, result.stderr
    assert "REVIEW-OVERDUE" in result.stderr


def test_malformed_bibliography_fails_the_build_with_lines_not_a_traceback(tmp_path):
    root = make_site(tmp_path)
    bib = root / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{olsen2002randomized,\n  title = {dup},\n}\n"
                   "@article{broken2020x,\n  title = {unbalanced,\n", encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "references.bib:23:1: error BIB-DUPLICATE-KEY" in output
    assert "BIB-PARSE" in output
    assert "Traceback" not in output


def test_editors_review_page_and_page_history_are_generated(built):
    report = page_html(built, "editors/review-due/index.html")
    assert "Review-due report" in report and "Sample therapy" in report
    html = page_html(built)
    assert "Not yet committed" in html  # the fixture is not a git repository: no date, no error
    assert 'href="https://github.com/hair-loss-evidence/hair-loss-evidence/edit/main/docs/therapies/sample.md"' in html


def test_page_history_reads_the_last_commit_date(tmp_path):
    import datetime as dt

    from hooks.render.page_history import last_changed

    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-03-04T10:00:00", "GIT_COMMITTER_DATE": "2026-03-04T10:00:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n")
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "a"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True)
    assert last_changed(tmp_path) == {"docs/a.md": dt.date(2026, 3, 4)}
    assert last_changed(tmp_path / "not-a-repo") == {}


def _json_ld(html: str) -> dict:
    import json

    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_review_box_shows_front_matter_dates_and_json_ld_matches(built):
    html = page_html(built)
    box = html[html.index('class="kb-review-box"'):html.index("</aside>")]
    assert '<dt>Last reviewed</dt><dd><time datetime="2026-06-01">1 June 2026</time></dd>' in box
    assert '<time datetime="2027-06-01">1 June 2027</time>' in box  # next review: 12 months later
    assert re.search(r'class="kb-overdue"[^>]*\bhidden\b', box)  # not overdue: the warning is hidden
    assert "Evidence: Low certainty" in box
    data = _json_ld(html)
    assert data["@type"] == "MedicalWebPage" and data["lastReviewed"] == "2026-06-01"
    assert {c["name"] for c in data["citation"]} >= {"Public Safety Notification on Exosome Products"}
    assert "reviewedBy" not in data  # nobody has signed it off
    assert data["medicalAudience"][0]["audienceType"] == "Patient"


def test_later_build_date_shows_the_overdue_warning(tmp_path):
    root = make_site(tmp_path)
    result = build(root, today="2027-07-01")
    assert result.returncode == 0, result.stderr
    box = page_html(root)
    box = box[box.index('class="kb-review-box"'):box.index("</aside>")]
    assert 'class="kb-overdue" role="note"><strong>Review overdue.' in box
    assert "due on 1 June 2027" in box


def test_regulatory_table_is_generated_from_front_matter(built):
    html = page_html(built)
    assert "<td>United States (FDA)</td>" in html and "<td>Not approved</td>" in html


def test_pages_load_nothing_from_other_hosts(built):
    for page in (built / "site").rglob("*.html"):
        text = re.sub(r'<link rel="canonical"[^>]*>', "", page.read_text(encoding="utf-8"))  # not a request
        for tag, _ in re.findall(r"<(script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=\"(https?:)?//", text):
            raise AssertionError(f"{page} loads <{tag}> from another host")
        assert "fonts.googleapis" not in text and "api.github.com" not in text


def test_glossary_bibliography_and_claim_register_are_published(built):
    glossary = page_html(built, "about/glossary/index.html")
    assert "<strong>SALT</strong>" in glossary
    bibliography = page_html(built, "about/bibliography/index.html")
    assert "Olsen EA" in bibliography and 'href="../../therapies/sample/"' in bibliography
    import json

    register = json.loads((built / "site" / "claims.json").read_text(encoding="utf-8"))
    assert any(c["page"] == "docs/therapies/sample.md" for c in register["claims"])
    html = page_html(built)
    assert "report a problem" in html and "template=page-is-wrong.yml" in html


def test_terms_get_tooltips_from_the_glossary(tmp_path):
    html = build_one_page(tmp_path, "abbr", "# Abbr\n\nOne RCT tested it [@olsen2002randomized].\n")
    assert '<abbr title="Randomised controlled trial' in html


def test_the_same_content_builds_byte_identical_sites(tmp_path):
    first = make_site(tmp_path / "one")
    second = make_site(tmp_path / "two")
    for root in (first, second):
        result = build(root)
        assert result.returncode == 0, result.stderr

    def files(root: Path) -> dict[str, bytes]:
        site = root / "site"
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

    one, two = files(first), files(second)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_a_large_section_lists_a_window_of_pages_in_each_sidebar(tmp_path):
    root = make_site(tmp_path)
    config = root / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"nav_window = \d+", "nav_window = 3", text), encoding="utf-8")
    therapies = root / "docs" / "therapies"
    (therapies / "index.md").write_text("---\ntitle: Therapies\n---\n\n# Therapies\n\n<!-- kb:section-pages -->\n",
                                        encoding="utf-8")
    for n in range(1, 7):
        body = f"# Page {n}\n\nIt is studied [@olsen2002randomized].\n"
        (therapies / f"p{n}.md").write_text(FRONT_MATTER.replace("title: Test therapy", f"title: Page {n}") + body,
                                           encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr

    def sidebar(rel: str) -> str:
        html = (root / "site" / "therapies" / rel / "index.html").read_text(encoding="utf-8")
        return html[html.index("md-sidebar--primary"):html.index("md-sidebar--secondary")]

    def listed(rel: str) -> list[str]:  # the section's pages in this page's sidebar ("./" is the page itself)
        found = re.findall(r'href="(\./|\.\./(?:p\d|sample)/)" class="md-nav__link', sidebar(rel))
        return [rel if href == "./" else href[3:-1] for href in found]

    assert listed("p4") == ["p3", "p4", "p5"]  # the page and its neighbours, in the section's order
    assert listed("p1") == ["p1", "p2", "p3"]
    assert listed("sample") == ["p5", "p6", "sample"]  # the last page: the window stops at the end
    assert re.search(r'href="\.\./"[^>]*>\s*<span class="md-ellipsis">\s*All 7 pages in Therapies', sidebar("p4"))
    # every page is still one click away: the landing page lists them all, from their front matter
    landing = (root / "site" / "therapies" / "index.html").read_text(encoding="utf-8")
    content = landing[landing.index('<article'):landing.index('</article>')]
    assert sorted(re.findall(r'<li><a href="(p\d|sample)/">', content)) == [*(f"p{n}" for n in range(1, 7)), "sample"]


def test_references_are_searchable_once_on_the_bibliography_page(built):
    index = json.loads((built / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"] if "Funicella" in doc["text"]}
    assert pages == {"about/bibliography/"}  # not every page that cites the study
    sample = [doc for doc in index["docs"] if doc["location"].startswith("therapies/sample/")]
    text = " ".join(doc["text"] for doc in sample)
    assert "Regulators have not approved it" in text  # its own text is
    assert "<sup>" not in text and "Funicella" not in text  # citation numbers and references are not


@pytest.mark.parametrize(("status", "label", "passes"), [
    ("retracted", "Retracted", False), ("withdrawn", "Withdrawn", False),
    ("corrected", "Corrected", True), ("expression-of-concern", "Expression of concern", True)])
def test_source_status_is_refused_or_labelled_for_readers(tmp_path, status, label, passes):
    from tests.test_source_records import FDA, NOTICE, OLSEN

    root = make_site(tmp_path)
    (root / "data" / "sources").mkdir(exist_ok=True)
    (root / "data" / "sources" / "olsen2002randomized.yml").write_text(
        OLSEN.format(status=status, notice=NOTICE), encoding="utf-8")
    (root / "data" / "sources" / "fda2019exosome.yml").write_text(FDA, encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    if not passes:  # the build fails, and the pages it wrote show the label
        assert result.returncode != 0 and "SOURCE-RETRACTED" in output
        assert f'<span class="kb-status kb-status-{status}">{label}</span>' in page_html(root)
        return
    assert result.returncode == 0, output
    page = page_html(root)
    assert f'<span class="kb-status kb-status-{status}">{label}</span>' in page
    assert 'href="https://doi.org/10.1016/j.jaad.2099.01.001"' in page
    assert "What the source says" in page
    bibliography = page_html(root, "about/bibliography/index.html")
    assert f"kb-status-{status}" in bibliography
