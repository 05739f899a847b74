"""The scheduled external link check, against a local HTTP server that scripts 200, 301, 404, 429,
slow and reset responses, plus stand-ins for the DOI resolver and PubMed. Never the internet."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time

import pytest

from hooks import cli
from hooks.editor import external_links as el
from tests.local_http import QuietHandler, serving

HITS: dict[str, int] = {}


class Scripted(QuietHandler):
    protocol_version = "HTTP/1.1"
    content_type = None

    def _route(self) -> None:
        path = self.path.split("?", 1)[0]
        HITS[path] = HITS.get(path, 0) + 1
        if path == "/ok":
            self.send(200, b"fine")
        elif path == "/moved":
            self.send(301, headers={"Location": "/ok"})
        elif path == "/loop":
            self.send(302, headers={"Location": "/loop"})
        elif path == "/gone":
            self.send(404)
        elif path == "/busy":
            self.send(429, headers={"Retry-After": "3600"})
        elif path == "/busy-briefly":
            self.send(429 if HITS[path] == 1 else 200, headers={"Retry-After": "0"})
        elif path == "/flaky":
            self.send(503 if HITS[path] < 3 else 200)
        elif path == "/no-head":
            self.send(405 if self.command == "HEAD" else 200)
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200)
        elif path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
        elif path.startswith("/handles/10.1000/known"):
            self.send(200, json.dumps({"responseCode": 1, "handle": "10.1000/known"}).encode())
        elif path.startswith("/handles/"):
            self.send(404, json.dumps({"responseCode": 100}).encode())
        elif path == "/eutils/esummary.fcgi":
            pmid = self.path.rsplit("id=", 1)[-1]
            record = {"uid": pmid} if pmid == "123" else {"uid": pmid, "error": "cannot get document summary"}
            self.send(200, json.dumps({"result": {"uids": [pmid], pmid: record}}).encode())
        else:
            self.send(500)

    do_GET = _route
    do_HEAD = _route


@pytest.fixture
def server():
    HITS.clear()
    with serving(Scripted) as base:
        yield base


def checker(base: str, sleeps: list[float] | None = None) -> el.Checker:
    record = sleeps if sleeps is not None else []
    settings = el.Settings(timeout=0.5, retries=2, backoff=0.01, per_host_interval=0.0, cache_days=7,
                           max_retry_after=5, doi_api=base + "/handles", eutils_api=base + "/eutils",
                           sleep=lambda s: (record.append(s), time.sleep(min(s, 0.01))))
    return el.Checker(settings)


def state(base: str, path: str, **kwargs) -> tuple[str, str]:
    result = checker(base, **kwargs).check(el.Target("url", base + path, "docs/x.md:1"))
    return result.state, result.detail


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/ok", el.OK), ("/moved", el.REDIRECTED), ("/gone", el.BROKEN), ("/busy", el.RETRY_LATER),
     ("/busy-briefly", el.OK), ("/flaky", el.OK), ("/no-head", el.OK), ("/slow", el.UNREACHABLE),
     ("/reset", el.UNREACHABLE), ("/loop", el.BROKEN)],
)
def test_each_kind_of_response(server, path, expected):
    assert state(server, path)[0] == expected


def test_429_is_try_later_not_broken_and_retry_after_is_honoured(server):
    sleeps: list[float] = []
    assert state(server, "/busy", sleeps=sleeps)[0] == el.RETRY_LATER
    assert HITS["/busy"] == 1 and 3600 not in sleeps  # a long Retry-After is not waited for
    assert state(server, "/busy-briefly")[0] == el.OK


def test_transient_errors_are_retried_with_exponential_backoff(server):
    sleeps: list[float] = []
    assert state(server, "/flaky", sleeps=sleeps)[0] == el.OK
    assert sleeps[:2] == [0.01, 0.02]


def test_dois_go_to_the_resolver_and_pmids_to_pubmed(server):
    check = checker(server)
    assert check.check(el.Target("doi", "10.1000/known", "r.bib:1")).state == el.OK
    assert check.check(el.Target("doi", "10.1000/unknown", "r.bib:2")).state == el.BROKEN
    assert check.check(el.Target("pmid", "123", "r.bib:3")).state == el.OK
    assert check.check(el.Target("pmid", "999", "r.bib:4")).state == el.BROKEN


def test_per_host_rate_limit_spaces_requests():
    waits: list[float] = []
    pacer = el._HostPacer(0.2, waits.append)
    with pacer("a.example"):
        pass
    with pacer("a.example"):
        pass
    with pacer("b.example"):
        pass
    assert len(waits) == 1 and 0 < waits[0] <= 0.2


def test_cache_reuses_recent_good_results_and_expires(server):
    cache: dict[str, dict[str, str]] = {}
    targets = [el.Target("url", server + "/ok", "docs/x.md:1"), el.Target("url", server + "/gone", "docs/x.md:2")]
    el.run(targets, checker(server), cache)
    assert HITS["/ok"] == 1 and list(cache) == [f"url:{server}/ok"]  # failures are never cached
    again = el.run(targets, checker(server), cache)
    assert HITS["/ok"] == 1 and HITS["/gone"] == 2
    assert next(r for r in again if r.target.value.endswith("/ok")).cached
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    el.run(targets, checker(server), cache, now=later)
    assert HITS["/ok"] == 2


def test_command_reports_broken_links_from_content_and_bibliography(project, capsys, server, monkeypatch, tmp_path):
    monkeypatch.setenv("KB_DOI_API", server + "/handles")
    monkeypatch.setenv("KB_EUTILS_API", server + "/eutils")
    project.page("t", f"# T\n\nSee [ok]({server}/ok) and [gone]({server}/gone) [@olsen2002randomized].\n")
    bib = project.root / "references.bib"
    bib.write_text(bib.read_text().replace("doi = {10.1067/mjd.2002.124088}", "doi = {10.1000/unknown}")
                   .replace("pmid = {12196747}", "pmid = {123}")
                   .replace("https://www.fda.gov/vaccines-blood-biologics/safety-availability-biologics/"
                            "public-safety-notification-exosome-products", server + "/moved"))
    report = tmp_path / "report.md"
    code = cli.main(["--root", str(project.root), "linkcheck-external", "--output", str(report),
                     "--cache", str(tmp_path / "cache.json")])
    text = report.read_text()
    assert code == 1
    assert "## Broken (2)" in text and f"`{server}/gone`" in text and "`10.1000/unknown`" in text
    assert "docs/therapies/t.md:24" in text and "## Redirected (1)" in text
    assert json.loads((tmp_path / "cache.json").read_text())
