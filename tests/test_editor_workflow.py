"""The editors' workflow from a fresh clone: add a reference by DOI, scaffold a page, format the
bibliography, read the review-due report. Metadata comes from a local HTTP server with recorded
responses, never the internet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooks import atomic, cli
from hooks.editor import bib_format
from tests.conftest import FRONT_MATTER, REPO
from tests.local_http import QuietHandler, serving

RECORDED = REPO / "tests" / "fixtures" / "http"
ROUTES = {
    "/works/10.5555/hair.2024.001": "crossref-works.json",
    "/eutils/esearch.fcgi": "esearch.json",
    "/eutils/esummary.fcgi": "esummary.json",
}


class _Recorded(QuietHandler):
    def do_GET(self) -> None:
        name = ROUTES.get(self.path.split("?", 1)[0])
        if name is None:
            self.send(404)
        else:
            self.send(200, (RECORDED / name).read_bytes())


@pytest.fixture
def metadata_server(monkeypatch):
    with serving(_Recorded) as base:
        monkeypatch.setenv("KB_CROSSREF_API", base)
        monkeypatch.setenv("KB_EUTILS_API", base + "/eutils")
        yield base


def run(project, capsys, *args):
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_add_ref_by_doi_appends_a_normalised_valid_entry(project, capsys, metadata_server):
    before = (project.root / "references.bib").read_text()
    code, out, _ = run(project, capsys, "add-ref", "--doi", "https://doi.org/10.5555/hair.2024.001",
                       "--evidence", "rct")
    assert code == 0, out
    text = (project.root / "references.bib").read_text()
    assert text.startswith(before.rstrip("\n"))
    entry = text[len(before.rstrip("\n")):]
    assert "@article{muller2024topical," in entry
    assert "author = {Müller, Alice and Okafor, Bob and {Example Hair Study Group}}," in entry
    assert "journal = {J Ex Dermatol}," in entry
    assert "pages = {101--109}," in entry
    assert "doi = {10.5555/hair.2024.001}," in entry
    assert "pmid = {99000001}," in entry
    assert "evidence = {rct}," in entry
    assert "[@muller2024topical]" in out
    project.page("t", "# T\n\nA claim [@muller2024topical].\n")
    assert [d for d in project.diagnostics() if d.is_error] == []


def test_add_ref_by_pmid_uses_pubmed_names_and_refuses_a_duplicate(project, capsys, metadata_server):
    code, out, _ = run(project, capsys, "add-ref", "--pmid", "99000001", "--evidence", "rct")
    assert code == 0, out
    assert "author = {Müller, A. and Okafor, B.}," in out
    code, _, err = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct")
    assert code == 1
    assert "already in references.bib as 'muller2024topical'" in err


def test_add_ref_without_evidence_type_asks_for_it_and_writes_nothing(project, capsys, metadata_server):
    before = (project.root / "references.bib").read_text()
    code, _, err = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001")
    assert code == 1
    assert "EVIDENCE=" in err and "PubMed suggests rct" in err
    assert (project.root / "references.bib").read_text() == before


def test_add_ref_offline_says_so_and_writes_nothing(project, capsys, monkeypatch):
    monkeypatch.setenv("KB_CROSSREF_API", "http://127.0.0.1:9")  # nothing listens on the discard port
    before = (project.root / "references.bib").read_text()
    code, _, err = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct")
    assert code == 1
    assert "offline" in err and "Nothing was written" in err
    assert (project.root / "references.bib").read_text() == before


def test_add_ref_unknown_doi(project, capsys, metadata_server):
    code, _, err = run(project, capsys, "add-ref", "--doi", "10.5555/unknown", "--evidence", "rct")
    assert code == 1 and "HTTP 404" in err


def test_new_page_scaffolds_every_section_and_never_overwrites(project, capsys):
    code, out, _ = run(project, capsys, "new-page", "--name", "Low-dose oral minoxidil", "--type", "therapy")
    assert code == 0, out
    page = project.root / "docs" / "therapies" / "low-dose-oral-minoxidil.md"
    text = page.read_text()
    for heading in ("## Key points", "## Safety", "## Regulatory status", "## What we don't know",
                    "## For clinicians", "## Questions people ask"):
        assert heading in text
    assert "last_reviewed: 2026-11-22" in text and "status: draft" in text
    rel = "docs/therapies/low-dose-oral-minoxidil.md"
    rules = {(d.line, d.rule_id) for d in project.diagnostics() if d.path == rel}
    assert (4, "FM-SCHEMA") in rules and (12, "FM-SCHEMA") in rules  # the fields to fill, by line
    assert {"FM-SCHEMA", "PAGE-NO-CLAIMS"} <= {rule for _, rule in rules}  # and its sections are still empty
    page.write_text(text + "\nEdited.\n")
    code, _, err = run(project, capsys, "new-page", "--name", "Low-dose oral minoxidil", "--type", "therapy")
    assert code == 1 and "already exists" in err
    assert page.read_text().endswith("Edited.\n")


@pytest.mark.parametrize("page_type", ["condition", "claim-check"])
def test_new_page_other_types(project, capsys, page_type):
    code, _, _ = run(project, capsys, "new-page", "--name", "Alopecia areata", "--type", page_type)
    assert code == 0
    assert "regulatory:" not in next((project.root / "docs").rglob("alopecia-areata.md")).read_text()


def test_new_page_rejects_an_unknown_type(project, capsys):
    code, _, err = run(project, capsys, "new-page", "--name", "X page", "--type", "drug")
    assert code == 1 and "TYPE must be one of" in err


MESSY = """% Header comment stays on top.

@Article{zed2020last, Year = 2020, TITLE = {Zed  {Trial}
    over lines}, author={Zed, A.}, journal = {J Z}, doi = {10.1/z}, evidence = {rct}, custom-field = {kept}}

