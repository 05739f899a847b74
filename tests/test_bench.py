"""`make bench` keeps working: a tiny run reports every measurement (numbers are not asserted;
the benchmark is a command to read, not a timed test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from bench import replicas
from tests.conftest import REPO

pytestmark = pytest.mark.build

ROWS = ("bare build", "bare build, bounded navigation", "full build, cold cache", "full build, warm cache",
        "rebuild after editing one page", "check, cold", "check, warm")
NUMBER = r"[\d.]+"


def test_the_benchmark_reports_every_measurement_against_its_baselines():
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # real pages: at least the real site (3 pages are raised to all of them), then 4 pages more than that
    pages = sum(1 for _ in (REPO / "docs").rglob("*.md"))
    command = [sys.executable, "-m", "bench.run", "--sizes", f"3,{pages + 4}", "--runs", "1", "--entries", "40",
               "--synthetic-sizes", "3"]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    # pages, check errors, full, plain, ratio, ms a page (2), peak memory (2), check alone, processor (2)
    real = re.findall(rf"^\| (\d+) \| \d+ \| {NUMBER} \| {NUMBER} \| {NUMBER}x \| {NUMBER} \| {NUMBER} \| \d+ \| \d+ "
                      rf"\| {NUMBER} \| {NUMBER} \| {NUMBER} \|$", out, re.M)
    assert real == [str(pages), str(pages + 4)], out
    assert re.search(rf"^Time a page at {pages + 4} pages against {pages} pages: full build {NUMBER}x, "
                     rf"plain Material {NUMBER}x", out, re.M), out
    for build in ("full build", "plain Material"):  # the exosome page: HTML, on load, first search, with the index
        assert re.search(rf"^\| {build} \| {NUMBER} \| {NUMBER} \| {NUMBER} \| {NUMBER} \|$", out, re.M), build
    # synthetic pages: time, memory, two ratios
    for row in ROWS:
        line = rf"^\| 3 \| {re.escape(row)} \| {NUMBER} \| \d+ \| {NUMBER}x \| {NUMBER}x \|$"
        assert re.search(line, out, re.M), row


def test_replicas_keep_titles_and_aliases_unique_and_the_rest_of_the_page_as_it_is():
    page = (REPO / "docs" / "therapies" / "exosomes.md").read_text(encoding="utf-8")
    copy = replicas.replica(page, 7)
    assert "title: \"Exosomes and extracellular vesicles (replica 7)\"" in copy
    assert '  - "EVs r7"' in copy and "  - EVs\n" not in copy
    assert copy.split("\n---\n", 1)[1] == page.split("\n---\n", 1)[1]  # the Markdown itself, byte for byte
    inline = replicas.replica("---\ntitle: A\naliases: [b, 'c d']\ntype: therapy\n---\n# A\n", 2)
    assert 'title: "A (replica 2)"' in inline and 'aliases: ["b r2", "c d r2"]' in inline


def test_the_plain_baseline_is_material_alone_with_its_own_navigation():
    config = replicas.plain_config((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[0])
    assert "plugins:\n  - search\n" in config
    for gone in ("bibtex", "hooks:", "custom_dir", "extra_javascript", "\nnav:"):
        assert gone not in config, gone


def test_the_lighthouse_server_sends_gzip_as_a_static_host_would(tmp_path):
    import gzip
    import urllib.request

    from bench import lighthouse

    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>" + "text " * 500 + "</p>", encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG....")
    server, base = lighthouse.serve(tmp_path)
    try:
        request = urllib.request.Request(base + "page/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode() == (tmp_path / "page" / "index.html").read_text()
        with urllib.request.urlopen(base + "page/") as response:  # a client that does not accept gzip
            assert response.headers["Content-Encoding"] is None and response.read().startswith(b"<p>text")
        request = urllib.request.Request(base + "logo.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:  # images are sent as they are
            assert response.headers["Content-Encoding"] is None
    finally:
        server.shutdown()
