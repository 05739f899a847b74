"""Property-based tests of every parser: no exception on arbitrary input, every diagnostic inside
its file, and the claim set unchanged by whitespace-only edits.

`make test` runs the fast profile; the scheduled workflow runs HYPOTHESIS_PROFILE=long
(10,000 examples per property)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from hooks.parse import bibliography, citations, frontmatter, sentences
from hooks.parse import markdown as markdown_blocks
from hooks.rules.claims import scan_document
from tests.conftest import FRONT_MATTER

FRAGMENTS = [
    "# Title\n", "## Key points\n", "## Safety { data-reviewed=\"2026-01-01\" }\n", "- item [@olsen2002randomized].\n",
    "1. one\n", "> quote [@fda2019exosome].\n", "!!! note \"T\"\n    body [@olsen2002randomized].\n",
    "=== \"Tab\"\n\n    tab text.\n", "| a | b |\n| --- | --- |\n| x [@olsen2002randomized] | y |\n",
    "```\ncode [@x]\n```\n", "`[@y]`", "<!-- no-claim: reason -->\n", "<!-- no-claim: -->\n", "<div markdown>\n",
    "</div>\n", "<script>x</script>", "[link](sample.md#key-points)", "[bad](nowhere.md)", "[@", "[@;]", "@",
    "e.g. 1.74 mg/d vs. placebo", "?", ":", "\n", "\n\n", "    ", "\t", "---\n", "[^1]", "*[AGA]: x\n",
    "<span onclick=\"x\">", "[x](javascript:alert(1))", "Sentence one. Sentence two [@olsen2002randomized].",
]
markdownish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=40).map("".join)


def _inside(diags, text: str, path: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the engine and editors count lines
    last_line = text.count("\n") + 2
    for diag in diags:
        assert diag.path == path
        assert 1 <= diag.line <= last_line, diag.format_text()
        assert diag.col >= 1, diag.format_text()
        assert "Traceback" not in diag.message


@given(markdownish)
def test_markdown_pages_never_crash_and_diagnostics_stay_inside(project, body):
    text = FRONT_MATTER + body
    rel = project.page("fuzz", body)
    report = project.check()
    _inside([d for d in report.all_diagnostics() if d.path == rel], text, rel)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_a_diagnostic_not_a_crash(project, data):
    rel = "docs/therapies/fuzz.md"
    project.write(rel, data)
    report = project.check()
    text = data.decode("utf-8", errors="replace")
    _inside([d for d in report.all_diagnostics() if d.path == rel], text, rel)


yamlish = st.lists(st.one_of(st.sampled_from(["title: x\n", "review:\n", "  last_reviewed: 2026-02-30\n", "- a\n",
                                               "a: [\n", "a: 'b\n", "? x\n", "&a x\n", "*a\n", "a: !!python/x y\n",
                                               "\t", "a: b\na: c\n", "regulatory: {}\n", ": :\n"]),
                             st.text(max_size=20)), max_size=15).map("".join)


@given(yamlish)
def test_front_matter_parser(text):
    page = "---\n" + text + "\n---\n# T\n"
    _, diags = frontmatter.parse("p.md", page)
    _inside(diags, page, "p.md")


bibish = st.lists(st.one_of(st.sampled_from(["@article{a2020b,\n", "title = {x},\n", "author = {A and B},\n", "}\n",
                                             "{", "}", "@string{x = {y}}\n", "year = 20x0,\n", "doi = {10.1/x},\n",
                                             "pmid = {12},\n", "%comment\n", "@comment{", "\"", "#", "@misc{b2021c,"]),
                            st.text(max_size=20)), max_size=30).map("".join)


@given(bibish)
def test_bibliography_parser(text):
    _, diags = bibliography.parse("references.bib", text)
    _inside(diags, text, "references.bib")


@given(st.text(max_size=200))
def test_citation_and_sentence_parsers(text):
    for group in citations.find_groups(text):
        assert 0 <= group.start <= group.end <= len(text)
    for sentence in sentences.split(text):
        assert 0 <= sentence.start <= sentence.end <= len(text)


words = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
sentence = st.tuples(st.lists(words, min_size=1, max_size=6), st.booleans()).map(
    lambda t: " ".join(t[0]).capitalize() + (" [@olsen2002randomized]." if t[1] else "."))
paragraphs = st.lists(st.lists(sentence, min_size=1, max_size=4), min_size=1, max_size=4)


def _claims(body: str) -> list[tuple[str, tuple[str, ...]]]:
    doc = markdown_blocks.parse(body)
    scan = scan_document("t.md", doc, True, {"olsen2002randomized"})
    return [(" ".join(c.text.split()), tuple(c.keys)) for c in scan.claims]


@given(paragraphs, st.randoms())
def test_claims_are_stable_under_whitespace_only_edits(paras, rnd):
    plain = "# T\n\n" + "\n\n".join(" ".join(p) for p in paras) + "\n"
    edited_paras = []
    for para in paras:
        text = " ".join(para)
        text = re.sub(" ", lambda _: rnd.choice([" ", "  ", "\n", " \n"]), text)
        edited_paras.append(text + rnd.choice(["", "  ", "\t"]))
    edited = "# T\n\n\n" + "\n\n\n".join(edited_paras) + "\n\n"
    assert _claims(plain) == _claims(edited)


LINKISH = ["[a](b.md)", "![i](x.png)", "<https://example.org>", "<b>bold</b>", "[ref]", "[ref][]", "[t][ref]",
           "\n[ref]: target.md\n", "\\[x](y)", "`[c](d)`", "[a]\n(b)", "<", "](", "[@k](x)"]


@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS + LINKISH), st.text(max_size=30)), max_size=30).map("".join))
def test_inline_parsing_on_demand_finds_what_a_full_parse_finds(text):
    """The block parser skips the inline parse of text that cannot hold a link, an image or inline
    HTML; the links and HTML it records are those of parsing every block in full."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the engine reads files
    lazy = markdown_blocks.parse(text)
    on_demand = markdown_blocks._inline_children
    try:  # every block's text parsed in full
        markdown_blocks._inline_children = lambda token, env: (
            markdown_blocks._PARSER.parseInline(token.content, env) or [None])[0].children or [] \
            if token.content else []
        full = markdown_blocks.parse(text)
    finally:
        markdown_blocks._inline_children = on_demand
    assert lazy.links == full.links
    assert lazy.html == full.html
