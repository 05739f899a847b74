"""Issue 15, items 1 and 6: citations that look right but would show readers something else, and
sentences split at the abbreviations of medical prose."""

from __future__ import annotations

import pytest

from hooks.parse import citations, sentences
from tests.conftest import FRONT_MATTER

BODY_LINE = FRONT_MATTER.count("\n") + 1  # the line of "# T"
A, B = "olsen2002randomized", "fda2019exosome"
# the rules these tests are about (a test page is minimal: other rules about whole pages may apply to it)
OWN = ("CITE-", "CLAIM-")


def found(project, body: str) -> list[tuple[str, int, int, str]]:
    rel = project.page("t", "# T\n\n" + body)
    return [(d.rule_id, d.line, d.col, d.message) for d in project.diagnostics()
            if d.path == rel and d.is_error and d.rule_id.startswith(OWN)]


# ---- item 1: citation look-alikes ----------------------------------------------------------------

def test_comma_between_two_keys_is_an_error_whose_message_and_hint_give_the_semicolon(project):
    rel = project.page("t", f"# T\n\nMinoxidil regrows hair [@{A}, @{B}].\n")
    diags = [d for d in project.diagnostics() if d.path == rel and d.is_error and d.rule_id.startswith(OWN)]
    assert [(d.rule_id, d.line, d.col) for d in diags] == [("CITE-SEPARATOR", BODY_LINE + 2, 24)]
    assert f"[@{A}; @{B}]" in diags[0].message
    assert "[@a; @b]" in diags[0].hint
    assert "is shown as its page locator" in diags[0].message


@pytest.mark.parametrize(
    ("group", "fix"),
    [
        (f"[@{A},@{B}]", f"[@{A}; @{B}]"),
        (f"[@{A} @{B}]", f"[@{A}; @{B}]"),
        (f"[@{A} and @{B}]", f"[@{A}; @{B}]"),
        (f"[@{A}, p. 380 @{B}]", f"[@{A}, p. 380; @{B}]"),
        (f"[@{A}, p. 380, and @{B}]", f"[@{A}, p. 380; @{B}]"),
        (f"[@{A}; @{B}, @{A}]", f"[@{B}; @{A}]"),
        (f"[@{A}, {B}]", f"[@{A}; @{B}]"),  # the second key without its '@'
    ],
    ids=["no-space", "space", "and", "after-locator", "comma-and", "second-part", "bare-key"],
)
def test_other_separators_are_errors_with_the_fix(project, group, fix):
    diags = found(project, f"Minoxidil regrows hair {group}.\n")
    assert [rule for rule, *_ in diags] == ["CITE-SEPARATOR"]
    assert fix in diags[0][3]


def test_a_stray_at_in_a_locator_is_an_error(project):
    diags = found(project, f"Minoxidil regrows hair [@{A}, p. @380].\n")
    assert [rule for rule, *_ in diags] == ["CITE-SEPARATOR"]
    assert "stray '@'" in diags[0][3]


def test_both_keys_of_a_comma_group_are_still_checked(project):
    diags = found(project, f"Minoxidil regrows hair [@{A}, @nobody2099unknown].\n")
    assert sorted(rule for rule, *_ in diags) == ["CITE-SEPARATOR", "CITE-UNKNOWN-KEY"]


@pytest.mark.parametrize(
    ("group", "fix"),
    [(f"[see @{A}]", f"see [@{A}]"), (f"[see also @{A}, p. 3]", f"see also [@{A}, p. 3]"),
     (f"[@{B}; cf. @{A}]", f"cf. [@{A}]")],
)
def test_a_prefix_is_an_error_because_readers_would_not_see_it(project, group, fix):
    diags = found(project, f"Minoxidil regrows hair {group}.\n")
    assert [rule for rule, *_ in diags] == ["CITE-PREFIX"]
    assert fix in diags[0][3]


def test_author_suppression_is_an_error(project):
    assert [rule for rule, *_ in found(project, f"It works [-@{A}].\n")] == ["CITE-PREFIX"]


@pytest.mark.parametrize("group", [f"[@{A} p. 380]", f"[@{A} fig. 2]", f"[@{A} (table 2)]"])
def test_a_locator_without_its_comma_is_an_error(project, group):
    diags = found(project, f"Minoxidil regrows hair {group}.\n")
    assert [rule for rule, *_ in diags] == ["CITE-LOCATOR"]
    assert f"[@{A}, " in diags[0][3]


def test_a_broken_citation_is_reported_once_not_also_as_an_uncited_claim(project):
    for group in (f"[@{A}, @{B}]", f"[see @{A}]", f"[@{A} p. 3]", "[@]"):
        rules = [rule for rule, *_ in found(project, f"Minoxidil regrows hair {group}.\n")]
        assert "CLAIM-UNCITED" not in rules and len(rules) == 1, (group, rules)


