"""Content safety (no scripts, frames, handlers, javascript:/data: URLs) and internal links."""

from __future__ import annotations

import pytest

CITE = " [@olsen2002randomized]."


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("<script>alert(1)</script>\n", "HTML-FORBIDDEN-TAG"),
        ('<iframe src="https://example.org"></iframe>\n', "HTML-FORBIDDEN-TAG"),
        ('<object data="x.swf"></object>\n', "HTML-FORBIDDEN-TAG"),
        ('<embed src="x.swf">\n', "HTML-FORBIDDEN-TAG"),
        ('<form action="/x"><input></form>\n', "HTML-FORBIDDEN-TAG"),
        ('Text <img src="x.png" onerror="alert(1)">' + CITE + "\n", "HTML-EVENT-HANDLER"),
        ('<div onclick="x()">Hi</div>\n', "HTML-EVENT-HANDLER"),
        ("A [link](javascript:alert(1))" + CITE + "\n", "HTML-UNSAFE-URL"),
        ("A [link](  JaVaScRiPt:alert(1))" + CITE + "\n", "HTML-UNSAFE-URL"),
        ('<a href="javascript:alert(1)">x</a>\n', "HTML-UNSAFE-URL"),
        ("An image ![x](data:image/svg+xml;base64,PHN2Zz4=)" + CITE + "\n", "HTML-UNSAFE-URL"),
        ('<p style="background: url(https://tracker.example/x.png)">x</p>\n', "HTML-UNSAFE-URL"),
        ("[ref]: javascript:alert(1)\n", "HTML-UNSAFE-URL"),
        ("Inline <script>alert(1)</script> in a sentence" + CITE + "\n", "HTML-FORBIDDEN-TAG"),
    ],
)
def test_unsafe_content_is_an_error(project, body, rule):
    rel = project.page("t", "# T\n\n" + body)
    assert rule in {d.rule_id for d in project.diagnostics() if d.path == rel and d.is_error}


def test_unsafe_html_is_reported_on_non_clinical_pages_too(project):
    project.write("docs/about.md", "# About\n\n<script>alert(1)</script>\n")
    assert ("docs/about.md", 3, 1, "HTML-FORBIDDEN-TAG") in project.rules("docs/about.md")


def test_code_may_show_html(project):
    rel = project.page("t", "# T\n\nIt regrows hair [@olsen2002randomized].\n\n```html\n<script>x</script>\n```\n")
    assert [d for d in project.diagnostics() if d.path == rel] == []


@pytest.mark.parametrize(
    ("link", "rule"),
    [
        ("[x](missing.md)", "LINK-BROKEN"),
        ("[x](../conditions/nowhere.md)", "LINK-BROKEN"),
        ("[x](sample.md#no-such-heading)", "LINK-ANCHOR"),
        ("[x](#not-here)", "LINK-ANCHOR"),
    ],
)
def test_broken_links_and_anchors(project, link, rule):
    rel = project.page("t", f"# T\n\nSee {link}{CITE}\n")
    assert (rel, 24, 5, rule) in project.rules(rel)  # the column of the link, not of the line


@pytest.mark.parametrize(
    "link",
    ["[x](sample.md)", "[x](sample.md#key-points)", "[x](sample.md#safety)", "[x](#t)",
     "[x](https://example.org/nowhere)", "[x](./sample.md#sample-therapy)"],
)
def test_good_links(project, link):
    rel = project.page("t", f"# T\n\nSee {link}{CITE}\n")
    assert project.rules(rel) == []


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("<marquee>old</marquee>\n", "HTML-FORBIDDEN-TAG"),
        ("<svg><circle r='3'></circle></svg>\n", "HTML-FORBIDDEN-TAG"),
        ("<style>body{display:none}</style>\n", "HTML-FORBIDDEN-TAG"),
        ('<span style="color:red">x</span>' + CITE + "\n", "HTML-FORBIDDEN-ATTR"),
        ('<a href="x.md" target="_blank">x</a>' + CITE + "\n", "HTML-FORBIDDEN-ATTR"),
    ],
)
def test_raw_html_outside_the_allow_list_is_an_error(project, body, rule):
    rel = project.page("t", "# T\n\n" + body)
    assert rule in {d.rule_id for d in project.diagnostics() if d.path == rel and d.is_error}


def test_allowed_raw_html_passes(project):
    body = ('<div class="x" markdown>\n\nA claim [@olsen2002randomized].\n\n</div>\n\n'
            '<details><summary>More</summary>Text <abbr title="t">T</abbr> [@olsen2002randomized].</details>\n')
    rel = project.page("t", "# T\n\n" + body)
    assert [d for d in project.diagnostics() if d.path == rel] == []
