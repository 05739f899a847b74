"""CITATION.cff describes the project (Citation File Format 1.2.0's required fields)."""

from __future__ import annotations

import yaml

from tests.conftest import REPO


def test_citation_file_has_the_required_fields():
    data = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert data["cff-version"] == "1.2.0"
    assert data["message"] and data["title"]
    assert all(author.get("name") or author.get("family-names") for author in data["authors"])
    assert data["license"] == "CC-BY-4.0"
