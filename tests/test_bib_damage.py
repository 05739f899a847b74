"""Damage to references.bib (issue 15, items 5, 7, 9): the cause is reported once, in plain words,
at its line, and nothing that only follows from it (a field 'missing', a key 'unknown') is
reported on top of it. Dates in the future are errors."""

from __future__ import annotations

import datetime as dt

import pytest

from hooks import cli
from hooks.parse import bibliography
from hooks.rules import bibliography as bibliography_rules
from tests.conftest import BIB_ENTRY, TODAY

ENTRY = BIB_ENTRY
NEXT = ENTRY.replace("smith2020trial", "jones2021study").replace("10.1000/xyz", "10.2000/b").replace("123456", "999")


def found(text: str, today: dt.date = TODAY) -> list[tuple[int, str, str]]:
    bib, diags = bibliography.parse("references.bib", text)
    diags = diags + bibliography_rules.validate_entries("references.bib", bib, today)
    return [(d.line, d.rule_id, d.message) for d in diags]


def only(text: str) -> tuple[int, str, str]:
    result = found(text)
    assert len(result) == 1, result
    return result[0]


@pytest.mark.parametrize(("text", "line", "words"), [
    (ENTRY.replace("title = {A trial},", "title = {A trial}},"), 3, "an extra '}' on line 3 ends the entry"),
    (ENTRY.replace("evidence = {rct},", "evidence = {rct}},"), 8, "extra '}'"),
    (ENTRY.replace("title = {A trial},", "title = {A} trial},"), 3, "extra '}'"),
    (ENTRY.replace("title = {A trial},", "title = {{A trial},"), 3, "the field 'title' on line 3 opens a '{'"),
    (ENTRY.replace("title = {A trial},", "title = {A trial}"), 3, "a ',' is missing at the end of line 3"),
    (ENTRY.replace("smith2020trial,", "smith2020trial"), 1, "a ',' is missing at the end of line 1, after the key"),
    (ENTRY.replace("  evidence = {rct},\n}", "  evidence = {rct},\n"), 8,
     "'smith2020trial' that starts on line 1 is never closed"),
    (ENTRY + "}\n", 10, "an extra '}' on line 10"),
    (ENTRY.replace("evidence = {rct},", "evidence = {rct,"), 8, "the field 'evidence' on line 8 opens a '{'"),
], ids=["extra-brace-mid", "extra-brace-last", "extra-brace-in-value", "unclosed-value", "missing-comma",
        "missing-comma-after-key", "unclosed-entry", "stray-brace", "unclosed-last-field"])
def test_damage_is_one_plain_message_at_its_line(text, line, words):
    got = only(text + "\n" + NEXT)
    assert got[:2] == (line, "BIB-PARSE") and words in got[2], got


def test_damaged_entry_keeps_its_fields_and_its_key():
    bib, _ = bibliography.parse("references.bib", ENTRY.replace("title = {A trial},", "title = {A trial}},")
                                + "\n" + NEXT.replace("  evidence = {rct},\n}", "  evidence = {rct},\n"))
    assert bib.entries["smith2020trial"].get("year") == "2020"
    assert bib.entries["smith2020trial"].get("journal") == "J Test"
    assert bib.entries["jones2021study"].get("evidence") == "rct"
    assert set(bib.damaged) == {"smith2020trial", "jones2021study"}


CONFLICT = """<<<<<<< HEAD
{ours}=======
{theirs}>>>>>>> feature
"""


def test_merge_conflict_is_named_once_and_reads_the_first_side():
    text = CONFLICT.format(ours=ENTRY, theirs=ENTRY.replace("{2020}", "{2021}")) + "\n" + NEXT
    got = only(text)
    assert got[:2] == (1, "BIB-MERGE-CONFLICT") and "lines 1-21 hold two versions" in got[2]
    bib, _ = bibliography.parse("references.bib", text)
    assert bib.entries["smith2020trial"].get("year") == "2020"


