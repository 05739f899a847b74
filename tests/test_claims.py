"""The claim rule: every prose sentence and table row on a clinical page is cited."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY

BODY_LINE = 22  # first body line of a page written with FRONT_MATTER (21 lines)


def uncited(project, rel):
    return [(d.line, d.col) for d in project.diagnostics() if d.path == rel and d.rule_id == "CLAIM-UNCITED"]


def test_fixture_site_is_clean(project):
    assert [d for d in project.diagnostics() if d.is_error or d.severity == "warning"] == []


@pytest.mark.parametrize(
    ("body", "line", "col"),
    [
        ("# T\n\nMinoxidil regrows hair.\n", 3, 1),
        ("# T\n\n- First [@olsen2002randomized].\n- Second item uncited.\n", 4, 3),
        ("# T\n\n1. One [@olsen2002randomized].\n2. Two uncited.\n", 4, 4),
        ("# T\n\n> Quoted and uncited.\n", 3, 3),
        ('# T\n\n!!! note "Title"\n\n    Admonition body uncited.\n', 5, 5),
        ('# T\n\n??? info "More"\n    Details body uncited.\n', 4, 5),
        ('# T\n\n=== "Patients"\n\n    Tab body uncited.\n', 5, 5),
        ("# T\n\n| A | B |\n| --- | --- |\n| row | uncited |\n", 5, 1),
        ("# T\n\nCited first [@olsen2002randomized]. Second is not.\n", 3, 37),
        ("# T\n\nWrapped over\ntwo lines [@olsen2002randomized]. And a\nsecond one.\n", 4, 35),
        ("# T\n\n- Outer [@olsen2002randomized].\n    - Nested uncited.\n", 4, 7),
        ("# T\n\nOnly code cites `[@olsen2002randomized]`.\n", 3, 1),
        ("# T\n\nEnds with a colon but no list follows:\n\nParagraph [@olsen2002randomized].\n", 3, 1),
        ("# T\n\n**Bold claim without a source.**\n", 3, 1),
        ("# T\n\n<div class=\"note\">Raw HTML claim without a source.</div>\n", 3, 1),
        ("# T\n\nTerm\n:   A definition without a source.\n", 3, 1),
    ],
    ids=["paragraph", "bullet", "ordered", "blockquote", "admonition", "details", "tab", "table-row",
         "second-sentence", "wrapped", "nested-list", "code-only", "colon-no-list", "bold", "raw-html", "definition"],
)
def test_uncited_claim_in_every_construct_is_an_error(project, body, line, col):
    rel = project.page("t", body)
    assert uncited(project, rel) == [(BODY_LINE - 1 + line, col)]


@pytest.mark.parametrize(
    "body",
    [
        "Does minoxidil work? It does in trials [@olsen2002randomized].\n",
        "Outcomes measured:\n\n- Hair counts [@olsen2002randomized].\n",
        "Results, e.g. hair counts vs. placebo, improved by approx. 1.74 mg/d [@olsen2002randomized].\n",
        "Olsen et al. reported this [@olsen2002randomized].\n",
        "A locator works [@olsen2002randomized, p. 3]. A prefix goes before it, see [@olsen2002randomized].\n",
        "Several keys [@olsen2002randomized; @fda2019exosome].\n",
        "Citation after the stop. [@olsen2002randomized]\n",
        "<!-- no-claim: navigation signpost -->\nSee the other pages.\n",
        "<!-- no-claim: list of related pages -->\n- One thing.\n- Another thing.\n",
        "[Finasteride](sample.md) · [the sample](sample.md#key-points)\n",
        "## Heading without a source\n\n```\nCode without a source.\n```\n",
        "Dose was 5 mg/d in men aged 18 to 49 [@olsen2002randomized]. Next [@fda2019exosome].\n",
        "| Trial | Result |\n| --- | --- |\n| Olsen | better [@olsen2002randomized] |\n",
        "<div>A claim in HTML [@olsen2002randomized].</div>\n",
    ],
    ids=["question", "list-intro", "abbrev-decimal-unit", "et-al", "locator-prefix", "several-keys",
         "cite-after-stop", "exemption", "exempt-list", "only-links", "heading-code", "units", "table", "raw-html"],
)
def test_valid_constructs_pass(project, body):
    rel = project.page("t", "# T\n\n" + body)
    # (a page made of only a question, exemption or links has no claim at all: PAGE-NO-CLAIMS, tested on its own)
    errors = [d for d in project.diagnostics() if d.path == rel and d.is_error and d.rule_id != "PAGE-NO-CLAIMS"]
    assert errors == []


def test_exemption_without_reason_is_an_error(project):
    rel = project.page("t", "# T\n\n<!-- no-claim -->\nSee the other pages.\n")
    rules = {d.rule_id for d in project.diagnostics() if d.path == rel}
    assert {"EXEMPT-NO-REASON", "CLAIM-UNCITED"} <= rules


def test_exemptions_are_listed_in_the_report(project):
    project.page("t", "# T\n\n<!-- no-claim: signpost to other pages -->\nSee the other pages.\n")
    reasons = {(e.path, e.reason) for e in project.check().exemptions}
    assert ("docs/therapies/t.md", "signpost to other pages") in reasons


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("Claim [@].\n", "CITE-EMPTY"),
        ("Claim [@olsen2002randomized; ].\n", "CITE-EMPTY"),
        ("Claim [@nobody2099unknown].\n", "CITE-UNKNOWN-KEY"),
        ("Claim [@Bad Key].\n", "CITE-MALFORMED"),
        ("Claim [@bad!key].\n", "CITE-MALFORMED"),
    ],
)
def test_bad_citations(project, body, rule):
    rel = project.page("t", "# T\n\n" + body)
    found = [(d.rule_id, d.line, d.col) for d in project.diagnostics() if d.path == rel and d.is_error]
    assert (rule, BODY_LINE + 2, 7) in found


def test_unknown_key_on_a_non_clinical_page_is_still_an_error(project):
    project.write("docs/about.md", "# About\n\nText [@nobody2099unknown].\n")
    assert ("docs/about.md", 3, 6, "CITE-UNKNOWN-KEY") in project.rules("docs/about.md")


def test_non_clinical_pages_need_no_citations(project):
    project.write("docs/about.md", "# About\n\nWe are editors.\n")
    assert project.rules("docs/about.md") == []


def test_claim_register_carries_keys_dates_and_evidence(project):
    claims = project.check().claims
    by_text = {c.text: c for c in claims}
    safety = next(c for t, c in by_text.items() if t.startswith("Scalp itching"))
    assert safety.review_date == "2026-09-01"  # the section override
    assert safety.keys == ["olsen2002randomized"]
    assert safety.evidence == "rct"
    two = next(c for t, c in by_text.items() if t.startswith("Two studies"))
    assert two.review_date == "2026-06-01"
    assert set(two.keys) == {"olsen2002randomized", "fda2019exosome"}
    assert two.evidence == "rct"


@pytest.mark.parametrize("chunk", [1, 2, 256])
def test_published_register_is_the_register_in_compact_json(project, monkeypatch, chunk):
    """The site's claims.json, written in pieces, is exactly the register encoded at once."""
    import json

    from hooks.report import claim_register

    report = project.check()
    assert len(report.claims) > 2 and report.exemptions  # pieces of one, two and all claims
    monkeypatch.setattr(claim_register, "CHUNK", chunk)
    whole = json.dumps(claim_register.register(report), separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    assert "".join(claim_register.compact_json(report)) == whole
    report.claims.clear()
    whole = json.dumps(claim_register.register(report), separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    assert "".join(claim_register.compact_json(report)) == whole


def test_claims_are_stable_under_whitespace_edits(project):
    body = "# T\n\nOne claim [@olsen2002randomized]. Two claim [@fda2019exosome].\n"
    project.page("t", body)
    before = [c.text for c in project.check().claims if c.page.endswith("t.md")]
    project.page("t", body.replace(". Two", ".\n   Two").replace("# T\n\n", "# T\n\n\n"))
    after = [c.text for c in project.check().claims if c.page.endswith("t.md")]
    assert before == after


def test_section_landing_page_is_not_a_clinical_page(project):
    project.write("docs/therapies/index.md", "# Therapies\n\nOne page per treatment.\n\n- [Sample](sample.md)\n")
    assert project.rules("docs/therapies/index.md") == []
    project.write("docs/therapies/deeper/index.md", "# Deeper\n\nAn uncited claim.\n")
    assert ("docs/therapies/deeper/index.md", 1, 1, "FM-MISSING") in project.rules("docs/therapies/deeper/index.md")


def test_parallel_check_gives_the_same_report(project):
    from hooks.check import PARALLEL_MIN_PAGES, Config, check_project

    for n in range(PARALLEL_MIN_PAGES):
        body = f"# P{n}\n\nClaim {n} [@olsen2002randomized].\n" + ("Uncited claim.\n" if n % 7 == 0 else "")
        project.page(f"p{n:03d}", body)
    one = check_project(Config.load(project.root), TODAY)
    two = check_project(Config.load(project.root), TODAY, workers=2)
    assert [d.format_text() for d in one.all_diagnostics()] == [d.format_text() for d in two.all_diagnostics()]
    assert [(c.page, c.line, c.text) for c in one.claims] == [(c.page, c.line, c.text) for c in two.claims]


def test_the_page_cache_never_returns_a_stale_result(project):
    from hooks.check import Config, check_project

    def run(today=None):
        report = check_project(Config.load(project.root), today or TODAY, use_cache=True)
        return sorted((d.path, d.line, d.rule_id) for d in report.all_diagnostics())

    rel = project.page("t", "# T\n\nA claim [@olsen2002randomized].\n")
    assert run() == []
    assert any((project.root / ".cache" / "check").glob("*.pickle"))
    project.page("t", "# T\n\nNow uncited.\n")  # the page changes
    assert run() == [(rel, 24, "CLAIM-UNCITED")]
    project.page("t", "# T\n\nA claim [@olsen2002randomized].\n")
    bib = project.root / "references.bib"
    bib.write_text(bib.read_text().replace("olsen2002randomized", "olsen2002renamed"))  # the bibliography changes
    assert (rel, 24, "CITE-UNKNOWN-KEY") in run()
    bib.write_text(bib.read_text().replace("olsen2002renamed", "olsen2002randomized"))
    assert run() == []
    assert ("docs/therapies/t.md", 17, "REVIEW-OVERDUE") in run(today=TODAY.replace(year=2030))  # today changes
    for entry in (project.root / ".cache" / "check").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")  # a damaged cache is ignored
    assert run() == []


def test_an_empty_protected_range_never_stalls_the_sentence_splitter():
    from hooks.parse import sentences

    # an empty range right after a terminator once made the splitter loop for ever
    assert [s.text for s in sentences.split("One. Two…", [(4, 4), (9, 9)])] == ["One.", "Two…"]
