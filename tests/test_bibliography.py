"""references.bib validation (DESIGN §4), with line numbers."""

from __future__ import annotations

import pytest

from hooks.parse import bibliography
from hooks.render.citation_style import format_reference
from hooks.rules import bibliography as bibliography_rules
from tests.conftest import BIB_ENTRY

GOOD = BIB_ENTRY


def rules(text):
    bib, diags = bibliography.parse("references.bib", text)
    diags = diags + bibliography_rules.validate_entries("references.bib", bib)
    return [(d.line, d.rule_id) for d in diags]


def test_good_entry_is_clean():
    assert rules(GOOD) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("  evidence = {rct},\n", ""), (1, "BIB-MISSING-FIELD")),
        (GOOD.replace("{rct}", "{anecdote}"), (8, "BIB-EVIDENCE")),
        (GOOD.replace("{10.1000/xyz}", "{https://doi.org/10.1000/xyz}"), (6, "BIB-DOI-FORMAT")),
        (GOOD.replace("{123456}", "{PMID123456}"), (7, "BIB-PMID-FORMAT")),
        (GOOD.replace("{2020}", "{20x0}"), (5, "BIB-YEAR-FORMAT")),
        (GOOD.replace("smith2020trial", "Smith_Trial"), (1, "BIB-KEY-FORMAT")),
        (GOOD.replace("  journal = {J Test},\n", ""), (1, "BIB-MISSING-FIELD")),
        (GOOD.replace("  doi = {10.1000/xyz},\n  pmid = {123456},\n", ""), (1, "BIB-MISSING-FIELD")),
        (GOOD.replace("  author = {Smith, Jane and Doe, John},\n", ""), (1, "BIB-MISSING-FIELD")),
        (GOOD + "\n" + GOOD, (11, "BIB-DUPLICATE-KEY")),
        (GOOD + "\n" + GOOD.replace("smith2020trial", "smith2020other"), (16, "BIB-DUPLICATE-ID")),
        (GOOD + "\n" + GOOD.replace("smith2020trial", "smith2020other").replace("10.1000/xyz", "10.1/a"),
         (17, "BIB-DUPLICATE-ID")),
        (GOOD.replace("title = {A trial}", "title = {A {trial}"), (3, "BIB-PARSE")),
    ],
    ids=["missing-evidence", "evidence-vocab", "doi-url", "pmid", "year", "key", "container", "identifier",
         "author", "duplicate-key", "duplicate-doi", "duplicate-pmid", "unbalanced"],
)
def test_bad_entries(text, expected):
    assert expected in rules(text)


def test_parse_error_names_the_line_of_the_entry():
    text = GOOD + "\n@article{broken2021x,\n  title = {unbalanced,\n  year = 2021\n}\n" + GOOD.replace(
        "smith2020trial", "jones2022ok").replace("10.1000/xyz", "10.2/b").replace("123456", "999")
    found = rules(text)
    assert any(rule == "BIB-PARSE" and line >= 11 for line, rule in found)


def test_uncited_entry_is_reported(project):
    project.write("references.bib", (project.root / "references.bib").read_text() + "\n" + GOOD)
    diags = [d for d in project.diagnostics() if d.rule_id == "BIB-UNCITED"]
    assert [(d.severity.value, d.message) for d in diags] == [("report", "'smith2020trial' is cited by no page")]


def test_strongest_evidence():
    bib, _ = bibliography.parse("r.bib", GOOD + GOOD.replace("smith2020trial", "a2021b").replace(
        "{rct}", "{guideline}").replace("10.1000/xyz", "10.1/z").replace("123456", "1"))
    assert bib.strongest_evidence(["smith2020trial", "a2021b"]) == "guideline"


def test_ama_style_without_markup_leaks():
    text = """@article{king2022two,
  author = {King, Brett and Ohyama, Manabu and Kwon, Ohsang and Zlotogorski, Abraham and Ko, Justin
            and Mesinkovska, Natasha Atanaskova and others},
  title = {Two {Phase} 3 Trials of Baricitinib for Alopecia Areata},
  journal = {N Engl J Med},
  year = {2022}, volume = {386}, number = {18}, pages = {1687--1699},
  doi = {10.1056/NEJMoa2110343}, pmid = {35334197}, evidence = {rct},
}"""
    bib, diags = bibliography.parse("r.bib", text)
    assert diags == []
    out = format_reference(bib.entries["king2022two"])
    assert out.startswith("King B, Ohyama M, Kwon O, et al. Two Phase 3 Trials")
    assert "2022;386(18):1687\u20131699." in out
    assert "doi:[10.1056/NEJMoa2110343](https://doi.org/10.1056/NEJMoa2110343)" in out
    assert "PMID: [35334197](https://pubmed.ncbi.nlm.nih.gov/35334197/)" in out
    assert '<span class="evidence-label evidence-rct">RCT</span>' in out
    for leak in ("{", "}", "--", ".nocase", "others"):
        assert leak not in out.replace("1687\u20131699", "")


def test_ama_style_organisation_and_accents():
    text = """@misc{who2020x,
  author = {{World Health Organization}},
  title = {Caf\\'e {\\"u}ber},
  publisher = {WHO},
  year = {2020},
  url = {https://example.org/x},
  evidence = {guideline},
}"""
    bib, _ = bibliography.parse("r.bib", text)
    out = format_reference(bib.entries["who2020x"])
    assert out.startswith("World Health Organization. Café über. WHO; 2020. <https://example.org/x>")


def test_a_stored_parse_is_reused_only_for_the_same_file(tmp_path):
    bib, cache = tmp_path / "references.bib", tmp_path / ".cache" / "bibliography"
    bib.write_text(GOOD, encoding="utf-8")
    first, _ = bibliography.load(tmp_path, bib, cache)
    assert list(first.entries) == ["smith2020trial"] and len(list(cache.glob("*.pickle"))) == 1

    bibliography._LOADED.clear()  # as a new process would start
    again, _ = bibliography.load(tmp_path, bib, cache)
    assert list(again.entries) == ["smith2020trial"]

    bib.write_text(GOOD + GOOD.replace("smith2020trial", "jones2021trial").replace("10.1000/xyz", "10.1000/abc")
                   .replace("123456", "654321"), encoding="utf-8")
    bibliography._LOADED.clear()
    changed, _ = bibliography.load(tmp_path, bib, cache)
    assert list(changed.entries) == ["smith2020trial", "jones2021trial"]  # never a stale parse
    assert len(list(cache.glob("*.pickle"))) == 1  # the old one is gone

    next(cache.glob("*.pickle")).write_bytes(b"not a pickle")  # a damaged cache is parsed again
    bibliography._LOADED.clear()
    damaged, _ = bibliography.load(tmp_path, bib, cache)
    assert list(damaged.entries) == ["smith2020trial", "jones2021trial"]
