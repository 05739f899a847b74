"""Malformed input ends as a diagnostic naming the file, exit status 1, never a traceback."""

from __future__ import annotations

import pytest

from hooks import cli
from tests.conftest import FRONT_MATTER


def run(project, capsys, *args):
    code = cli.main(["--root", str(project.root), "--today", "2026-11-22", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("rel", "content", "where", "rule"),
    [
        ("docs/therapies/t.md", FRONT_MATTER.encode() + b"# T\n\nBad \xff byte.\n", "docs/therapies/t.md:24:5",
         "FILE-ENCODING"),
        ("docs/therapies/t.md", FRONT_MATTER + "# T\n\n" + "x" * 2_000_000 + "\n", "docs/therapies/t.md:24:",
         "FILE-TOO-LONG-LINE"),
        ("docs/therapies/t.md", "---\ntitle: [unclosed\n---\n# T\n", "docs/therapies/t.md:2:", "FM-YAML"),
        ("docs/therapies/t.md", "---\n- a list\n---\n# T\n", "docs/therapies/t.md:2:1", "FM-YAML"),
        ("docs/therapies/t.md", "---\n\tbad: tab\n---\n# T\n", "docs/therapies/t.md:2:", "FM-YAML"),
        ("docs/therapies/t.md", "", "docs/therapies/t.md:1:1", "FM-MISSING"),
        ("references.bib", "@article{x2020y,\n  title = {open\n", "references.bib:", "BIB-PARSE"),
        ("references.bib", b"@misc{a2020b, title={\xfe}}\n", "references.bib:1:", "FILE-ENCODING"),
        ("references.bib", "@article{a2020b, title = {x}, year = {2020}}\n}}}}\n", "references.bib:",
         "BIB-MISSING-FIELD"),
    ],
    ids=["non-utf8", "2mb-line", "yaml", "yaml-not-mapping", "yaml-tab", "empty-page", "bib-unclosed",
         "bib-non-utf8", "bib-stray-braces"],
)
def test_bad_input_is_a_diagnostic(project, capsys, rel, content, where, rule):
    project.write(rel, content)
    code, out, err = run(project, capsys, "check")
    assert code == 1
    assert "Traceback" not in out + err
    assert any(line.startswith(where) and f" {rule} " in line for line in out.splitlines()), out


def test_thousands_of_citations_in_one_sentence(project, capsys):
    cites = ";\n".join(["@olsen2002randomized"] * 3000)
    project.page("t", f"# T\n\nMany [{cites}].\n")
    code, out, _ = run(project, capsys, "check")
    assert code == 0, out