@pytest.mark.parametrize(
    "body",
    [
        f"Minoxidil regrows hair [@{A}; @{B}].\n",
        f"Minoxidil regrows hair [@{A}, p. 380; @{B}, pp. 3-5].\n",
        f"Minoxidil regrows hair [@{A}, table 2, row 3].\n",
        f"Minoxidil regrows hair, see [@{A}].\n",
        f"Minoxidil regrows hair [@{A},p. 380].\n",
        f"Minoxidil regrows hair [ @{A} ; @{B} ].\n",
    ],
    ids=["semicolon", "locators", "locator-with-comma", "prefix-outside", "tight-comma", "spaces"],
)
def test_the_documented_forms_pass(project, body):
    assert found(project, body) == []


def test_text_in_brackets_with_an_address_is_not_a_citation():
    assert citations.find_groups("write to [editor@example.org] or [the editors (editors@example.org)]") == []


def test_groups_keep_keys_and_locators():
    (group,) = citations.find_groups(f"x [@{A}, p. 3; @{B}]")
    assert [(c.key, c.locator) for c in group.cites] == [(A, "p. 3"), (B, "")]
    assert group.problems == []


# ---- item 6: sentences and abbreviations -----------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "Patient No. 3 improved in the trial [@k].",
        "Trial No. 12 and Nos. 13-14 were pooled [@k].",
        "Hair counts rose, e.g. Vertex counts, vs. Placebo [@k].",
        "The effect, i.e. New growth, was seen by week 16 [@k].",
        "Olsen et al. (2002) found a larger effect [@k].",
        "As Olsen et al. [@k] reported, it worked.",
        "Dr. Olsen and Prof. Hordinsky ran the trial [@k].",
        "The dose was approx. 5 mg/d in men [@k].",
        "About ca. 1 in 3 men responded [@k].",
        "Many products, incl. Shampoos and foams, were tested [@k].",
        "See Fig. 2 and Fig. S1 of the trial [@k].",
        "The results (see Vol. II, p. 380) were clear [@k].",
        "Doses were 1 and 5 mg/d resp. in the two arms [@k].",
        "Given 2.5 mg b.i.d. for 24 weeks [@k].",
        "It is approved by the U.S. Food and Drug Administration [@k].",
        "Infection with Malassezia spp. was common [@k].",
        "Finasteride, dutasteride, etc. were compared [@k].",
        "The dose was 5 mg/d vs. 1 mg/d [@k].",
        "Results were published in Jan. 2020 [@k].",
        "Hair density rose by 1.74 hairs per cm² [@k].",
    ],
)
def test_abbreviations_do_not_end_a_sentence(text):
    assert [s.text for s in sentences.split(text)] == [text]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Did it work? No. The trial was small [@k].", ["Did it work?", "No.", "The trial was small [@k]."]),
        ("The dose was 5 mg/d. Hair counts rose [@k].", ["The dose was 5 mg/d.", "Hair counts rose [@k]."]),
        ("It comes as foam, lotion, etc. Both work [@k].", ["It comes as foam, lotion, etc.", "Both work [@k]."]),
        ("The rates were 10% and 20%, resp. The placebo rate was 5% [@k].",
         ["The rates were 10% and 20%, resp.", "The placebo rate was 5% [@k]."]),
        ("It was shown in Fig. The trial was small [@k].", ["It was shown in Fig.", "The trial was small [@k]."]),
        ("Given 2.5 mg b.i.d. Most men tolerated it [@k].", ["Given 2.5 mg b.i.d.", "Most men tolerated it [@k]."]),
    ],
)
def test_a_sentence_still_ends_where_it_ends(text, parts):
    assert [s.text for s in sentences.split(text)] == parts


def test_no_dot_3_is_one_claim_with_its_citation(project):
    """The reported defect: "No. 3" split the sentence and its first half was 'uncited'."""
    rel = project.page("t", f"# T\n\nPatient No. 3 regrew hair on minoxidil [@{A}].\n")
    report = project.check()
    assert [d.rule_id for d in report.all_diagnostics()
            if d.path == rel and d.is_error and d.rule_id.startswith(OWN)] == []
    assert [c.text for c in report.pages["therapies/t.md"].claims] == [
        f"Patient No. 3 regrew hair on minoxidil [@{A}]."]


def test_an_uncited_sentence_after_an_abbreviation_is_still_found(project):
    rel = project.page("t", f"# T\n\nIt comes as foam, lotion, etc. Both work [@{A}].\n")
    uncited = [d.message for d in project.diagnostics() if d.path == rel and d.rule_id == "CLAIM-UNCITED"]
    assert uncited == ['sentence has no citation: "It comes as foam, lotion, etc."']
