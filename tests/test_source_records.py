"""Source records and the rules that read them: numbers traced to excerpts, retracted sources
refused, corrected ones labelled, records checked for shape (DESIGN §7)."""

from __future__ import annotations

import json

import pytest

from hooks.parse.numbers import numbers_in, stated_in, values_in
from tests.conftest import FRONT_MATTER

TRACED = FRONT_MATTER.replace("evidence_note:", "sources_traced: true\nevidence_note:")
# (these pages have no bottom line: BOTTOM-LINE, required on converted pages, is left out of the assertions)
OLSEN = """read:
  - url: https://pubmed.ncbi.nlm.nih.gov/12196741/
    date: "2026-06-01"
    part: abstract
excerpts:
  - text: "Forty-five percent more hair regrowth; 5% topical minoxidil was superior to 2% and placebo in 393 men."
    where: abstract, Results
status: {status}
{notice}checked:
  date: "2026-06-01"
  via: manual
"""
FDA = """read:
  - url: https://www.fda.gov/
    date: "2026-06-01"
    part: FDA page
excerpts:
  - text: "No exosome products are FDA-approved."
    where: first paragraph
status: ok
checked: {date: "2026-06-01", via: manual}
"""
NOTICE = 'notice:\n  doi: "10.1016/j.jaad.2099.01.001"\n  date: "2026-05-01"\n'


def records(project, status="ok", notice=""):
    project.write("data/sources/olsen2002randomized.yml", OLSEN.format(status=status, notice=notice))
    project.write("data/sources/fda2019exosome.yml", FDA)


PAGE = "docs/therapies/t.md"


def blocking(d) -> bool:
    return d.is_error and d.path == PAGE and d.rule_id != "BOTTOM-LINE"


def rule_lines(project, rule):
    return [(d.line, d.severity.value, d.message) for d in project.diagnostics()
            if d.rule_id == rule and d.path == PAGE]


@pytest.mark.parametrize(("text", "expected"), [
    ("About 45% of 1,234 men (n = 157) took 5 mg for 24 weeks [@a2020b; @c2021d].",
     ["45", "1,234", "157", "5", "24"]),
    ("JAK3, COVID-19, CD8+, 5α-reductase, IL-17, type 2 diabetes, a phase 3 trial, grade 2.", []),
    ("2.5–5 mg, 10-20 and 10 to 20 weeks, in the 1990s, the 3rd visit.", ["2.5", "5", "10", "20", "10", "20",
                                                                          "1990", "3"]),
    ("`code 12` and [a link](https://example.org/2020/5) and <!-- 7 --> but 8.", ["8"]),
    ("120例中20例, 2015年9月28日, カプセル0.5mg", ["120", "20", "2015", "9", "28", "0.5"]),  # other scripts: no names
])
def test_which_tokens_are_numbers(text, expected):
    assert [n.text for n in numbers_in(text)] == expected


def test_numbers_in_words_in_a_source_count_as_that_number():
    assert {int(v) for v in values_in("One hundred twenty-five patients; twenty men; forty-five")} >= {125, 20, 45}


def test_a_traced_page_passes_and_a_changed_number_fails_at_its_line(project):
    records(project)
    rel = project.page("t", "# T\n\nIn 393 men, 5% minoxidil did better than 2% [@olsen2002randomized].\n",
                       TRACED)
    assert [d for d in project.diagnostics() if blocking(d)] == []
    project.write(rel, TRACED + "# T\n\nIn 394 men, 5% minoxidil did better than 2% [@olsen2002randomized].\n")
    assert rule_lines(project, "NUMBER-UNTRACED") == [
        (25, "error", '"394" in this sentence is in no excerpt of [@olsen2002randomized]')]


def test_an_unconverted_page_reports_untraced_numbers_without_failing(project):
    records(project)
    project.page("t", "# T\n\nIn 394 men it worked [@olsen2002randomized].\n")
    assert rule_lines(project, "NUMBER-UNTRACED") == [
        (24, "report", '"394" in this sentence is in no excerpt of [@olsen2002randomized]')]


