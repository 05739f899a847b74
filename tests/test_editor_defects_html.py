"""Issue 15, items 3, 4 and 16: heading attributes, attributes that reach the HTML by any construct
(checked in the source and again in the rendered page with nh3), and diagnostics at the column of
the link or tag."""

from __future__ import annotations

import pytest

from hooks.render import html_allowlist
from tests.conftest import FRONT_MATTER

BODY_LINE = FRONT_MATTER.count("\n") + 1  # the line of "# T"
CITE = " [@olsen2002randomized]."
# the rules these tests are about (a test page is minimal: other rules about whole pages may apply to it)
OWN = ("CITE-", "CLAIM-", "HTML-", "HEADING-", "LINK-", "REVIEW-")


def errors(project, body: str, rel_name: str = "t") -> list[tuple[str, int, int]]:
    rel = project.page(rel_name, "# T\n\n" + body)
    return sorted((d.rule_id, d.line - BODY_LINE, d.col) for d in project.diagnostics()
                  if d.path == rel and d.is_error and d.rule_id.startswith(OWN))


# ---- item 3: heading attributes -----------------------------------------------------------------

def test_a_mistyped_section_date_attribute_is_an_error_with_did_you_mean(project):
    rel = project.page("t", '# T\n\n## Safety { data-reviwed="2026-10-01" }\n\nIt is safe' + CITE + "\n")
    report = project.check()
    diags = [d for d in report.all_diagnostics() if d.path == rel and d.is_error and d.rule_id.startswith(OWN)]
    assert [(d.rule_id, d.line, d.col) for d in diags] == [("HEADING-ATTR-UNKNOWN", BODY_LINE + 2, 11)]
    assert "did you mean data-reviewed?" in diags[0].message
    # and the section is not taken as reviewed on that date
    (claim,) = report.pages["therapies/t.md"].claims
    assert claim.review_date == "2026-06-01"


@pytest.mark.parametrize(
    ("heading", "col"),
    [('## Safety data-reviewed="2026-10-01"', 11), ("## Safety data-reviewed=2026-10-01", 11),
     ('## Safety{ data-reviewed="2026-10-01" }', 10), ('## Safety {data-reviewed="2026-10-01"', 11),
     ('## Safety {: data-reviewed="2026-10-01" ', 11)],
    ids=["no-braces", "no-braces-unquoted", "no-space-before-brace", "no-closing-brace", "colon-unclosed"],
)
def test_attribute_text_a_reader_would_see_in_a_heading_is_an_error(project, heading, col):
    assert errors(project, heading + "\n\nIt is safe" + CITE + "\n") == [("HEADING-ATTR-TEXT", 2, col)]


def test_attribute_text_in_a_heading_is_an_error_on_any_page(project):
    project.write("docs/about.md", '# About\n\n## Team data-reviewed="2026-10-01"\n\nText.\n')
    assert [(d.rule_id, d.line) for d in project.diagnostics() if d.path == "docs/about.md" and d.is_error] == [
        ("HEADING-ATTR-TEXT", 3)]


@pytest.mark.parametrize(
    "heading",
    ['## Safety { data-reviewed="2026-10-01" }', '## Safety {: data-reviewed="2026-10-01" #safety .note }',
     "## Safety { #safety }", '## Safety { data-toc-label="Side effects" }', "## Dose = 5 mg a day",
     "## Data-driven decisions", "## Side effects ##"],
)
def test_headings_the_site_uses_pass(project, heading):
    assert errors(project, heading + "\n\nIt is safe" + CITE + "\n") == []


def test_unknown_heading_attributes_are_allowed_off_clinical_pages(project):
    project.write("docs/about.md", '# About\n\n## Team { data-owner="ed" }\n\nText.\n')
    assert [d for d in project.diagnostics() if d.path == "docs/about.md" and d.is_error] == []


