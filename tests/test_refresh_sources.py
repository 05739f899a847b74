"""`make refresh-sources` against a local HTTP server that serves recorded Crossref and PubMed
answers (tests/fixtures/http/refresh/), never the internet. Today's date is pinned.

To try the command by hand, serve the recorded answers with
`.venv/bin/python -m tests.test_refresh_sources 8765` and point the command at them:
`KB_CROSSREF_API=http://127.0.0.1:8765 KB_EUTILS_API=http://127.0.0.1:8765/eutils make refresh-sources`.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from http.server import ThreadingHTTPServer

import pytest

from hooks import cli
from hooks.editor import external_links as el
from hooks.editor import refresh_sources as rs
from tests.conftest import REPO
from tests.local_http import serving
from tests.test_external_links import Scripted

RECORDED = REPO / "tests" / "fixtures" / "http" / "refresh"
TODAY = "2026-11-22"
HITS: dict[str, int] = {}
BUSY_DOI = "10.5555/hair.2020.808"  # answered once with BUSY_STATUS, then normally
BUSY_STATUS = 429

# key -> (doi, pmid, evidence); each case is one source record with one references.bib entry
CASES = {
    "ferreira2020topical": ("10.5555/hair.2020.101", "99200001", "rct"),
    "haddad2019platelet": ("10.5555/hair.2019.202", "99200002", "rct"),
    "bellini2018saw": ("10.5555/hair.2018.303", "99200003", "rct"),
    "raman2021oral": ("10.5555/hair.2021.404", "99200004", "narrative-review"),
    "nakamura2022alopecia": ("", "99200005", "case-series"),
    "okoro2017laser": ("10.5555/hair.2017.606", "", "systematic-review"),
    "unknown2016doi": ("10.5555/hair.unknown.707", "", "cohort"),
    "ortiz2020lowdose": (BUSY_DOI, "", "cohort"),
    "lindqvist2025ritlecitinib": ("10.5555/hair.2025.909", "", "non-randomised-trial"),
    "notice2023retraction": ("10.5555/hair.2023.900", "", "not-evidence"),
}
COMMENT = "# Test record: every byte outside status, notice and checked must survive a refresh.\n"
EXCERPTS = {  # three YAML styles found in data/sources/
    '"': ('excerpts:\n  - text: "Patients aged ≥12 years: \\"quoted\\" words, a colon: and a #hash."\n'
          '    where: "abstract, Methods"\n  - text: >-\n      A folded excerpt that spans\n      two lines.\n'
          '    where: abstract\n'),
    "'": ("excerpts:\n- text: 'It''s 5% foam; women aged 18–65 years were randomised.'\n  where: abstract\n"),
    "": ("excerpts:\n- text: Hair counts rose by 12.4 hairs/cm² at week 24.\n  where: abstract, Results\n"),
}


def record_text(quote: str = '"', status: str = "ok", via: str = "manual", notice: str = "") -> str:
    q = quote
    read = (f"read:\n  - url: {q}https://pubmed.ncbi.nlm.nih.gov/99200001/{q}\n    date: {q}2026-10-01{q}\n"
            f"    part: {q}abstract{q}\n")
    return (COMMENT + read + EXCERPTS[quote] + f"status: {status}\n" + notice
            + f"checked:\n  date: {q}2026-10-01{q}\n  via: {via}\n")


def excerpt_block(text: str) -> str:
    return text[text.index("excerpts:"):text.index("status:")]


class Recorded(Scripted):
    """Scripted's way of answering, with recorded bodies: Crossref by DOI, PubMed efetch by PMID."""

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        HITS[self.path] = HITS.get(self.path, 0) + 1
        if url.path.startswith("/works/"):
            doi = urllib.parse.unquote(url.path[len("/works/"):])
            if doi == BUSY_DOI and HITS[self.path] == 1:
                retry_after = {"Retry-After": "1"} if BUSY_STATUS == 429 else {}
                self.send(BUSY_STATUS, b"Please slow down", {"Content-Type": "text/plain", **retry_after})
                return
            file = RECORDED / "crossref" / (doi.replace("/", "_") + ".json")
            if file.exists():
                self.send(200, file.read_bytes(), {"Content-Type": "application/json"})
            else:
                self.send(404, b"Resource not found.", {"Content-Type": "text/plain"})
        elif url.path == "/eutils/efetch.fcgi":
            query = urllib.parse.parse_qs(url.query)
            assert query["db"] == ["pubmed"] and query["retmode"] == ["xml"]
            file = RECORDED / "pubmed" / f"{query['id'][0]}.xml"
            body = (file if file.exists() else RECORDED / "pubmed" / "empty.xml").read_bytes()
            self.send(200, body, {"Content-Type": "text/xml; charset=UTF-8"})
        else:
            self.send(500)