def test_rounding_needs_a_signal_and_the_publication_year_counts(project):
    records(project)
    project.page("t", "# T\n\nIn 2002, about 390 men took part [@olsen2002randomized]. "
                      "Exactly 390 men took part [@olsen2002randomized].\n", TRACED)
    assert [line[2] for line in rule_lines(project, "NUMBER-UNTRACED")] == [
        '"390" in this sentence is in no excerpt of [@olsen2002randomized]']


def test_a_derived_number_needs_its_marker_and_the_report_lists_it(project):
    records(project)
    body = ("# T\n\n<!-- derived: 1 in 2 | 45% rounded to a natural frequency -->\n"
            "About 1 in 2 men did better [@olsen2002randomized].\n\n"
            "<!-- derived: 3 -->\nThen 3 [@olsen2002randomized].\n")
    project.page("t", body, TRACED)
    report = project.check()
    assert sorted(d.rule_id for d in report.all_diagnostics() if blocking(d)) == [
        "NUMBER-DERIVED-REASON", "NUMBER-UNTRACED"]
    assert [(e.kind, e.reason) for e in report.exemptions if e.kind == "derived"] == [
        ("derived", "1 in 2 | 45% rounded to a natural frequency")]


def test_a_cited_reference_without_a_record_is_an_error_on_a_traced_page(project):
    records(project)
    (project.root / "data/sources/fda2019exosome.yml").unlink()
    project.page("t", "# T\n\nNo exosome product is approved [@fda2019exosome].\n", TRACED)
    assert rule_lines(project, "SOURCE-MISSING") == [
        (25, "error", "'fda2019exosome' has no source record (data/sources/fda2019exosome.yml)")]


@pytest.mark.parametrize("status", ["retracted", "withdrawn"])
def test_a_retracted_source_fails_every_claim_that_cites_it(project, status):
    records(project, status, NOTICE)
    project.page("t", "# T\n\nIt worked in 393 men [@olsen2002randomized].\n\nAgain [@olsen2002randomized].\n",
                 TRACED)
    assert [(line, sev) for line, sev, _ in rule_lines(project, "SOURCE-RETRACTED")] == [(25, "error"),
                                                                                      (27, "error")]


def test_a_sentence_about_the_retraction_is_allowed_where_the_record_says_so(project):
    allowed = NOTICE + ("cited_about_status:\n  - page: therapies/t.md\n"
                        "    reason: the page reports the retraction itself\n")
    records(project, "retracted", allowed)
    project.page("t", "# T\n\nThe 393-man trial was retracted [@olsen2002randomized].\n", TRACED)
    assert rule_lines(project, "SOURCE-RETRACTED") == []


@pytest.mark.parametrize("status", ["corrected", "expression-of-concern"])
def test_a_corrected_source_is_listed_but_passes(project, status):
    records(project, status, NOTICE)
    project.page("t", "# T\n\nIt worked in 393 men [@olsen2002randomized].\n", TRACED)
    report = project.check()
    assert [d for d in report.all_diagnostics() if blocking(d)] == []
    assert [d.severity.value for d in report.all_diagnostics()
            if d.rule_id == "SOURCE-FLAGGED" and d.path == PAGE] == ["report"]


@pytest.mark.parametrize(("content", "rule", "line"), [
    ("read: [\n", "SOURCE-RECORD-YAML", 2),
    (OLSEN.format(status="pulled", notice=""), "SOURCE-RECORD-INVALID", 8),
    (OLSEN.format(status="retracted", notice=""), "SOURCE-RECORD-INVALID", 1),
    (OLSEN.format(status="ok", notice="").replace(
        "Forty-five percent more hair regrowth; 5% topical minoxidil was superior to 2% and placebo in 393 men.", ""),
     "SOURCE-EXCERPT-LENGTH", 6),
    (OLSEN.format(status="ok", notice="").replace("Forty-five", "x" * 500), "SOURCE-EXCERPT-LENGTH", 6),
    (OLSEN.format(status="ok", notice="").replace('date: "2026-06-01"\n  via', 'date: "2099-01-01"\n  via'),
     "SOURCE-DATE-FUTURE", 10),
])
def test_bad_records_are_diagnostics_at_their_line(project, capsys, content, rule, line):
    from hooks import cli

    records(project)
    project.write("data/sources/olsen2002randomized.yml", content)
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", "check", "--format", "json"])
    out = capsys.readouterr()
    assert code == 1 and "Traceback" not in out.out + out.err
    found = [(d["path"], d["line"]) for d in json.loads(out.out) if d["rule_id"] == rule]
    assert ("data/sources/olsen2002randomized.yml", line) in found


