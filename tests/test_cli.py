"""The command line: formats, exit codes, claim register."""

from __future__ import annotations

import json

from hooks import cli
from tests.conftest import REPO


def run(project, capsys, *args):
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", *args])
    return code, capsys.readouterr().out


def test_clean_project_exits_zero_and_lists_exemptions(project, capsys):
    code, out = run(project, capsys, "check")
    assert code == 0
    assert "0 error(s), 0 warning(s)" in out
    assert "docs/therapies/sample.md:52: navigation signpost" in out


def test_text_format_is_compiler_like_with_a_hint(project, capsys):
    project.page("t", "# T\n\nUncited claim.\n")
    code, out = run(project, capsys, "check")
    assert code == 1
    lines = out.splitlines()
    index = lines.index("docs/therapies/t.md:24:1: error CLAIM-UNCITED sentence has no citation: \"Uncited claim.\"")
    assert lines[index + 1].startswith("  hint: Add a citation")


def test_json_format(project, capsys):
    project.page("t", "# T\n\nUncited claim.\n")
    code, out = run(project, capsys, "check", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data[0]["path"] == "docs/therapies/t.md" and data[0]["line"] == 24
    assert data[0]["rule_id"] == "CLAIM-UNCITED" and data[0]["severity"] == "error" and data[0]["hint"]


def test_github_format(project, capsys):
    project.page("t", "# T\n\nUncited claim.\n")
    code, out = run(project, capsys, "check", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=docs/therapies/t.md,line=24,col=1,title=CLAIM-UNCITED::")


def test_usage_error_exits_two(project, capsys):
    try:
        cli.main(["--root", str(project.root), "check", "--format", "xml"])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("expected a usage error")


def test_claim_register(project, capsys, tmp_path):
    target = tmp_path / "out" / "claims.json"
    code, _ = run(project, capsys, "claims", "--output", str(target))
    assert code == 0
    data = json.loads(target.read_text())
    first = data["claims"][0]
    assert set(first) >= {"page", "line", "text", "keys", "review_date", "evidence"}
    assert data["exemptions"] == [{"path": "docs/therapies/sample.md", "line": 52, "reason": "navigation signpost",
                                   "kind": "no-claim"}]


def test_rules_table_documents_every_rule(capsys):
    assert cli.main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "`CLAIM-UNCITED`" in out and "`BIB-DUPLICATE-ID`" in out


def test_contributing_documents_the_current_rules():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0].strip()
    assert table == cli.rules_markdown()
