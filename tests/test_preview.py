"""The live preview (`mkdocs serve`, `make serve`) does not hang on a content error: it keeps serving,
shows the diagnostics in the terminal and at the top of every page with path:line, and rebuilds when
references.bib, data/, schema/ or pyproject.toml change, not only docs/ and mkdocs.yml.

One real `mkdocs serve` of a fixture copy on a free local port, driven by editing files."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from hooks.render import preview_problems
from tests.test_build import make_site

pytestmark = pytest.mark.build

PAGE = "/therapies/sample/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Preview:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.log = root / "serve.log"
        env = {**os.environ, "KB_TODAY": "2026-11-22", "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def fetch(self, path: str = PAGE) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        return self.output().count("Building documentation")

    def wait(self, condition, what: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            assert self.process.poll() is None, f"the preview stopped:\n{self.output()}"
            page = self.fetch()
            if condition(page):
                return page
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}:\n{self.output()[-4000:]}")

    def rebuilt_after(self, change, what: str) -> None:
        """Make a change and wait for a complete rebuild that it started."""
        before = self.output().count("Documentation built in")
        time.sleep(0.6)  # past the file watcher's coalescing of the previous change
        change()
        end = time.monotonic() + 60
        while self.output().count("Documentation built in") <= before:
            assert self.process.poll() is None, f"the preview stopped:\n{self.output()}"
            assert time.monotonic() < end, f"no rebuild after {what}:\n{self.output()[-3000:]}"
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def preview(tmp_path):
    server = Preview(make_site(tmp_path))
    try:
        server.wait(lambda page: "Sample therapy" in page, "the first build")
        yield server
    finally:
        server.stop()


def _banner(page: str) -> str:
    match = re.search(re.escape(preview_problems.START) + "(.*?)" + re.escape(preview_problems.END), page, re.S)
    return match.group(1) if match else ""


def test_a_content_error_is_shown_on_the_page_and_the_preview_keeps_serving(preview):
    assert "CLAIM-UNCITED" not in _banner(preview.fetch())
    sample = preview.root / "docs" / "therapies" / "sample.md"
    original = sample.read_text(encoding="utf-8")
    sample.write_text(original + "\nExosomes cure all baldness.\n", encoding="utf-8")
    page = preview.wait(lambda page: "CLAIM-UNCITED" in _banner(page), "the error on the page")
    line = len(original.splitlines()) + 2
    banner = _banner(page)
    assert f"<code>docs/therapies/sample.md:{line}:1</code> <strong>error</strong> CLAIM-UNCITED" in banner
    assert "hint: Add a citation" in banner and 'role="alert"' in banner
    assert f"docs/therapies/sample.md:{line}:1: error CLAIM-UNCITED" in preview.output()  # and in the terminal
    assert "stuck" not in preview.output() and "Aborted" not in preview.output()
    assert "CLAIM-UNCITED" in _banner(preview.fetch("/about/glossary/"))  # every page carries it
    sample.write_text(original, encoding="utf-8")  # fixed: the error goes
    preview.wait(lambda page: "Sample therapy" in page and "CLAIM-UNCITED" not in _banner(page), "the fix")


def test_references_bib_data_schema_and_pyproject_changes_rebuild(preview):
    bib = preview.root / "references.bib"
    text = bib.read_text(encoding="utf-8")
    # a cited entry renamed: only references.bib changes, and the page shows the unknown key
    bib.write_text(text.replace("@article{olsen2002randomized,", "@article{olsen2002renamed,"), encoding="utf-8")
    preview.wait(lambda page: "CITE-UNKNOWN-KEY" in _banner(page), "a rebuild after references.bib changed")
    bib.unlink()  # missing: one clear error, and the preview still serves
    page = preview.wait(lambda page: "BIB-FILE-MISSING" in _banner(page) or "references.bib" in _banner(page),
                        "the missing bibliography on the page")
    assert "Traceback" not in preview.output(), preview.output()[-3000:]
    assert "Sample therapy" in page
    bib.write_text(text, encoding="utf-8")
    preview.wait(lambda page: "Sample therapy" in page and "references.bib" not in _banner(page)
                 and "CITE-UNKNOWN-KEY" not in _banner(page), "the bibliography back")
    for rel in ("data/glossary.yml", "schema/frontmatter.schema.json", "pyproject.toml"):
        path = preview.root / rel
        preview.rebuilt_after(lambda path=path: path.write_text(path.read_text(encoding="utf-8") + "\n",
                                                                encoding="utf-8"), rel)
    assert preview.process.poll() is None


def test_banner_lists_problems_and_is_replaced_in_place():
    problems = [preview_problems.Problem("error", "docs/a.md:3:1", "CLAIM-UNCITED <b>x</b>", "cite it"),
                preview_problems.Problem("warning", "", "Doc file 'a.md' contains a link 'b.md'")]
    banner = preview_problems.banner_html(problems)
    assert "1 error, 1 warning" in banner and "&lt;b&gt;x&lt;/b&gt;" in banner
    page = '<html><body><article class="md-content__inner md-typeset"><h1>T</h1></article></body></html>'
    once = preview_problems.insert(page, banner)
    assert once.index(banner) == once.index("<h1>") - len(banner)
    assert preview_problems.insert(once, "") == page  # fixed: removed
    assert preview_problems.banner_html([]) == ""
    many = preview_problems.banner_html([problems[0]] * 60)
    assert many.count("<li>") == preview_problems.LIMIT and "and 10 more" in many