@pytest.fixture
def registry(monkeypatch):
    HITS.clear()
    with serving(Recorded) as base:
        for name, value in (("KB_CROSSREF_API", base), ("KB_EUTILS_API", f"{base}/eutils")):
            monkeypatch.setenv(name, value)
        yield base


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    waited: list[float] = []
    monkeypatch.setattr(rs, "make_settings", lambda: el.Settings(
        timeout=2, retries=2, backoff=0.01, per_host_interval=0.0, max_retry_after=5, cache_days=1,
        sleep=waited.append))
    return waited


def add(project, *keys: str, quote: str = '"', **record) -> dict[str, str]:
    """Entries and records for the given cases; returns their record texts."""
    bib = project.root / "references.bib"
    for other in (project.root / "data" / "sources").glob("*.yml"):
        if other.stem not in CASES:
            other.unlink()  # the fixture site's own records: only the cases below are asked about
    texts = {}
    for key in keys:
        doi, pmid, evidence = CASES[key]
        ids = (f"  doi = {{{doi}}},\n" if doi else "") + (f"  pmid = {{{pmid}}},\n" if pmid else "")
        bib.write_text(bib.read_text() + f"\n@article{{{key},\n  author = {{Test, A.}},\n  title = {{{key}}},\n"
                       f"  journal = {{J Ex Dermatol}},\n  year = {{2020}},\n{ids}  evidence = {{{evidence}}},\n}}\n")
        texts[key] = record_text(quote, **record)
        project.write(f"data/sources/{key}.yml", texts[key])
    return texts


