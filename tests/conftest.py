"""Shared test helpers. Today's date is pinned: tests never depend on the clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from hooks.check import Config, Report, check_project
from hooks.report.diagnostics import Diagnostic

# Property-based tests: a fast profile in `make test`, a long one (10,000 examples per
# parser) on schedule: HYPOTHESIS_PROFILE=long.
settings.register_profile("fast", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
TODAY = dt.date(2026, 11, 22)

# one complete, valid bibliography entry
BIB_ENTRY = """@article{smith2020trial,
  author = {Smith, Jane and Doe, John},
  title = {A trial},
  journal = {J Test},
  year = {2020},
  doi = {10.1000/xyz},
  pmid = {123456},
  evidence = {rct},
}
"""
FRONT_MATTER = """---
title: Test therapy
description: A page written by a test to exercise one rule of the engine.
type: therapy
conditions: [androgenetic-alopecia]
aliases: [TT]
evidence: low
evidence_note: Written for a test; not a real grade.
regulatory:
  us-fda:
    status: not-approved
    indication: Test indication.
  eu-ema:
    status: not-approved
    indication: Test indication.
review:
  last_reviewed: 2026-06-01
  status: draft
  reviewed_by: []
  evidence_current_to: 2026-06-01
---
"""


class Project:
    """A throw-away copy of the fixture project in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def page(self, name: str, body: str, front_matter: str = FRONT_MATTER) -> str:
        rel = f"docs/therapies/{name}.md"
        self.write(rel, front_matter + body)
        return rel

    def check(self, today: dt.date = TODAY) -> Report:
        return check_project(Config.load(self.root), today)

    def diagnostics(self, today: dt.date = TODAY) -> list[Diagnostic]:
        return self.check(today).all_diagnostics()

    def rules(self, path: str | None = None, today: dt.date = TODAY) -> list[tuple[str, int, int, str]]:
        return sorted((d.path, d.line, d.col, d.rule_id) for d in self.diagnostics(today)
                      if path is None or d.path == path)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    shutil.copytree(FIXTURE_SITE, tmp_path, dirs_exist_ok=True)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(REPO / "schema", tmp_path / "schema", dirs_exist_ok=True)
    shutil.copytree(REPO / "data", tmp_path / "data", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("sources"))  # records of the real references.bib
    return Project(tmp_path)


