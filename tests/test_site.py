"""The project's own content: it passes the check and the strict build, as of a pinned date."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from hooks.check import Config, check_project
from hooks.editor import site_links
from hooks.rules.registry import Severity
from tests.conftest import REPO


def content_today() -> dt.date:
    """The pinned 'today' for the real content: its latest review date, so the test never rots
    and never depends on the clock (an overdue page is a report entry, not a test failure)."""
    report = check_project(Config.load(REPO), dt.date(2100, 1, 1))
    return max(page.review.last_reviewed for page in report.pages.values() if page.review)


TODAY = content_today()


def test_content_has_no_errors_or_warnings():
    report = check_project(Config.load(REPO), TODAY)
    blocking = [d.format_text() for d in report.all_diagnostics() if d.severity is not Severity.REPORT]
    assert blocking == []


def test_flagship_pages_exist_and_cite_sources():
    report = check_project(Config.load(REPO), TODAY)
    for rel in ("therapies/exosomes.md", "therapies/topical-minoxidil.md"):
        page = report.pages[rel]
        assert len(page.claims) >= 20
        assert page.meta is not None and page.meta.data["review"]["status"] != "approved"


@pytest.mark.build
def test_real_site_builds_strict(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "site", ".git", "__pycache__",
                                                               ".pytest_cache", ".ruff_cache", "site-data"))
    env = {**os.environ, "KB_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (root / "site" / "therapies" / "exosomes" / "index.html").read_text(encoding="utf-8")
    assert "Not yet clinically reviewed" in html
    assert 'class="evidence-label' in html
    index = (root / "site" / "therapies" / "index.html").read_text(encoding="utf-8")
    assert 'id="kb-comparison"' in index and 'href="exosomes/"' in index and 'href="topical-minoxidil/"' in index
    search = (root / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Rogaine" in search  # brand names from front matter are searchable
    assert (root / "site" / "about" / "evidence-grading" / "index.html").exists()
    links = site_links.check_site(root / "site")
    assert links.returncode == 0, links.stdout[-3000:]


@pytest.mark.build
def test_link_check_catches_a_missing_page_file_and_fragment(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/">ok</a> <a href="a/#here">ok</a> <a href="a/#nowhere">bad</a>'
                                     ' <a href="gone/">bad</a> <img src="missing.png" alt="">', encoding="utf-8")
    (site / "a" / "index.html").write_text('<h2 id="here">Here</h2>', encoding="utf-8")
    result = site_links.check_site(site)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "nowhere" in output and "gone" in output and "missing.png" in output
    assert "#here" not in output