def refresh(project, capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--root", str(project.root), "refresh-sources", "--today", TODAY, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def load(project, key: str) -> dict:
    return rs.load_yaml((project.root / "data" / "sources" / f"{key}.yml").read_text())[1]


def text_of(project, key: str) -> str:
    return (project.root / "data" / "sources" / f"{key}.yml").read_text()


def assert_only_status_keys_changed(project, key: str, before: str) -> None:
    after = text_of(project, key)
    assert after.startswith(before[:before.index("status:")])  # comment, read and excerpts byte for byte
    assert excerpt_block(after) == excerpt_block(before)
    assert {k: v for k, v in load(project, key).items() if k not in rs.EDITED} == \
        {k: v for k, v in rs.load_yaml(before)[1].items() if k not in rs.EDITED}


def status_change(project, capsys, key: str, quote: str = '"') -> tuple[dict, str]:
    """Add one record, refresh, and check what every status change must do: exit 1 and change only
    the status keys. Returns the record as written and the report."""
    before = add(project, key, quote=quote)[key]
    code, out, _ = refresh(project, capsys)
    assert code == 1
    assert_only_status_keys_changed(project, key, before)
    return load(project, key), out


def test_an_ordinary_article_is_confirmed_ok(project, capsys, registry, sleeps):
    before = add(project, "ferreira2020topical")["ferreira2020topical"]
    code, out, err = refresh(project, capsys)
    assert code == 0, err
    data = load(project, "ferreira2020topical")
    assert data["status"] == "ok" and "notice" not in data
    assert data["checked"] == {"date": TODAY, "via": "crossref"}
    assert_only_status_keys_changed(project, "ferreira2020topical", before)
    assert "1 of 1 source records checked" in out and "0 status change(s)" in out
    assert "## " not in out  # nothing to list


def test_a_retraction_seen_through_crossref_updated_by(project, capsys, registry, sleeps):
    data, out = status_change(project, capsys, "haddad2019platelet")
    assert data["status"] == "retracted"
    assert data["notice"] == {"doi": "10.5555/hair.2023.900", "date": "2023-03-14"}
    assert data["checked"] == {"date": TODAY, "via": "crossref"}
    assert "## Status changes (1)" in out
    assert ("| `haddad2019platelet` | ok → retracted | [10.5555/hair.2023.900](https://doi.org/10.5555/hair.2023.900), "
            "2023-03-14 | crossref: retraction (") in out


def test_a_retraction_seen_only_through_pubmed(project, capsys, registry, sleeps):
    data, out = status_change(project, capsys, "bellini2018saw", quote="'")
    assert data["status"] == "retracted"
    assert data["notice"] == {"doi": "10.5555/hair.2022.903", "date": "2022-09-12"}  # from the notice's record
    assert data["checked"] == {"date": TODAY, "via": "pubmed"}
    assert "notice:\n  doi: '10.5555/hair.2022.903'\n  date: '2022-09-12'\n" in text_of(project, "bellini2018saw")
    assert "| `bellini2018saw` | ok → retracted |" in out and "pubmed: " in out


def test_a_corrected_article_and_an_evidence_type_disagreement(project, capsys, registry, sleeps):
    data, out = status_change(project, capsys, "raman2021oral", quote="")
    assert data["status"] == "corrected"
    assert data["notice"] == {"doi": "10.5555/hair.2021.904", "date": "2021-06-02"}
    assert data["checked"]["via"] == "crossref"  # Crossref and PubMed agree; Crossref has the notice's DOI
    assert "| `raman2021oral` | ok → corrected |" in out
    assert "## Evidence type disagrees with PubMed (1)" in out
    assert "| `raman2021oral` | narrative-review | Journal Article, Meta-Analysis, Review, Systematic Review " \
           "(suggests systematic-review) |" in out


def test_an_expression_of_concern_by_pmid_only(project, capsys, registry, sleeps):
    data, out = status_change(project, capsys, "nakamura2022alopecia")
    assert data["status"] == "expression-of-concern"
    assert data["notice"] == {"doi": "10.5555/hair.2024.905", "date": "2024-02-05"}  # PubDate 2024 Feb 5
    assert data["checked"] == {"date": TODAY, "via": "pubmed"}
    assert "ok → expression-of-concern" in out and "Evidence type" not in out  # Case Reports = case-series


def test_a_withdrawn_review(project, capsys, registry, sleeps):
    data, out = status_change(project, capsys, "okoro2017laser")
    assert data["status"] == "withdrawn"
    assert data["notice"] == {"doi": "10.5555/hair.2020.906", "date": "2020-01-22"}
    assert data["checked"]["via"] == "crossref"
    assert "| `okoro2017laser` | ok → withdrawn |" in out and "withdrawal (retraction-watch)" in out


def test_a_doi_crossref_does_not_know_is_reported_and_the_record_left_alone(project, capsys, registry, sleeps):
    before = add(project, "unknown2016doi")["unknown2016doi"]
    code, out, _ = refresh(project, capsys)
    assert code == 0
    assert text_of(project, "unknown2016doi") == before
    assert "## Could not be checked (1)" in out
    assert "| `unknown2016doi` | Crossref does not know DOI 10.5555/hair.unknown.707 (HTTP 404) |" in out
    assert "0 of 1 source records checked" in out


def test_429_backs_off_then_succeeds_and_answers_are_cached(project, capsys, registry, sleeps):
    before = add(project, "ortiz2020lowdose")["ortiz2020lowdose"]
    code, out, _ = refresh(project, capsys)
    assert code == 0, out
    path = f"/works/{BUSY_DOI}"
    assert HITS[path] == 2 and 1.0 in sleeps  # Retry-After: 1 honoured, then asked again
    data = load(project, "ortiz2020lowdose")
    assert data["status"] == "ok" and data["checked"] == {"date": TODAY, "via": "crossref"}
    assert_only_status_keys_changed(project, "ortiz2020lowdose", before)
    assert "Could not be checked" not in out
    refresh(project, capsys)
    assert HITS[path] == 2  # the second run reads the cache
    assert (project.root / ".cache" / "refresh-sources.json").exists()


def test_a_5xx_answer_is_retried_after_a_backoff(project, capsys, registry, sleeps, monkeypatch):
    monkeypatch.setitem(globals(), "BUSY_STATUS", 503)
    add(project, "ortiz2020lowdose")
    code, out, _ = refresh(project, capsys)
    assert code == 0 and "Could not be checked" not in out
    assert HITS[f"/works/{BUSY_DOI}"] == 2 and sleeps == [0.01]
    assert load(project, "ortiz2020lowdose")["checked"]["via"] == "crossref"


def test_an_unreadable_cache_entry_is_asked_again(project, capsys, registry, sleeps):
    add(project, "ferreira2020topical")
    cache = project.root / ".cache" / "refresh-sources.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    fresh = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")  # young enough to be reused if readable
    cache.write_text(json.dumps({"crossref:10.5555/hair.2020.101": {"state": "ok", "detail": '{"old": 1}',
                                                                   "checked_at": fresh}}))
    code, out, _ = refresh(project, capsys)
    assert code == 0 and "Could not be checked" not in out
    assert HITS["/works/10.5555/hair.2020.101"] == 1


