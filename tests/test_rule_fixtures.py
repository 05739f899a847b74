"""One folder per rule under tests/rules/<RULE-ID>/: a minimal input that breaks the rule and the
closest input that does not.

Each folder holds ``case.yml``, ``bad.*``, ``good.*`` and ``expected.txt``. ``case.yml`` says which
file of the fixture project (tests/fixtures/site plus schema/ and data/) each fixture file replaces::

    files: {bad.md: docs/therapies/t.md}          # good.md replaces the same file
    files: {bad.yml: data/sources/x2020y.yml,     # a good.* file listed here has a target of its own
            good.yml: data/sources/olsen2002randomized.yml}  # (and may have no bad.* counterpart)
    files: {base.bib: references.bib, bad.md: docs/therapies/t.md}  # base.*: written in both runs
    today: 2026-11-22                             # optional; this is the default

``expected.txt`` holds the exact ``path:line:col: severity RULE-ID message`` lines (hints left out)
that the bad input gives for the folder's rule; the good input gives none.
``UPDATE_FIXTURES=1 pytest tests/test_rule_fixtures.py`` rewrites every expected.txt.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import yaml

from hooks import cli
from hooks.rules.registry import all_rules
from tests.conftest import REPO, TODAY

RULES_DIR = REPO / "tests" / "rules"
CASES = sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir()) if RULES_DIR.is_dir() else []
UPDATE = os.environ.get("UPDATE_FIXTURES") == "1"
DIAGNOSTIC_RE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|report) "
                           r"(?P<rule>[A-Z][A-Z0-9-]*) ")


def load_case(folder: Path) -> tuple[dict[str, str], dt.date]:
    case = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8")) or {}
    files = {str(name): str(target) for name, target in (case.get("files") or {}).items()}
    today = case.get("today", TODAY)
    return files, today if isinstance(today, dt.date) else dt.date.fromisoformat(str(today))


def inputs(folder: Path, variant: str) -> dict[str, str]:
    """Fixture file -> project path for one run ('bad' or 'good'): its own files plus base.* files."""
    files, _ = load_case(folder)
    out = {name: target for name, target in files.items()
           if name.startswith(variant) or not name.startswith(("bad", "good"))}
    if variant == "good":
        for name, target in files.items():
            if name.startswith("bad"):
                out.setdefault("good" + name[3:], target)  # good.md replaces what bad.md replaced
    return out


def apply(root: Path, folder: Path, variant: str) -> None:
    for name, target in inputs(folder, variant).items():
        path = root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((folder / name).read_bytes())


def check(root: Path, today: dt.date, capsys) -> tuple[int, str]:
    code = cli.main(["--root", str(root), "--today", today.isoformat(), "--no-cache", "check"])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output, output
    return code, output


def diagnostic_lines(output: str, rule_id: str) -> list[str]:
    out = []
    for line in output.splitlines():
        match = DIAGNOSTIC_RE.match(line)
        if match and match.group("rule") == rule_id:
            out.append(line)
    return out


def run_case(project, capsys, rule_id: str, which: str) -> tuple[list[str], str]:
    """The rule's diagnostics (and the whole output) for its bad or good input."""
    folder = RULES_DIR / rule_id
    _, today = load_case(folder)
    apply(project.root, folder, which)
    _, output = check(project.root, today, capsys)
    return diagnostic_lines(output, rule_id), output


@pytest.mark.parametrize("rule_id", CASES)
def test_bad_input_gives_exactly_the_expected_diagnostics(project, capsys, rule_id):
    found, output = run_case(project, capsys, rule_id, "bad")
    expected_file = RULES_DIR / rule_id / "expected.txt"
    if UPDATE:
        expected_file.write_text("".join(f"{line}\n" for line in found), encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert found, f"{rule_id}: the bad input does not trigger the rule\n{output}"
    assert found == expected


@pytest.mark.parametrize("rule_id", CASES)
def test_good_input_does_not_trigger_the_rule(project, capsys, rule_id):
    found, output = run_case(project, capsys, rule_id, "good")
    assert found == [], output


def test_every_rule_has_a_fixture_folder_and_documentation():
    rules = all_rules()
    assert sorted(set(rules) - set(CASES)) == [], "rules without a folder under tests/rules/"
    assert sorted(set(CASES) - set(rules)) == [], "folders under tests/rules/ that name no registered rule"
    for rule in rules.values():
        assert rule.summary.strip() and rule.hint.strip(), rule.id


@pytest.mark.parametrize("rule_id", CASES)
def test_fixture_folder_is_complete(rule_id):
    folder = RULES_DIR / rule_id
    files, _ = load_case(folder)
    assert any(name.startswith("bad") for name in files), "case.yml names no bad.* file"
    for variant in ("bad", "good"):
        for name in inputs(folder, variant):
            assert (folder / name).is_file(), f"{rule_id}: {name} is named in case.yml but missing"
    assert (folder / "expected.txt").is_file() or UPDATE