# ---- item 4: attributes from any construct go through the allow-list -----------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('It regrows hair' + CITE + '\n{: onclick="alert(1)" style="display:none" }\n',
         [("HTML-EVENT-HANDLER", 3, 1), ("HTML-FORBIDDEN-ATTR", 3, 1)]),
        ('- It regrows hair' + CITE + ' {: onclick="alert(1)" }\n', [("HTML-EVENT-HANDLER", 2, 43)]),
        ('## Safety { onclick="alert(1)" }\n\nIt is safe' + CITE + "\n", [("HTML-EVENT-HANDLER", 2, 11)]),
        ('| A | B |\n| --- | --- |\n| x | y' + CITE + ' { onmouseover="x" } |\n', [("HTML-EVENT-HANDLER", 4, 33)]),
        ('It regrows [hair](sample.md){: onclick="x" }' + CITE + "\n", [("HTML-EVENT-HANDLER", 2, 29)]),
        ('It regrows ![hair](https://example.org/x.png){: onerror="x" }' + CITE + "\n",
         [("HTML-EVENT-HANDLER", 2, 46)]),
        ('It *regrows*{: onclick="x" } hair' + CITE + "\n", [("HTML-EVENT-HANDLER", 2, 13)]),
        ('It regrows [hair](sample.md){: href="javascript:alert(1)" }' + CITE + "\n", [("HTML-UNSAFE-URL", 2, 29)]),
        ('It regrows hair' + CITE + '\n{: formaction="x" }\n', [("HTML-FORBIDDEN-ATTR", 3, 1)]),
        ('<div markdown="1" onclick="x">\n\nIt regrows hair' + CITE + '\n\n</div>\n', [("HTML-EVENT-HANDLER", 2, 1)]),
        ('## Safety <img src="x.png" onerror="alert(1)">\n\nIt is safe' + CITE + "\n", [("HTML-EVENT-HANDLER", 2, 11)]),
        ('| A | B |\n| --- | --- |\n| x | <span onclick="x">y</span>' + CITE + " |\n",
         [("HTML-EVENT-HANDLER", 4, 7)]),
        ('!!! note "x"\n    It regrows hair' + CITE + '\n    {: onclick="x" }\n', [("HTML-EVENT-HANDLER", 4, 5)]),
        ('It regrows hair' + CITE + '\n\n```{.python onclick="x"}\nx = 1\n```\n', [("HTML-EVENT-HANDLER", 4, 4)]),
    ],
    ids=["paragraph", "list-item", "heading", "table-cell", "link", "image", "emphasis", "unsafe-href",
         "unknown-attribute", "md-in-html", "html-in-heading", "html-in-table-cell", "in-admonition", "fence-header"],
)
def test_attributes_from_every_construct_are_checked(project, body, expected):
    assert errors(project, body) == expected


@pytest.mark.parametrize(
    "body",
    ["It regrows hair" + CITE + "\n{: .highlight #finding }\n",
     "It regrows [hair](sample.md){: .internal title=\"The sample\" }" + CITE + "\n",
     "Show the syntax `{: onclick=\"x\" }` as code" + CITE + "\n",
     "It regrows hair" + CITE + "\n\n```text\n{: onclick=\"x\" }\n```\n",
     "It regrows hair" + CITE + "\n\n<!-- {: onclick=\"x\" } -->\n",
     "The set {1, 2, 3} is small" + CITE + "\n"],
    ids=["class-and-id", "link-title", "code-span", "fence", "comment", "braces-in-prose"],
)
def test_allowed_attributes_and_code_pass(project, body):
    assert errors(project, body) == []


# ---- item 16: the column of the link or tag -----------------------------------------------------

@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("It regrows hair, says the [trial](missing.md)" + CITE + "\n", (2, 27)),
        ("It regrows hair" + CITE + "\nAnd more, says the\nfirst [trial](missing.md)" + CITE + "\n", (4, 7)),
        ("- One" + CITE + "\n- Two, see [this](missing.md)" + CITE + "\n", (3, 12)),
        ("| A | B |\n| --- | --- |\n| x | y [z](missing.md)" + CITE + " |\n", (4, 9)),
        ("## See [the trial](missing.md)\n\nText" + CITE + "\n", (2, 8)),
        ('!!! note "x"\n    It regrows, see [this](missing.md)' + CITE + "\n", (3, 21)),
        ("It regrows, see [the trial][t]" + CITE + "\n\n[t]: missing.md\n", (2, 17)),
        ("It regrows ![a](missing.png)" + CITE + "\n", (2, 12)),
        ("It regrows, see [the *trial*](missing.md)" + CITE + "\n", (2, 17)),
    ],
    ids=["paragraph", "third-line", "list-item", "table-cell", "heading", "admonition", "reference", "image",
         "markup-in-text"],
)
def test_link_diagnostics_point_at_the_link(project, body, where):
    found = [(line, col) for rule, line, col in errors(project, body) if rule == "LINK-BROKEN"]
    assert found == [where]