def test_a_record_for_an_unknown_key_is_an_error(project):
    records(project)
    project.write("data/sources/nobody2020nothing.yml", FDA)
    assert ("data/sources/nobody2020nothing.yml", 1, 1, "SOURCE-RECORD-UNKNOWN") in project.rules()


def test_claims_outside_claim_checks_may_not_rest_only_on_what_is_not_evidence(project):
    records(project)
    bib = (project.root / "references.bib").read_text()
    project.write("references.bib", bib.replace("evidence = {regulatory}", "evidence = {not-evidence}"))
    project.page("t", "# T\n\nNo exosome products are approved [@fda2019exosome].\n", TRACED)
    assert [d.rule_id for d in project.diagnostics() if blocking(d)] == ["CLAIM-NOT-EVIDENCE"]


def test_claim_register_carries_excerpts_and_source_status(project):
    from hooks.report.claim_register import register

    records(project, "corrected", NOTICE)
    project.page("t", "# T\n\nIn 393 men, 5% did better [@olsen2002randomized].\n", TRACED)
    claim = next(c for c in register(project.check())["claims"] if c["page"] == "docs/therapies/t.md")
    assert claim["source_status"] == {"olsen2002randomized": "corrected"}
    assert claim["excerpts"][0]["where"] == "abstract, Results"


def test_numbers_in_words_are_whole_words():
    values = {int(v) for v in values_in("Ninety men, seventy-three women, nineteen and fourteen children")}
    assert {90, 73, 19, 14} <= values and 9 not in values and 4 not in values


UNITS = """read:
  - url: https://pubmed.ncbi.nlm.nih.gov/12196741/
    date: "2026-06-01"
    part: abstract
excerpts:
  - text: "After 48 weeks, 12% of 393 men on 5 mg reported itching; hair counts rose by 20.9 ± 12% in 30 of them."
    where: abstract, Results
  - text: "Trials lasted 24 weeks."
    where: abstract, Methods
  - text: "Doses ranged from 2.5 to 5 mg."
    where: abstract, Methods
status: ok
checked: {date: "2026-06-01", via: manual}
"""


@pytest.mark.parametrize(("sentence", "untraced"), [
    ("After 48 weeks, 12% of 393 men had itching [@olsen2002randomized].", []),
    ("A mean rise of 20.9% was seen [@olsen2002randomized].", []),  # the mean takes the spread's unit
    ("Twelve men in 48 weeks: 12 of 393 [@olsen2002randomized].", []),  # no unit on the page: any unit
    ("After 12 weeks, 12% had itching [@olsen2002randomized].", ['"12"']),  # 12 weeks vs 12%
    ("After 48 weeks, 24% had itching [@olsen2002randomized].", ['"24"']),  # 24 weeks, not 24%
    ("After 48 months it worked [@olsen2002randomized].", ['"48"']),  # weeks, not months
    ("In 393 men, 5% improved [@olsen2002randomized].", ['"5"']),  # 5 mg, not 5%
    ("Doses were 2.5 to 5 mg [@olsen2002randomized].", []),  # both ends in one excerpt
    ("Doses were 2.5–5 mg in 393 men [@olsen2002randomized].", []),
    ("Trials lasted 24 to 48 weeks [@olsen2002randomized].", ['"24", "48"']),  # ends in two excerpts
    ("Doses were 5 to 12 mg [@olsen2002randomized].", ['"5", "12"']),  # 12% is no dose, and no range
])
def test_units_and_ranges_must_agree_with_the_source(project, sentence, untraced):
    project.write("data/sources/olsen2002randomized.yml", UNITS)
    project.page("t", "# T\n\n" + sentence + "\n", TRACED)
    found = [m for _, _, m in rule_lines(project, "NUMBER-UNTRACED")]
    if not untraced:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(", ".join(untraced) + " in this sentence")


