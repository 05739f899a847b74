"""Front-matter messages and 'did you mean' (issue 15, item 8): one message per problem, at the
field's own line, in plain words; the closest field, key, anchor or rule id is named."""

from __future__ import annotations

import pytest

from hooks import cli
from hooks.parse.frontmatter import parse
from hooks.rules.front_matter import validate
from tests.conftest import FRONT_MATTER, REPO, TODAY

SCHEMA = str(REPO / "schema" / "frontmatter.schema.json")


def messages(front_matter: str) -> list[tuple[int, str]]:
    fm, diags = parse("t.md", front_matter)
    if fm is None:
        return [(d.line, d.message) for d in diags]
    return [(d.line, d.message) for d in diags + validate("t.md", fm, SCHEMA)]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title:", "titel:", [(2, "unknown field 'titel': did you mean 'title'?")]),
    ("  reviewed_by: []", "  reviwed_by: []",
     [(19, "unknown field 'reviwed_by' in 'review': did you mean 'reviewed_by'?")]),
    ("  reviewed_by: []", "  reviewed_by: []\n  reviewer_note: x",
     [(20, "unknown field 'reviewer_note' in 'review' (allowed: last_reviewed, status, reviewed_by, "
           "evidence_current_to)")]),
    ("    status: not-approved\n    indication: Test indication.\n  eu-ema",
     "    statu: not-approved\n    indication: Test indication.\n  eu-ema",
     [(11, "unknown field 'statu' in 'regulatory.us-fda': did you mean 'status'?")]),
    ("  us-fda:", "  us-fdaa:", [(10, "unknown field 'us-fdaa' in 'regulatory': did you mean 'us-fda'?")]),
    ("description: A page written by a test to exercise one rule of the engine.", "description: Short.",
     [(3, "description is too short: at least 20 characters, it has 6")]),
    ("description: A page written by a test to exercise one rule of the engine.", "description: ''",
     [(3, "description is empty: write at least 20 characters")]),
    ("status: draft", "status: approved",
     [(19, "review.reviewed_by needs at least 1 reviewer, it has 0 (required because review.status is "
           "approved)")]),
    ("evidence: low", "evidence: lwo",
     [(7, "evidence: 'lwo' is not allowed: did you mean 'low'? (allowed: high, moderate, low, very-low)")]),
    ("conditions: [androgenetic-alopecia]", "conditions: androgenetic-alopecia",
     [(5, "conditions should be a list, not text")]),
    ("aliases: [TT]", "aliases: [TT, TT]", [(6, "aliases: 'TT' is listed twice")]),
    ("evidence_note: Written for a test; not a real grade.\n", "",
     [(1, "the field 'evidence_note' is missing")]),
], ids=["typo", "nested-typo", "nested-unknown", "deep-typo", "jurisdiction-typo", "too-short", "empty",
        "approved-needs-reviewer", "enum", "type", "duplicate", "missing"])
def test_one_plain_message_at_the_fields_line(old, new, expected):
    assert old in FRONT_MATTER
    assert messages(FRONT_MATTER.replace(old, new, 1)) == expected


def test_a_missing_regulatory_block_says_why_it_is_required():
    text = FRONT_MATTER[:FRONT_MATTER.index("regulatory:")] + FRONT_MATTER[FRONT_MATTER.index("review:"):]
    assert messages(text) == [(1, "the field 'regulatory' is missing (required because type is therapy)")]


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("title: Test therapy", "title: Minoxidil: the facts", 2, "put the whole value in quotes"),
    ("title: Test therapy", 'title: "Test therapy', 2, "a quote (\") opened here is never closed"),
    ("aliases: [TT]", "aliases: [TT", 6, "is not closed with ']'"),
    ("evidence: low", "\tevidence: low", 7, "a tab character"),
    ("title: Test therapy", "title Test therapy", 2, "is not a 'field: value' line"),
    ("title: Test therapy", "title: 'it's'", 2, "write '' for '"),
    ("  status: draft", " status: draft", 18, "indentation"),
    ("title: Test therapy", "<<<<<<< HEAD\ntitle: Test therapy\n=======\ntitle: Other\n>>>>>>> b", 2,
     "a merge conflict is left in the front matter"),
], ids=["colon", "quote", "bracket", "tab", "no-colon", "quote-inside", "indent", "conflict"])
def test_yaml_mistakes_in_plain_words_where_they_are(old, new, line, words):
    found = messages(FRONT_MATTER.replace(old, new, 1))
    assert len(found) == 1 and found[0][0] == line and words in found[0][1], found


def _errors(project, capsys, rule):
    cli.main(["--root", str(project.root), "--today", TODAY.isoformat(), "--no-cache", "check"])
    out = capsys.readouterr().out
    return [line for line in out.splitlines() if f" {rule} " in line]


def test_an_unknown_citation_key_names_the_closest_keys(project, capsys):
    project.page("t", "# T\n\nA trial found hair growth [@olsen2002randomised].\n")
    [line] = _errors(project, capsys, "CITE-UNKNOWN-KEY")
    assert line.endswith("no entry 'olsen2002randomised' in references.bib: did you mean 'olsen2002randomized'?")


def test_a_broken_anchor_names_the_closest_and_lists_the_page_anchors(project, capsys):
    project.page("t", "# T\n\nThe [safety section](sample.md#safty) says more [@olsen2002randomized].\n")
    [line] = _errors(project, capsys, "LINK-ANCHOR")
    assert "'#safty' is not a heading or id on 'therapies/sample.md': did you mean '#safety'?" in line
    assert "(its anchors: " in line and "#key-points" in line


def test_a_rule_id_can_be_looked_up_and_a_typo_gets_the_closest(capsys):
    assert cli.main(["rules", "cite-unknown-key"]) == 0
    assert capsys.readouterr().out.startswith("CITE-UNKNOWN-KEY (error): ")
    assert cli.main(["rules", "BIB-PRASE"]) == 2
    assert "unknown rule 'BIB-PRASE': did you mean 'BIB-PARSE'?" in capsys.readouterr().err