def test_anchor_and_html_diagnostics_point_at_their_own_column(project):
    body = ("It regrows hair [here](sample.md#nowhere) and <span onclick=\"x\">there</span>" + CITE + "\n")
    assert errors(project, body) == [("HTML-EVENT-HANDLER", 2, 47), ("LINK-ANCHOR", 2, 17)]


# ---- item 4, second line: the rendered HTML against the allow-list (nh3) -------------------------

@pytest.mark.parametrize(
    ("html", "rule", "needle"),
    [
        ('<p onclick="alert(1)">x</p>', "HTML-EVENT-HANDLER", "onclick"),
        ('<p style="display:none">x</p>', "HTML-FORBIDDEN-ATTR", "style"),
        ('<a href="javascript:alert(1)">x</a>', "HTML-UNSAFE-URL", "href"),
        ('<img src="data:image/svg+xml,x">', "HTML-UNSAFE-URL", "src"),
        ("<script>alert(1)</script>", "HTML-FORBIDDEN-TAG", "<script"),
        ('<iframe src="https://example.org"></iframe>', "HTML-FORBIDDEN-TAG", "<iframe"),
        ('<form action="x"><input type="text"></form>', "HTML-FORBIDDEN-TAG", "<form"),
        ('<table><tr><td style="color:red">x</td></tr></table>', "HTML-FORBIDDEN-ATTR", "style"),
        ('<input type="checkbox">', "HTML-FORBIDDEN-ATTR", "type"),
    ],
)
def test_the_sanitiser_finds_what_is_outside_the_allow_list(html, rule, needle):
    found = html_allowlist.findings(html)
    assert (found[0].rule.id, found[0].needle) == (rule, needle)


def test_what_markdown_and_its_extensions_write_passes_the_sanitiser():
    import markdown

    source = ('# Title\n\n## Section { #s .x data-reviewed="2026-01-01" }\n\nText[^1] with *em* and '
              '<abbr title="x">y</abbr>.\n\n| A | B |\n| :-- | --: |\n| 1 | 2 |\n\n!!! note "N"\n    Body.\n\n'
              '??? info "More"\n    Body.\n\n=== "One"\n\n    Tab one.\n\n=== "Two"\n\n    Tab two.\n\n'
              "```python\nx = 1\n```\n\nTerm\n:   Definition.\n\n[^1]: A note.\n")
    html = markdown.markdown(source, extensions=[
        "abbr", "admonition", "attr_list", "md_in_html", "tables", "def_list", "footnotes", "toc",
        "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed"],
        extension_configs={"toc": {"permalink": True}, "pymdownx.tabbed": {"alternate_style": True}})
    assert "tabbed-set" in html and "text-align" in html and "footnote" in html
    assert html_allowlist.findings(html) == []


@pytest.mark.build
def test_the_build_fails_on_what_slips_past_the_content_check(tmp_path):
    """With the content check's HTML rule switched off in the site's copy of the engine, the
    rendered-HTML check alone fails the build, naming the page and the source line."""
    from tests.test_build import build, make_site

    root = make_site(tmp_path)
    rule = root / "hooks" / "rules" / "content_safety.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n\ndef check(context):\n    return []\n", encoding="utf-8")
    (root / "docs" / "therapies" / "t.md").write_text(
        FRONT_MATTER + "# T\n\nIt regrows hair" + CITE + '\n{: onclick="alert(1)" }\n', encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"docs/therapies/t.md:{BODY_LINE + 3}:4: error HTML-EVENT-HANDLER the rendered <p> has an event " \
           "handler 'onclick'" in output
    assert "Traceback" not in output


@pytest.mark.build
def test_the_build_reports_an_attribute_list_once(tmp_path):
    """The content check reports it first; the rendered-HTML check does not repeat it."""
    from tests.test_build import build, make_site

    root = make_site(tmp_path)
    (root / "docs" / "therapies" / "t.md").write_text(
        FRONT_MATTER + "# T\n\nIt regrows hair" + CITE + '\n{: onclick="alert(1)" }\n', encoding="utf-8")
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert output.count("HTML-EVENT-HANDLER") == 1, output


def test_html_diagnostics_on_later_lines_of_a_block_point_at_the_tag(project):
    body = ('!!! note "x"\n    <div>\n    It regrows hair' + CITE + '\n      <b style="color:red">b</b>\n    </div>\n\n'
            '  <p onclick="y">It regrows hair' + CITE + '</p>\n')
    assert errors(project, body) == [("HTML-EVENT-HANDLER", 8, 3), ("HTML-FORBIDDEN-ATTR", 5, 7)]
