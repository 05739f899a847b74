"""`make new-page`: refuses a name that is already another page's title or alias (and says which
page), writes every field the site renders (administration), and the page it writes is an error
(PAGE-NO-CLAIMS) until its sections say something."""

from __future__ import annotations

import pytest

from hooks import cli
from hooks.editor import scaffold
from tests.conftest import FRONT_MATTER


def run(project, capsys, *args):
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("name", "page_type", "what"), [
    ("Sample therapy", "therapy", "the title of docs/therapies/sample.md"),
    ("SAMPLE", "condition", "an alias of docs/therapies/sample.md ('Sample therapy')"),
    ("sample-therapy", "claim-check", "the title of docs/therapies/sample.md"),
])
def test_new_page_refuses_another_pages_title_or_alias(project, capsys, name, page_type, what):
    before = sorted(p.relative_to(project.root) for p in (project.root / "docs").rglob("*.md"))
    code, _, err = run(project, capsys, "new-page", "--name", name, "--type", page_type)
    assert code == 1 and what in err and "nothing was written" in err
    assert sorted(p.relative_to(project.root) for p in (project.root / "docs").rglob("*.md")) == before


def test_alias_of_a_new_page_is_compared_too(project, capsys):
    front_matter = FRONT_MATTER.replace("aliases: [TT]", "aliases: [Rogaine, Régaine foam]")
    front_matter = front_matter.replace("title: Test therapy", "title: Topical minoxidil")
    project.page("rogaine", "# Topical minoxidil\n", front_matter)
    code, _, err = run(project, capsys, "new-page", "--name", "regaine Foam", "--type", "therapy")
    assert code == 1 and "an alias of docs/therapies/rogaine.md ('Topical minoxidil')" in err
    code, _, _ = run(project, capsys, "new-page", "--name", "Oral minoxidil", "--type", "therapy")
    assert code == 0


def test_scaffold_writes_administration_for_therapies_only():
    import datetime as dt

    therapy = scaffold.page_text("New therapy", "therapy", dt.date(2026, 11, 22))
    assert '\nadministration: ""\n' in therapy
    assert "administration" not in scaffold.page_text("New condition", "condition", dt.date(2026, 11, 22))


def test_scaffolded_page_is_an_error_until_it_has_claims(project, capsys):
    code, _, _ = run(project, capsys, "new-page", "--name", "Brand new therapy", "--type", "therapy")
    assert code == 0
    rel = "docs/therapies/brand-new-therapy.md"
    page = project.root / rel
    text = page.read_text(encoding="utf-8")
    diags = [d for d in project.diagnostics() if d.path == rel]
    assert any(d.rule_id == "FM-SCHEMA" and "administration" in d.message for d in diags)  # to be filled in
    no_claims = [d for d in diags if d.rule_id == "PAGE-NO-CLAIMS"]
    assert len(no_claims) == 1 and no_claims[0].is_error
    assert no_claims[0].line == text.split("\n").index("# Brand new therapy") + 1
    assert "all 10 of its sections are empty" in no_claims[0].message
    page.write_text(text.replace("## Safety\n", "## Safety\n\nIt caused no serious harm [@olsen2002randomized].\n"),
                    encoding="utf-8")
    assert not [d for d in project.diagnostics() if d.path == rel and d.rule_id == "PAGE-NO-CLAIMS"]


def test_non_clinical_and_exempted_pages(project):
    project.write("docs/about/empty.md", "# About\n\n## Nothing yet\n")
    rel = project.page("t", "# T\n\n## Safety\n\n<!-- no-claim: drafting -->\nWork in progress.\n")
    rules = {(d.path, d.rule_id) for d in project.diagnostics()}
    assert ("docs/about/empty.md", "PAGE-NO-CLAIMS") not in rules
    assert (rel, "PAGE-NO-CLAIMS") in rules
