"""`make surveil` against a local E-utilities server with recorded responses: new records ranked,
those already cited dropped, the query's recall of the page's own references, 429 and offline."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from hooks import cli
from hooks.editor import external_links as el
from hooks.editor import refresh_sources as rs
from tests.conftest import FRONT_MATTER, REPO
from tests.local_http import QuietHandler, serving

RECORDED = REPO / "tests" / "fixtures" / "http" / "surveil"
SURVEILLED = FRONT_MATTER.replace("evidence_note:", "surveillance:\n  query: minoxidil AND alopecia\n"
                                  "  record_types: [guideline, systematic-review, rct]\nevidence_note:")
CALLS: list[dict[str, list[str]]] = []
BUSY = {"first": False}


class Eutils(QuietHandler):
    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        CALLS.append(query)
        if BUSY["first"]:
            BUSY["first"] = False
            self.send(429, b"slow down", {"Retry-After": "1"})
        elif url.path == "/eutils/esearch.fcgi":
            name = "esearch-recall.json" if "[uid]" in query["term"][0] else "esearch-new.json"
            self.send(200, (RECORDED / name).read_bytes())
        elif url.path == "/eutils/esummary.fcgi":
            self.send(200, (RECORDED / "esummary.json").read_bytes())
        else:
            self.send(404, b"")


@pytest.fixture
def eutils(monkeypatch):
    CALLS.clear()
    with serving(Eutils) as base:
        monkeypatch.setenv("KB_EUTILS_API", base + "/eutils")
        monkeypatch.setattr(rs, "make_settings", lambda: el.Settings(
            timeout=2, retries=2, backoff=0.01, per_host_interval=0.0, max_retry_after=5, sleep=lambda s: None))
        yield base


def surveil(project, capsys, *args):
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", "surveil", *args])
    return code, capsys.readouterr()


def test_new_records_are_ranked_and_cited_ones_dropped(project, capsys, eutils):
    project.page("t", "# T\n\nIt works in men [@olsen2002randomized].\n", SURVEILLED)
    code, out = surveil(project, capsys)
    assert code == 1, out.err
    report = json.loads((project.root / "surveillance" / "therapies-t.json").read_text())
    assert [(f["pmid"], f["kind"]) for f in report["found"]] == [
        ("99300002", "guideline"), ("99300004", "systematic-review"), ("99300003", "rct"), ("99300005", "other")]
    assert report["already_cited"] == 1
    assert (report["recall_found"], report["own_pmids"], report["low_recall"]) == (1, 1, False)
    search = next(c for c in CALLS if c.get("mindate"))
    assert search["mindate"] == ["2026/06/02"] and search["maxdate"] == ["2026/11/22"]
    assert search["term"] == ["minoxidil AND alopecia"]
    markdown = (project.root / "surveillance" / "therapies-t.md").read_text()
    assert "| 1 | guideline | 2026-07-01 | S3 guideline for the treatment of androgenetic alopecia. |" in markdown
    assert "https://pubmed.ncbi.nlm.nih.gov/99300002/" in markdown
    assert "evidence_current_to: 2026-11-22" in markdown
    assert "Test therapy" in (project.root / "surveillance" / "README.md").read_text()


def test_a_query_that_misses_the_pages_own_sources_is_reported(project, capsys, eutils, monkeypatch):
    project.page("t", "# T\n\nIt works in men [@olsen2002randomized].\n", SURVEILLED)
    original = Eutils.do_GET

    def no_recall(self):
        if "[uid]" in self.path or "%5Buid%5D" in self.path:
            self.send(200, b'{"esearchresult": {"count": "0", "idlist": []}}')
        else:
            original(self)

    monkeypatch.setattr(Eutils, "do_GET", no_recall)
    _, out = surveil(project, capsys)
    assert "finds 0 of the page's 1 PubMed-indexed references" in out.err
    assert json.loads((project.root / "surveillance" / "therapies-t.json").read_text())["low_recall"] is True


def test_an_api_key_is_sent_and_429_is_waited_out(project, capsys, eutils, monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "secret-key")
    BUSY["first"] = True
    project.page("t", "# T\n\nIt works in men [@olsen2002randomized].\n", SURVEILLED)
    code, out = surveil(project, capsys)
    assert code == 1, out.err
    assert all(call.get("api_key") == ["secret-key"] for call in CALLS)


def test_offline_says_so_and_writes_nothing(project, capsys, monkeypatch):
    monkeypatch.setenv("KB_EUTILS_API", "http://127.0.0.1:9/eutils")
    monkeypatch.setattr(rs, "make_settings", lambda: el.Settings(timeout=1, retries=0, sleep=lambda s: None))
    project.page("t", "# T\n\nIt works in men [@olsen2002randomized].\n", SURVEILLED)
    code, out = surveil(project, capsys)
    assert code == 2
    assert "are you offline? Nothing was written." in out.err and "Traceback" not in out.err
    assert not (project.root / "surveillance").exists()


def test_pages_without_a_declared_search_are_skipped(project, capsys, eutils):
    code, out = surveil(project, capsys)
    assert code == 0 and "No clinical page declares" in out.err and CALLS == []
