"""Change logs: the pull-request gate (a changed grade, bottom line or key point needs an entry) and
the checks of the entries themselves."""

from __future__ import annotations

import subprocess

import pytest

from hooks import cli
from tests.conftest import FRONT_MATTER

PAGE = "docs/therapies/t.md"
BODY = ("# T\n\n## Key points\n\n- It works in some men [@olsen2002randomized].\n\n## More\n\n"
        "Text [@olsen2002randomized].\n")
ENTRY = ("changes:\n  - date: 2026-06-01\n    kind: correction\n"
         "    summary: The key point now says what the trial found.\nevidence_note:")


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"})


@pytest.fixture
def repo(project):
    project.page("t", BODY)
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    return project


def gate(project, capsys):
    code = cli.main(["--root", str(project.root), "changes-check", "--base", "main"])
    return code, capsys.readouterr().out


def test_a_changed_key_point_without_an_entry_is_refused_at_its_line(repo, capsys):
    repo.page("t", BODY.replace("in some men", "in most men"))
    code, out = gate(repo, capsys)
    assert code == 1
    assert out.startswith(f"{PAGE}:24:1: error CHANGE-LOG-MISSING The key points changed but the change log has no")


def test_a_changed_grade_names_both_grades(repo, capsys):
    repo.page("t", BODY, FRONT_MATTER.replace("evidence: low", "evidence: moderate"))
    code, out = gate(repo, capsys)
    assert code == 1 and "The evidence grade (low → moderate) changed" in out and f"{PAGE}:7:1:" in out


def test_the_same_change_with_an_entry_passes(repo, capsys):
    repo.page("t", BODY.replace("in some men", "in most men"), FRONT_MATTER.replace("evidence_note:", ENTRY))
    assert gate(repo, capsys) == (0, "")


def test_other_edits_need_no_entry(repo, capsys):
    repo.page("t", BODY.replace("Text", "More text"))
    assert gate(repo, capsys) == (0, "")


def test_an_unknown_base_is_a_usage_error(repo, capsys):
    code = cli.main(["--root", str(repo.root), "changes-check", "--base", "no-such-rev"])
    assert code == 2 and "cannot compare with no-such-rev" in capsys.readouterr().err


def test_change_log_entries_are_checked(project):
    bad = ("changes:\n  - date: 2026-07-01\n    kind: safety\n    summary: A new warning on the label.\n"
           "    refs: [nobody2020x]\n  - date: 2026-05-01\n    kind: new-evidence\n"
           "    summary: A new trial without its reference.\nevidence_note:")
    project.page("t", BODY, FRONT_MATTER.replace("evidence_note:", bad))
    found = {(d.rule_id, d.line) for d in project.diagnostics() if d.path == PAGE and d.is_error}
    assert ("CHANGE-DATE", 9) in found  # after the last review (2026-06-01)
    assert ("FM-REF-UNKNOWN", 12) in found
    assert any(rule == "FM-SCHEMA" for rule, _ in found)  # new-evidence without refs
