"""`make check` and `make build` agree (issue 15, item 9): what the strict build refuses, the check
reports first, with file and line; a missing references.bib is one clear error in both."""

from __future__ import annotations

import re

import pytest

from hooks import cli
from tests.conftest import TODAY
from tests.test_build import build, make_site

LINKS = ("See the [safety section](/therapies/sample/#safety) and the "
         "[page](https://hair-loss-evidence.example/therapies/sample/) [@olsen2002randomized].\n")


def check_lines(root, capsys) -> tuple[int, list[str]]:
    code = cli.main(["--root", str(root), "--today", TODAY.isoformat(), "--no-cache", "check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, [line for line in out.out.splitlines() if ": error " in line]


def test_the_check_reports_absolute_links_with_their_line_and_the_fix(project, capsys):
    project.write("mkdocs.yml", "site_name: T\nsite_url: https://hair-loss-evidence.example/\n")
    rel = project.page("t", "# T\n\n" + LINKS)
    _, errors = check_lines(project.root, capsys)
    absolute = [re.sub(r":24:\d+:", ":24:", e) for e in errors if " LINK-ABSOLUTE " in e]  # columns: the link's
    assert absolute == [
        f"{rel}:24: error LINK-ABSOLUTE '/therapies/sample/#safety' is an absolute link: the strict build "
        "refuses it: write 'sample.md#safety' (relative to this page)",
        f"{rel}:24: error LINK-ABSOLUTE 'https://hair-loss-evidence.example/therapies/sample/' is a link to "
        "this site by its full address: write 'sample.md' (relative to this page)",
    ]


@pytest.mark.parametrize(("page", "link", "fix"), [
    ("therapies/t.md", "/conditions/", "../conditions/index.md"),
    ("index.md", "/therapies/sample/", "therapies/sample.md"),
    ("therapies/t.md", "/nowhere/", ""),
])
def test_the_suggested_relative_link(page, link, fix):
    from hooks.rules.absolute_links import suggestion

    files = {"index.md", "conditions/index.md", "therapies/sample.md", "therapies/t.md"}
    assert suggestion(page, link, "", files) == fix


@pytest.mark.build
def test_an_absolute_link_fails_the_build_and_the_check_alike(tmp_path, capsys):
    root = make_site(tmp_path)
    text = (root / "docs" / "therapies" / "sample.md").read_text()
    (root / "docs" / "therapies" / "sample.md").write_text(text + "\n" + LINKS)
    code, errors = check_lines(root, capsys)
    assert code == 1 and any(" LINK-ABSOLUTE " in e for e in errors)
    result = build(root)
    assert result.returncode != 0
    assert "docs/therapies/sample.md:" in result.stderr and "LINK-ABSOLUTE" in result.stderr


@pytest.mark.build
def test_a_missing_bibliography_is_one_clear_error_in_the_build(tmp_path):
    root = make_site(tmp_path)
    (root / "references.bib").unlink()
    result = build(root)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "BIB-FILE-MISSING references.bib does not exist" in errors[0], output
