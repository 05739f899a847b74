"""ProperDocs (PyPI `properdocs`, the continuation of MkDocs 1.6) builds the site as MkDocs does.

`properdocs build` aliases every `mkdocs.*` import to `properdocs.*` before it loads the config,
so mkdocs.yml, Material, mkdocs-bibtex and hooks/mkdocs_hooks.py (CombinedEvent, event_priority,
get_plugin_logger, File, structure.nav) run unchanged. These tests build the fixture site of
tests/test_build.py with it: the hooks' outputs are there, a bad page still fails the strict build
with path:line, and the site equals the MkDocs build of the same copy but for the generator tag.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FRONT_MATTER
from tests.test_build import make_site, page_html

pytestmark = pytest.mark.build

GENERATOR = re.compile(rb'\s*<meta name="generator" content="[^"]*">')


def _require(module: str) -> None:
    """Skip without `module`; in CI (CI=true) fail instead, so the test cannot be skipped silently."""
    if importlib.util.find_spec(module) is not None:
        return
    reason = (f"{module} is not importable in {sys.executable}: "
              f"install it (requirements.in) to run the {module} build test")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def build(root: Path, tool: str = "properdocs", today: str = "2026-11-22") -> subprocess.CompletedProcess[str]:
    _require(tool)
    env = {**os.environ, "KB_TODAY": today, "SOURCE_DATE_EPOCH": "1764000000", "NO_COLOR": "1",
           "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    # -f: ProperDocs looks for properdocs.yml first and only notes (INFO) the mkdocs.yml fallback
    return subprocess.run([sys.executable, "-m", tool, "build", "--strict", "-f", "mkdocs.yml"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    _require("properdocs")
    root = make_site(tmp_path_factory.mktemp("properdocs"))
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_properdocs_builds_the_site_strict(built):
    html = (built / "site" / "therapies" / "sample" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="generator" content="[^"]*ProperDocs \d', html), "not built by ProperDocs"


def test_hooks_run_under_properdocs(built):
    html = page_html(built)
    # on_page_markdown/on_page_content (CombinedEvent, event_priority): numbered citations, AMA list
    assert re.search(r'href="#fn:olsen2002randomized">1</a></sup><sup class="cite-sep">,</sup>', html)
    refs = html[html.index('<div class="footnote"'):]
    assert "<em>J Am Acad Dermatol</em>. 2002;47(3):377\u2013385." in refs
    assert '<span class="evidence-label evidence-rct">RCT</span>' in refs
    assert "Code like [@not-a-key] and `[@olsen2002randomized]` is shown as written." in html
    # page head from front matter, and the JSON-LD/CSP of on_post_page
    assert '<dt>Last reviewed</dt><dd><time datetime="2026-06-01">1 June 2026</time></dd>' in html
    assert '<script type="application/ld+json">' in html
    # on_files (File.generated): review-due report, bibliography, glossary, claims.json
    assert "Review-due report" in page_html(built, "editors/review-due/index.html")
    assert "Olsen EA" in page_html(built, "about/bibliography/index.html")
    assert "<strong>SALT</strong>" in page_html(built, "about/glossary/index.html")
    register = json.loads((built / "site" / "claims.json").read_text(encoding="utf-8"))
    assert any(c["page"] == "docs/therapies/sample.md" for c in register["claims"])


def test_a_bad_page_fails_the_properdocs_build_naming_path_and_line(tmp_path):
    _require("properdocs")
    root = make_site(tmp_path)
    (root / "docs" / "therapies" / "bad.md").write_text(FRONT_MATTER + "# Bad\n\nClaim [@nobody2099unknown].\n",
                                                         encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "docs/therapies/bad.md:24:7" in output and "CITE-UNKNOWN-KEY" in output, output
    assert "Traceback" not in output


def test_properdocs_and_mkdocs_build_the_same_site(built, tmp_path):
    _require("mkdocs")  # material requires mkdocs, so the two are installed side by side
    other = make_site(tmp_path)
    result = build(other, tool="mkdocs")
    assert result.returncode == 0, result.stdout + result.stderr

    def files(root: Path) -> dict[str, bytes]:
        site = root / "site"
        return {p.relative_to(site).as_posix(): GENERATOR.sub(b"", p.read_bytes())
                for p in sorted(site.rglob("*")) if p.is_file()}

    ours, theirs = files(built), files(other)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
