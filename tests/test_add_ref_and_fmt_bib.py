"""`make add-ref` and `make fmt-bib` as an editor meets them (issue 15, item 10): add-ref keeps the
bibliography in canonical layout and starts the source record; fmt-bib --check names what is out of
place; EVIDENCE is read in any case; the documented examples and settings are real."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from hooks import cli
from hooks.editor import bib_format, commands, source_skeleton
from hooks.editor.reference_lookup import Reference
from tests.conftest import REPO
from tests.local_http import QuietHandler, serving

RECORDED = REPO / "tests" / "fixtures" / "http"
CROSSREF = json.loads((RECORDED / "crossref-works.json").read_text(encoding="utf-8"))
RETRACTION = {"type": "retraction", "DOI": "10.5555/hair.2025.999", "source": "publisher",
              "updated": {"date-parts": [[2025, 2, 3]]}}


@pytest.fixture
def registry(monkeypatch):
    routes = {
        "/works/10.5555/hair.2024.001": json.dumps(CROSSREF).encode(),
        "/eutils/esearch.fcgi": (RECORDED / "esearch.json").read_bytes(),
        "/eutils/esummary.fcgi": (RECORDED / "esummary.json").read_bytes(),
    }
    class Routes(QuietHandler):  # answers from `routes`, which a test may change
        def do_GET(self) -> None:
            body = routes.get(self.path.split("?", 1)[0])
            self.send(200 if body is not None else 404, body or b"")

    with serving(Routes) as base:
        monkeypatch.setenv("KB_CROSSREF_API", base)
        monkeypatch.setenv("KB_EUTILS_API", base + "/eutils")
        yield routes


def run(project, capsys, *args):
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def test_add_ref_keeps_a_formatted_bibliography_formatted(project, capsys, registry):
    bib = project.root / "references.bib"
    bib.write_text(bib_format.format_bibliography(bib.read_text()))
    code, out, _ = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct")
    assert code == 0, out
    text = bib.read_text()
    assert text.index("@misc{fda2019exosome,") < text.index("@article{muller2024topical,") < text.index(
        "@article{olsen2002randomized,")
    code, out, _ = run(project, capsys, "fmt-bib", "--check")
    assert code == 0 and "already formatted" in out


def test_add_ref_accepts_evidence_in_capitals(project, capsys, registry):
    code, out, _ = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "RCT")
    assert code == 0, out
    assert "evidence = {rct}," in (project.root / "references.bib").read_text()


def test_add_ref_names_the_closest_evidence_type(project, capsys, registry):
    code, _, err = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "cohrt")
    assert code == 1 and "did you mean 'cohort'?" in err


def test_add_ref_starts_a_valid_source_record(project, capsys, registry):
    code, out, _ = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct")
    assert code == 0, out
    path = project.root / "data" / "sources" / "muller2024topical.yml"
    text = path.read_text()
    data = yaml.safe_load(text)
    assert data["read"] == [
        {"url": "https://api.crossref.org/works/10.5555/hair.2024.001", "part": "metadata", "date": "2026-11-22"},
        {"url": "https://pubmed.ncbi.nlm.nih.gov/99000001/", "part": "metadata", "date": "2026-11-22"},
    ]
    assert data["excerpts"] == [] and data["status"] == "ok"
    assert data["checked"] == {"date": "2026-11-22", "via": "crossref"}
    assert source_skeleton.problems(text, project.root / "schema" / "source-record.schema.json") == []
    assert "add to its excerpts" in out
    errors = [d for d in project.diagnostics() if d.is_error and "muller2024topical" in d.path]
    assert errors == []


def test_add_ref_records_a_retraction_that_crossref_reports(project, capsys, registry):
    registry["/works/10.5555/hair.2024.001"] = json.dumps(
        {"message": {**CROSSREF["message"], "updated-by": [RETRACTION]}}).encode()
    code, _, err = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct")
    assert code == 0
    data = yaml.safe_load((project.root / "data" / "sources" / "muller2024topical.yml").read_text())
    assert data["status"] == "retracted"
    assert data["notice"] == {"doi": "10.5555/hair.2025.999", "date": "2025-02-03"}
    assert "retracted" in err


def test_pubmed_retracted_publication_is_read_too():
    ref = Reference(pmid="123", pubmed_pubtypes=["Journal Article", "Retracted Publication"])
    data = yaml.safe_load(source_skeleton.skeleton_text("x2020y", ref, __import__("datetime").date(2026, 11, 22)))
    assert data["status"] == "retracted" and data["checked"]["via"] == "pubmed"
    assert data["notice"]["url"] == "https://pubmed.ncbi.nlm.nih.gov/123/"


def test_add_ref_never_overwrites_a_source_record(project, capsys, registry):
    path = project.write("data/sources/muller2024topical.yml", "# mine\n")
    code, out, _ = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct")
    assert code == 0 and "already exists" in out
    assert path.read_text() == "# mine\n"


def test_add_ref_dry_run_writes_no_record(project, capsys, registry):
    code, out, _ = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct",
                       "--dry-run")
    assert code == 0 and "excerpts: []" in out
    assert not (project.root / "data" / "sources" / "muller2024topical.yml").exists()


def test_the_prompt_lists_no_empty_choice_and_takes_any_case(project, capsys, registry, monkeypatch):
    monkeypatch.setenv("KB_INTERACTIVE", "1")
    answers = iter(["strong", "Systematic Review"])
    prompts = []

    def fake_input(prompt):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    code, out, _ = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001")
    assert code == 0, out
    assert "evidence = {systematic-review}," in (project.root / "references.bib").read_text()
    retry = next(line for line in out.splitlines() if "please answer one of" in line)
    assert retry.endswith("preclinical, not-evidence (or press Enter)"), retry  # no empty choice after the last
    assert "[Enter: rct, as PubMed suggests]" in prompts[0]


def test_enter_accepts_the_suggestion(project, capsys, registry, monkeypatch):
    monkeypatch.setenv("KB_INTERACTIVE", "1")
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    code, _, _ = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001")
    assert code == 0
    assert "evidence = {rct}," in (project.root / "references.bib").read_text()


def test_fmt_bib_check_names_the_entries_out_of_place(project, capsys):
    bib = project.root / "references.bib"
    formatted = bib_format.format_bibliography(bib.read_text())
    appended = formatted + "\n@article{aaa2020first, title = {T}, author = {A}, year = {2020},\n" \
                           "  journal = {J}, doi = {10.1000/a}, evidence = {rct}}\n"
    bib.write_text(appended)
    line = appended.split("\n").index("@article{aaa2020first, title = {T}, author = {A}, year = {2020},") + 1
    code, _, err = run(project, capsys, "fmt-bib", "--check")
    assert code == 1
    assert f"references.bib:{line}: 'aaa2020first' is out of order: sorted by key, it belongs before " \
           "'fda2019exosome' (line 1)" in err
    assert f"references.bib:{line}: 'aaa2020first' is not laid out canonically" in err


def test_fmt_bib_check_names_a_blank_line_problem(project, capsys):
    bib = project.root / "references.bib"
    bib.write_text(bib_format.format_bibliography(bib.read_text()).replace("}\n\n", "}\n\n\n", 1))
    code, _, err = run(project, capsys, "fmt-bib", "--check")
    assert code == 1 and "blank lines or comments differ" in err and "references.bib:" in err


def test_add_ref_refuses_a_bibliography_with_a_merge_conflict(project, capsys, registry):
    bib = project.root / "references.bib"
    bib.write_text("<<<<<<< HEAD\n=======\n>>>>>>> other\n" + bib.read_text())
    code, _, err = run(project, capsys, "add-ref", "--doi", "10.5555/hair.2024.001", "--evidence", "rct")
    assert code == 1 and "does not parse cleanly" in err


def test_new_page_next_steps_mention_source_records(project, capsys):
    code, out, _ = run(project, capsys, "new-page", "--name", "Topical test", "--type", "therapy")
    assert code == 0
    assert "data/sources/<key>.yml" in out and "sources_traced: true" in out


def test_contributing_documents_the_local_servers_and_examples_that_work():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "KB_CROSSREF_API" in text and "KB_EUTILS_API" in text
    bib = (REPO / "references.bib").read_text(encoding="utf-8").lower()
    examples = re.findall(r"make add-ref (DOI|PMID)=(\S+)", text)
    assert len(examples) >= 2
    for kind, value in examples:
        assert f"{kind.lower()} = {{{value.lower()}}}" not in bib, f"the example {kind}={value} is already there"


def test_every_blocking_rule_is_known_to_add_ref():
    assert set(commands.BLOCKING) == {"BIB-PARSE", "BIB-DUPLICATE-KEY", "BIB-MERGE-CONFLICT"}


def test_fmt_bib_refuses_to_move_merge_conflict_markers(project, capsys):
    bib = project.root / "references.bib"
    text = "<<<<<<< HEAD\n" + bib.read_text() + "=======\n>>>>>>> other\n"
    bib.write_text(text)
    code, _, err = run(project, capsys, "fmt-bib")
    assert code == 1 and "line 1: a merge conflict is left in the file" in err
    assert bib.read_text() == text
