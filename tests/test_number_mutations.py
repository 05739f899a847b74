"""Every number a reader sees on a clinical page is read by the check: changed to a value that no
source states, it is reported (the property `make mutations` measures on the whole site)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench import mutations
from hooks.check import check_project
from hooks.config import Config

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report():
    return check_project(Config.load(REPO), dt.date(2026, 11, 29), workers=1, use_cache=False)


def test_every_traced_number_on_the_site_is_caught_when_changed(report):
    items = list(mutations.traced_numbers(report))
    assert len(items) > 1000  # the site's pages, body and front matter
    assert {i.piece.kind for i in items} >= {"sentence", "table-row", "front-matter"}
    missed = [f"{i.page}:{i.line} {i.number.text}" for i in items if not mutations.caught(report, i, mutations.FRESH)]
    assert missed == []