def test_merge_conflict_inside_an_entry_and_a_key_only_on_the_other_side():
    year = CONFLICT.format(ours="  year = {2020},\n", theirs="  year = {2021},\n")
    inside = ENTRY.replace("  year = {2020},\n", year)
    assert only(inside)[1] == "BIB-MERGE-CONFLICT"
    diff3 = "<<<<<<< ours\n=======\n" + NEXT + ">>>>>>> theirs\n" + ENTRY
    bib, diags = bibliography.parse("references.bib", diff3)
    assert [d.rule_id for d in diags] == ["BIB-MERGE-CONFLICT"]
    assert bib.known("jones2021study") and "jones2021study" not in bib.entries


def test_the_real_bibliography_has_no_false_alarm():
    from tests.conftest import REPO

    _, diags = bibliography.parse("references.bib", (REPO / "references.bib").read_text(encoding="utf-8"))
    assert diags == []


@pytest.mark.parametrize(("change", "rule", "words"), [
    (("{2020}", "{2099}"), "BIB-DATE-FUTURE", "year 2099 lies after this year (2026)"),
    (("  evidence", "  urldate = {2026-12-01},\n  evidence"), "BIB-DATE-FUTURE",
     "urldate '2026-12-01' lies after today"),
    (("  evidence", "  date = {2027-01},\n  evidence"), "BIB-DATE-FUTURE", "date '2027-01' lies after today"),
    (("  evidence", "  urldate = {29/11/2026},\n  evidence"), "BIB-YEAR-FORMAT", "is not a date in YYYY-MM-DD form"),
    (("  evidence", "  urldate = {2026-02-30},\n  evidence"), "BIB-YEAR-FORMAT", "is not a calendar date"),
])
def test_future_and_malformed_dates(change, rule, words):
    got = only(ENTRY.replace(*change))
    assert got[1] == rule and words in got[2], got


def test_today_and_the_past_are_fine_and_today_is_a_parameter():
    text = ENTRY.replace("  evidence", f"  urldate = {{{TODAY.isoformat()}}},\n  evidence")
    assert found(text) == []
    assert found(ENTRY.replace("{2020}", "{2027}"), dt.date(2027, 1, 1)) == []


def test_evidence_in_capitals_or_with_spaces_is_the_vocabulary_word():
    assert found(ENTRY.replace("{rct}", "{RCT}")) == []
    bib, _ = bibliography.parse("references.bib", ENTRY.replace("{rct}", "{Systematic review}"))
    assert bib.entries["smith2020trial"].evidence == "systematic-review"
    got = only(ENTRY.replace("{rct}", "{cohrt}"))
    assert got[1] == "BIB-EVIDENCE" and "did you mean 'cohort'?" in got[2]


CONSEQUENCES = ("CITE-UNKNOWN-KEY", "FM-REF-UNKNOWN", "BIB-MISSING-FIELD", "NUMBER-UNTRACED", "SOURCE-RECORD-UNKNOWN",
                "BIB-PARSE", "BIB-MERGE-CONFLICT", "BIB-FILE-MISSING")


def _check(project, capsys):
    """The errors about the bibliography or that could follow from it (other rules are not the point)."""
    code = cli.main(["--root", str(project.root), "--today", TODAY.isoformat(), "--no-cache", "check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, [line for line in out.out.splitlines()
                  if ": error " in line and any(f" {rule} " in line for rule in CONSEQUENCES)]


def test_a_page_citing_a_damaged_entry_gets_no_unknown_key(project, capsys):
    bib = project.root / "references.bib"
    text = bib.read_text()
    bib.write_text(text.replace("  evidence = {rct},\n}", "  evidence = {rct},\n", 1))
    code, errors = _check(project, capsys)
    assert code == 1
    assert len(errors) == 1 and "BIB-PARSE" in errors[0] and "never closed" in errors[0], errors


def test_an_extra_brace_reports_no_missing_fields(project, capsys):
    bib = project.root / "references.bib"
    bib.write_text(bib.read_text().replace("journal = {J Am Acad Dermatol},", "journal = {J Am Acad Dermatol}},"))
    _, errors = _check(project, capsys)
    assert len(errors) == 1 and "references.bib:7:1: error BIB-PARSE an extra '}' on line 7" in errors[0], errors


def test_a_missing_bibliography_is_one_error(project, capsys):
    (project.root / "references.bib").unlink()
    code, errors = _check(project, capsys)
    assert code == 1
    assert errors == ["references.bib:1:1: error BIB-FILE-MISSING references.bib does not exist: every citation is "
                      "looked up there, so nothing else is checked until it is back"]
