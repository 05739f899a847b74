"""Glossary tooltips: a term gets its <abbr> in the page's text, and nowhere a tooltip would break the
page (inside a tag, a comment, a link, code, a heading or an existing abbreviation)."""

from __future__ import annotations

import pytest

from hooks.render.glossary import Term, annotate_html

TERMS = [Term("RCT", "Randomised controlled trial"), Term("FDA", "U.S. Food and Drug Administration"),
         Term("De Novo", "A US route for new low-risk devices"), Term("5-ARI", "5-alpha-reductase inhibitor")]


def tip(term: str) -> str:
    title = next(t.definition for t in TERMS if t.term == term)
    return f'<abbr title="{title}">{term}</abbr>'


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>One RCT.</p>", f"<p>One {tip('RCT')}.</p>"),
    ("<p>RCT, FDA and De Novo</p>", f"<p>{tip('RCT')}, {tip('FDA')} and {tip('De Novo')}</p>"),
    ("<td>a 5-ARI</td>", f"<td>a {tip('5-ARI')}</td>"),
    ("text at the end RCT", f"text at the end {tip('RCT')}"),
    # not part of a longer word or name
    ("<p>RCTs, pre-RCT, RCT-like, FDAX</p>", "<p>RCTs, pre-RCT, RCT-like, FDAX</p>"),
    # not inside a tag's attributes or a comment
    ('<p title="an RCT">x</p>', '<p title="an RCT">x</p>'),
    ("<!-- RCT --><p>x</p>", "<!-- RCT --><p>x</p>"),
    # not in links, code, headings, scripts or existing abbreviations, whatever the tag's case
    ('<a href="#">RCT</a> RCT', f'<a href="#">RCT</a> {tip("RCT")}'),
    ('<A HREF="#">RCT</A> RCT', f'<A HREF="#">RCT</A> {tip("RCT")}'),
    ("<pre><code>FDA</code></pre><code>RCT</code>", "<pre><code>FDA</code></pre><code>RCT</code>"),
    ('<h2 id="x">RCT <a class="headerlink" href="#x">RCT</a></h2><p>RCT</p>',
     f'<h2 id="x">RCT <a class="headerlink" href="#x">RCT</a></h2><p>{tip("RCT")}</p>'),
    ('<abbr title="x">FDA</abbr> FDA', f'<abbr title="x">FDA</abbr> {tip("FDA")}'),
    ("<script>var RCT = 1;</script>", "<script>var RCT = 1;</script>"),
    # a self-closed tag skips nothing after it
    ("<a/>RCT", f"<a/>{tip('RCT')}"),
    # a tag whose name only starts like a skipped one is not skipped
    ("<abbreviation>RCT</abbreviation><header>RCT</header>",
     f"<abbreviation>{tip('RCT')}</abbreviation><header>{tip('RCT')}</header>"),
])
def test_terms_get_tooltips_only_in_text(html, expected):
    assert annotate_html(html, TERMS) == expected


def test_definitions_are_escaped_and_no_glossary_changes_nothing():
    terms = [Term("CI", 'Confidence interval, "the range" <of> values & more')]
    assert annotate_html("<p>a CI</p>", terms) == (
        '<p>a <abbr title="Confidence interval, &quot;the range&quot; &lt;of&gt; values &amp; more">CI</abbr></p>')
    assert annotate_html("<p>a CI</p>", []) == "<p>a CI</p>"