def test_numbers_carry_their_unit_and_ranges_their_other_end():
    found = {n.text: (n.unit, n.range_with) for n in numbers_in(
        "10 to 20 weeks, 45 percent, 3.5 percentage points, a 12-week trial, 2.5–5 mg/day, aged 40 and 50%")}
    assert found["10"] == ("week", 20) and found["20"] == ("week", 10)
    assert found["45"] == ("%", None) and found["3.5"] == ("%", None) and found["12"] == ("week", None)
    assert found["2.5"] == ("mg", 5) and found["40"] == (None, None)  # "and" joins no range
    assert {(s.value, s.unit) for s in stated_in("Fifty-six percent of twenty men")} >= {(56, "%"), (20, None)}


def test_numbers_in_front_matter_prose_are_traced_to_their_own_references(project):
    records(project)
    front = (TRACED
             .replace("evidence_note: Written for a test; not a real grade.",
                      "evidence_note: One trial of 393 men; there are no 'out of 100' figures for harms.")
             .replace("    indication: Test indication.\n  eu-ema:",
                      "    indication: Cleared through the 510(k) route under 21 CFR 878.4430 in 1988.\n"
                      "    refs: [olsen2002randomized]\n  eu-ema:")
             .replace("review:", "outcomes:\n  - outcome: Regrowth\n    kind: benefit\n"
                      "    population: 393 men, 5% solution\n    comment: >-\n      Twice daily for\n"
                      "      48 weeks.\n    refs: [olsen2002randomized]\nreview:"))
    project.page("t", "# T\n\nIn 393 men, 5% minoxidil did better than 2% [@olsen2002randomized].\n", front)
    lines = {(line, message) for line, _, message in rule_lines(project, "NUMBER-UNTRACED")}
    assert lines == {
        (13, '"1988" in front matter regulatory.us-fda.indication is in no excerpt of [@olsen2002randomized]'),
        (24, '"48" in front matter outcomes.1.comment is in no excerpt of [@olsen2002randomized]')}


def test_a_source_written_with_decimal_commas_or_one_percent_sign_a_range_is_read_as_written():
    stated = {(float(s.value), s.unit) for s in stated_in("Nebenwirkungen: 2,8 % und 3,3 %; DHT -47/-52%")}
    assert {(2.8, "%"), (3.3, "%"), (47.0, "%"), (52.0, "%")} <= stated
    assert (2.275, "mg") in {(float(s.value), s.unit) for s in stated_in("2,275 mg/ml")}  # either reading
    assert (2275.0, "mg") in {(float(s.value), s.unit) for s in stated_in("2,275 mg/ml")}
    assert [n.text for n in numbers_in("1,234 men")] == ["1,234"]  # a page's commas stay thousands separators


@pytest.mark.parametrize(("since", "excerpt", "traced"), [
    ("2007-01-18", "Date Cleared 2007-01-18", True),
    ("2007-01-18", "cleared on January 18, 2007.", True),
    ("2007-01-18", "cleared on 18 January 2007.", True),
    ("2007-01-19", "cleared on January 18, 2007.", False),
])
def test_a_markets_since_date_is_one_its_references_state(project, since, excerpt, traced):
    project.write("data/sources/fda2019exosome.yml", FDA.replace("No exosome products are FDA-approved.", excerpt))
    market = f"    indication: Test indication.\n    since: {since}\n    refs: [fda2019exosome]\n  eu-ema:"
    front = TRACED.replace("    indication: Test indication.\n  eu-ema:", market)
    project.page("t", "# T\n\nNo exosome product is approved [@fda2019exosome].\n", front)
    found = [m for _, _, m in rule_lines(project, "NUMBER-UNTRACED")]
    assert (found == []) is traced
    if not traced:
        assert found[0].startswith(f"regulatory.us-fda.since {since} is in no excerpt of [@fda2019exosome]")