def test_offline_says_so_once_and_writes_nothing(project, capsys, monkeypatch, sleeps):
    monkeypatch.setenv("KB_CROSSREF_API", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("KB_EUTILS_API", "http://127.0.0.1:9/eutils")
    texts = add(project, "ferreira2020topical", "haddad2019platelet", "nakamura2022alopecia")
    report = project.root / "status.md"
    code, out, err = refresh(project, capsys, "--output", str(report))
    assert code == 2
    assert err.count("you seem to be offline") == 1 and "Nothing was written" in err
    assert "Traceback" not in err and out == ""
    assert all(text_of(project, key) == text for key, text in texts.items())
    assert not report.exists() and not (project.root / ".cache" / "refresh-sources.json").exists()


def test_a_status_set_by_hand_is_never_lowered(project, capsys, registry, sleeps):
    notice = 'notice:\n  url: "https://pubmed.ncbi.nlm.nih.gov/99200909/"\n  date: "2026-09-01"\n'
    before = add(project, "lindqvist2025ritlecitinib", status="corrected", notice=notice)["lindqvist2025ritlecitinib"]
    code, out, _ = refresh(project, capsys)
    assert code == 0
    assert text_of(project, "lindqvist2025ritlecitinib") == before
    assert "| `lindqvist2025ritlecitinib` | recorded corrected (set by hand: never lowered by the registries); " \
           "crossref reports ok |" in out


def test_a_cited_notice_is_pointed_out(project, capsys, registry, sleeps):
    add(project, "notice2023retraction")
    code, out, _ = refresh(project, capsys)
    assert code == 0
    assert "## Cited identifiers that are themselves notices (1)" in out
    assert "this DOI is itself a retraction notice (for 10.5555/hair.2019.202)" in out


def test_dry_run_reports_and_writes_no_record(project, capsys, registry, sleeps, tmp_path):
    texts = add(project, "haddad2019platelet", "bellini2018saw", "ferreira2020topical")
    report = tmp_path / "status.md"
    code, out, _ = refresh(project, capsys, "--dry-run", "--output", str(report))
    assert code == 1
    assert all(text_of(project, key) == text for key, text in texts.items())
    assert "Dry run: no record was changed" in out and "## Status changes (2)" in out
    assert report.read_text() == out and out.startswith(f"<!-- {rs.MARKER} -->")


def test_the_global_today_option_works_too(project, capsys, registry, sleeps):
    add(project, "ferreira2020topical")
    code = cli.main(["--root", str(project.root), "--today", "2026-11-20", "refresh-sources"])
    assert code == 0 and "on 2026-11-20" in capsys.readouterr().out
    assert load(project, "ferreira2020topical")["checked"]["date"] == "2026-11-20"


@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_edit_record_changes_only_the_three_keys(quote):
    before = record_text(quote)
    after = rs.edit_record(before, {"status": "retracted", "notice": {"doi": "10.5555/x'1", "date": "2023-01-02"},
                                    "checked": {"date": TODAY, "via": "crossref"}})
    assert after.startswith(before[:before.index("status:")])
    data = rs.load_yaml(after)[1]
    assert data["notice"] == {"doi": "10.5555/x'1", "date": "2023-01-02"} and data["status"] == "retracted"
    assert after.index("status:") < after.index("notice:") < after.index("checked:")


def test_edit_record_keeps_crlf_and_flow_style_and_a_trailing_comment():
    before = "read: []\r\nexcerpts: []\r\nstatus: ok\r\nchecked: {date: '2026-01-01', via: manual}\r\n# end\r\n"
    after = rs.edit_record(before, {"checked": {"date": TODAY, "via": "pubmed"}})
    assert after == ("read: []\r\nexcerpts: []\r\nstatus: ok\r\n"
                     f"checked:\r\n  date: '{TODAY}'\r\n  via: pubmed\r\n# end\r\n")


if __name__ == "__main__":  # serve the recorded answers for trying the command by hand
    import sys

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    print(f"serving recorded Crossref and PubMed answers on http://127.0.0.1:{port} (Ctrl-C stops)")
    ThreadingHTTPServer(("127.0.0.1", port), Recorded).serve_forever()
