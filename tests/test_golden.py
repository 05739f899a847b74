"""Golden outputs: the whole report of one project with many problems at once, in every format,
and the claim register of the clean fixture site, compared byte for byte with tests/golden/.

The project is the fixture site plus a handful of the bad inputs of tests/test_bad_input.py and
some bad inputs of tests/rules/, each on a page of its own. Today is pinned and the project's
temporary folder never shows (paths are relative to its root), so the outputs depend neither on
the date nor on the machine. ``UPDATE_GOLDEN=1 pytest tests/test_golden.py`` rewrites them; read
the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooks import cli
from tests.conftest import FRONT_MATTER, REPO

GOLDEN = REPO / "tests" / "golden"
RULES = REPO / "tests" / "rules"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# from tests/test_bad_input.py: (page, content)
BAD_INPUTS: list[tuple[str, str | bytes]] = [
    ("docs/therapies/non-utf8.md", FRONT_MATTER.encode() + b"# T\n\nBad \xff byte.\n"),
    ("docs/therapies/long-line.md", FRONT_MATTER + "# T\n\n" + "x" * 2_000_000 + "\n"),
    ("docs/therapies/yaml.md", "---\ntitle: [unclosed\n---\n# T\n"),
    ("docs/therapies/yaml-not-mapping.md", "---\n- a list\n---\n# T\n"),
    ("docs/therapies/yaml-tab.md", "---\n\tbad: tab\n---\n# T\n"),
    ("docs/therapies/empty.md", ""),
]
# from tests/rules/<RULE-ID>/: (fixture file, where it goes in the golden project)
RULE_INPUTS: list[tuple[str, str]] = [
    ("CLAIM-UNCITED/bad.md", "docs/therapies/claim-uncited.md"),
    ("CITE-UNKNOWN-KEY/bad.md", "docs/therapies/cite-unknown-key.md"),
    ("CITE-IN-CODE/bad.md", "docs/therapies/cite-in-code.md"),
    ("CITE-SEPARATOR/bad.md", "docs/therapies/cite-separator.md"),
    ("CHANGE-DATE/bad.md", "docs/therapies/change-date.md"),
    ("EXEMPT-NO-REASON/bad.md", "docs/therapies/exempt-no-reason.md"),
    ("FM-SCHEMA/bad.md", "docs/therapies/fm-schema.md"),
    ("FM-UNCLOSED/bad.md", "docs/therapies/fm-unclosed.md"),
    ("HTML-UNSAFE-URL/bad.md", "docs/therapies/html-unsafe-url.md"),
    ("HTML-FORBIDDEN-TAG/bad.md", "docs/therapies/html-forbidden-tag.md"),
    ("LINK-ANCHOR/bad.md", "docs/therapies/link-anchor.md"),
    ("LINK-BROKEN/bad.md", "docs/therapies/link-broken.md"),
    ("READABILITY-GRADE/bad.md", "docs/therapies/readability-grade.md"),
    ("REVIEW-OVERDUE/bad.md", "docs/therapies/review-overdue.md"),
    ("REVIEW-ORDER/bad.md", "docs/therapies/review-order.md"),
    ("NUMBER-UNTRACED/bad.md", "docs/therapies/number-untraced.md"),
    ("BIB-DOI-FORMAT/bad.bib", "references.bib"),  # the fixture's entries plus one with a DOI URL
    ("EXCERPT-UNUSED/bad.yml", "data/sources/olsen2002randomized.yml"),
    ("SOURCE-RECORD-UNKNOWN/bad.yml", "data/sources/olsen2002randomised.yml"),
    ("SOURCE-RETRACTED/bad.yml", "data/sources/smith2020trial.yml"),  # the entry of BIB-DOI-FORMAT/bad.bib
    ("SOURCE-RETRACTED/base.md", "docs/therapies/source-retracted.md"),
]


def run(root: Path, capsys, *args: str) -> str:
    cli.main(["--root", str(root), "--today", "2026-11-22", "--no-cache", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    # paths are relative to the root already; a stray absolute path would make the golden machine-bound
    for form in {str(root), root.resolve().as_posix()}:
        assert form not in captured.out
    return captured.out


def compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {Path(__file__).name}"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from the golden output (UPDATE_GOLDEN=1 rewrites it)"


@pytest.fixture
def troubled(project):
    for rel, content in BAD_INPUTS:
        project.write(rel, content)
    for fixture, rel in RULE_INPUTS:
        project.write(rel, (RULES / fixture).read_bytes())
    return project


@pytest.mark.parametrize(("fmt", "name"), [("text", "check.txt"), ("json", "check.json"),
                                           ("github", "check.github")])
def test_check_output_is_golden(troubled, capsys, fmt, name):
    compare(name, run(troubled.root, capsys, "check", "--format", fmt))


def test_claim_register_of_the_fixture_site_is_golden(project, capsys):
    compare("claims.json", run(project.root, capsys, "claims"))