% About the entry below.
@misc{abc2019first,
  url = {https://example.org/a},
  title = {First},
  author = {{Agency}},
  publisher = {Agency},
  year = {2019},
  evidence = {regulatory},
}
"""


def test_fmt_bib_sorts_orders_fields_and_keeps_everything(project, capsys):
    project.write("references.bib", MESSY)
    code, _, _ = run(project, capsys, "fmt-bib", "--check")
    assert code == 1
    code, _, _ = run(project, capsys, "fmt-bib")
    assert code == 0
    text = (project.root / "references.bib").read_text()
    assert text.startswith("% Header comment stays on top.\n")
    assert text.index("% About the entry below.\n@misc{abc2019first,") < text.index("@article{zed2020last,")
    assert "  title = {Zed {Trial} over lines},\n" in text
    assert "  custom-field = {kept},\n" in text
    assert text.index("  author =") < text.index("  title =") < text.index("  journal =")
    assert bib_format.format_bibliography(text) == text  # idempotent
    code, out, _ = run(project, capsys, "fmt-bib", "--check")
    assert code == 0 and "already formatted" in out


def test_fmt_bib_refuses_a_file_that_does_not_parse(project, capsys):
    broken = MESSY + "@article{bad2020x,\n  title = {open\n"
    project.write("references.bib", broken)
    code, _, err = run(project, capsys, "fmt-bib")
    assert code == 1 and "does not parse cleanly" in err
    assert (project.root / "references.bib").read_text() == broken


def test_fmt_bib_refuses_when_the_round_trip_would_lose_content(project, capsys, monkeypatch):
    project.write("references.bib", MESSY)
    monkeypatch.setattr(bib_format, "_value", lambda raw: "{}")  # a formatter bug that drops values
    code, _, err = run(project, capsys, "fmt-bib")
    assert code == 1 and "nothing was written" in err
    assert (project.root / "references.bib").read_text() == MESSY


def test_a_failed_write_leaves_the_original_untouched(tmp_path, monkeypatch):
    target = tmp_path / "references.bib"
    target.write_text("original\n")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError):
        atomic.write_text(target, "new\n")
    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["references.bib"]


def _dated(day: str) -> str:
    return FRONT_MATTER.replace("last_reviewed: 2026-06-01", f"last_reviewed: {day}")


def test_review_report_buckets_pages_by_next_review(project, capsys, tmp_path):
    body = "# T\n\nA claim [@olsen2002randomized].\n"
    project.write("docs/therapies/old.md", _dated("2025-10-01") + body)
    project.write("docs/therapies/soon.md", _dated("2025-12-10") + body)
    project.write("docs/therapies/fresh.md", _dated("2026-11-01") + body)
    project.write("docs/therapies/quarter.md", _dated("2026-01-15") + body)
    out_file = tmp_path / "report.json"
    code, _, _ = run(project, capsys, "review-report", "--format", "json", "--output", str(out_file))
    assert code == 0
    data = json.loads(out_file.read_text())
    buckets = {p["path"]: (p["bucket"], p["next_due"]) for p in data["pages"]}
    assert buckets["docs/therapies/old.md"] == ("overdue", "2026-10-01")
    assert buckets["docs/therapies/soon.md"] == ("due-30", "2026-12-10")
    assert buckets["docs/therapies/quarter.md"] == ("due-90", "2027-01-15")
    assert buckets["docs/therapies/fresh.md"] == ("later", "2027-11-01")
    assert data["counts"] == {"overdue": 1, "due-30": 1, "due-90": 1, "later": 2}
    code, out, _ = run(project, capsys, "review-report")
    assert "## Overdue (1)" in out and "52 days overdue" in out


def test_check_can_report_only_the_files_given(project, capsys):
    project.page("bad", "# T\n\nUncited claim.\n")
    code, out, _ = run(project, capsys, "check", str(project.root / "docs/therapies/sample.md"))
    assert code == 0 and "CLAIM-UNCITED" not in out
    code, out, _ = run(project, capsys, "check", str(project.root / "docs/therapies/bad.md"))
    assert code == 1 and "docs/therapies/bad.md:24:1: error CLAIM-UNCITED" in out


def test_site_nav_lists_a_folder_by_title(tmp_path: Path):
    from hooks.render.site_nav import expand

    (tmp_path / "therapies").mkdir()
    (tmp_path / "therapies" / "index.md").write_text("# Therapies\n")
    (tmp_path / "therapies" / "b.md").write_text("---\ntitle: Alpha\n---\n# A\n")
    (tmp_path / "therapies" / "a.md").write_text("---\ntitle: Zulu\n---\n# Z\n")
    nav = expand([{"Home": "index.md"}, {"Therapies": "therapies/"}, {"Empty": "nothing/"}], tmp_path)
    assert nav == [{"Home": "index.md"}, {"Therapies": ["therapies/index.md", "therapies/b.md", "therapies/a.md"]}]


@pytest.mark.parametrize(
    ("total", "current", "size", "shown"),
    [
        (5, 2, 25, range(0, 5)),  # a small section: everything
        (100, 50, 10, range(45, 55)),  # the page in the middle of its window
        (100, 0, 10, range(0, 10)),  # at the start, the window starts there
        (100, 99, 10, range(90, 100)),  # at the end, it ends there
        (100, None, 10, range(0, 10)),  # a page outside the section sees its first pages
        (100, 3, 0, range(3, 4)),  # a nonsense size still shows the page itself
    ],
)
def test_nav_window_shows_a_fixed_number_of_pages_around_the_current_one(total, current, size, shown):
    from hooks.render.nav_window import visible

    assert visible(total, current, size) == shown
